import { type ResultPromise } from 'execa';
import { request } from 'node:http';
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, execBin } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';
import { shortLivedTokens, startGardinApi, type FakeApi } from '../../helpers/gardin-api.js';

// gardin-token proxy against a token endpoint whose tokens live 4 s and an API that refuses
// expired tokens: clients present the proxy's key, the API gets a fresh token.
const LIFETIME_S = 4;
let tokens: TokenServer;
let api: FakeApi;
let home: ReturnType<typeof tempHome>;
let running: ResultPromise | undefined;

beforeEach(async () => {
  home = tempHome();
  tokens = await startTokenServer(shortLivedTokens(LIFETIME_S));
  api = await startGardinApi(tokens, (q, _n, res) => json(res, 200, { path: q.url, method: q.method, body: q.body }));
});
afterEach(async () => {
  running?.kill('SIGKILL');
  running = undefined;
  await Promise.all([tokens.close(), api.close()]);
  home.cleanup();
});

const env = () => cleanEnv(home.root, { GARDIN_CLIENT_ID: 'dash', GARDIN_CLIENT_SECRET: 'dash-secret', GARDIN_TOKEN_URL: tokens.tokenUrl, GARDIN_API_URL: `${api.url}/v1` });

/** Starts the proxy and resolves with its URL and key, read from its first lines. */
async function startProxy(extra: string[] = []): Promise<{ url: string; key: string; port: number; proc: ResultPromise }> {
  const proc = execBin(['proxy', '--min-ttl', '1', ...extra], { env: env(), extendEnv: false, reject: false });
  running = proc;
  let out = '';
  await new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (/GARDIN_PROXY_KEY=\S+\n/.test(out) || (extra.includes('--key-file') && /GARDIN_PROXY_URL=\S+\n/.test(out))) resolve();
    });
    void proc.then((r) => reject(new Error(`the proxy ended: ${r.exitCode} ${r.stderr}`)));
  });
  const url = /GARDIN_PROXY_URL=(\S+)/.exec(out)![1]!;
  return { url, key: /GARDIN_PROXY_KEY=(\S+)/.exec(out)?.[1] ?? '', port: Number(new URL(url).port), proc };
}

/** One request to the proxy, headers as given (Host included). */
function call(port: number, path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What a raw request line gets back (absolute-form, CONNECT): the status line. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', (d) => (got += d));
    socket.on('close', () => resolve(got.split('\r\n')[0]!));
    socket.on('end', () => socket.end());
  });
}

