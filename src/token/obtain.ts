import { timingOf } from '../platform/clock.js';
import { VERSION } from '../platform/version.js';
import type { Deps } from '../platform/deps.js';
import { envSetAsideNotice } from '../config/messages.js';
import { describeSource } from '../config/source.js';
import { type CredentialContext } from './messages.js';
import type { Client } from './auth/method.js';
import { Reporter, tokenPreview } from '../platform/reporter.js';
import { redactUrlCredentials } from '../platform/text.js';
import type { Settings } from '../config/settings.js';
import { expiresInSeconds, isFresh, type CacheEntry, type CacheIdentity } from '../cache/entry.js';
import { cacheFile, clearCacheFile, readCacheEntry, watchEntry, type FolderWatch } from '../cache/file.js';
import { tryLock, type FileLock } from '../platform/file-lock.js';
import { securePrivateDir } from '../platform/private-files.js';
import { loadSecret, standsFor } from '../config/secrets/index.js';
import { clientPlanOf, type ClientPlan } from './client.js';
import type { Transport } from '../net/http.js';
import type { FetchPlan, Obtained } from './types.js';
import type { SharedCache } from '../fleet/shared-cache.js';
import type { SharedKeys } from '../fleet/seal.js';

export const USER_AGENT = `gardin-token/${VERSION}`;

export type { FetchPlan, Obtained } from './types.js';

function traceSettings(s: Settings, plan: ClientPlan, reporter: Reporter): void {
  if (!reporter.verbose) return;
  const from = (src: Parameters<typeof describeSource>[0]) => `(from ${describeSource(src)})`;
  if (s.profile) reporter.trace(`profile: ${s.profile.value} ${from(s.profile.source)}, the whole identity but what flags change`);
  reporter.trace(`client ID: ${s.clientId.value} ${from(s.clientId.source)}`);
  reporter.trace(`${plan.auth.credential === 'secret' ? 'client secret' : 'private key'}: *** ${from(plan.credential.source)}`);
  reporter.trace(`token URL: ${s.tokenUrl.value} ${from(s.tokenUrl.source)}`);
  reporter.trace(`scopes: ${s.scopes.value.join(' ') || '(none)'} ${from(s.scopes.source)}`);
  reporter.trace(`client authentication: ${plan.auth.name} ${from(plan.method.source)}`);
  reporter.trace(`timeout: ${s.timeoutMs.value / 1000} s ${from(s.timeoutMs.source)}; retries: ${s.retries.value} ${from(s.retries.source)}`);
  if (s.caFile) reporter.trace(`extra CA file: ${s.caFile.value} ${from(s.caFile.source)}`);
  if (s.sharedCache) reporter.trace(`shared cache: ${redactUrlCredentials(s.sharedCache.value)} ${from(s.sharedCache.source)}`);
}

/** The password (and user) in a shared-cache URL, as forms the reporter must never print. */
export function cacheUrlSecrets(url: string): string[] {
  const { username, password } = new URL(url);
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return [password, decode(password), `${username}:${password}`].filter((s) => s.length >= 4);
}

export const credentialContext = (s: Settings, plan: ClientPlan): CredentialContext => ({
  clientId: s.clientId.value,
  clientIdSource: s.clientId.source,
  secretSource: plan.credential.source,
  tokenUrl: s.tokenUrl.value,
  tokenUrlSource: s.tokenUrl.source,
  scopes: s.scopes.value,
  scopesSource: s.scopes.source,
  secretWhitespace: undefined,
});

/** Where a secret has whitespace at its edges (only that is kept, never the secret). */
const edgeWhitespace = (secret: string): CredentialContext['secretWhitespace'] => {
  const start = /^\s/.test(secret);
  const end = /\s$/.test(secret);
  return start && end ? 'both' : start ? 'start' : end ? 'end' : undefined;
};

