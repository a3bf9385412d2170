import { profileRenamed } from '../messages.js';
import { keychainUnavailable, profileExists } from '../../config/messages.js';
import { readProfileStore } from '../../config/profiles.js';
import { inKeychain, keychainOf, keychainReason, readKeychainSecret } from '../../config/secrets/keychain.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { checkName, dropKeychainEntry, known } from './fields.js';

/** `profile rename <old> <new>`: the default follows the profile. */
async function renameProfile(from: string, to: string, { deps, reporter }: CommandContext): Promise<number> {
  known(readProfileStore(deps.dirs.config), from);
  checkName(to);
  const { updateProfileStore } = await import('../../config/profile-store.js');
  const wasDefault = await updateProfileStore(deps.dirs.config, async (store) => {
    const moved = known(store, from);
    if (Object.hasOwn(store.profiles, to)) throw profileExists(to);
    // The keychain entry moves first: a profile renamed without its secret would be broken.
    if (inKeychain(moved)) {
      const secret = await readKeychainSecret(from, deps);
      const keychain = await keychainOf(deps);
      try {
        await keychain.set(to, secret);
      } catch (err) {
        throw keychainUnavailable(from, keychain.name, keychainReason(err));
      }
    }
    const { [from]: _moved, ...rest } = store.profiles;
    store.profiles = { ...rest, [to]: moved };
    const wasDefault = store.default === from;
    if (wasDefault) store.default = to;
    await dropKeychainEntry(from, moved, deps, reporter);
    return wasDefault;
  });
  reporter.info(profileRenamed(from, to, wasDefault));
  return 0;
}

export const profileRenameCommand: CommandSpec = {
  name: 'rename',
  summary: 'rename a profile (the default follows it)',
  args: [{ name: '<old>', complete: 'profile' }, { name: '<new>' }],
  examples: `
Examples:
  gardin-token profile rename staging stage      # the default follows a renamed profile
`,
  run: ([from, to], _opts, ctx) => renameProfile(from as string, to as string, ctx),
};
