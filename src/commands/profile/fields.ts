import { keychainEntryNotDeleted } from '../messages.js';
import { checkApiBase, checkCacheUrl, checkTokenUrl, DEFAULT_API_URL, DEFAULT_TOKEN_URL, splitScopes, type ProfileStore, type StoredProfile } from '../../config/settings.js';
import {
  emptySecret,
  emptyValue,
  keychainFallbackNotice,
  keychainUnavailable,
  profileNameInvalid,
  secretGivenTwice,
  secretStoreNotApplicable,
  secretTooLarge,
  unknownProfile,
} from '../../config/messages.js';
import { PROFILE_NAME, storePath } from '../../config/profiles.js';
import { inKeychain, KEYCHAIN, keychainOf, keychainReason } from '../../config/secrets/keychain.js';
import { MAX_SECRET_BYTES } from '../../config/secrets/reader.js';
import type { Deps } from '../../platform/deps.js';
import { TooLarge } from '../../platform/read-bounded.js';
import type { Reporter } from '../../platform/reporter.js';
import { AUTH_METHOD_NAMES, authMethodNamed, DEFAULT_AUTH_METHOD } from '../../token/auth/index.js';
import { unknownAuthMethod } from '../../token/messages.js';
import { redactUrlCredentials } from '../../platform/text.js';
import { resolve as resolvePath } from 'node:path';
import type { OptionSpec } from '../command.js';

// What the profile commands share: the fields they take, checked, and where a stored secret goes.

export interface ProfileAddOptions {
  clientId?: string;
  clientSecretStdin?: boolean;
  clientSecretCommand?: string;
  privateKeyFile?: string;
  keyId?: string;
  tokenUrl?: string;
  baseUrl?: string;
  scope?: string[];
  authMethod?: string;
  cacheUrl?: string;
  secretStore?: 'keychain' | 'file';
  default?: boolean;
  force?: boolean;
}

/** The fields of a profile, as profile add and profile set take them. */
export const PROFILE_FIELD_OPTIONS: readonly OptionSpec[] = [
  { flags: '--client-id <id>', description: 'client ID' },
  { flags: '--client-secret-stdin', description: 'read the client secret from standard input (asked, hidden, on a terminal)' },
  { flags: '--client-secret-command <command>', description: 'a shell command that prints the secret, run at fetch time (pass, op read, vault kv get)' },
  { flags: '--private-key-file <path>', description: 'the private key (PEM or JWK) of private_key_jwt, read at fetch time', complete: 'file' },
  { flags: '--key-id <kid>', description: 'the key id of that private key' },
  { flags: '--token-url <url>', description: 'token endpoint' },
  { flags: '--base-url <url>', description: 'the Gardin API base URL for `gardin-token api` and `proxy`' },
  { flags: '--scope <scope>', description: 'scope to request; repeatable or space-separated', repeatable: true, complete: 'scope' },
  { flags: '--auth-method <method>', description: 'client authentication (see gardin-token --help)', choices: AUTH_METHOD_NAMES },
  {
    flags: '--secret-store <store>',
    description: 'where a stored secret lives: the OS keychain (default where one is reachable) or config.json',
    choices: [KEYCHAIN, 'file'],
  },
  { flags: '--cache-url <url>', description: 'a shared token cache on Redis for this profile (redis:// or rediss://)' },
  { flags: '--default', description: 'make it the default profile' },
];

const flag = (name: string) => ({ kind: 'flag' as const, name });

/**
 * Puts a profile's stored secret where `store` says: the OS keychain or config.json. Without a
 * choice, the keychain where one is reachable, else the file with a note. A keychain asked for by
 * name that cannot be reached is exit 2, and nothing is saved.
 */
export async function placeSecret(name: string, profile: StoredProfile, store: 'keychain' | 'file' | undefined, saved: boolean, deps: Deps, reporter: Reporter): Promise<void> {
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
    if (store === 'keychain') throw keychainUnavailable(name, where, keychainReason(err), saved);
    reporter.info(keychainFallbackNotice(where, keychainReason(err), storePath(deps.dirs.config)));
    delete profile.secretStore;
    return;
  }
  delete profile.clientSecret;
  profile.secretStore = KEYCHAIN;
}

/** Deletes a profile's keychain entry, if it had one; a keychain out of reach costs a warning. */
export async function dropKeychainEntry(name: string, before: StoredProfile | undefined, deps: Deps, reporter: Reporter): Promise<void> {
  if (!inKeychain(before)) return;
  try {
    await (await keychainOf(deps)).delete(name);
  } catch (err) {
    reporter.warn(keychainEntryNotDeleted(name, keychainReason(err).text));
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

export function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) throw profileNameInvalid(name);
}

/** The profile of that name in the store, or exit 2 naming the ones there are. */
export function known(store: ProfileStore, name: string): StoredProfile {
  if (!Object.hasOwn(store.profiles, name)) throw unknownProfile(name, undefined, Object.keys(store.profiles));
  return store.profiles[name]!;
}

