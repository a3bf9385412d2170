// The model both caches share (the file cache here, the fleet's on Redis): a validated token, and
// the entry that holds it with the identity it was fetched for.

/**
 * The longest a token is kept, whatever lifetime the server states: a day is far beyond any real
 * client-credentials token, and a lifetime past what a Date holds must not reach the cache.
 */
export const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A token as the rest of the tool sees it, validated. Times are epoch milliseconds. */
export interface Token {
  accessToken: string;
  tokenType: 'Bearer';
  /** Undefined only when the server gave neither `expires_in` nor a JWT `exp`. */
  expiresAt: number | undefined;
  scope: string | undefined;
}

/** Whole seconds left until `expiresAt` (never negative), or undefined when the lifetime is unknown. */
export function expiresInSeconds(expiresAt: number | undefined, now: number): number | undefined {
  return expiresAt === undefined ? undefined : Math.max(0, Math.floor((expiresAt - now) / 1000));
}

/** RFC 6750 §2.1 b64token: safe to put in a header and, single-quoted, in a shell. */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export const VERSION = 1;

/** What identifies a cached token. `secretId` is the secret itself or, for a secret command, the command. */
export interface CacheIdentity {
  tokenUrl: string;
  clientId: string;
  scopes: readonly string[];
  authMethod: string;
  secretId: string;
}

/** What a cache file holds: never the secret nor anything from which it could be read back. */
export interface CacheEntry extends Token {
  version: typeof VERSION;
  tokenUrl: string;
  clientId: string;
  scopes: string[];
  authMethod: string;
  expiresAt: number;
  obtainedAt: number;
  /** Set when this client's server accepted only the plain Basic join (see refresh.ts). */
  basicJoin?: 'plain';
}

/** Parses a cache file; anything damaged, truncated or written for another identity is undefined. */
export function parseCacheEntry(text: string, id: CacheIdentity | undefined): CacheEntry | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const e = data as Partial<CacheEntry>;
  const ok =
    e.version === VERSION &&
    typeof e.accessToken === 'string' &&
    B64TOKEN.test(e.accessToken) &&
    e.tokenType === 'Bearer' &&
    validTimes(e.obtainedAt, e.expiresAt) &&
    typeof e.tokenUrl === 'string' &&
    typeof e.clientId === 'string' &&
    Array.isArray(e.scopes) &&
    e.scopes.every((s) => typeof s === 'string') &&
    typeof e.authMethod === 'string' &&
    (e.scope === undefined || typeof e.scope === 'string') &&
    (e.basicJoin === undefined || e.basicJoin === 'plain');
  if (!ok) return undefined;
  const entry = e as CacheEntry;
  if (id) {
    const same =
      entry.tokenUrl === id.tokenUrl &&
      entry.clientId === id.clientId &&
      entry.authMethod === id.authMethod &&
      JSON.stringify([...entry.scopes].sort()) === JSON.stringify([...id.scopes].sort());
    if (!same) return undefined;
  }
  return entry;
}

/** Times a Date can hold, in order, no further apart than a token may live. */
function validTimes(obtainedAt: unknown, expiresAt: unknown): boolean {
  return (
    typeof obtainedAt === 'number' &&
    typeof expiresAt === 'number' &&
    Number.isFinite(obtainedAt) &&
    Number.isFinite(expiresAt) &&
    obtainedAt >= 0 &&
    expiresAt >= obtainedAt &&
    expiresAt - obtainedAt <= MAX_LIFETIME_MS &&
    !Number.isNaN(new Date(expiresAt).getTime())
  );
}

/** Fresh while unexpired with at least `minTtlS` seconds left, and not from a clock that has since gone back. */
export function isFresh(entry: Pick<CacheEntry, 'expiresAt' | 'obtainedAt'>, now: number, minTtlS: number): boolean {
  const left = entry.expiresAt - now;
  return left > 0 && left >= minTtlS * 1000 && entry.obtainedAt <= now + 60_000;
}

export function toEntry(token: Token & { expiresAt: number }, id: CacheIdentity, obtainedAt: number, basicJoin?: 'plain'): CacheEntry {
  return {
    version: VERSION,
    tokenUrl: id.tokenUrl,
    clientId: id.clientId,
    scopes: [...id.scopes],
    authMethod: id.authMethod,
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresAt: token.expiresAt,
    scope: token.scope,
    obtainedAt,
    ...(basicJoin && { basicJoin }),
  };
}
