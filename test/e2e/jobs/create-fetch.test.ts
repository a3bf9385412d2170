import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { shortLivedTokens, startGardinApi, type FakeApi } from '../../helpers/gardin-api.js';
import { json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

// The library's createFetch, as a program uses it (the built package, in a process of its own),
// against tokens that live 4 s and an API that refuses expired ones.
const LIFETIME_S = 4;
const PACKAGE = resolve(BIN, '../..');
let tokens: TokenServer;
let api: FakeApi;
let home: ReturnType<typeof tempHome>;

beforeEach(async () => {
  home = tempHome();
  tokens = await startTokenServer(shortLivedTokens(LIFETIME_S));
  api = await startGardinApi(tokens, (q, _n, res) => json(res, 200, { path: q.url, method: q.method, body: q.body }));
});
afterEach(async () => {
  await Promise.all([tokens.close(), api.close()]);
  home.cleanup();
});

/** Runs `code` with `createFetch` and the error classes in scope; resolves with what it printed. */
async function program(code: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const file = join(home.root, 'program.cjs');
  writeFileSync(
    file,
    `const { createFetch, NetworkError, UsageError } = require(${JSON.stringify(PACKAGE)});\n(async () => {\n${code}\n})().catch((e) => { console.error(e); process.exit(1); });`,
  );
  const r = await execa(process.execPath, [file], {
    env: cleanEnv(home.root, { GARDIN_CLIENT_ID: 'nb', GARDIN_CLIENT_SECRET: 'nb-secret', GARDIN_TOKEN_URL: tokens.tokenUrl, GARDIN_API_URL: `${api.url}/v1` }),
    extendEnv: false,
    reject: false,
  });
  return { exitCode: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('createFetch', () => {
  it('across three lifetimes: always 200, a fresh token each time, one token request per lifetime', async () => {
    const r = await program(`
      const api = createFetch({ minTtl: 1 });
      const statuses = [];
      const until = Date.now() + ${3 * LIFETIME_S * 1000};
      while (Date.now() < until) {
        const res = await api('/fields?crop=wheat');
        statuses.push(res.status + ' ' + (await res.json()).path);
        await new Promise((r) => setTimeout(r, 400));
      }
      console.log(JSON.stringify(statuses));`);
    expect(r.exitCode, r.stderr).toBe(0);
    const statuses = JSON.parse(r.stdout) as string[];
    expect(new Set(statuses)).toEqual(new Set(['200 /v1/fields?crop=wheat']));
    const used = new Set(api.requests.map((q) => q.token)).size;
    expect(used).toBeGreaterThanOrEqual(3);
    // A token serves many requests, and one is fetched per token the API got: none thrown away,
    // whatever the pace.
    expect(used).toBeLessThan(api.requests.length / 2);
    expect(tokens.requests.length).toBeLessThanOrEqual(used + 1);
  });

  it('a 401 gets one new token and one more try, a POST with its body too', async () => {
    const first = await program(`console.log((await createFetch({ minTtl: 1 })('/fields')).status);`);
    expect(first.stdout.trim(), first.stderr).toBe('200');
    // The API now refuses the token the next program finds in the cache.
    api.expired.add(api.requests.at(-1)!.token!);
    const again = await program(`
      const res = await createFetch({ minTtl: 1 })('jobs', { method: 'POST', body: JSON.stringify({ name: 'scan' }), headers: { 'content-type': 'application/json' } });
      console.log(res.status, JSON.stringify(await res.json()));`);
    expect(again.stdout.trim(), again.stderr).toBe('200 {"path":"/v1/jobs","method":"POST","body":"{\\"name\\":\\"scan\\"}"}');
    expect(api.requests.slice(-2).map((q) => [q.method, q.body])).toEqual([
      ['POST', '{"name":"scan"}'],
      ['POST', '{"name":"scan"}'],
    ]);
    expect(tokens.requests).toHaveLength(2);
  });

  it('refuses another origin, and rejects with the library error classes', async () => {
    const r = await program(`
      const api = createFetch();
      for (const call of [() => api('https://evil.example/v1/fields'), () => createFetch({ apiUrl: 'http://127.0.0.1:9/v1' })('/fields')]) {
        try { await call(); console.log('resolved'); } catch (e) { console.log(e.constructor.name, e.code, e instanceof UsageError || e instanceof NetworkError); }
      }`);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['UsageError ERR_API_ORIGIN true', 'NetworkError ERR_CONNECT true']);
    expect(api.requests).toHaveLength(0);
  });
});
