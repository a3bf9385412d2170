import { profileUpdated } from '../messages.js';
import { nothingToSet, secretStoreNotApplicable } from '../../config/messages.js';
import { readProfileStore } from '../../config/profiles.js';
import { inKeychain, KEYCHAIN, readKeychainSecret } from '../../config/secrets/keychain.js';
import type { StoredProfile } from '../../config/settings.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { dropKeychainEntry, fieldsFrom, known, placeSecret, PROFILE_FIELD_OPTIONS, tidy, type ProfileAddOptions } from './fields.js';

/**
 * `profile set <name>`: changes only the fields given; a new secret replaces the old one, stored or
 * command, and stays where the stored one was unless --secret-store says otherwise. --secret-store
 * alone moves the stored secret between the keychain and the file.
 */
async function setProfile(name: string, opts: ProfileAddOptions, { deps, reporter }: CommandContext): Promise<number> {
  known(readProfileStore(deps.dirs.config), name);
  const changes = await fieldsFrom(opts, deps);
  if (Object.keys(changes).length === 0 && !opts.default && opts.secretStore === undefined) throw nothingToSet(PROFILE_FIELD_OPTIONS.map((o) => o.flags.split(' ')[0]!));
  const { updateProfileStore } = await import('../../config/profile-store.js');
  const { moving, updated } = await updateProfileStore(deps.dirs.config, async (store) => {
    const before = known(store, name);
    const updated: StoredProfile = { ...before, ...changes };
    if (changes.clientSecret !== undefined) delete updated.clientSecretCommand;
    if (changes.clientSecretCommand !== undefined) {
      delete updated.clientSecret;
      delete updated.secretStore;
    }
    const moving = opts.secretStore !== undefined && changes.clientSecret === undefined;
    if (moving) {
      if (updated.clientSecretCommand !== undefined) throw secretStoreNotApplicable(name);
      if (inKeychain(before)) updated.clientSecret = await readKeychainSecret(name, deps);
    }
    if (updated.clientSecret !== undefined && (changes.clientSecret !== undefined || moving)) {
      const where = opts.secretStore ?? (inKeychain(before) ? KEYCHAIN : before.clientSecret !== undefined ? 'file' : undefined);
      await placeSecret(name, updated, where, true, deps, reporter);
    }
    store.profiles[name] = tidy(updated);
    if (opts.default) store.default = name;
    if (!inKeychain(updated)) await dropKeychainEntry(name, before, deps, reporter);
    return { moving, updated };
  });
  const words: Record<string, string> = {
    clientId: 'client ID',
    clientSecret: 'secret',
    clientSecretCommand: 'secret',
    tokenUrl: 'token URL',
    apiUrl: 'API URL',
    authMethod: 'auth method',
    scope: 'scope',
    cacheUrl: 'shared cache URL',
  };
  const fields = [...new Set(Object.keys(changes).map((k) => words[k] ?? k))];
  if (moving) fields.push(`secret moved to ${inKeychain(updated) ? 'the OS keychain' : 'the file'}`);
  reporter.info(profileUpdated(name, fields, opts.default === true));
  return 0;
}

export const profileSetCommand: CommandSpec = {
  name: 'set',
  summary: 'change some fields of a stored profile, leaving the others as they are',
  args: [{ name: '<name>', complete: 'profile' }],
  options: PROFILE_FIELD_OPTIONS,
  examples: `
Examples:
  gardin-token profile set prod --scope jobs:read --scope jobs:write   # only the scopes change
  printf %s "$NEW_SECRET" | gardin-token profile set prod --client-secret-stdin
  gardin-token profile set prod --secret-store keychain    # move the stored secret into the OS keychain
`,
  run: ([name], opts, ctx) => setProfile(name as string, opts, ctx),
};
