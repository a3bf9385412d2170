import { execa } from 'execa';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_SH, cleanEnv, runBin, type RunResult } from '../../helpers/bin.js';
import { scriptOnPty } from '../../helpers/pty.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { startGardinApi, type FakeApi } from '../../helpers/gardin-api.js';
import { expectNoLeak, secretForms } from '../../helpers/no-leak.js';
import { issueTokens, json, type Handler } from '../../helpers/token-server.js';

// `gardin-token api` holds to bounds whatever the API or the user sends: pages, bytes, token
// refreshes, and what HTTP can carry. The built bin against a fake Gardin API.
const SECRET = 'bounds-Secret-77a1';
const fx = useTokenServer(() => issueTokens());
let api: FakeApi;
let route: Handler;
const MiB = 1024 * 1024;

beforeEach(async () => {
  route = (_q, _n, res) => json(res, 200, { ok: true });
  api = await startGardinApi(fx.server, (q, n, res) => route(q, n, res));
});
afterEach(() => api.close());

async function gt(args: string[], options: { input?: string } = {}): Promise<RunResult> {
  const env = { GARDIN_CLIENT_ID: 'bounds-client', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl, GARDIN_API_URL: `${api.url}/v1` };
  const r = await runBin(['api', ...args], fx.home.root, env, { input: options.input ?? '' });
  expectNoLeak([r.stdout, r.stderr], [...secretForms('bounds-client', SECRET), ...fx.server.issued]);
  return r;
}

/** A page of devices with a Link to `next` (a path under /v1), or none. */
const page = (res: Parameters<Handler>[2], n: number, next: string | undefined) => json(res, 200, [{ page: n }], next ? { link: `<${api.url}/v1/${next}>; rel="next"` } : {});

describe('api --paginate is bounded', () => {
  it('a next link back to a page already fetched stops with exit 5, nothing printed', async () => {
    route = (q, n, res) => page(res, n, q.url === '/v1/devices' ? 'devices?page=2' : 'devices');
    const r = await gt(['devices', '--paginate']);
    expect(r).toMatchObject({ exitCode: 5, stdout: '' });
    expect(r.stderr).toMatch(
      /^error: the Gardin API sent a next link back to .*\/v1\/devices, a page already fetched \(after 2 pages\); stopping rather than loop\. Nothing was printed\.\n$/,
    );
    expect(api.requests).toHaveLength(2);
  });

  it('an API that answers 401 on every page costs one token refresh, not one per page', async () => {
    // Each page is new, and each answers 401 once the token it saw is marked expired.
    route = (q, n, res) => {
      api.expired.add(api.requests.at(-1)!.token!);
      page(res, n, `devices?page=${n + 2}`);
    };
    const r = await gt(['devices', '--paginate']);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toMatch(/^error: GET http:\/\/127\.0\.0\.1:\d+\/v1\/devices\?page=\d+ answered HTTP 401 Unauthorized: The incoming token has expired\n$/);
    expect(fx.server.requests).toHaveLength(2);
  });

  it('more pages than --max-pages (default 1000) stops with exit 5, nothing printed', async () => {
    route = (_q, n, res) => page(res, n, `devices?page=${n + 2}`);
    const r = await gt(['devices', '--paginate', '--max-pages', '3']);
    expect(r).toMatchObject({ exitCode: 5, stdout: '' });
    expect(r.stderr).toBe('error: the Gardin API has more than 3 pages for this request; stopping. Nothing was printed. Raise --max-pages, or narrow the request.\n');
    expect(api.requests).toHaveLength(3);
    expect((await gt(['devices', '--max-pages', '0'])).stderr).toContain('Invalid page limit "0" from the --max-pages flag');
  });

  it('pages that hold more than 100 MiB together stop with exit 5, nothing printed', async () => {
    const big = 'x'.repeat(30 * MiB);
    route = (_q, n, res) => json(res, 200, JSON.stringify([big]), { link: `<${api.url}/v1/devices?page=${n + 2}>; rel="next"` });
    const r = await gt(['devices', '--paginate']);
    expect(r).toMatchObject({ exitCode: 5, stdout: '' });
    expect(r.stderr).toMatch(/^error: The pages of the Gardin API hold more than 104857600 bytes together \(at page 4\); stopping\./);
    expect(api.requests).toHaveLength(4);
  });
});

