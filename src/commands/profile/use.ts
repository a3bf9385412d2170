import { profileNowDefault } from '../messages.js';
import { readProfileStore } from '../../config/profiles.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { known } from './fields.js';

async function useProfile(name: string, { deps, reporter }: CommandContext): Promise<number> {
  known(readProfileStore(deps.dirs.config), name);
  const { updateProfileStore } = await import('../../config/profile-store.js');
  await updateProfileStore(deps.dirs.config, (store) => {
    known(store, name);
    store.default = name;
  });
  reporter.info(profileNowDefault(name));
  return 0;
}

export const profileUseCommand: CommandSpec = {
  name: 'use',
  summary: 'make a profile the default',
  args: [{ name: '<name>', complete: 'profile' }],
  examples: `
Examples:
  gardin-token profile use prod                  # calls without -p or GARDIN_PROFILE use it
`,
  run: ([name], _opts, ctx) => useProfile(name as string, ctx),
};
