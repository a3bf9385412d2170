import { execa } from 'execa';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, BIN_IS_SCRIPT, cleanEnv, execBin, runBin } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { issueTokens, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

let server: TokenServer;
let home: ReturnType<typeof tempHome>;

beforeAll(async () => {
  // Slow enough that all 16 processes are waiting while the first request is in flight.
  server = await startTokenServer(issueTokens({}, 400));
  home = tempHome();
});
afterAll(async () => {
  await server.close();
  home.cleanup();
});

describe('parallel invocations on a cold cache', () => {
  it('16 processes started together make exactly one request and print the same token', async () => {
    const env = { GARDIN_CLIENT_ID: 'par', GARDIN_CLIENT_SECRET: 'par-secret', GARDIN_TOKEN_URL: server.tokenUrl };
    const results = await Promise.all(Array.from({ length: 16 }, () => runBin(['--json'], home.root, env)));
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const tokens = new Set(results.map((r) => JSON.parse(r.stdout).access_token));
    expect(tokens.size).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(results.filter((r) => JSON.parse(r.stdout).cached === false)).toHaveLength(1);
  });

  // Which modules a process loaded is seen through node --require, which the single-file binary does not take.
  it.skipIf(!BIN_IS_SCRIPT)('processes that find the lock held wait on the cache file: they load no fetch code and take no lock', async () => {
    const slow = await startTokenServer(issueTokens({}, 1500));
    const own = tempHome();
    try {
      const env = cleanEnv(own.root, { GARDIN_CLIENT_ID: 'wait', GARDIN_CLIENT_SECRET: 'wait-secret', GARDIN_TOKEN_URL: slow.tokenUrl });
      const holder = execBin(['--json'], { env, extendEnv: false, reject: false });
      // Start the others once the holder has the lock (its folder exists beside the entry).
      const lockSeen = async () => {
        for (let i = 0; i < 2000; i++) {
          if (existsSync(own.cache) && readdirSync(own.cache).some((f) => f.endsWith('.lock'))) return true;
          await new Promise((r) => setTimeout(r, 5));
        }
        return false;
      };
      expect(await lockSeen()).toBe(true);
      const probe = join(own.root, 'probe.cjs');
      writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(Object.keys(require.cache))));`);
      const waiters = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          execa(process.execPath, ['--require', probe, BIN, '--json'], { env: { ...env, PROBE_OUT: join(own.root, `loaded-${i}.json`) }, extendEnv: false, reject: false }),
        ),
      );
      const first = await holder;
      const token = JSON.parse(String(first.stdout)).access_token;
      for (const [i, w] of waiters.entries()) {
        expect(w.exitCode, String(w.stderr)).toBe(0);
        expect(JSON.parse(String(w.stdout))).toMatchObject({ access_token: token, cached: true });
        const loaded = (JSON.parse(readFileSync(join(own.root, `loaded-${i}.json`), 'utf8')) as string[]).map((f) => f.split('/').pop());
        expect(loaded).not.toContain('token-refresh.cjs');
        expect(loaded).not.toContain('net-http.cjs');
      }
      expect(slow.requests).toHaveLength(1);
    } finally {
      await slow.close();
      own.cleanup();
    }
  });
});
