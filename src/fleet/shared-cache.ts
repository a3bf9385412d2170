import { fsReason } from '../platform/errors.js';
import { Redis } from 'ioredis';
import { readFileSync } from 'node:fs';
import { builtin } from '../platform/builtin.js';
import type { Timing } from '../platform/clock.js';
import { sharedCacheReason, sharedCacheSpent, sharedCacheUnusable } from './messages.js';
import type { Reporter } from '../platform/reporter.js';
import { redactUrlCredentials } from '../platform/text.js';
import type { CacheEntry, CacheIdentity } from '../cache/entry.js';
import { randomUUID } from 'node:crypto';
import { openEntry, sealEntry, sharedKeys, type SharedKeys } from './seal.js';

/**
 * The shared token cache on Redis. It is never a new way to fail: each operation has a small
 * budget of its own, and all of them together (waits for another host included) at most a third
 * of --timeout; the first one that fails or runs out warns once and turns the cache off for the
 * rest of the process, which then goes on as if none were set. Loaded only when a shared cache is
 * set and the local cache had nothing.
 */

/** Redis gets this share of --timeout per operation, within these bounds. */
const SHARE = 0.1;
const MIN_OP_MS = 100;
const MAX_OP_MS = 2000;
/** And this share of --timeout for all its work in one call. */
const TOTAL_SHARE = 1 / 3;
/**
 * The most one connection may send us in all: a sealed entry is ~2 KB and a waiter's polls a few
 * bytes each. A server sending more (a planted giant value, a hostile server) is cut off as it
 * sends, before its reply is held whole.
 */
export const MAX_RECEIVED_BYTES = 1024 * 1024;
const WAIT_POLL_MS = 25;

export const operationBudgetMs = (timeoutMs: number): number => Math.min(MAX_OP_MS, Math.max(MIN_OP_MS, Math.round(timeoutMs * SHARE)));

/** Deletes the lock only if it is still ours: a lock that ran out and was taken by another stays. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface SharedCacheOptions {
  url: string;
  caFile: string | undefined;
  /** NODE_EXTRA_CA_CERTS, kept when --ca-file is given. */
  extraCaCerts?: string | undefined;
  timeoutMs: number;
  timing: Timing;
  reporter: Reporter;
}

/**
 * A client that connects once, when asked, and never again: no reconnects, no offline queue, no
 * retries and no ready check (INFO, which a user limited to our keys may not run), so a failure
 * surfaces at once as an error of the call at hand.
 */
const newClient = (url: string, connectTimeout: number, tls: { ca?: string[]; servername?: string } | undefined): Redis =>
  new Redis(url, {
    lazyConnect: true,
    connectTimeout,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResubscribe: false,
    ...(tls && { tls }),
  });

export class SharedCache {
  private client: Redis | undefined;
  private off = false;
  private lastError: unknown;
  readonly shown: string;
  private readonly budgetMs: number;
  /** What is left of the call's time for Redis (ms): every operation and wait draws on it. */
  private leftMs: number;

  private constructor(private readonly options: SharedCacheOptions) {
    this.shown = redactUrlCredentials(options.url);
    this.budgetMs = operationBudgetMs(options.timeoutMs);
    this.leftMs = options.timeoutMs * TOTAL_SHARE;
  }

