import {
  apiUrlCredentials,
  credentialsInUrl,
  emptyValue,
  emptyVar,
  invalidCacheUrl,
  insecureUrl,
  invalidSetting,
  invalidUrl,
  missingClientId,
  secretGivenTwice,
  unknownProfile,
} from './messages.js';
import { describeSource, type Source } from './source.js';

export const DEFAULT_TOKEN_URL = 'https://login.gardin.ag/oauth2/token';
export const DEFAULT_API_URL = 'https://api.gardin.ag/v1';
/** The scopes Gardin documents (offered by shell completion; any scope may be requested). */
export const GARDIN_SCOPES = [
  'data.chf:query',
  'data.indices:query',
  'devices:command',
  'devices:control',
  'devices.registry:read',
  'devices.registry:write',
  'jobs:read',
  'jobs:write',
  'jobs:execute',
  'notifications:subscribe',
  'notifications.alerts:subscribe',
] as const;
export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_MIN_TTL_S = 60;
export const DEFAULT_RETRIES = 2;
/** The longest --timeout a Node timer can hold (2^31 - 1 ms). */
export const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000);
/** The variables that give an identity: a profile in use sets each of them aside. */
export const IDENTITY_VARS = ['GARDIN_CLIENT_ID', 'GARDIN_CLIENT_SECRET', 'GARDIN_CLIENT_SECRET_FILE', 'GARDIN_PRIVATE_KEY_FILE', 'GARDIN_TOKEN_URL', 'GARDIN_SCOPE'] as const;
/** Every GARDIN_* variable a call reads; one set to nothing is refused, as an empty flag is. */
export const SETTING_VARS = [...IDENTITY_VARS, 'GARDIN_PROFILE', 'GARDIN_CA_FILE', 'GARDIN_CACHE_URL', 'GARDIN_API_URL'] as const;

/** A profile as stored by `gardin-token profile add` (the JSON file that conf writes). */
export interface StoredProfile {
  clientId?: string;
  clientSecret?: string;
  /** A shell command whose stdout is the secret, run at fetch time. */
  clientSecretCommand?: string;
  /** A private key (PEM or JWK) for private_key_jwt, and its key id. */
  privateKeyFile?: string;
  keyId?: string;
  tokenUrl?: string;
  scope?: string;
  authMethod?: string;
  /** The Gardin API's base URL for `gardin-token api`. */
  apiUrl?: string;
  /** A shared token cache on Redis (`redis://` or `rediss://`). */
  cacheUrl?: string;
  /** `keychain`: the secret is in the OS keychain (service gardin-token, account the profile name), not here. */
  secretStore?: 'keychain';
}

export interface ProfileStore {
  default?: string;
  profiles: Record<string, StoredProfile>;
}

/** The token options, as the CLI parsed them (strings unvalidated) or the library received them. */
export interface TokenInputs {
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  clientSecretFile?: string;
  privateKeyFile?: string;
  keyId?: string;
  tokenUrl?: string;
  scope?: string[];
  authMethod?: string;
  profile?: string;
  timeout?: string | number;
  cache?: boolean;
  forceRefresh?: boolean;
  minTtl?: string | number;
  retries?: string | number;
  caFile?: string;
  cacheUrl?: string;
  baseUrl?: string;
}

export interface Resolved<T> {
  value: T;
  source: Source;
}

/** Where a secret (or a private key) is to be read from; reading it is left to config/secrets. */
export type SecretSpec =
  | { kind: 'value'; value: string; source: Source }
  | { kind: 'stdin'; source: Source }
  | { kind: 'file'; path: string; source: Source }
  | { kind: 'command'; command: string; source: Source & { kind: 'command' } }
  | { kind: 'keychain'; profile: string; source: Source & { kind: 'keychain' } };