/**
 * The identity a cache entry is filed under (see cacheKey); a secret command stands for its output
 * and a keychain entry for the secret in it, so that neither is read on a hit.
 */
const cacheIdentity = (s: Settings, plan: ClientPlan, credential: string | undefined): CacheIdentity => ({
  tokenUrl: s.tokenUrl.value,
  clientId: s.clientId.value,
  scopes: s.scopes.value,
  authMethod: plan.auth.name,
  secretId: standsFor(plan.credential) ?? `${plan.auth.credential === 'secret' ? 'secret' : 'key'}:${credential}`,
});

/** What the cache holds for these settings, without fetching anything. */
export interface CacheLookup {
  file: string;
  entry: CacheEntry | undefined;
  fresh: boolean;
}

/**
 * How the client of these settings authenticates, the cache identity, and the credential (the
 * secret or the private key), loaded at most once. The credential is loaded now, except a
 * profile's secret command or keychain entry: each stands for itself in the cache key and is read
 * only when a fetch is due.
 */
async function identify(settings: Settings, deps: Deps, reporter: Reporter) {
  const plan = clientPlanOf(settings);
  if (settings.setAside.length > 0 && settings.profile) reporter.warn(envSetAsideNotice(settings.setAside, settings.profile));
  if (settings.sharedCache) reporter.addSecrets(cacheUrlSecrets(settings.sharedCache.value));
  let known: string | undefined;
  const credential = async (): Promise<string> => {
    if (known === undefined) {
      known = await loadSecret(plan.credential, deps, settings.timeoutMs.value);
      const client = clientOf(settings, plan, known);
      reporter.addSecrets(() => plan.auth.secretForms(client));
    }
    return known;
  };
  if (standsFor(plan.credential) === undefined) await credential();
  const id = cacheIdentity(settings, plan, known);
  return { id, file: cacheFile(deps.dirs.cache, id), credential, plan };
}

const clientOf = (s: Settings, plan: ClientPlan, credential: string): Client => ({
  clientId: s.clientId.value,
  credential,
  ...(s.keyId && { keyId: s.keyId.value }),
  credentialSource: plan.credentialSource,
  tokenUrl: s.tokenUrl.value,
});

function readCached(file: string, id: CacheIdentity, settings: Settings, deps: Deps): CacheLookup {
  const entry = readCacheEntry(file, id);
  return { file, entry, fresh: entry !== undefined && isFresh(entry, deps.now(), settings.minTtlS.value) };
}

/** The network side of a request made for these settings, its deadline --timeout after `started`. */
export function transportFor(settings: Settings, deps: Deps, reporter: Reporter, started: number): Transport {
  return {
    retries: settings.retries.value,
    deadline: started + settings.timeoutMs.value,
    timeoutMs: settings.timeoutMs.value,
    timing: timingOf(deps),
    now: deps.now,
    env: deps.env,
    caFile: settings.caFile?.value,
    dispatcher: deps.dispatcher,
    reporter,
  };
}

const WAIT_POLL_MS = 20;
/** With the folder watched, a poll only in case the watch misses something (a network file system). */
const WATCHED_POLL_MS = 100;

/** The entry another process has just fetched, if it is there and fresh. */
function fromOtherProcess(file: string, id: CacheIdentity, settings: Settings, deps: Deps, reporter: Reporter): Obtained | undefined {
  const { entry, fresh } = readCached(file, id, settings, deps);
  if (!entry || !fresh) return undefined;
  reporter.trace(`cache: hit in ${file} (fetched by another process)`);
  return { ...entry, fromCache: true, cacheFile: file };
}

/**
 * The lock on this entry for the fetch about to happen, or the entry another process fetched
 * meanwhile. While another holds the lock, the file is polled (writes are atomic renames, so a
 * read never sees half an entry) from here, without loading the fetch code, for at most half of
 * --timeout; then this process fetches without the lock. Undefined also when the cache folder
 * cannot be used (the fetch path says why).
 */
