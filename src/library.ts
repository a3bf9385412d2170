import type { Deps } from './platform/deps.js';
import { internal, isGardinTokenError, type GardinTokenError } from './platform/errors.js';
import { readProfileStore } from './config/profiles.js';
import { Reporter } from './platform/reporter.js';
import { resolveSettings, type AuthMethod } from './config/settings.js';
import { systemDeps } from './platform/system.js';
import { obtainToken } from './token/obtain.js';
import { expiresInSeconds } from './cache/entry.js';

/** Options of {@link getToken}; each one left out is taken from env vars and profiles, as in the CLI. */
export interface GetTokenOptions {
  clientId?: string;
  clientSecret?: string;
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
  /** Client authentication: HTTP Basic (default) or credentials in the form body. */
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
  fromCache: boolean;
}

/**
 * Gets a Gardin API access token through the OAuth2 client-credentials flow, from the cache
 * when a fresh one is there. Rejects with a {@link GardinTokenError} subclass whose `code` is
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
    throw isGardinTokenError(err) ? err : internal(err);
  }
}

async function obtainFor(options: GetTokenOptions, deps: Deps): Promise<AccessToken> {
  const scope = typeof options.scope === 'string' ? [options.scope] : options.scope;
  const settings = resolveSettings(
    {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      tokenUrl: options.tokenUrl,
      scope,
      profile: options.profile,
      cache: options.cache,
      minTtl: options.minTtl,
      timeout: options.timeout,
      authMethod: options.authMethod,
      retries: options.retries,
      cacheUrl: options.cacheUrl,
    },
    deps.env,
    readProfileStore(deps.dirs.config),
  );
  const t = await obtainToken(settings, deps, new Reporter(deps.io, { verbose: false, quiet: true }), { spinner: () => false });
  return {
    accessToken: t.accessToken,
    tokenType: t.tokenType,
    expiresAt: t.expiresAt === undefined ? undefined : new Date(t.expiresAt),
    expiresIn: expiresInSeconds(t.expiresAt, deps.now()),
    ...(t.scope !== undefined && { scope: t.scope }),
    fromCache: t.fromCache,
  };
}