export interface Settings {
  clientId: Resolved<string>;
  /** The client secret, if one was given (not every client-auth method needs one). */
  secret: SecretSpec | undefined;
  /** The private key file, for private_key_jwt. */
  privateKey: SecretSpec | undefined;
  keyId: Resolved<string> | undefined;
  tokenUrl: Resolved<string>;
  /** Normalised: split on whitespace, duplicates dropped, in the order given. */
  scopes: Resolved<string[]>;
  /** The client-auth method asked for (checked by the token module); undefined: the default. */
  authMethod: Resolved<string> | undefined;
  /** The profile whose identity this is; undefined when the flags and environment give it. */
  profile: Resolved<string> | undefined;
  /** The API base URL (checked by its users, api and proxy). */
  apiUrl: Resolved<string>;
  timeoutMs: Resolved<number>;
  minTtlS: Resolved<number>;
  retries: Resolved<number>;
  caFile: Resolved<string> | undefined;
  /** The shared cache on Redis (its URL, checked), when one is set. */
  sharedCache: Resolved<string> | undefined;
  cache: boolean;
  forceRefresh: boolean;
  /** GARDIN_* variables that were set but not used, because a profile gives the identity. */
  setAside: string[];
  /** The stored profiles, for a hint when no identity was given at all. */
  storedProfiles: string[];
  /** How the caller's own inputs are named in messages: `--token-url` (the CLI) or `tokenUrl` (the library). */
  naming: Naming;
}

type Env = Record<string, string | undefined>;
/** The CLI's flags or the library's options: what a message calls the caller's own inputs. */
export type Naming = 'flags' | 'options';

const FLAG_NAMES: Record<string, string> = {
  clientId: '--client-id',
  clientSecret: '--client-secret',
  clientSecretFile: '--client-secret-file',
  privateKeyFile: '--private-key-file',
  keyId: '--key-id',
  tokenUrl: '--token-url',
  scope: '--scope',
  authMethod: '--auth-method',
  profile: '--profile',
  timeout: '--timeout',
  minTtl: '--min-ttl',
  retries: '--retries',
  caFile: '--ca-file',
  cacheUrl: '--cache-url',
  baseUrl: '--base-url',
};

const envSrc = (name: string): Source => ({ kind: 'env', name });
const DEFAULT: Source = { kind: 'default' };

/** Picks the first defined, non-empty candidate. */
function pick<T>(...candidates: Array<[T | undefined, Source]>): Resolved<T> | undefined {
  for (const [value, source] of candidates) {
    if (value !== undefined && value !== '') return { value, source };
  }
  return undefined;
}

export function splitScopes(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) for (const s of v.split(/\s+/)) if (s && !out.includes(s)) out.push(s);
  return out;
}

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Parses and vets a URL that credentials or a token are sent to: http(s) only, plain http only to loopback, no credentials in it. */
function checkHttpUrl(value: string, source: Source, what: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidUrl(value, source, what);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl(value, source, what);
  if (url.username || url.password) throw what === 'token URL' ? credentialsInUrl(source) : apiUrlCredentials(source);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw insecureUrl(url.origin, source);
  return url;
}

/** Parses and vets a token URL. */
export const checkTokenUrl = (value: string, source: Source): string => checkHttpUrl(value, source, 'token URL').href;

/** Parses and vets an API base URL, as the token URL is. */
export const checkApiBase = (value: string, source: Source): URL => checkHttpUrl(value, source, 'API base URL');

/** Redis's databases by default (and on the managed services): `/0` to `/15`. */
export const REDIS_DATABASES = 16;

/**
 * Parses and vets a shared-cache URL: `redis://` or `rediss://` (TLS), a host, and a database
 * number if any. A password in it is allowed (Redis has no other place for it), must be
 * percent-encoded as a URL's, and is never printed. Query options are refused rather than
 * ignored or passed on: the password goes in the URL's user part. Plain `redis://` to another
 * host is allowed: what it carries is encrypted under the client secret (see fleet/seal.ts);
 * only the Redis password itself would travel in clear.
 */
export function checkCacheUrl(value: string, source: Source): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidCacheUrl(value, source, 'it is not a URL');
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) throw invalidCacheUrl(value, source, 'it is not a redis:// or rediss:// URL with a host');
  if (url.search || url.hash)
    throw invalidCacheUrl(value, source, 'it has a query or a fragment; options are not read from it (a password goes before the host: redis://:PASSWORD@host)');
  try {
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    throw invalidCacheUrl(value, source, 'its user or password has a "%" that is not followed by two hex digits (write a "%" as %25)');
  }
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !(/^\d{1,2}$/.test(db) && Number(db) < REDIS_DATABASES)) {
    throw invalidCacheUrl(value, source, `its database "/${db.slice(0, 12)}" is not one Redis has (/0 to /${REDIS_DATABASES - 1})`);
  }
  return url.href;
}

