import { credentialsInUrl, emptyFlag, emptyVar, invalidCacheUrl, insecureUrl, invalidSetting, invalidUrl, missingSetting, secretGivenTwice, unknownProfile } from './messages.js';
import type { Source } from './source.js';


/**
 * How the client authenticates: HTTP Basic with id and secret form-encoded before the join (RFC
 * 6749 §2.3.1; falls back once to the plain join on invalid_client), Basic with the plain join that
 * Gardin's documentation shows, or `client_id`/`client_secret` in the form body.
 */
export const AUTH_METHODS = ['basic', 'basic-plain', 'post'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];
export const DEFAULT_AUTH_METHOD: AuthMethod = 'basic';
export const isAuthMethod = (value: unknown): value is AuthMethod => (AUTH_METHODS as readonly unknown[]).includes(value);

export const DEFAULT_TOKEN_URL = 'https://login.gardin.ag/oauth2/token';
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
/** Every GARDIN_* variable a call reads; one set to nothing is refused, as an empty flag is. */
export const SETTING_VARS = [
  'GARDIN_CLIENT_ID',
  'GARDIN_CLIENT_SECRET',
  'GARDIN_CLIENT_SECRET_FILE',
  'GARDIN_TOKEN_URL',
  'GARDIN_SCOPE',
  'GARDIN_PROFILE',
  'GARDIN_CA_FILE',
  'GARDIN_CACHE_URL',
  'GARDIN_API_URL',
] as const;
/** The variables a profile named by --profile sets aside (the AWS CLI's rule for --profile). */
export const CREDENTIAL_VARS = ['GARDIN_CLIENT_ID', 'GARDIN_CLIENT_SECRET', 'GARDIN_CLIENT_SECRET_FILE', 'GARDIN_TOKEN_URL', 'GARDIN_SCOPE'] as const;


/** A profile as stored by `gardin-token profile add` (the JSON file that conf writes). */
export interface StoredProfile {
  clientId?: string;
  clientSecret?: string;
  /** A shell command whose stdout is the secret, run at fetch time. */
  clientSecretCommand?: string;
  tokenUrl?: string;
  scope?: string;
  authMethod?: AuthMethod;
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
}

export interface Resolved<T> {
  value: T;
  source: Source;
}

/** Where the secret is to be read from; reading it is left to the edge (stdin, files, commands). */
export type SecretSpec =
  | { kind: 'value'; value: string; source: Source }
  | { kind: 'stdin'; source: Source }
  | { kind: 'file'; path: string; source: Source }
  | { kind: 'command'; command: string; source: Source & { kind: 'command' } }
  | { kind: 'keychain'; profile: string; source: Source & { kind: 'keychain' } };

export interface Settings {
  clientId: Resolved<string>;
  secret: SecretSpec;
  tokenUrl: Resolved<string>;
  /** Normalised: split on whitespace, duplicates dropped, in the order given. */
  scopes: Resolved<string[]>;
  authMethod: Resolved<AuthMethod>;
  profile: Resolved<string> | undefined;
  timeoutMs: Resolved<number>;
  minTtlS: Resolved<number>;
  retries: Resolved<number>;
  caFile: Resolved<string> | undefined;
  /** The shared cache on Redis (its URL, checked), when one is set. */
  sharedCache: Resolved<string> | undefined;
  cache: boolean;
  forceRefresh: boolean;
  /** GARDIN_* variables that were set but not used, because a profile was named by --profile. */
  setAside: string[];
}

type Env = Record<string, string | undefined>;

const flag = (name: string): Source => ({ kind: 'flag', name });
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

/** Parses and vets a token URL: http(s) only, plain http only to loopback. */
export function checkTokenUrl(value: string, source: Source): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidUrl(value, source);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl(value, source);
  if (url.username || url.password) {
    throw credentialsInUrl(source);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw insecureUrl(url.origin, source);
  return url.href;
}

/** Redis's databases by default (and on the managed services): `/0` to `/15`. */
export const REDIS_DATABASES = 16;

/**
 * Parses and vets a shared-cache URL: `redis://` or `rediss://` (TLS), a host, and a database
 * number if any. A password in it is allowed (Redis has no other place for it), must be
 * percent-encoded as a URL's, and is never printed. Query options are refused rather than
 * ignored or passed on: the password goes in the URL's user part. Plain `redis://` to another
 * host is allowed: what it carries is encrypted under the client secret (see
 * token/shared-seal.ts); only the Redis password itself would travel in clear.
 */
export function checkCacheUrl(value: string, source: Source): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidCacheUrl(value, source, 'it is not a URL');
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) throw invalidCacheUrl(value, source, 'it is not a redis:// or rediss:// URL with a host');
  if (url.search || url.hash) throw invalidCacheUrl(value, source, 'it has a query or a fragment; options are not read from it (a password goes before the host: redis://:PASSWORD@host)');
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

