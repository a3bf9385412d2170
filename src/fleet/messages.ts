import { redactUrlCredentials, sanitize } from '../platform/text.js';

// The shared cache is never an error: one warning, and the call goes on without it.

/** Why the shared cache could not be used, in words: from a Redis error, or a missed budget. */
export const sharedCacheReason = (why: { what: string; timeoutMs?: number; error?: unknown }): string => {
  if (why.timeoutMs !== undefined) return `no answer to ${why.what} within ${why.timeoutMs} ms`;
  const err = why.error as { code?: string; message?: string } | undefined;
  const message = sanitize(String(err?.message ?? err ?? 'unknown error').split('\n')[0]!);
  const known: Array<[RegExp, string]> = [
    [/^WRONGPASS/, 'wrong user name or password'],
    [/^NOAUTH/, 'it asks for a password (add it to the URL: redis://:PASSWORD@host)'],
    [/^NOPERM/, 'the user may not run the commands this needs (GET, SET, EXISTS, EVAL, DEL)'],
    [/^OOM/, 'it is full (maxmemory)'],
    [/^READONLY/, 'it is a read-only replica'],
    [/ECONNREFUSED/, 'connection refused'],
    [/ENOTFOUND|EAI_AGAIN/, 'its host name does not resolve'],
  ];
  const found = known.find(([re]) => re.test(message));
  return `${why.what} failed: ${found ? found[1] : redactUrlCredentials(message)}`;
};

export const sharedCacheSpent = (ms: number): string => `its share of --timeout (${ms} ms, a third) is spent`;

/** Another host holds the fleet's lock but stored nothing while this one could wait. */
export const sharedLockStuck = (seconds: number): string =>
  `another host has held the lock on this token for ${seconds} s without storing one (it may have died; the lock runs out with its --timeout); fetching here`;

export const sharedCacheUnusable = (url: string, reason: string): string => `not using the shared cache ${url}: ${reason}; going on without it.`;
