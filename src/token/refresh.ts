import lockfile from 'proper-lockfile';
import type { Timing } from '../clock.js';
import { fsReason, isGardinTokenError } from '../errors.js';
import { securePrivateDir, writePrivateFile } from '../private-files.js';
import type { Reporter } from '../reporter.js';
import { cacheFile, isFresh, LOCK_STALE_MS, lockPath, readCacheEntry, toEntry, type CacheEntry, type CacheIdentity } from './cache.js';
import type { FetchPlan, Obtained } from './types.js';
import { postTokenRequest } from './request.js';
import { validateTokenResponse } from './validate.js';

const LOCK_POLL_MS = 25;

/**
 * Waits for the cross-process lock next to the cache file, or for the entry its holder writes:
 * while another process holds the lock, the file is read (never the lock taken), and a fresh
 * entry ends the wait. A lock whose holder died is broken once it is LOCK_STALE_MS old; past
 * `waitUntil` the caller goes on without the lock rather than hang.
 */
async function acquireLock(
  file: string,
  waitUntil: number,
  timing: Timing,
  reporter: Reporter,
  fresh: () => CacheEntry | undefined,
): Promise<{ release: () => Promise<void> } | { entry: CacheEntry } | undefined> {
  let waited = false;
  for (;;) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false,
        lockfilePath: lockPath(file),
        stale: LOCK_STALE_MS,
        retries: 0,
        onCompromised: () => reporter.trace('cache lock was taken over; another process may fetch too'),
      });
      if (waited) reporter.trace('cache: lock acquired');
      return { release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (!waited) reporter.trace('cache: another gardin-token is fetching this token; waiting for it');
      waited = true;
      const entry = fresh();
      if (entry) return { entry };
      if (timing.monotonic() + LOCK_POLL_MS > waitUntil) {
        reporter.trace('cache: gave up waiting for the lock; fetching without it');
        return undefined;
      }
      await timing.sleep(LOCK_POLL_MS * (0.5 + timing.random()));
    }
  }
}

/** A refusal that may only mean the server compares the Basic value undecoded. */
const refusedClient = (err: unknown): boolean => {
  const e = err as { code?: string; error?: string; status?: number };
  return e.code === 'ERR_TOKEN_REFUSED' && (e.error === 'invalid_client' || (e.status === 401 && e.error === undefined));
};

/**
 * Fetches and validates. With `basic` credentials whose two Basic encodings differ, a server that
 * refuses the RFC 6749 (form-encoded) one as invalid_client gets the plain join once; the result
 * says which join worked, so the cache entry can remember it for this client.
 */
async function fetchFresh(plan: FetchPlan, rememberedPlain: boolean): Promise<Obtained> {
  const stop = plan.spinner ? (await import('../spinner.js')).startSpinner('Fetching a Gardin access token') : undefined;
  const { reporter } = plan;
  try {
    const plain = plan.plainBasic;
    let answer;
    let usedPlain = false;
    if (plain && rememberedPlain) {
      reporter.trace('client authentication: the plain Basic join, remembered for this client');
      answer = await postTokenRequest({ ...plan.fetch, request: plain });
      usedPlain = true;
    } else {
      try {
        answer = await postTokenRequest(plan.fetch);
      } catch (err) {
        if (!plain || !refusedClient(err)) throw err;
        reporter.trace('client authentication: invalid_client with the RFC 6749 encoding; trying the plain join base64(id:secret) once');
        answer = await postTokenRequest({ ...plan.fetch, request: plain });
        usedPlain = true;
        reporter.trace(`client authentication: the plain join worked${plan.cache ? '; remembered for this client' : ''}`);
      }
    }
    const token = validateTokenResponse(answer.body, plan.now(), plan.scopes, (t) => reporter.scrub(t));
    return { ...token, fromCache: false, ...(usedPlain && { basicJoin: 'plain' as const }) };
  } finally {
    stop?.();
  }
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
    reporter.warn(`could not write the token cache in ${dir}: ${fsReason(err)}`);
  }
}

/** The cache-miss path: lock, look again, fetch, validate, store. Loaded only when a request is due. */
export async function refresh(plan: FetchPlan): Promise<Obtained> {
  if (!plan.cache) return fetchFresh(plan, false);
  const { dir, id } = plan.cache;
  const { reporter } = plan;
  const file = cacheFile(dir, id);
  let release: (() => Promise<void>) | undefined;
  const fromOther = (entry: CacheEntry): Obtained => {
    reporter.trace(`cache: hit in ${file} (fetched by another process)`);
    return { ...entry, fromCache: true, cacheFile: file };
  };
  const freshEntry = () => {
    const entry = plan.forceRefresh ? undefined : readCacheEntry(file, id);
    return entry && isFresh(entry, plan.now(), plan.minTtlS) ? entry : undefined;
  };
  try {
    securePrivateDir(dir, { create: true, strict: false });
    // Half the deadline for waiting on another process, so this one still has time to fetch alone.
    const { timing } = plan.fetch;
    const got = await acquireLock(file, timing.monotonic() + (plan.fetch.deadline - timing.monotonic()) / 2, timing, reporter, freshEntry);
    if (got && 'entry' in got) return fromOther(got.entry);
    release = got?.release;
  } catch (err) {
    // An unsafe or unusable cache folder is never a reason to fail: fetch without it.
    reporter.warn(isGardinTokenError(err) ? `not using the token cache: ${err.message}` : `could not use the token cache in ${dir}: ${fsReason(err)}`);
    return fetchFresh(plan, false);
  }
  try {
    // Read even when stale: it remembers which Basic join this client's server accepts.
    const entry = readCacheEntry(file, id);
    if (!plan.forceRefresh && entry && isFresh(entry, plan.now(), plan.minTtlS)) return fromOther(entry);
    const obtained = await fetchFresh(plan, entry?.basicJoin === 'plain');
    writeEntry(file, dir, obtained, id, plan.now(), reporter);
    return { ...obtained, cacheFile: file };
  } finally {
    await release?.().catch(() => undefined);
  }
}