/** A client authentication method, or the usage error that names the allowed ones. */
export function checkAuthMethod(value: string, source: Source): AuthMethod {
  if (!isAuthMethod(value)) throw invalidSetting('client authentication method', value, source, AUTH_METHODS.map((m) => `"${m}"`).join(' or '));
  return value;
}

function number(r: Resolved<string | number>, setting: string, opts: { min: number; max?: number; integer?: boolean }): Resolved<number> {
  const n = typeof r.value === 'number' ? r.value : r.value.trim() === '' ? NaN : Number(r.value);
  if (!Number.isFinite(n) || n < opts.min || (opts.max !== undefined && n > opts.max) || (opts.integer && !Number.isInteger(n))) {
    const range = opts.max === undefined ? `>= ${opts.min}` : `from ${opts.min} to ${opts.max}`;
    throw invalidSetting(setting, String(r.value), r.source, `${opts.integer ? 'a whole' : 'a'} number ${range}`);
  }
  return { value: n, source: r.source };
}

/** Which stored profile applies: -p, then GARDIN_PROFILE, then the store's default. */
export function selectProfile(
  inputs: Pick<TokenInputs, 'profile'>,
  env: Env,
  store: ProfileStore,
): { name: Resolved<string>; profile: StoredProfile } | undefined {
  const name = pick<string>([inputs.profile, flag('--profile')], [env.GARDIN_PROFILE, envSrc('GARDIN_PROFILE')], [store.default, DEFAULT]);
  if (!name) return undefined;
  const profile = Object.hasOwn(store.profiles, name.value) ? store.profiles[name.value] : undefined;
  if (!profile) throw unknownProfile(name.value, name.source.kind === 'default' ? { kind: 'profile', name: name.value } : name.source, Object.keys(store.profiles));
  return { name, profile };
}

function resolveSecret(inputs: TokenInputs, env: Env, profileName: string | undefined, profile: StoredProfile): SecretSpec | undefined {
  const given = [
    inputs.clientSecret !== undefined && '--client-secret',
    inputs.clientSecretStdin && '--client-secret-stdin',
    inputs.clientSecretFile !== undefined && '--client-secret-file',
  ].filter((x): x is string => Boolean(x));
  if (given.length > 1) throw secretGivenTwice(given);
  if (inputs.clientSecret !== undefined) return { kind: 'value', value: inputs.clientSecret, source: flag('--client-secret') };
  if (inputs.clientSecretStdin) return { kind: 'stdin', source: { kind: 'stdin' } };
  if (inputs.clientSecretFile !== undefined) {
    return { kind: 'file', path: inputs.clientSecretFile, source: flag('--client-secret-file') };
  }
  if (env.GARDIN_CLIENT_SECRET) return { kind: 'value', value: env.GARDIN_CLIENT_SECRET, source: envSrc('GARDIN_CLIENT_SECRET') };
  if (env.GARDIN_CLIENT_SECRET_FILE) {
    return { kind: 'file', path: env.GARDIN_CLIENT_SECRET_FILE, source: envSrc('GARDIN_CLIENT_SECRET_FILE') };
  }
  if (profileName !== undefined) {
    if (profile.clientSecret) return { kind: 'value', value: profile.clientSecret, source: { kind: 'profile', name: profileName } };
    if (profile.clientSecretCommand) {
      return { kind: 'command', command: profile.clientSecretCommand, source: { kind: 'command', name: profileName } };
    }
    if (profile.secretStore === 'keychain') return { kind: 'keychain', profile: profileName, source: { kind: 'keychain', name: profileName } };
  }
  return undefined;
}

const FLAG_NAMES: Record<string, string> = {
  clientId: '--client-id',
  clientSecret: '--client-secret',
  clientSecretFile: '--client-secret-file',
  tokenUrl: '--token-url',
  authMethod: '--auth-method',
  profile: '--profile',
  timeout: '--timeout',
  minTtl: '--min-ttl',
  retries: '--retries',
  caFile: '--ca-file',
  cacheUrl: '--cache-url',
};

/** A flag given an empty value is a mistake (an unset shell variable), never a silent fall-back. */
function refuseEmptyFlags(inputs: TokenInputs): void {
  for (const [key, flagName] of Object.entries(FLAG_NAMES)) {
    if ((inputs as Record<string, unknown>)[key] === '') throw emptyFlag(flagName);
  }
  if (inputs.scope?.some((s) => s.trim() === '')) throw emptyFlag('--scope');
}

/** A variable set to nothing (`GARDIN_TOKEN_URL=`, an unset CI variable) is a mistake too, never "unset". */
function refuseEmptyVars(env: Env): void {
  const empty = SETTING_VARS.find((name) => env[name] !== undefined && env[name]!.trim() === '');
  if (empty) throw emptyVar(empty);
}

/**
 * Settings field by field: flag > env var > profile > built-in default, except that a profile
 * named by --profile beats the GARDIN_* credential variables (which are then reported in
 * `setAside`). Pure: the profile store is read by the caller, and the secret is described
 * rather than read.
 */