/** Asks until the answer is not empty (an empty secret on a terminal is a slip, not a choice). */
export async function ask(deps: Deps, question: string, hidden: boolean): Promise<string> {
  for (;;) {
    const answer = await deps.io.prompt(question, hidden);
    if ((hidden ? answer : answer.trim()) !== '') return hidden ? answer : answer.trim();
  }
}

/** The fields given as flags, checked; what is not given is left out. */
export async function fieldsFrom(opts: ProfileAddOptions, deps: Deps): Promise<StoredProfile> {
  const p: StoredProfile = {};
  if (opts.clientSecretStdin && opts.clientSecretCommand !== undefined) throw secretGivenTwice(['--client-secret-stdin', '--client-secret-command']);
  if (opts.clientSecretCommand !== undefined && opts.secretStore !== undefined) throw secretStoreNotApplicable(undefined);
  if (opts.clientId !== undefined) {
    if (!opts.clientId.trim()) throw emptyValue(flag('--client-id'));
    p.clientId = opts.clientId;
  }
  if (opts.tokenUrl !== undefined) p.tokenUrl = checkTokenUrl(opts.tokenUrl, flag('--token-url'));
  if (opts.baseUrl !== undefined) p.apiUrl = checkApiBase(opts.baseUrl, flag('--base-url')).href;
  if (opts.authMethod !== undefined) {
    if (!authMethodNamed(opts.authMethod)) throw unknownAuthMethod(opts.authMethod, flag('--auth-method'), AUTH_METHOD_NAMES);
    p.authMethod = opts.authMethod;
  }
  if (opts.privateKeyFile !== undefined) p.privateKeyFile = keyPath(opts.privateKeyFile);
  if (opts.keyId !== undefined) p.keyId = opts.keyId;
  if (opts.scope !== undefined) p.scope = splitScopes(opts.scope).join(' ');
  if (opts.cacheUrl !== undefined) p.cacheUrl = checkCacheUrl(opts.cacheUrl, flag('--cache-url'));
  if (opts.clientSecretCommand !== undefined) {
    if (!opts.clientSecretCommand.trim()) throw emptySecret(flag('--client-secret-command'));
    p.clientSecretCommand = opts.clientSecretCommand;
  } else if (opts.clientSecretStdin) {
    const secret = deps.io.stdinIsTTY ? await ask(deps, 'Client secret (hidden): ', true) : await secretFromStdin(deps);
    if (!secret) throw emptySecret({ kind: 'stdin' });
    p.clientSecret = secret;
  }
  return p;
}

/** What a profile's client proves itself with, as its auth method says. */
export const credentialOf = (p: StoredProfile): 'secret' | 'private-key' => authMethodNamed(p.authMethod ?? DEFAULT_AUTH_METHOD)?.credential ?? 'secret';

/** A key file's path as stored: absolute, since the profile is used from any folder. */
export function keyPath(path: string): string {
  if (!path.trim()) throw emptyValue(flag('--private-key-file'));
  return resolvePath(path);
}

/** A stored profile keeps only what differs from the defaults. */
export function tidy(p: StoredProfile): StoredProfile {
  const out = { ...p };
  if (out.tokenUrl === DEFAULT_TOKEN_URL) delete out.tokenUrl;
  if (out.apiUrl !== undefined && out.apiUrl.replace(/\/+$/, '') === DEFAULT_API_URL) delete out.apiUrl;
  if (out.scope === '') delete out.scope;
  return out;
}

/** Where a profile's secret lives: `keychain`, `file` (config.json), `command`, or `none`. */
export const secretStoreOf = (p: StoredProfile): 'keychain' | 'file' | 'command' | 'none' =>
  inKeychain(p) ? KEYCHAIN : p.clientSecret ? 'file' : p.clientSecretCommand ? 'command' : 'none';

/**
 * A profile as `profile show` and `list --json` print it (snake_case, as every JSON of the CLI):
 * its secret reduced to where it lives, and which fields are the defaults rather than stored.
 */
export function describe(p: StoredProfile, name: string, file: string) {
  const secretStore = secretStoreOf(p);
  const clientSecret = {
    keychain: `(in the OS keychain: service "gardin-token", account "${name}")`,
    file: `(stored, hidden, in ${file})`,
    command: `(from command: ${p.clientSecretCommand})`,
    none: '(none)',
  }[secretStore];
  const defaults = [p.tokenUrl === undefined && 'token_url', p.apiUrl === undefined && 'api_url', p.authMethod === undefined && 'auth_method'].filter((k) => k !== false);
  return {
    client_id: p.clientId ?? '',
    client_secret: clientSecret,
    secret_store: secretStore,
    private_key_file: p.privateKeyFile ?? null,
    key_id: p.keyId ?? null,
    cache_url: p.cacheUrl === undefined ? null : redactUrlCredentials(p.cacheUrl),
    token_url: p.tokenUrl ?? DEFAULT_TOKEN_URL,
    api_url: p.apiUrl ?? DEFAULT_API_URL,
    scope: p.scope ?? '',
    auth_method: p.authMethod ?? DEFAULT_AUTH_METHOD,
    /** The fields above that are not stored in the profile: the built-in defaults. */
    defaults,
  };
}