function number(r: Resolved<string | number>, setting: string, opts: { min: number; max?: number; integer?: boolean }): Resolved<number> {
  const n = typeof r.value === 'number' ? r.value : r.value.trim() === '' ? NaN : Number(r.value);
  if (!Number.isFinite(n) || n < opts.min || (opts.max !== undefined && n > opts.max) || (opts.integer && !Number.isInteger(n))) {
    const range = opts.max === undefined ? `>= ${opts.min}` : `from ${opts.min} to ${opts.max}`;
    throw invalidSetting(setting, String(r.value), r.source, `${opts.integer ? 'a whole' : 'a'} number ${range}`);
  }
  return { value: n, source: r.source };
}

/** Which stored profile the flags (or options), GARDIN_PROFILE or the store's default name, if any. */
export function selectProfile(
  inputs: Pick<TokenInputs, 'profile'>,
  env: Env,
  store: ProfileStore,
  naming: Naming = 'flags',
): { name: Resolved<string>; profile: StoredProfile } | undefined {
  const name = pick<string>([inputs.profile, own('profile', naming)], [env.GARDIN_PROFILE, envSrc('GARDIN_PROFILE')], [store.default, { kind: 'default-profile' }]);
  if (!name) return undefined;
  const profile = Object.hasOwn(store.profiles, name.value) ? store.profiles[name.value] : undefined;
  if (!profile) throw unknownProfile(name.value, name.source, Object.keys(store.profiles));
  return { name, profile };
}

/** The source of one of the caller's own inputs. */
/** The library's option where its name differs from the CLI's input (createFetch's apiUrl is --base-url). */
const OPTION_NAMES: Record<string, string> = { baseUrl: 'apiUrl' };
const own = (key: string, naming: Naming): Source => (naming === 'flags' ? { kind: 'flag', name: FLAG_NAMES[key] ?? key } : { kind: 'option', name: OPTION_NAMES[key] ?? key });

/** A flag or option given an empty value is a mistake (an unset shell variable), never a silent fall-back. */
function refuseEmptyInputs(inputs: TokenInputs, naming: Naming): void {
  for (const key of Object.keys(FLAG_NAMES)) {
    if ((inputs as Record<string, unknown>)[key] === '') throw emptyValue(own(key, naming));
  }
  if (inputs.scope?.some((s) => s.trim() === '')) throw emptyValue(own('scope', naming));
}

/** A variable set to nothing (`GARDIN_TOKEN_URL=`, an unset CI variable) is a mistake too, never "unset". */
function refuseEmptyVars(env: Env): void {
  const empty = SETTING_VARS.find((name) => env[name] !== undefined && env[name]!.trim() === '');
  if (empty) throw emptyVar(empty);
}

/** The secret as the caller's inputs give it, if they do (one way only). */
function secretFromInputs(inputs: TokenInputs, naming: Naming): SecretSpec | undefined {
  const given = (['clientSecret', 'clientSecretStdin', 'clientSecretFile'] as const).filter((k) => inputs[k] !== undefined && inputs[k] !== false);
  if (given.length > 1) throw secretGivenTwice(given.map((k) => describeSource(k === 'clientSecretStdin' ? { kind: 'flag', name: '--client-secret-stdin' } : own(k, naming))));
  if (inputs.clientSecret !== undefined) return { kind: 'value', value: inputs.clientSecret, source: own('clientSecret', naming) };
  if (inputs.clientSecretStdin) return { kind: 'stdin', source: { kind: 'stdin' } };
  if (inputs.clientSecretFile !== undefined) return { kind: 'file', path: inputs.clientSecretFile, source: own('clientSecretFile', naming) };
  return undefined;
}

