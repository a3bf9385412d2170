import { VERSION } from '../platform/version.js';
import type { CommandSpec } from './command.js';

export const versionCommand: CommandSpec = {
  name: 'version',
  summary: 'print the version (as --version does)',
  run: (_args, _opts, { deps }) => {
    deps.io.stdout.write(`${VERSION}\n`);
    return 0;
  },
};
