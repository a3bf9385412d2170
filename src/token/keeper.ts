import type { Settings } from '../config/settings.js';
import type { Deps } from '../platform/deps.js';
import type { Reporter } from '../platform/reporter.js';
import { obtainToken } from './obtain.js';
import type { Obtained } from './types.js';

// A token kept fresh for a job that outlives it (exec --refresh, proxy, the library's
// createFetch). Every renewal goes through obtainToken, so through the same cache, lock and
// shared cache as any call: many keepers of one client make one request per token lifetime.

/** The longest wait between two tries after a failed renewal. */
export const MAX_RETRY_MS = 30_000;
const FIRST_RETRY_MS = 1_000;
/** setTimeout's bound (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * When a token received at `receivedAt` should be renewed: `minTtlMs` before it expires, or, for a
 * token that lives less than twice that, halfway through its life (pure).
 */
export function renewAt(receivedAt: number, expiresAt: number, minTtlMs: number): number {
  const lifetime = expiresAt - receivedAt;
  return lifetime >= 2 * minTtlMs ? expiresAt - minTtlMs : receivedAt + lifetime / 2;
}

/** The wait before try `n` (1, 2, ...) after failed renewals: 1 s, 2 s, 4 s ... at most 30 s. */
export const retryDelayMs = (n: number): number => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (n - 1));

export interface KeeperEvents {
  /** A new token, after the first. */
  onToken?(token: Obtained): void;
  /** Renewing failed; tried again in `retryInMs`. `streak`: failures in a row. */
  onRenewFailed?(err: unknown, streak: number, retryInMs: number): void;
  /** The token in hand has expired and none could be fetched to follow it (renewals go on). */
  onExpired?(err: unknown): void;
}

export interface TokenKeeper {
  /** A token with life left: the one in hand, or one renewed now if it is due. */
  current(): Promise<Obtained>;
  /** A new token now, because the API refused `refused`; callers at the same moment share one. */
  renew(refused: string): Promise<Obtained>;
  /** Ends the renewals (timers cleared); current() still works, on demand. */
  stop(): void;
}

export interface KeeperOptions {
  /** Renew on a timer ahead of expiry, so that no caller waits (exec --refresh, proxy); else only on demand. */
  background: boolean;
  events?: KeeperEvents;
}

/** Keeps a token for `settings` fresh. The first token is fetched by the first current(). */
export function keepToken(settings: Settings, deps: Deps, reporter: Reporter, options: KeeperOptions): TokenKeeper {
  const minTtlMs = settings.minTtlS.value * 1000;
  let held: { token: Obtained; receivedAt: number } | undefined;
  let inFlight: Promise<Obtained> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  /** After a failed renewal, when the next try is due (epoch ms). */
  let retryAt = 0;
  let stopped = false;

  const due = (): boolean => {
    if (!held) return true;
    const { token, receivedAt } = held;
    return token.expiresAt !== undefined && deps.now() >= renewAt(receivedAt, token.expiresAt, minTtlMs);
  };

  const later = (ms: number, run: () => void): NodeJS.Timeout => {
    const t = setTimeout(run, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
    // A keeper never holds a program open by itself: the job it serves does.
    t.unref();
    return t;
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped && options.background) timer = later(ms, () => void obtain().catch(() => undefined));
  };

  /**
   * A token newer than the one in hand: the cache's, if another process already renewed it, else
   * the endpoint's. Asking for more life than the held token has left makes the cache pass it
   * over, and not a newer one; a held token of unstated lifetime can only be passed over by force.
   */
  const fetchNewer = (): Promise<Obtained> => {
    const expiresAt = held?.token.expiresAt;
    const asked: Settings = !held
      ? settings
      : expiresAt === undefined
        ? { ...settings, forceRefresh: true }
        : { ...settings, forceRefresh: false, minTtlS: { value: Math.max(0, expiresAt - deps.now()) / 1000 + 0.001, source: settings.minTtlS.source } };
    return obtainToken(asked, deps, reporter, { spinner: () => undefined });
  };

  const obtain = (): Promise<Obtained> => {
    inFlight ??= (async () => {
      try {
        const token = await fetchNewer();
        const renewed = held !== undefined;
        held = { token, receivedAt: deps.now() };
        failures = 0;
        clearTimeout(expiryTimer);
        expiryTimer = undefined;
        if (token.expiresAt !== undefined) schedule(renewAt(held.receivedAt, token.expiresAt, minTtlMs) - deps.now());
        if (renewed) options.events?.onToken?.(token);
        return token;
      } catch (err) {
        failures++;
        const wait = retryDelayMs(failures);
        retryAt = deps.now() + wait;
        options.events?.onRenewFailed?.(err, failures, wait);
        schedule(wait);
        const expiresAt = held?.token.expiresAt;
        if (expiresAt !== undefined && expiryTimer === undefined && !stopped && options.background)
          expiryTimer = later(expiresAt - deps.now(), () => options.events?.onExpired?.(err));
        throw err;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  return {
    current: () => {
      if (!due()) return Promise.resolve(held!.token);
      const left = held?.token.expiresAt === undefined ? 0 : held.token.expiresAt - deps.now();
      if (left <= 0) return obtain();
      // Due but still good: the caller has it at once; the renewal runs meanwhile (after a
      // failure, not before its retry time).
      if (deps.now() >= retryAt) void obtain().catch(() => undefined);
      return Promise.resolve(held!.token);
    },
    // Another caller may have renewed it already: then the new one is the answer.
    renew: (refused) => inFlight ?? (held && held.token.accessToken !== refused ? Promise.resolve(held.token) : obtain()),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(expiryTimer);
    },
  };
}
