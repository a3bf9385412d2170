/**
 * Monotonic milliseconds for deadlines. Not performance.now(): touching the `performance` global
 * loads perf_hooks, which costs start-up time on the cached path.
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint() / 1000n) / 1000;
