import type { Deps } from '../platform/deps.js';
import { internal, isGardinTokenError } from '../platform/errors.js';
import { readProfileStore } from '../config/profiles.js';
import { Reporter } from '../platform/reporter.js';
import { resolveSettings, type Settings } from '../config/settings.js';
import { systemDeps } from '../platform/system.js';
import { obtainToken } from '../token/obtain.js';
import { expiresInSeconds } from '../cache/entry.js';

/** The client-authentication methods (token/auth/index.ts; a unit test holds the two lists together). */
export type AuthMethod = 'basic' | 'basic-plain' | 'post' | 'client_secret_jwt' | 'private_key_jwt';

/**
 * Options of {@link getToken}. One identity per call, as in the CLI: `profile` gives that profile's
 * (the other options may change single fields); else `clientId` or GARDIN_CLIENT_ID give the
 * options' and environment's, whole; else GARDIN_PROFILE or the default profile's.
 */
export interface GetTokenOptions {
  clientId?: string;
  clientSecret?: string;
  /** A private key (PEM or JWK) for `private_key_jwt`, and its key id. */
  privateKeyFile?: string;
  keyId?: string;
  /** Default `https://login.gardin.ag/oauth2/token`. */
  tokenUrl?: string;
  /** Scopes to request: an array, or one space-separated string. */
  scope?: string | string[];
  /** A stored profile (`gardin-token profile add`). */
  profile?: string;
  /** `false` neither reads nor writes the token cache. Default `true`. */
  cache?: boolean;
  /** Reuse a cached token only while at least this many seconds remain. Default 60. */
  minTtl?: number;
  /** Bound on the whole fetch, retries included, in seconds. Default 30. */
  timeout?: number;
  /** Client authentication: HTTP Basic (default), the form body, or a JWT assertion (RFC 7523). */
  authMethod?: AuthMethod;
  /** Retries on connection errors, 429 and 5xx. Default 2. */
  retries?: number;
  /** A token cache shared by many hosts on Redis: `redis://[user:password@]host:port[/db]` or `rediss://`. */
  cacheUrl?: string;
}

/** The result of {@link getToken}. */
export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  /** When the token expires; undefined only if the server stated no lifetime. */
  expiresAt: Date | undefined;
  /** Whole seconds left at the time of the call. */
  expiresIn: number | undefined;
  scope?: string;
  /** Whether it came from a cache (this host's, or the fleet's). */
  cached: boolean;
  /** @deprecated The same as `cached`, its name before 1.1. */
  fromCache: boolean;
}

/**
 * Gets a Gardin API access token through the OAuth2 client-credentials flow, from the cache
 * when a fresh one is there. Rejects with a `GardinTokenError` subclass whose `code` is
 * stable and whose `exitCode` is the CLI's.
 *
 * @example
 * const { accessToken } = await getToken({ scope: 'data.indices:query' });
 */
export function getToken(options: GetTokenOptions = {}): Promise<AccessToken> {
  return getTokenWith(options, systemDeps());
}

/**
 * {@link getToken} with its dependencies passed in (tests, and the public wrapper). Prints nothing.
 * @internal Left out of the published declarations (stripInternal), which then need no Node or undici types.
 */
export async function getTokenWith(options: GetTokenOptions, deps: Deps): Promise<AccessToken> {
  try {
    return await obtainFor(options, deps);
  } catch (err) {
    // Only the documented classes reach a program: anything else is a bug, said as one.
    throw libraryError(err);
  }
}

/**
 * The settings of a library call: its options, the environment and the profile store (errors name options).
 * @internal
 */
export function settingsOf(options: GetTokenOptions & { apiUrl?: string }, deps: Deps): Settings {
  const scope = typeof options.scope === 'string' ? [options.scope] : options.scope;
  return resolveSettings(
    {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      privateKeyFile: options.privateKeyFile,
      keyId: options.keyId,
      tokenUrl: options.tokenUrl,
      scope,
      profile: options.profile,
      cache: options.cache,
      minTtl: options.minTtl,
      timeout: options.timeout,
      authMethod: options.authMethod,
      retries: options.retries,
      cacheUrl: options.cacheUrl,
      baseUrl: options.apiUrl,
    },
    deps.env,
    readProfileStore(deps.dirs.config),
    'options',
  );
}

/**
 * A library call's failure: one of the documented classes, or a bug said as one.
 * @internal
 */
export const libraryError = (err: unknown): Error => (isGardinTokenError(err) ? err : internal(err));

async function obtainFor(options: GetTokenOptions, deps: Deps): Promise<AccessToken> {
  const settings = settingsOf(options, deps);
  const t = await obtainToken(settings, deps, new Reporter(deps.io, { verbose: false, quiet: true }), { spinner: () => undefined });
  return {
    accessToken: t.accessToken,
    tokenType: t.tokenType,
    expiresAt: t.expiresAt === undefined ? undefined : new Date(t.expiresAt),
    expiresIn: expiresInSeconds(t.expiresAt, deps.now()),
    ...(t.scope !== undefined && { scope: t.scope }),
    cached: t.fromCache,
    fromCache: t.fromCache,
  };
}
