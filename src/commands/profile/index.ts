import type { CommandSpec } from '../command.js';
import { profileAddCommand } from './add.js';
import { profileListCommand } from './list.js';
import { profileRemoveCommand } from './remove.js';
import { profileRenameCommand } from './rename.js';
import { profileSetCommand } from './set.js';
import { profileShowCommand } from './show.js';
import { profileUseCommand } from './use.js';

export const profileCommand: CommandSpec = {
  name: 'profile',
  summary: 'manage stored profiles',
  subcommands: [profileAddCommand, profileSetCommand, profileRenameCommand, profileListCommand, profileShowCommand, profileRemoveCommand, profileUseCommand],
};