/** A stored profile's secret, wherever it keeps it. */
function secretOfProfile(name: string, p: StoredProfile): SecretSpec | undefined {
  if (p.clientSecret) return { kind: 'value', value: p.clientSecret, source: { kind: 'profile', name } };
  if (p.clientSecretCommand) return { kind: 'command', command: p.clientSecretCommand, source: { kind: 'command', name } };
  if (p.secretStore === 'keychain') return { kind: 'keychain', profile: name, source: { kind: 'keychain', name } };
  return undefined;
}

/** What an identity layer gives: each field with its source. */
interface Identity {
  clientId: Resolved<string> | undefined;
  secret: SecretSpec | undefined;
  privateKey: SecretSpec | undefined;
  keyId: Resolved<string> | undefined;
  tokenUrl: Resolved<string> | undefined;
  scope: Resolved<string[]> | undefined;
  authMethod: Resolved<string> | undefined;
}

/**
 * One identity per call (client ID, secret or key, token URL, scopes, auth method), from one layer:
 * - a profile named by -p (or the library's `profile`): its identity; the caller's own inputs may
 *   change single fields of it, environment variables never;
 * - else, a client ID from the inputs or the environment: their identity, whole; no profile lends
 *   it anything;
 * - else GARDIN_PROFILE or the default profile, as with -p.
 * So a profile's secret never goes to a token URL from the environment, and the environment's
 * secret never to a profile's. Pure: the profile store is read by the caller, and the secret is
 * described rather than read.
 */
