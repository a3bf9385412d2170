/**
 * Monotonic milliseconds for deadlines. Not performance.now(): touching the `performance` global
 * loads perf_hooks, which costs start-up time on the cached path.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;

/** Time as the retry and deadline code sees it; tests pass a fake one, and no real time passes. */
export interface Timing {
  /** Monotonic milliseconds, for deadlines. */
  monotonic(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for backoff jitter. */
  random(): number;
}

export const systemTiming: Timing = {
  monotonic: monotonicMs,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The timing a command was given, or the real one. */
export const timingOf = (deps: { timing?: Timing }): Timing => deps.timing ?? systemTiming;