describe('api input is bounded', () => {
  it('--input and -F key=@file over 100 MiB are refused before anything is sent (exit 2)', async () => {
    const file = join(fx.home.root, 'huge');
    writeFileSync(file, '');
    truncateSync(file, 100 * MiB + 1);
    for (const args of [
      ['--input', file],
      ['-F', `blob=@${file}`],
    ]) {
      const r = await gt(['-X', 'PUT', 'devices/d', ...args]);
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toBe(`error: The file ${file} is larger than 104857600 bytes; refusing to read it whole.\n`);
    }
    const r = await runBin(
      ['api', 'devices/d', '--input', '-'],
      fx.home.root,
      { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl, GARDIN_API_URL: `${api.url}/v1` },
      { inputFile: file },
    );
    expect(r).toMatchObject({ exitCode: 2, stderr: 'error: Standard input is larger than 104857600 bytes; refusing to read it whole.\n' });
    expect(api.requests).toHaveLength(0);
    expect(fx.server.requests).toHaveLength(0);
  });
});

describe('api refuses what HTTP cannot carry, before anything is sent', () => {
  it.each([
    [['-H', 'X-A: 1\r\nB: 2'], 'Refusing the header "X-A: 1\\r\\nB: 2": its value holds a control character or a non-ASCII one.'],
    [['-H', 'X-Site: Gödöllő'], 'its value holds a control character or a non-ASCII one'],
    [['-H', 'Upgrade: websocket'], 'it belongs to the connection, which the HTTP client manages'],
    [['-H', 'Transfer-Encoding: chunked'], 'it belongs to the connection'],
    [['-H', 'Host: evil.example'], 'it belongs to the connection'],
    [['-H', 'Content-Length: 1'], 'it belongs to the connection'],
    [['-H', 'X Bad: 1'], 'its name is not an HTTP token'],
    [['-X', 'GET /x HTTP/1.1'], 'Refusing the method "GET /x HTTP/1.1": it is not an HTTP token'],
    [['-X', 'CONNECT'], 'Refusing the method "CONNECT": it is not a request to an API.'],
    [['-X', 'trace'], 'Refusing the method "trace": it is not a request to an API.'],
  ])('%j: exit 2 at once', async (args, message) => {
    const r = await gt(['devices', ...args]);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(api.requests).toHaveLength(0);
    expect(fx.server.requests).toHaveLength(0);
  });
});

describe('api output and fields', () => {
  it("-i on a terminal shows a header's control characters as escapes (C1 CSI included)", async () => {
    route = (_q, _n, res) => {
      res.setHeader('x-note', Buffer.from('a\x9b2Jb', 'latin1').toString('latin1'));
      json(res, 200, { ok: true });
    };
    const env = cleanEnv(fx.home.root, { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl, GARDIN_API_URL: `${api.url}/v1` });
    const r = await execa(...scriptOnPty(`${BIN_SH} api devices -i 2>/dev/null`), {
      env,
      extendEnv: false,
      reject: false,
      encoding: 'buffer',
    });
    const out = Buffer.from(r.stdout).toString('latin1');
    expect(out).toContain('x-note: a\\x9b2Jb');
    expect(out).not.toContain('\x9b');
  });

  it('-F keeps a number past 2^53 exact, in the body and in the query', async () => {
    route = (q, _n, res) => json(res, 200, { body: q.body, url: q.url });
    const post = JSON.parse((await gt(['devices', '-F', 'id=9999999999999999', '-F', 'n=12345678901234567890'])).stdout);
    expect(post.body).toBe('{"id":9999999999999999,"n":12345678901234567890}');
    const get = JSON.parse((await gt(['-X', 'GET', 'devices', '-F', 'id=9999999999999999'])).stdout);
    expect(get.url).toBe('/v1/devices?id=9999999999999999');
  });
});