describe('gardin-token proxy', () => {
  it('passes requests on with a fresh token for three lifetimes: always 200, one token request per lifetime', async () => {
    const { port, key } = await startProxy();
    const auth = { authorization: `Bearer ${key}`, host: `127.0.0.1:${port}` };
    const until = Date.now() + 3 * LIFETIME_S * 1000;
    let n = 0;
    while (Date.now() < until) {
      const r = await call(port, `/v1/devices?page=${++n}`, auth);
      expect(r.status, r.body).toBe(200);
      expect(JSON.parse(r.body).path).toBe(`/v1/devices?page=${n}`);
      await new Promise((res) => setTimeout(res, 400));
    }
    expect(new Set(api.requests.map((q) => q.token)).size).toBeGreaterThanOrEqual(3);
    // A token serves many requests, and one is fetched per token the API got: none thrown away,
    // whatever the pace.
    const used = new Set(api.requests.map((q) => q.token)).size;
    expect(used).toBeLessThan(api.requests.length / 2);
    expect(tokens.requests.length).toBeLessThanOrEqual(used + 1);
    // The key never reaches the API; the token never reaches the client.
    expect(api.requests.every((q) => !JSON.stringify(q.headers).includes(key))).toBe(true);
  });

  it('streams a POST body both ways, status and headers unchanged', async () => {
    const { port, key } = await startProxy();
    const r = await call(port, '/jobs', { authorization: `Bearer ${key}`, host: `localhost:${port}`, 'content-type': 'application/json' }, 'POST', '{"name":"scan"}');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ path: '/v1/jobs', method: 'POST', body: '{"name":"scan"}' });
  });

  it('refuses a missing or wrong key, a foreign Host, absolute-form and CONNECT; none reaches the API', async () => {
    const { port, key } = await startProxy();
    const host = `127.0.0.1:${port}`;
    expect((await call(port, '/devices', { host })).status).toBe(401);
    expect((await call(port, '/devices', { host, authorization: 'Bearer wrong-key-0123456789' })).status).toBe(401);
    expect((await call(port, '/devices', { host: `evil.example:${port}`, authorization: `Bearer ${key}` })).status).toBe(403);
    expect(await raw(port, `GET http://api.gardin.ag/v1/devices HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${key}\r\nConnection: close\r\n\r\n`)).toMatch(
      /^HTTP\/1\.1 403/,
    );
    expect(await raw(port, `CONNECT api.gardin.ag:443 HTTP/1.1\r\nHost: api.gardin.ag:443\r\n\r\n`)).toMatch(/^HTTP\/1\.1 403/);
    expect(api.requests).toHaveLength(0);
  });

  it('an API 401 gets one new token and one more try', async () => {
    const { port, key } = await startProxy();
    const auth = { authorization: `Bearer ${key}`, host: `127.0.0.1:${port}` };
    expect((await call(port, '/devices', auth)).status).toBe(200);
    api.expired.add(api.requests.at(-1)!.token!);
    const before = tokens.requests.length;
    const r = await call(port, '/devices', auth);
    expect(r.status).toBe(200);
    expect(tokens.requests.length).toBe(before + 1);
    expect(api.requests.map((q) => q.token).slice(-2)[0]).not.toBe(api.requests.at(-1)!.token);
  });

  it('SIGTERM stops it with exit 0; -v traces each request in one line, never a token or key', async () => {
    const { port, key, proc } = await startProxy(['-v']);
    await call(port, '/devices?secret=x', { authorization: `Bearer ${key}`, host: `127.0.0.1:${port}` });
    proc.kill('SIGTERM');
    const r = await proc;
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/proxy: GET \/devices -> 200 in \d+ ms/);
    expect(r.stderr).not.toContain(key);
    for (const t of tokens.issued) expect(r.stderr).not.toContain(t);
  });

  it('a SIGTERM sent the moment the URL is read is already handled: exit 0', async () => {
    // A supervisor reads the URL and may stop the proxy at once; the handlers must be in place
    // before the URL is written. A few rounds, as the gap was a few instructions wide.
    for (let round = 0; round < 5; round++) {
      const { proc } = await startProxy();
      proc.kill('SIGTERM');
      expect((await proc).exitCode, `round ${round}`).toBe(0);
    }
  });

  it('--key-file: the key is read from it (or made in it, 0600) and not printed', async () => {
    const file = join(home.root, 'proxy.key');
    writeFileSync(file, 'a-key-of-our-own-0123456789\n', { mode: 0o600 });
    const { port, key } = await startProxy(['--key-file', file]);
    expect(key).toBe('');
    expect((await call(port, '/devices', { authorization: 'Bearer a-key-of-our-own-0123456789', host: `127.0.0.1:${port}` })).status).toBe(200);
  });

  it('proxy -- cmd: the command gets GARDIN_API_URL and GARDIN_PROXY_KEY, and its exit status is the proxy’s', async () => {
    const client = join(home.root, 'client.cjs');
    writeFileSync(
      client,
      `fetch(process.env.GARDIN_API_URL + '/devices', { headers: { authorization: 'Bearer ' + process.env.GARDIN_PROXY_KEY } })
        .then(async (r) => { process.stdout.write(String(r.status) + ' ' + (await r.text())); process.exit(7); });`,
    );
    const r = await execBin(['proxy', '--', process.execPath, client], { env: env(), extendEnv: false, reject: false });
    expect(r.exitCode, r.stderr).toBe(7);
    expect(r.stdout).toBe('200 {"path":"/v1/devices","method":"GET","body":""}');
    expect(api.requests).toHaveLength(1);
  });

  it('--listen takes loopback addresses only', async () => {
    for (const listen of ['0.0.0.0:8080', '192.168.1.2:0', 'example.com:80', '127.0.0.1:99999']) {
      const r = await execBin(['proxy', '--listen', listen], { env: env(), extendEnv: false, reject: false });
      expect(r.exitCode, listen).toBe(2);
      expect(r.stderr).toContain(`Cannot listen on "${listen}"`);
    }
    expect(tokens.requests).toHaveLength(0);
  });
});