  /** Connects within the operation budget; a cache that cannot be reached comes back turned off. */
  static async open(options: SharedCacheOptions): Promise<SharedCache> {
    const url = new URL(options.url);
    const budget = operationBudgetMs(options.timeoutMs);
    let tls: { ca?: string[]; servername?: string } | undefined;
    let caProblem: string | undefined;
    if (url.protocol === 'rediss:') {
      // Passing `ca` replaces Node's roots and NODE_EXTRA_CA_CERTS: both are kept beside --ca-file.
      let ca: string[] | undefined;
      if (options.caFile) {
        ca = [...builtin<typeof import('node:tls')>('node:tls').rootCertificates];
        for (const file of [options.extraCaCerts, options.caFile]) {
          if (!file) continue;
          try {
            ca.push(readFileSync(file, 'utf8'));
          } catch (err) {
            caProblem = `cannot read the CA file ${file} (${fsReason(err)})`;
          }
        }
      }
      tls = { ...(ca && { ca }), ...(/^[\d.]+$|^\[/.test(url.hostname) ? {} : { servername: url.hostname }) };
    }
    const cache = new SharedCache(options);
    if (caProblem) {
      cache.turnOff(caProblem);
      return cache;
    }
    let client: Redis;
    try {
      client = newClient(options.url, budget, tls);
    } catch (err) {
      cache.turnOff(sharedCacheReason({ error: err, what: 'connect' }));
      return cache;
    }
    cache.client = client;
    // A client without an error listener would crash the process on its first error. The error
    // is kept: a failed connect rejects with only "Connection is closed", the cause comes here.
    client.on('error', (err: unknown) => {
      cache.lastError = err;
    });
    client.once('connect', () => {
      let received = 0;
      client.stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received <= MAX_RECEIVED_BYTES) return;
        cache.lastError = new Error(`it sent more than ${MAX_RECEIVED_BYTES} bytes`);
        client.stream.destroy();
      });
    });
    options.reporter.trace(`shared cache: connecting to ${cache.shown}`);
    await cache.run('connect', () => client.connect());
    // A failed step of the handshake (SELECT of a database the server lacks) is only emitted:
    // the client would go on in database 0.
    if (cache.usable && cache.lastError) cache.turnOff(sharedCacheReason({ error: cache.lastError, what: 'connect' }));
    return cache;
  }

  get usable(): boolean {
    return !this.off;
  }

  /** Here, not in core: the key derivation needs node:crypto, which a cached call must not load. */
  keys(id: CacheIdentity, secret: string): SharedKeys {
    return sharedKeys(id, secret);
  }

  /** The entry stored for these keys; a value that does not open under them is a miss. */
  async get(keys: SharedKeys, id: CacheIdentity): Promise<CacheEntry | undefined> {
    const value = await this.run('GET', (c) => c.get(keys.entry));
    if (typeof value !== 'string') return undefined;
    const entry = openEntry(value, keys, id);
    if (!entry) this.options.reporter.trace('shared cache: the stored value does not open with this secret; a miss');
    return entry;
  }

  /** Takes the fetch lock (SET NX PX): true if taken, false if another holds it, undefined if Redis failed. */
  async lock(keys: SharedKeys, owner: string, ttlMs: number): Promise<boolean | undefined> {
    const got = await this.run('SET NX', (c) => c.set(keys.lock, owner, 'PX', Math.max(1, Math.round(ttlMs)), 'NX'));
    return got === undefined ? undefined : got === 'OK';
  }

  async lockHeld(keys: SharedKeys): Promise<boolean> {
    return (await this.run('EXISTS', (c) => c.exists(keys.lock))) === 1;
  }

  async unlock(keys: SharedKeys, owner: string): Promise<void> {
    await this.run('release', (c) => c.eval(RELEASE, 1, keys.lock, owner));
  }

  /** Stores the entry until `ttlMs` from now (the token's life less the --min-ttl margin). */
  async put(keys: SharedKeys, entry: CacheEntry, ttlMs: number): Promise<boolean> {
    if (ttlMs < 1) return false;
    return (await this.run('SET', (c) => c.set(keys.entry, sealEntry(entry, keys), 'PX', Math.round(ttlMs)))) === 'OK';
  }

  /** Deletes the entry (and a lock left beside it); undefined if Redis failed. */
  async remove(keys: SharedKeys): Promise<number | undefined> {
    return this.run('DEL', (c) => c.del(keys.entry, keys.lock));
  }

  close(): void {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    if (client.status === 'ready') client.quit().catch(() => client.disconnect());
    else client.disconnect();
  }

  /**
   * One operation within its budget and what is left of the call's. A failure or a missed budget
   * turns the cache off (with one warning) and gives undefined; so does every later operation.
   */
  private async run<T>(what: string, op: (c: Redis) => Promise<T>): Promise<T | undefined> {
    const client = this.client;
    if (this.off || !client) return undefined;
    if (this.leftMs <= 0) {
      this.turnOff(sharedCacheSpent(Math.round(this.options.timeoutMs * TOTAL_SHARE)));
      return undefined;
    }
    const budget = Math.min(this.budgetMs, this.leftMs);
    const { timing } = this.options;
    const started = timing.monotonic();
    let timer: NodeJS.Timeout | undefined;
    const pending = op(client);
    pending.catch(() => undefined);
    const outOfTime = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), budget);
    });
    try {
      const result = await Promise.race([pending, outOfTime]);
      if (result === 'timeout') {
        this.turnOff(sharedCacheReason({ timeoutMs: Math.round(budget), what }));
        return undefined;
      }
      return result as T;
    } catch (err) {
      const closed = /Connection is closed/.test(String((err as Error)?.message));
      this.turnOff(sharedCacheReason({ error: closed && this.lastError ? this.lastError : err, what }));
      return undefined;
    } finally {
      clearTimeout(timer);
      this.leftMs -= timing.monotonic() - started;
    }
  }

  /**
   * Waits for the entry that the lock's holder (another host) is fetching, polling, on this call's
   * time for Redis. Ends with the entry; `lock-gone` once the lock is free (the caller may take
   * it); `off` when the cache failed; `gave-up` when that time is spent with the lock still held.
   */
  async waitForEntry(keys: SharedKeys, id: CacheIdentity, fresh: (e: CacheEntry) => boolean): Promise<{ entry: CacheEntry } | 'lock-gone' | 'gave-up' | 'off'> {
    const { timing } = this.options;
    for (;;) {
      if (!this.usable) return 'off';
      // Each look needs time for its GET and EXISTS: with less than that left, the wait is over.
      const pause = Math.min(WAIT_POLL_MS * (0.5 + timing.random()), this.leftMs - MIN_OP_MS);
      if (pause < 0) return 'gave-up';
      await timing.sleep(pause);
      this.leftMs -= pause;
      const entry = await this.get(keys, id);
      if (entry && fresh(entry)) return { entry };
      if (this.usable && !(await this.lockHeld(keys))) return 'lock-gone';
    }
  }

  /** Stops using Redis for the rest of the call, with one warning saying why. */
  giveUp(reason: string): void {
    this.turnOff(reason);
  }

  private turnOff(reason: string): void {
    if (this.off) return;
    this.off = true;
    this.options.reporter.warn(sharedCacheUnusable(this.shown, reason));
    const client = this.client;
    this.client = undefined;
    client?.disconnect();
  }
}

/** Who holds the lock, so that only its holder releases it. */
export const newLockOwner = (): string => randomUUID();
