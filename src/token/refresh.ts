import { cacheUnwritable, shorterThanMinTtl } from './messages.js';
import { sharedLockStuck } from '../fleet/messages.js';
import { fsReason, isGardinTokenError } from '../platform/errors.js';
import { securePrivateDir, writePrivateFile } from '../platform/private-files.js';
import type { Reporter } from '../platform/reporter.js';
import { isFresh, toEntry, type CacheEntry, type CacheIdentity } from '../cache/entry.js';
import { readCacheEntry } from '../cache/file.js';
import type { FetchPlan, Obtained } from './types.js';
import { postTokenRequest } from './request.js';
import { validateTokenResponse } from './validate.js';

/** A refusal of the client itself (not of its scopes, say): worth the method's fallback, once. */
const refusedClient = (err: unknown): boolean => {
  const e = err as { code?: string; error?: string; status?: number };
  return e.code === 'ERR_TOKEN_REFUSED' && (e.error === 'invalid_client' || (e.status === 401 && e.error === undefined));
};

/**
 * Fetches and validates. A method with a fallback (basic: the plain join, when the two Basic
 * encodings of these credentials differ) gets it once if the server refuses the client; the
 * result says the fallback worked, so the cache entry can remember it for this client.
 */
async function fetchFresh(plan: FetchPlan, rememberedFallback: boolean): Promise<Obtained> {
  const stop = plan.spinner ? (await import('../platform/spinner.js')).startSpinner('Fetching a Gardin access token', plan.spinner.color) : undefined;
  const { reporter, auth } = plan;
  let obtained: Obtained;
  try {
    const fallback = auth.fallback?.(plan.fetch.client);
    let answer;
    let usedFallback = false;
    if (fallback && rememberedFallback) {
      reporter.trace(`client authentication: ${fallback.name}, remembered for this client`);
      answer = await postTokenRequest(plan.fetch, fallback);
      usedFallback = true;
    } else {
      try {
        answer = await postTokenRequest(plan.fetch, auth);
      } catch (err) {
        if (!fallback || !refusedClient(err)) throw err;
        reporter.trace(`client authentication: ${auth.name} refused; trying ${fallback.name} (${fallback.summary}) once`);
        answer = await postTokenRequest(plan.fetch, fallback);
        usedFallback = true;
        reporter.trace(`client authentication: ${fallback.name} worked${plan.cache ? '; remembered for this client' : ''}`);
      }
    }
    const token = validateTokenResponse(answer.body, plan.now(), plan.scopes, (t) => reporter.scrub(t));
    obtained = { ...token, fromCache: false, ...(usedFallback && { basicJoin: 'plain' as const }) };
  } finally {
    stop?.();
  }
  // Such a token is never fresh enough to reuse: every call would fetch again, silently.
  const lifetimeMs = obtained.expiresAt === undefined ? undefined : obtained.expiresAt - plan.now();
  if (lifetimeMs !== undefined && lifetimeMs < plan.minTtlS * 1000) reporter.warn(shorterThanMinTtl(Math.floor(lifetimeMs / 1000), plan.minTtlS));
  return obtained;
}

function writeEntry(file: string, dir: string, obtained: Obtained, id: CacheIdentity, now: number, reporter: Reporter): void {
  if (obtained.expiresAt === undefined) {
    reporter.trace('cache: not storing a token whose lifetime the server did not state');
    return;
  }
  try {
    writePrivateFile(file, JSON.stringify(toEntry({ ...obtained, expiresAt: obtained.expiresAt }, id, now, obtained.basicJoin)) + '\n');
    reporter.trace(`cache: stored in ${file}`);
  } catch (err) {
    // A cache that cannot be written must not cost the user the token they just got.
    reporter.warn(cacheUnwritable(dir, fsReason(err)));
  }
}

/**
 * The shared cache's part of a miss: its entry if fresh; else its lock (SET NX PX), so that one
 * host of the fleet fetches while the others wait on the entry, on the call's time for Redis (a
 * third of --timeout). Whatever Redis does, a token is fetched here if none came from it, with a
 * --timeout of its own: waiting for another host never eats into this host's fetch.
 */
