import type { Reporter } from '../platform/reporter.js';
import type { ClientAuth } from './auth/method.js';
import type { CacheIdentity, Token } from '../cache/entry.js';
import type { FetchOptions } from './request.js';
import type { SharedCacheOptions } from '../fleet/shared-cache.js';

/** A token and where it came from. */
export interface Obtained extends Token {
  fromCache: boolean;
  cacheFile?: string;
  /** Set when the server accepted only the method's fallback, basic's plain join (remembered in the cache entry). */
  basicJoin?: 'plain';
  /** Set when the token came from the shared cache (another host fetched it). */
  fromShared?: boolean;
}

/** What the cache-miss path needs; built by obtainToken so that path loads nothing it can do without. */
export interface FetchPlan {
  fetch: FetchOptions;
  /** How the client authenticates (its fallback, if any, is tried once on a refusal). */
  auth: ClientAuth;
  scopes: string[];
  now: () => number;
  reporter: Reporter;
  /** A spinner on the terminal while fetching, coloured or not; none when undefined. */
  spinner: { color: boolean } | undefined;
  /**
   * The local cache (obtainToken holds the entry's lock, unless it gave up waiting for it). `file`
   * is cacheFile(dir, id), as obtainToken already computed it: not a second SHA-256 per fetch.
   */
  cache: { dir: string; id: CacheIdentity; file: string } | undefined;
  /** The shared cache on Redis, when one is set (and --no-cache is not given). */
  shared: (Omit<SharedCacheOptions, 'reporter' | 'timing'> & { secret: string }) | undefined;
  forceRefresh: boolean;
  minTtlS: number;
}