async function claimOrWait(file: string, id: CacheIdentity, settings: Settings, deps: Deps, reporter: Reporter): Promise<{ lock: FileLock } | { obtained: Obtained } | undefined> {
  const timing = timingOf(deps);
  const until = timing.monotonic() + settings.timeoutMs.value / 2;
  let waited = false;
  try {
    securePrivateDir(deps.dirs.cache, { create: true, strict: false });
  } catch {
    return undefined;
  }
  let watching: FolderWatch | undefined;
  try {
    for (;;) {
      let lock: FileLock | undefined;
      try {
        lock = tryLock(file);
      } catch {
        return undefined;
      }
      if (lock) {
        if (waited) reporter.trace('cache: lock acquired');
        // A holder may have written its entry and let go between our look and our lock (we
        // waited for it, or it finished just then): take the entry here, rather than load the
        // fetch code to find it.
        const done = settings.forceRefresh ? undefined : fromOtherProcess(file, id, settings, deps, reporter);
        if (!done) return { lock };
        lock.release();
        return { obtained: done };
      }
      if (!waited) {
        reporter.trace('cache: another gardin-token is fetching this token; waiting for its answer');
        watching = watchEntry(file);
      }
      waited = true;
      if (timing.monotonic() >= until) {
        reporter.trace('cache: gave up waiting for the lock; fetching without it');
        return undefined;
      }
      const poll = timing.sleep((watching ? WATCHED_POLL_MS : WAIT_POLL_MS) * (0.5 + timing.random()));
      await (watching ? Promise.race([poll, watching.changed()]) : poll);
      if (settings.forceRefresh) continue;
      const done = fromOtherProcess(file, id, settings, deps, reporter);
      if (done) return { obtained: done };
    }
  } finally {
    watching?.close();
  }
}

/** The shared cache's entry for these settings, as `status` shows it. */
export interface SharedLookup {
  url: string;
  /** False when Redis could not be asked (the warning says why). */
  reachable: boolean;
  entry: CacheEntry | undefined;
  fresh: boolean;
}

/** How to reach the shared cache of these settings (their --timeout, --ca-file and NODE_EXTRA_CA_CERTS). */
const sharedOptions = (s: Settings, deps: Deps) => ({
  url: s.sharedCache!.value,
  caFile: s.caFile?.value,
  extraCaCerts: deps.env.NODE_EXTRA_CA_CERTS,
  timeoutMs: s.timeoutMs.value,
});

/** Runs `use` with the shared cache of these settings open, and its key for their identity. */
async function withShared<T>(
  settings: Settings,
  deps: Deps,
  reporter: Reporter,
  use: (cache: SharedCache, keys: SharedKeys, id: CacheIdentity, file: string) => Promise<T>,
): Promise<T> {
  const { id, file, credential } = await identify(settings, deps, reporter);
  const clientSecret = await credential();
  const { SharedCache } = await import('../fleet/shared-cache.js');
  const cache = await SharedCache.open({ ...sharedOptions(settings, deps), timing: timingOf(deps), reporter });
  try {
    return await use(cache, cache.keys(id, clientSecret), id, file);
  } finally {
    cache.close();
  }
}

/**
 * What `status` shows: the cache entry for these settings, whatever --no-cache says, and the
 * shared cache's when one is set (which needs the secret: a secret command runs for it).
 */
export async function lookupCache(settings: Settings, deps: Deps, reporter: Reporter): Promise<CacheLookup & { shared?: SharedLookup }> {
  if (!settings.sharedCache) {
    const { id, file } = await identify(settings, deps, reporter);
    return readCached(file, id, settings, deps);
  }
  return withShared(settings, deps, reporter, async (cache, keys, id, file) => {
    const entry = await cache.get(keys, id);
    const shared = { url: cache.shown, reachable: cache.usable, entry, fresh: entry !== undefined && isFresh(entry, deps.now(), settings.minTtlS.value) };
    return { ...readCached(file, id, settings, deps), shared };
  });
}

