import { checkApiBase, DEFAULT_API_URL } from '../net/api-request.js';
import type { Deps } from '../platform/deps.js';
import { emptyFlag, emptySecret, keychainFallbackNotice, keychainUnavailable, secretStoreNotApplicable, noDefaultLeft, nothingToSet, profileExists, profileIncomplete, profileNameInvalid, secretGivenTwice, secretTooLarge, unknownProfile } from '../config/messages.js';
import { PROFILE_NAME, readProfileStore, storePath } from '../config/profiles.js';
import type { Reporter } from '../platform/reporter.js';
import { checkAuthMethod, checkCacheUrl, checkTokenUrl, DEFAULT_AUTH_METHOD, DEFAULT_TOKEN_URL, splitScopes, type ProfileStore, type StoredProfile } from '../config/settings.js';
import { redactUrlCredentials } from '../platform/text.js';
import { keychainOf, keychainReason, MAX_SECRET_BYTES, readKeychainSecret } from '../config/secrets/index.js';
import { TooLarge } from '../platform/read-bounded.js';

export interface ProfileAddOptions {
  clientId?: string;
  clientSecretStdin?: boolean;
  clientSecretCommand?: string;
  tokenUrl?: string;
  baseUrl?: string;
  scope?: string[];
  authMethod?: string;
  cacheUrl?: string;
  secretStore?: 'keychain' | 'file';
  default?: boolean;
  force?: boolean;
}

/**
 * Puts a profile's stored secret where `store` says: the OS keychain or config.json. Without a
 * choice, the keychain where one is reachable, else the file with a note. A keychain asked for by
 * name that cannot be reached is exit 2, and nothing is saved.
 */
async function placeSecret(name: string, profile: StoredProfile, store: 'keychain' | 'file' | undefined, deps: Deps, reporter: Reporter): Promise<void> {
  const secret = profile.clientSecret;
  if (secret === undefined || store === 'file') {
    delete profile.secretStore;
    return;
  }
  let keychainName: string | undefined;
  try {
    const keychain = await keychainOf(deps);
    keychainName = keychain.name;
    await keychain.set(name, secret);
  } catch (err) {
    const where = keychainName ?? 'the OS keychain';
    if (store === 'keychain') throw keychainUnavailable(name, where, keychainReason(err));
    reporter.info(keychainFallbackNotice(where, keychainReason(err), storePath(deps.dirs.config)));
    delete profile.secretStore;
    return;
  }
  delete profile.clientSecret;
  profile.secretStore = 'keychain';
}

/** Deletes a profile's keychain entry, if it had one; a keychain out of reach costs a warning. */
async function dropKeychainEntry(name: string, before: StoredProfile | undefined, deps: Deps, reporter: Reporter): Promise<void> {
  if (before?.secretStore !== 'keychain') return;
  try {
    await (await keychainOf(deps)).delete(name);
  } catch (err) {
    reporter.warn(`could not delete the keychain entry of profile "${name}" (service "gardin-token", account "${name}"): ${keychainReason(err)}`);
  }
}

const dropNewline = (s: string): string => s.replace(/\r?\n$/, '');

async function secretFromStdin(deps: Deps): Promise<string> {
  try {
    return dropNewline((await deps.io.readStdin(MAX_SECRET_BYTES)).toString('utf8'));
  } catch (err) {
    if (err instanceof TooLarge) throw secretTooLarge({ kind: 'stdin' }, MAX_SECRET_BYTES);
    throw err;
  }
}

function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) throw profileNameInvalid(name);
}

/** The profile of that name in the store, or exit 2 naming the ones there are. */
function known(store: ProfileStore, name: string): StoredProfile {
  if (!Object.hasOwn(store.profiles, name)) throw unknownProfile(name, undefined, Object.keys(store.profiles));
  return store.profiles[name]!;
}

/** Asks until the answer is not empty (an empty secret on a terminal is a slip, not a choice). */
async function ask(deps: Deps, question: string, hidden: boolean): Promise<string> {
  for (;;) {
    const answer = await deps.io.prompt(question, hidden);
    if ((hidden ? answer : answer.trim()) !== '') return hidden ? answer : answer.trim();
  }
}

