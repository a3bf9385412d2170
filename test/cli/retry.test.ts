import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { useTokenServer } from '../helpers/fixture.js';
import { fakeTiming, testDeps } from '../helpers/deps.js';
import { issueTokens, json, type Handler } from '../helpers/token-server.js';

// Retries, backoff and the deadline, in-process against a local server that answers at once, on a
// fake clock: every wait is recorded, none is real, so these hold on any machine however busy.
const fx = useTokenServer(() => issueTokens());
const NOW = 1_800_000_000_000;

async function run(reply: Handler, args: string[] = []) {
  fx.reply = reply;
  const timing = fakeTiming();
  const deps = testDeps({
    env: { GARDIN_TOKEN_URL: fx.server.tokenUrl, GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: 'retry-secret' },
    dirs: fx.home,
    now: () => NOW,
    timing,
  });
  const code = await main(['node', 'gardin-token', '--no-cache', '--verbose', ...args], deps);
  return { code, out: deps.out(), err: deps.err(), waits: timing.waits, requests: fx.server.requests.length };
}
const failing =
  (status: number, headers: Record<string, string> = {}, times = Infinity): Handler =>
  (q, n, res) =>
    n < times ? json(res, status, { message: 'busy' }, headers) : issueTokens()(q, n, res);

describe('retries on a fake clock', () => {
  it('503, 503, 200: two backoffs (300 ms then 600 ms, scaled by jitter), then the token', async () => {
    const r = await run(failing(503, {}, 2));
    expect(r).toMatchObject({ code: 0, requests: 3, waits: [225, 450] });
    expect(r.out).toMatch(/^tok-/);
  });

  it('Retry-After in seconds is waited for exactly', async () => {
    const r = await run(failing(429, { 'retry-after': '7' }, 1));
    expect(r).toMatchObject({ code: 0, requests: 2, waits: [7000] });
    expect(r.err).toContain('retrying in 7000 ms (Retry-After)');
  });

  it('Retry-After as an HTTP date, read against the injected wall clock', async () => {
    const r = await run(failing(503, { 'retry-after': new Date(NOW + 5000).toUTCString() }, 1));
    expect(r).toMatchObject({ code: 0, waits: [5000] });
  });

  it('a Retry-After beyond the deadline is not waited for: exit 4 at once', async () => {
    const r = await run(failing(429, { 'retry-after': '120' }), ['--timeout', '30']);
    expect(r).toMatchObject({ code: 4, requests: 1, waits: [] });
    expect(r.err).toContain('not retrying: waiting 120000 ms would pass the 30 s deadline');
  });

  it('backoff stops when the next wait would pass the deadline', async () => {
    const r = await run(failing(500), ['--timeout', '1', '--retries', '9']);
    expect(r).toMatchObject({ code: 4, requests: 3, waits: [225, 450] });
    expect(r.err).toContain('not retrying: waiting 900 ms would pass the 1 s deadline');
    expect(r.err).toContain('after 3 attempts (HTTP 500, HTTP 500, HTTP 500)');
  });

  it('backoff doubles up to a cap of 5 s', async () => {
    const r = await run(failing(502), ['--timeout', '600', '--retries', '7']);
    expect(r).toMatchObject({ code: 4, requests: 8, waits: [225, 450, 900, 1800, 3600, 3750, 3750] });
  });

  it('--retries 0: one attempt, no wait', async () => {
    const r = await run(failing(503), ['--retries', '0']);
    expect(r).toMatchObject({ code: 4, requests: 1, waits: [] });
  });

  it('an OAuth refusal is never retried', async () => {
    const r = await run((_q, _n, res) => json(res, 400, { error: 'invalid_scope' }));
    expect(r).toMatchObject({ code: 3, requests: 1, waits: [] });
  });
});
