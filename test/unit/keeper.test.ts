import { describe, expect, it } from 'vitest';
import { MAX_RETRY_MS, renewAt, retryDelayMs } from '../../src/token/keeper.js';

describe('when a kept token is renewed', () => {
  it.each([
    // received, expires, min-ttl: renewed min-ttl before expiry, or halfway for a short life
    [0, 3_600_000, 60_000, 3_540_000],
    [0, 4_000, 1_000, 3_000],
    [0, 100_000, 60_000, 50_000],
    [1_000, 3_000, 1_000, 2_000],
  ])('received %i, expiring %i, --min-ttl %i ms: at %i', (received, expires, minTtl, at) => {
    expect(renewAt(received, expires, minTtl)).toBe(at);
  });

  it('retries after a failure back off from 1 s to at most 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(retryDelayMs(50)).toBe(MAX_RETRY_MS);
  });
});
