import { noDefaultLeft } from '../../config/messages.js';
import { readProfileStore } from '../../config/profiles.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { dropKeychainEntry, known } from './fields.js';

async function removeProfile(name: string, { deps, reporter }: CommandContext): Promise<number> {
  known(readProfileStore(deps.dirs.config), name);
  const { updateProfileStore } = await import('../../config/profile-store.js');
  const { wasDefault, left } = await updateProfileStore(deps.dirs.config, async (store) => {
    const removed = known(store, name);
    const { [name]: _removed, ...rest } = store.profiles;
    store.profiles = rest;
    const wasDefault = store.default === name;
    if (wasDefault) delete store.default;
    await dropKeychainEntry(name, removed, deps, reporter);
    return { wasDefault, left: Object.keys(rest) };
  });
  reporter.info(wasDefault ? noDefaultLeft(name, left) : `Removed profile "${name}".`);
  return 0;
}

export const profileRemoveCommand: CommandSpec = {
  name: 'remove',
  summary: 'delete a profile',
  args: [{ name: '<name>', complete: 'profile' }],
  examples: `
Examples:
  gardin-token profile remove staging
`,
  run: ([name], _opts, ctx) => removeProfile(name as string, ctx),
};
