import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/bin.js';
import { tempHome } from '../helpers/deps.js';
import { issueTokens, startTokenServer, type TokenServer } from '../helpers/token-server.js';

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
});