/** The fields given as flags, checked; what is not given is left out. */
async function fieldsFrom(opts: ProfileAddOptions, deps: Deps): Promise<StoredProfile> {
  const p: StoredProfile = {};
  if (opts.clientSecretStdin && opts.clientSecretCommand !== undefined) throw secretGivenTwice(['--client-secret-stdin', '--client-secret-command']);
  if (opts.clientSecretCommand !== undefined && opts.secretStore !== undefined) throw secretStoreNotApplicable(undefined);
  if (opts.clientId !== undefined) {
    if (!opts.clientId.trim()) throw emptyFlag('--client-id');
    p.clientId = opts.clientId;
  }
  if (opts.tokenUrl !== undefined) p.tokenUrl = checkTokenUrl(opts.tokenUrl, { kind: 'flag', name: '--token-url' });
  if (opts.baseUrl !== undefined) p.apiUrl = checkApiBase(opts.baseUrl, { kind: 'flag', name: '--base-url' }).href;
  if (opts.authMethod !== undefined) p.authMethod = checkAuthMethod(opts.authMethod, { kind: 'flag', name: '--auth-method' });
  if (opts.scope !== undefined) p.scope = splitScopes(opts.scope).join(' ');
  if (opts.cacheUrl !== undefined) p.cacheUrl = checkCacheUrl(opts.cacheUrl, { kind: 'flag', name: '--cache-url' });
  if (opts.clientSecretCommand !== undefined) {
    if (!opts.clientSecretCommand.trim()) throw emptySecret({ kind: 'flag', name: '--client-secret-command' });
    p.clientSecretCommand = opts.clientSecretCommand;
  } else if (opts.clientSecretStdin) {
    const secret = deps.io.stdinIsTTY ? await ask(deps, 'Client secret (hidden): ', true) : await secretFromStdin(deps);
    if (!secret) throw emptySecret({ kind: 'stdin' });
    p.clientSecret = secret;
  }
  return p;
}

/** A stored profile keeps only what differs from the defaults. */
function tidy(p: StoredProfile): StoredProfile {
  const out = { ...p };
  if (out.tokenUrl === DEFAULT_TOKEN_URL) delete out.tokenUrl;
  if (out.apiUrl !== undefined && out.apiUrl.replace(/\/+$/, '') === DEFAULT_API_URL) delete out.apiUrl;
  if (out.scope === '') delete out.scope;
  return out;
}

/**
 * `profile add`: flags first; on a terminal, prompts for what is missing (the secret unechoed).
 * An existing name is refused unless --force: `profile set` changes a profile field by field.
 */
export async function profileAdd(name: string, opts: ProfileAddOptions, deps: Deps, reporter: Reporter): Promise<number> {
  checkName(name);
  const { io } = deps;
  // Asked before any prompt; asked again under the store's lock, where it counts.
  if (Object.hasOwn(readProfileStore(deps.dirs.config).profiles, name) && !opts.force) throw profileExists(name);
  const profile = await fieldsFrom(opts, deps);

  if (!profile.clientId && io.stdinIsTTY) profile.clientId = await ask(deps, 'Client ID: ', false);
  if (!profile.clientId) throw profileIncomplete('client ID');
  if (profile.clientSecret === undefined && profile.clientSecretCommand === undefined) {
    if (!io.stdinIsTTY) throw profileIncomplete('client secret');
    profile.clientSecret = await ask(deps, 'Client secret (hidden): ', true);
  }
  if (io.stdinIsTTY && opts.tokenUrl === undefined) {
    const answer = (await io.prompt(`Token URL [${DEFAULT_TOKEN_URL}]: `, false)).trim();
    if (answer) profile.tokenUrl = checkTokenUrl(answer, { kind: 'stdin' });
  }
  if (io.stdinIsTTY && opts.scope === undefined) profile.scope = splitScopes([await io.prompt('Scopes (space-separated; Enter for none): ', false)]).join(' ');

  const { updateProfileStore } = await import('../config/profile-store.js');
  const { replacing, isDefault } = await updateProfileStore(deps.dirs.config, async (store) => {
    const before = Object.hasOwn(store.profiles, name) ? store.profiles[name] : undefined;
    if (before && !opts.force) throw profileExists(name);
    const makeDefault = opts.default === true || store.default === undefined;
    await placeSecret(name, profile, opts.secretStore, deps, reporter);
    store.profiles[name] = tidy(profile);
    if (makeDefault) store.default = name;
    // A replaced profile whose secret was in the keychain: the new one put its own there, or none.
    if (profile.secretStore !== 'keychain') await dropKeychainEntry(name, before, deps, reporter);
    return { replacing: before !== undefined, isDefault: store.default === name };
  });
  reporter.info(`${replacing ? 'Replaced' : 'Saved'} profile "${name}"${isDefault ? ' (the default)' : ''} in ${storePath(deps.dirs.config)}.`);
  return 0;
}

/**
 * `profile set <name>`: changes only the fields given; a new secret replaces the old one, stored or
 * command, and stays where the stored one was unless --secret-store says otherwise. --secret-store
 * alone moves the stored secret between the keychain and the file.
 */