export function resolveSettings(inputs: TokenInputs, rawEnv: Env, store: ProfileStore): Settings {
  refuseEmptyFlags(inputs);
  refuseEmptyVars(rawEnv);
  const selected = selectProfile(inputs, rawEnv, store);
  const p = selected?.profile ?? {};
  const profSrc: Source = selected ? { kind: 'profile', name: selected.name.value } : DEFAULT;
  // A profile the user named on the command line is a whole identity: its client must not be
  // mixed with another client's id, secret, endpoint or scopes from the environment.
  const named = selected?.name.source.kind === 'flag';
  const env: Env = named ? Object.fromEntries(Object.entries(rawEnv).filter(([k]) => !(CREDENTIAL_VARS as readonly string[]).includes(k))) : rawEnv;
  const secretFlag = inputs.clientSecret !== undefined || inputs.clientSecretStdin || inputs.clientSecretFile !== undefined;
  const flagFor: Record<(typeof CREDENTIAL_VARS)[number], boolean> = {
    GARDIN_CLIENT_ID: inputs.clientId !== undefined,
    GARDIN_CLIENT_SECRET: Boolean(secretFlag),
    GARDIN_CLIENT_SECRET_FILE: Boolean(secretFlag),
    GARDIN_TOKEN_URL: inputs.tokenUrl !== undefined,
    GARDIN_SCOPE: inputs.scope !== undefined && inputs.scope.length > 0,
  };
  const setAside = named ? CREDENTIAL_VARS.filter((v) => rawEnv[v] && !flagFor[v]) : [];

  const clientId = pick<string>([inputs.clientId, flag('--client-id')], [env.GARDIN_CLIENT_ID, envSrc('GARDIN_CLIENT_ID')], [p.clientId, profSrc]);
  const others = selected ? [] : Object.keys(store.profiles);
  if (!clientId) throw missingSetting('client ID', others);
  const secret = resolveSecret(inputs, env, selected?.name.value, p);
  if (!secret) throw missingSetting('client secret', others);

  const rawUrl = pick<string>(
    [inputs.tokenUrl, flag('--token-url')],
    [env.GARDIN_TOKEN_URL, envSrc('GARDIN_TOKEN_URL')],
    [p.tokenUrl, profSrc],
  ) ?? { value: DEFAULT_TOKEN_URL, source: DEFAULT };
  const tokenUrl = { value: checkTokenUrl(rawUrl.value, rawUrl.source), source: rawUrl.source };

  const rawScope = pick<string[]>(
    [inputs.scope && inputs.scope.length > 0 ? inputs.scope : undefined, flag('--scope')],
    [env.GARDIN_SCOPE?.trim() ? [env.GARDIN_SCOPE] : undefined, envSrc('GARDIN_SCOPE')],
    [p.scope?.trim() ? [p.scope] : undefined, profSrc],
  ) ?? { value: [], source: DEFAULT };
  const scopes = { value: splitScopes(rawScope.value), source: rawScope.source };

  const rawMethod = pick<string>([inputs.authMethod, flag('--auth-method')], [p.authMethod, profSrc]) ?? { value: DEFAULT_AUTH_METHOD, source: DEFAULT };
  const authMethod = { value: checkAuthMethod(rawMethod.value, rawMethod.source), source: rawMethod.source };

  const timeoutS = number(pick<string | number>([inputs.timeout, flag('--timeout')]) ?? { value: DEFAULT_TIMEOUT_S, source: DEFAULT }, 'timeout', {
    min: 0.001,
    max: MAX_TIMEOUT_S,
  });
  const minTtlS = number(pick<string | number>([inputs.minTtl, flag('--min-ttl')]) ?? { value: DEFAULT_MIN_TTL_S, source: DEFAULT }, 'minimum TTL', { min: 0 });
  const retries = number(pick<string | number>([inputs.retries, flag('--retries')]) ?? { value: DEFAULT_RETRIES, source: DEFAULT }, 'retry count', {
    min: 0,
    integer: true,
  });
  const caFile = pick<string>([inputs.caFile, flag('--ca-file')], [env.GARDIN_CA_FILE, envSrc('GARDIN_CA_FILE')]);
  const rawCacheUrl = pick<string>([inputs.cacheUrl, flag('--cache-url')], [env.GARDIN_CACHE_URL, envSrc('GARDIN_CACHE_URL')], [p.cacheUrl, profSrc]);
  const sharedCache = rawCacheUrl && { value: checkCacheUrl(rawCacheUrl.value, rawCacheUrl.source), source: rawCacheUrl.source };

  return {
    clientId,
    secret,
    tokenUrl,
    scopes,
    authMethod,
    profile: selected?.name,
    timeoutMs: { value: Math.round(timeoutS.value * 1000), source: timeoutS.source },
    minTtlS,
    retries,
    caFile,
    sharedCache,
    cache: inputs.cache !== false,
    forceRefresh: inputs.forceRefresh === true,
    setAside,
  };
}
