import { profileSaved } from '../messages.js';
import { profileExists, profileIncomplete } from '../../config/messages.js';
import { readProfileStore, storePath } from '../../config/profiles.js';
import { checkTokenUrl, DEFAULT_TOKEN_URL, splitScopes } from '../../config/settings.js';
import type { CommandContext, CommandSpec } from '../command.js';
import { ask, checkName, credentialOf, dropKeychainEntry, fieldsFrom, keyPath, placeSecret, PROFILE_FIELD_OPTIONS, tidy, type ProfileAddOptions } from './fields.js';

/**
 * `profile add`: flags first; on a terminal, prompts for what is missing (the secret unechoed).
 * An existing name is refused unless --force: `profile set` changes a profile field by field.
 */
async function addProfile(name: string, opts: ProfileAddOptions, { deps, reporter }: CommandContext): Promise<number> {
  checkName(name);
  const { io } = deps;
  // Asked before any prompt; asked again under the store's lock, where it counts.
  if (Object.hasOwn(readProfileStore(deps.dirs.config).profiles, name) && !opts.force) throw profileExists(name);
  const profile = await fieldsFrom(opts, deps);

  if (!profile.clientId && io.stdinIsTTY) profile.clientId = await ask(deps, 'Client ID: ', false);
  if (!profile.clientId) throw profileIncomplete('client ID');
  // What the client proves itself with follows from its auth method: a secret, or a private key.
  if (credentialOf(profile) === 'private-key') {
    if (profile.privateKeyFile === undefined) {
      if (!io.stdinIsTTY) throw profileIncomplete('private key');
      profile.privateKeyFile = keyPath(await ask(deps, 'Private key file (PEM or JWK): ', false));
    }
  } else if (profile.clientSecret === undefined && profile.clientSecretCommand === undefined) {
    if (!io.stdinIsTTY) throw profileIncomplete('client secret');
    profile.clientSecret = await ask(deps, 'Client secret (hidden): ', true);
  }
  if (io.stdinIsTTY && opts.tokenUrl === undefined) {
    const answer = (await io.prompt(`Token URL [${DEFAULT_TOKEN_URL}]: `, false)).trim();
    if (answer) profile.tokenUrl = checkTokenUrl(answer, { kind: 'stdin' });
  }
  if (io.stdinIsTTY && opts.scope === undefined) profile.scope = splitScopes([await io.prompt('Scopes (space-separated; Enter for none): ', false)]).join(' ');

  const { updateProfileStore } = await import('../../config/profile-store.js');
  const { replacing, isDefault } = await updateProfileStore(deps.dirs.config, async (store) => {
    const before = Object.hasOwn(store.profiles, name) ? store.profiles[name] : undefined;
    if (before && !opts.force) throw profileExists(name);
    const makeDefault = opts.default === true || store.default === undefined;
    await placeSecret(name, profile, opts.secretStore, before !== undefined, deps, reporter);
    store.profiles[name] = tidy(profile);
    if (makeDefault) store.default = name;
    // A replaced profile whose secret was in the keychain: the new one put its own there, or none.
    if (profile.secretStore !== 'keychain') await dropKeychainEntry(name, before, deps, reporter);
    return { replacing: before !== undefined, isDefault: store.default === name };
  });
  reporter.info(profileSaved(name, replacing, isDefault, storePath(deps.dirs.config)));
  return 0;
}

export const profileAddCommand: CommandSpec = {
  name: 'add',
  summary: 'store a new profile (prompts for what is missing on a terminal)',
  args: [{ name: '<name>', description: 'letters, digits, ".", "_" and "-", up to 64, starting with a letter or digit' }],
  options: [...PROFILE_FIELD_OPTIONS, { flags: '--force', description: 'replace a profile of that name whole' }],
  examples: `
Examples:
  gardin-token profile add prod                  # on a terminal: asks for what is missing, the secret hidden
  printf %s "$SECRET" | gardin-token profile add ci --client-id abc123 --client-secret-stdin --scope jobs:read
  gardin-token profile add dev --client-id d-1 --client-secret-command 'pass show gardin/dev' --default
  printf %s "$SECRET" | gardin-token profile add runner --client-id abc123 --client-secret-stdin --secret-store file --cache-url redis://redis:6379   # a CI runner: no keychain, a shared cache
  gardin-token profile add signed --client-id abc123 --auth-method private_key_jwt --private-key-file key.pem --key-id k1
`,
  run: ([name], opts, ctx) => addProfile(name as string, opts, ctx),
};