export async function profileSet(name: string, opts: ProfileAddOptions, deps: Deps, reporter: Reporter): Promise<number> {
  known(readProfileStore(deps.dirs.config), name);
  const changes = await fieldsFrom(opts, deps);
  if (Object.keys(changes).length === 0 && !opts.default && opts.secretStore === undefined) throw nothingToSet();
  const { updateProfileStore } = await import('../config/profile-store.js');
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
      if (before.secretStore === 'keychain') updated.clientSecret = await readKeychainSecret(name, deps);
    }
    if (updated.clientSecret !== undefined && (changes.clientSecret !== undefined || moving)) {
      const where = opts.secretStore ?? (before.secretStore === 'keychain' ? 'keychain' : before.clientSecret !== undefined ? 'file' : undefined);
      await placeSecret(name, updated, where, deps, reporter);
    }
    store.profiles[name] = tidy(updated);
    if (opts.default) store.default = name;
    if (updated.secretStore !== 'keychain') await dropKeychainEntry(name, before, deps, reporter);
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
  if (moving) fields.push(`secret moved to ${updated.secretStore === 'keychain' ? 'the OS keychain' : 'the file'}`);
  reporter.info(`Updated profile "${name}"${fields.length > 0 ? ` (${fields.join(', ')})` : ''}${opts.default ? '; it is the default' : ''}.`);
  return 0;
}

/** `profile rename <old> <new>`: the default follows the profile. */
export async function profileRename(from: string, to: string, deps: Deps, reporter: Reporter): Promise<number> {
  known(readProfileStore(deps.dirs.config), from);
  checkName(to);
  const { updateProfileStore } = await import('../config/profile-store.js');
  const wasDefault = await updateProfileStore(deps.dirs.config, async (store) => {
    const moved = known(store, from);
    if (Object.hasOwn(store.profiles, to)) throw profileExists(to);
    // The keychain entry moves first: a profile renamed without its secret would be broken.
    if (moved.secretStore === 'keychain') {
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
  reporter.info(`Renamed profile "${from}" to "${to}"${wasDefault ? ' (still the default)' : ''}.`);
  return 0;
}

/** `profile list`: one profile a line, the default marked with `*` (as `git branch` does). */
export function profileList(opts: { json?: boolean }, deps: Deps): number {
  const store = readProfileStore(deps.dirs.config);
  const names = Object.keys(store.profiles).sort();
  if (opts.json) {
    const list = names.map((n) => ({ name: n, default: n === store.default, ...describe(store.profiles[n]!, n, storePath(deps.dirs.config)) }));
    deps.io.stdout.write(JSON.stringify(list) + '\n');
  } else {
    deps.io.stdout.write(names.map((n) => `${n === store.default ? '*' : ' '} ${n}\n`).join(''));
  }
  return 0;
}

/** Where a profile's secret lives: `keychain`, `file` (config.json), `command`, or `none`. */
const secretStoreOf = (p: StoredProfile): 'keychain' | 'file' | 'command' | 'none' =>
  p.secretStore === 'keychain' ? 'keychain' : p.clientSecret ? 'file' : p.clientSecretCommand ? 'command' : 'none';

/** A profile with its secret reduced to where it lives. */
function describe(p: StoredProfile, name: string, file: string) {
  const secretStore = secretStoreOf(p);
  const clientSecret = {
    keychain: `(in the OS keychain: service "gardin-token", account "${name}")`,
    file: `(stored, hidden, in ${file})`,
    command: `(from command: ${p.clientSecretCommand})`,
    none: '(none)',
  }[secretStore];
  return {
    clientId: p.clientId ?? '',
    clientSecret,
    secretStore,
    cacheUrl: p.cacheUrl === undefined ? null : redactUrlCredentials(p.cacheUrl),
    tokenUrl: p.tokenUrl ?? DEFAULT_TOKEN_URL,
    apiUrl: p.apiUrl ?? DEFAULT_API_URL,
    scope: p.scope ?? '',
    authMethod: p.authMethod ?? DEFAULT_AUTH_METHOD,
  };
}

export function profileShow(name: string, opts: { json?: boolean }, deps: Deps): number {
  const store = readProfileStore(deps.dirs.config);
  const d = { name, default: store.default === name, ...describe(known(store, name), name, storePath(deps.dirs.config)) };
  if (opts.json) deps.io.stdout.write(JSON.stringify(d) + '\n');
  else {
    const rows: Array<[string, string]> = [
      ['name', name + (d.default ? ' (default)' : '')],
      ['client id', d.clientId],
      ['client secret', d.clientSecret],
      ['token url', d.tokenUrl],
      ['api url', d.apiUrl],
      ['scope', d.scope || '(none)'],
      ['auth method', d.authMethod],
    ];
    if (d.cacheUrl) rows.push(['shared cache', d.cacheUrl]);
    deps.io.stdout.write(rows.map(([k, v]) => `${(k + ':').padEnd(15)}${v}\n`).join(''));
  }
  return 0;
}

export async function profileRemove(name: string, deps: Deps, reporter: Reporter): Promise<number> {
  known(readProfileStore(deps.dirs.config), name);
  const { updateProfileStore } = await import('../config/profile-store.js');
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

export async function profileUse(name: string, deps: Deps, reporter: Reporter): Promise<number> {
  known(readProfileStore(deps.dirs.config), name);
  const { updateProfileStore } = await import('../config/profile-store.js');
  await updateProfileStore(deps.dirs.config, (store) => {
    known(store, name);
    store.default = name;
  });
  reporter.info(`Profile "${name}" is now the default.`);
  return 0;
}