async function viaShared(plan: FetchPlan, id: CacheIdentity, rememberedPlain: boolean): Promise<Obtained> {
  const shared = plan.shared!;
  const { reporter } = plan;
  const { timing } = plan.fetch;
  const { SharedCache, newLockOwner } = await import('../fleet/shared-cache.js');
  const cache = await SharedCache.open({ ...shared, timing, reporter });
  const keys = cache.keys(id, shared.secret);
  const fresh = (e: CacheEntry) => isFresh(e, plan.now(), plan.minTtlS);
  const hit = (entry: CacheEntry, how: string): Obtained => {
    reporter.trace(`shared cache: hit${how}, ${Math.floor((entry.expiresAt - plan.now()) / 1000)} s left`);
    return { ...entry, fromCache: true, fromShared: true };
  };
  const owner = newLockOwner();
  let locked = false;
  try {
    if (!plan.forceRefresh && cache.usable) {
      const entry = await cache.get(keys, id);
      if (entry && fresh(entry)) return hit(entry, '');
      reporter.trace(cache.usable ? 'shared cache: miss' : 'shared cache: off');
      const waitStarted = timing.monotonic();
      let waited = false;
      while (cache.usable) {
        // Held for as long as this host's fetch may take, which starts after this.
        const got = await cache.lock(keys, owner, plan.fetch.timeoutMs);
        if (got !== false) {
          locked = got === true;
          break;
        }
        if (!waited) reporter.trace('shared cache: another host is fetching this token; waiting for it');
        waited = true;
        const outcome = await cache.waitForEntry(keys, id, fresh);
        if (typeof outcome === 'object') return hit(outcome.entry, ' (fetched by another host)');
        if (outcome === 'gave-up') cache.giveUp(sharedLockStuck(Math.round((timing.monotonic() - waitStarted) / 1000)));
      }
      if (locked) {
        // The holder before us may have stored its token between our GET and our lock.
        const again = await cache.get(keys, id);
        if (again && fresh(again)) return hit(again, ' (fetched by another host)');
      }
    }
    // The fetch gets --timeout from now, as after a wait for the local lock.
    const fetch = { ...plan.fetch, deadline: timing.monotonic() + plan.fetch.timeoutMs };
    const obtained = await fetchFresh({ ...plan, fetch }, rememberedPlain);
    if (obtained.expiresAt !== undefined && cache.usable) {
      const stored = await cache.put(
        keys,
        toEntry({ ...obtained, expiresAt: obtained.expiresAt }, id, plan.now(), obtained.basicJoin),
        obtained.expiresAt - plan.now() - plan.minTtlS * 1000,
      );
      if (stored) reporter.trace(`shared cache: stored in ${cache.shown}`);
    }
    return obtained;
  } finally {
    if (locked) await cache.unlock(keys, owner);
    cache.close();
  }
}

/** A fresh token from the shared cache, if one is set, or from the endpoint. */
const obtainFresh = (plan: FetchPlan, id: CacheIdentity | undefined, rememberedPlain: boolean): Promise<Obtained> =>
  plan.shared && id ? viaShared(plan, id, rememberedPlain) : fetchFresh(plan, rememberedPlain);

/**
 * The cache-miss path, under the entry's lock when obtainToken took it: look again, fetch (or
 * take the shared cache's), validate, store. Loaded only when a request may be due.
 */
export async function refresh(plan: FetchPlan): Promise<Obtained> {
  if (!plan.cache) return fetchFresh(plan, false);
  const { dir, id, file } = plan.cache;
  const { reporter } = plan;
  try {
    securePrivateDir(dir, { create: true, strict: false });
  } catch (err) {
    // An unsafe or unusable cache folder is never a reason to fail: fetch without it.
    reporter.warn(isGardinTokenError(err) ? `not using the token cache: ${err.message}` : `could not use the token cache in ${dir}: ${fsReason(err)}`);
    return obtainFresh(plan, id, false);
  }
  // Read even when stale: it remembers which Basic join this client's server accepts. Fresh, it
  // was written by the lock's previous holder between our first look and our lock.
  const entry = readCacheEntry(file, id);
  if (!plan.forceRefresh && entry && isFresh(entry, plan.now(), plan.minTtlS)) {
    reporter.trace(`cache: hit in ${file} (fetched by another process)`);
    return { ...entry, fromCache: true, cacheFile: file };
  }
  const obtained = await obtainFresh(plan, id, entry?.basicJoin === 'plain');
  writeEntry(file, dir, obtained, id, plan.now(), reporter);
  return { ...obtained, cacheFile: file };
}