/** `cache clear --shared`: deletes the shared entry of these settings, and their local one. */
export function clearShared(settings: Settings, deps: Deps, reporter: Reporter): Promise<{ local: boolean; shared: number | undefined; url: string }> {
  return withShared(settings, deps, reporter, async (cache, keys, _id, file) => ({
    local: clearCacheFile(deps.dirs.cache, file),
    shared: await cache.remove(keys),
    url: cache.shown,
  }));
}

/**
 * Looks in the cache and, on a miss, loads the request path and fetches. The secret command of a
 * profile runs only on a miss, so a cached call never waits for a password manager.
 */
export async function obtainToken(settings: Settings, deps: Deps, reporter: Reporter, ui: { spinner: () => FetchPlan['spinner'] }): Promise<Obtained> {
  const { id, file, credential, plan } = await identify(settings, deps, reporter);
  traceSettings(settings, plan, reporter);
  let lock: FileLock | undefined;
  if (!settings.cache) reporter.trace('cache: off (--no-cache)');
  else {
    if (settings.forceRefresh) reporter.trace('cache: skipped for reading (--force-refresh)');
    else {
      const { entry, fresh } = readCached(file, id, settings, deps);
      if (entry && fresh) {
        reporter.trace(`cache: hit in ${file}, ${Math.floor((entry.expiresAt - deps.now()) / 1000)} s left; token ${tokenPreview(entry.accessToken)}`);
        return { ...entry, fromCache: true, cacheFile: file };
      }
      reporter.trace(entry ? `cache: entry in ${file} has under ${settings.minTtlS.value} s left; fetching` : `cache: miss (${file})`);
    }
    const claimed = await claimOrWait(file, id, settings, deps, reporter);
    if (claimed && 'obtained' in claimed) return claimed.obtained;
    lock = claimed?.lock;
  }

  try {
    return await fetchWith(settings, plan, deps, reporter, ui, id, file, credential);
  } finally {
    lock?.release();
  }
}

/** The miss: the credential, then the fetch path, loaded now. */
async function fetchWith(
  settings: Settings,
  plan: ClientPlan,
  deps: Deps,
  reporter: Reporter,
  ui: { spinner: () => FetchPlan['spinner'] },
  id: CacheIdentity,
  file: string,
  credential: () => Promise<string>,
): Promise<Obtained> {
  const loaded = await credential();
  // The network deadline starts once the credential is ready: a slow secret command has its own.
  const timing = timingOf(deps);
  const started = timing.monotonic();
  const { refresh } = await import('./refresh.js');
  const obtained = await refresh({
    fetch: {
      ...transportFor(settings, deps, reporter, started),
      url: settings.tokenUrl.value,
      client: clientOf(settings, plan, loaded),
      scopes: settings.scopes.value,
      userAgent: USER_AGENT,
      ctx: { ...credentialContext(settings, plan), secretWhitespace: plan.auth.credential === 'secret' ? edgeWhitespace(loaded) : undefined },
    },
    auth: plan.auth,
    scopes: settings.scopes.value,
    now: deps.now,
    reporter,
    spinner: ui.spinner(),
    cache: settings.cache ? { dir: deps.dirs.cache, id, file } : undefined,
    shared: settings.cache && settings.sharedCache ? { ...sharedOptions(settings, deps), secret: loaded } : undefined,
    forceRefresh: settings.forceRefresh,
    minTtlS: settings.minTtlS.value,
  });
  if (!obtained.fromCache) {
    const left = expiresInSeconds(obtained.expiresAt, deps.now());
    reporter.trace(
      `token: ${tokenPreview(obtained.accessToken)}, ${left === undefined ? 'no lifetime stated' : `expires in ${left} s`}, scope: ${obtained.scope ?? '(none stated)'}`,
    );
  }
  return obtained;
}