export function resolveSettings(inputs: TokenInputs, env: Env, store: ProfileStore, naming: Naming = 'flags'): Settings {
  refuseEmptyInputs(inputs, naming);
  refuseEmptyVars(env);
  const input = <T>(key: keyof TokenInputs, value: T | undefined): Resolved<T> | undefined => pick<T>([value, own(key, naming)]);
  const mine: Identity = {
    clientId: input('clientId', inputs.clientId),
    secret: secretFromInputs(inputs, naming),
    privateKey: inputs.privateKeyFile === undefined ? undefined : { kind: 'file', path: inputs.privateKeyFile, source: own('privateKeyFile', naming) },
    keyId: input('keyId', inputs.keyId),
    tokenUrl: input('tokenUrl', inputs.tokenUrl),
    scope: input('scope', inputs.scope && inputs.scope.length > 0 ? inputs.scope : undefined),
    authMethod: input('authMethod', inputs.authMethod),
  };
  const fromEnv: Identity = {
    clientId: pick([env.GARDIN_CLIENT_ID, envSrc('GARDIN_CLIENT_ID')]),
    secret: env.GARDIN_CLIENT_SECRET
      ? { kind: 'value', value: env.GARDIN_CLIENT_SECRET, source: envSrc('GARDIN_CLIENT_SECRET') }
      : env.GARDIN_CLIENT_SECRET_FILE
        ? { kind: 'file', path: env.GARDIN_CLIENT_SECRET_FILE, source: envSrc('GARDIN_CLIENT_SECRET_FILE') }
        : undefined,
    privateKey: env.GARDIN_PRIVATE_KEY_FILE ? { kind: 'file', path: env.GARDIN_PRIVATE_KEY_FILE, source: envSrc('GARDIN_PRIVATE_KEY_FILE') } : undefined,
    keyId: undefined,
    tokenUrl: pick([env.GARDIN_TOKEN_URL, envSrc('GARDIN_TOKEN_URL')]),
    scope: pick([env.GARDIN_SCOPE?.trim() ? [env.GARDIN_SCOPE] : undefined, envSrc('GARDIN_SCOPE')]),
    authMethod: undefined,
  };

  const named = inputs.profile !== undefined ? selectProfile(inputs, env, store, naming) : undefined;
  const selected = named ?? (mine.clientId || fromEnv.clientId ? undefined : selectProfile(inputs, env, store, naming));
  let id: Identity;
  let setAside: string[] = [];
  if (selected) {
    const name = selected.name.value;
    const p = selected.profile;
    const src: Source = { kind: 'profile', name };
    const fromProfile: Identity = {
      clientId: pick([p.clientId, src]),
      secret: secretOfProfile(name, p),
      privateKey: p.privateKeyFile ? { kind: 'file', path: p.privateKeyFile, source: src } : undefined,
      keyId: pick([p.keyId, src]),
      tokenUrl: pick([p.tokenUrl, src]),
      scope: pick([p.scope?.trim() ? [p.scope] : undefined, src]),
      authMethod: pick([p.authMethod, src]),
    };
    // The caller's own inputs may change a field; a secret given with them replaces the profile's.
    id = {
      clientId: mine.clientId ?? fromProfile.clientId,
      secret: mine.secret ?? fromProfile.secret,
      privateKey: mine.privateKey ?? fromProfile.privateKey,
      keyId: mine.keyId ?? fromProfile.keyId,
      tokenUrl: mine.tokenUrl ?? fromProfile.tokenUrl,
      scope: mine.scope ?? fromProfile.scope,
      authMethod: mine.authMethod ?? fromProfile.authMethod,
    };
    setAside = IDENTITY_VARS.filter((v) => env[v]);
  } else {
    id = {
      clientId: mine.clientId ?? fromEnv.clientId,
      secret: mine.secret ?? fromEnv.secret,
      privateKey: mine.privateKey ?? fromEnv.privateKey,
      keyId: mine.keyId,
      tokenUrl: mine.tokenUrl ?? fromEnv.tokenUrl,
      scope: mine.scope ?? fromEnv.scope,
      authMethod: mine.authMethod,
    };
  }
  const storedProfiles = Object.keys(store.profiles);
  if (!id.clientId) throw missingClientId(storedProfiles, naming);
  const rawUrl = id.tokenUrl ?? { value: DEFAULT_TOKEN_URL, source: DEFAULT };
  const rawScope = id.scope ?? { value: [], source: DEFAULT };
  const p = selected?.profile;
  const profileSource: Source = selected ? { kind: 'profile', name: selected.name.value } : DEFAULT;

  const timeoutS = number(input('timeout', inputs.timeout) ?? { value: DEFAULT_TIMEOUT_S, source: DEFAULT }, 'timeout', { min: 0.001, max: MAX_TIMEOUT_S });
  const minTtlS = number(input('minTtl', inputs.minTtl) ?? { value: DEFAULT_MIN_TTL_S, source: DEFAULT }, 'minimum TTL', { min: 0 });
  const retries = number(input('retries', inputs.retries) ?? { value: DEFAULT_RETRIES, source: DEFAULT }, 'retry count', { min: 0, integer: true });
  const caFile = pick<string>([inputs.caFile, own('caFile', naming)], [env.GARDIN_CA_FILE, envSrc('GARDIN_CA_FILE')]);
  const rawCacheUrl = pick<string>([inputs.cacheUrl, own('cacheUrl', naming)], [env.GARDIN_CACHE_URL, envSrc('GARDIN_CACHE_URL')], [p?.cacheUrl, profileSource]);
  const sharedCache = rawCacheUrl && { value: checkCacheUrl(rawCacheUrl.value, rawCacheUrl.source), source: rawCacheUrl.source };
  // A profile's own API URL beats GARDIN_API_URL (it names its environment's API); the variable
  // beats the default. Only the token travels there, never the secret.
  const apiUrl = pick<string>([inputs.baseUrl, own('baseUrl', naming)], [p?.apiUrl, profileSource], [env.GARDIN_API_URL, envSrc('GARDIN_API_URL')]) ?? {
    value: DEFAULT_API_URL,
    source: DEFAULT,
  };

  return {
    clientId: id.clientId,
    secret: id.secret,
    privateKey: id.privateKey,
    keyId: id.keyId,
    tokenUrl: { value: checkTokenUrl(rawUrl.value, rawUrl.source), source: rawUrl.source },
    scopes: { value: splitScopes(rawScope.value), source: rawScope.source },
    authMethod: id.authMethod,
    profile: selected?.name,
    apiUrl,
    timeoutMs: { value: Math.round(timeoutS.value * 1000), source: timeoutS.source },
    minTtlS,
    retries,
    caFile,
    sharedCache,
    cache: inputs.cache !== false,
    forceRefresh: inputs.forceRefresh === true,
    setAside,
    storedProfiles,
    naming,
  };
}
