import type { GardinTokenError } from './errors.js';
import { systemDeps } from './system.js';
import { getTokenWith } from './token/index.js';

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
  authMethod?: 'basic' | 'post';
  /** Retries on connection errors, 429 and 5xx. Default 2. */
  retries?: number;
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
