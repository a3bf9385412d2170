import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_SH, cleanEnv, runBin, type RunResult } from '../../helpers/bin.js';
import { scriptOnPty } from '../../helpers/pty.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { startGardinApi, type FakeApi } from '../../helpers/gardin-api.js';
import { expectNoLeak, secretForms } from '../../helpers/no-leak.js';
import { issueTokens, json, startTokenServer, type Handler } from '../../helpers/token-server.js';

// `gardin-token api` through the built bin, against a fake Gardin API that accepts only tokens
// the local token server issued.
const SECRET = 'api-Secret-61d0';
const fx = useTokenServer(() => issueTokens());
let api: FakeApi;
let route: Handler;
const closers: Array<() => Promise<void>> = [];

beforeEach(async () => {
  route = (_q, _n, res) => json(res, 200, { ok: true });
  api = await startGardinApi(fx.server, (q, n, res) => route(q, n, res));
  closers.push(api.close);
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function gt(args: string[], extra: Record<string, string | undefined> = {}, input = ''): Promise<RunResult> {
  const env = { GARDIN_CLIENT_ID: 'api-client', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl, GARDIN_API_URL: `${api.url}/v1`, ...extra };
  const r = await runBin(['api', ...args], fx.home.root, env, { input });
  expectNoLeak([r.stdout, r.stderr], [...secretForms('api-client', SECRET), ...fx.server.issued]);
  return r;
}

describe('gardin-token api', () => {
  it('GET a path: the body as received on stdout, the bearer token sent, exit 0', async () => {
    route = (_q, _n, res) => json(res, 200, [{ id: 'dev-1' }, { id: 'dev-2' }]);
    const r = await gt(['/devices']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '[{"id":"dev-1"},{"id":"dev-2"}]', stderr: '' });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/v1/devices', token: fx.server.issued[0] });
    // The token came from the same cache as the default command's.
    await gt(['devices']);
    expect(fx.server.requests).toHaveLength(1);
  });

  it('POST with fields: -f strings, -F typed values and @file, as one JSON body', async () => {
    const file = join(fx.home.root, 'note.txt');
    writeFileSync(file, 'from a file');
    route = (q, _n, res) => json(res, 201, { got: JSON.parse(q.body), type: q.headers['content-type'] });
    const r = await gt(['jobs', '-f', 'name=scan', '-f', 'count=3', '-F', 'limit=3', '-F', 'on=true', '-F', 'none=null', '-F', `note=@${file}`]);
    expect(r.exitCode).toBe(0);
    expect(api.requests[0]!.method).toBe('POST');
    expect(JSON.parse(r.stdout)).toEqual({ got: { name: 'scan', count: '3', limit: 3, on: true, none: null, note: 'from a file' }, type: 'application/json' });
  });

  it('GET with fields puts them in the query string', async () => {
    await gt(['-X', 'GET', 'devices', '-f', 'site=north field', '-F', 'limit=5']);
    expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/v1/devices?site=north+field&limit=5' });
  });

  it('--input - sends standard input as the body', async () => {
    route = (q, _n, res) => json(res, 200, { got: q.body });
    const r = await gt(['-X', 'PUT', 'devices/dev-1', '--input', '-'], {}, '{"name":"raw body"}');
    expect(api.requests[0]!.method).toBe('PUT');
    expect(JSON.parse(r.stdout).got).toBe('{"name":"raw body"}');
  });

  it('a 401 on an expired token: one new token, one retry, then the answer', async () => {
    await gt(['devices']);
    api.expired.add(fx.server.issued[0]!);
    const r = await gt(['devices', '--verbose']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '{"ok":true}' });
    expect(fx.server.requests).toHaveLength(2);
    expect(api.requests.map((q) => q.token)).toEqual([fx.server.issued[0], fx.server.issued[0], fx.server.issued[1]]);
    expect(r.stderr).toContain('API: HTTP 401; fetching a new token and trying once more');
  });

  it('a second 401 is the answer: exit 7', async () => {
    route = (_q, _n, res) => json(res, 401, { message: 'Not for you' });
    const r = await gt(['devices']);
    expect(r.exitCode).toBe(7);
    expect(r.stdout).toBe('{"message":"Not for you"}');
    expect(r.stderr).toBe(`error: GET ${api.url}/v1/devices answered HTTP 401 Unauthorized: Not for you\n`);
    expect(api.requests).toHaveLength(2);
  });

  it('a 404 with a JSON message: exit 7, the body on stdout, one line on stderr', async () => {
    route = (_q, _n, res) => json(res, 404, { message: 'No such device' });
    const r = await gt(['devices/nope']);
    expect(r).toMatchObject({ exitCode: 7, stdout: '{"message":"No such device"}', stderr: `error: GET ${api.url}/v1/devices/nope answered HTTP 404 Not Found: No such device\n` });
  });

  it("a path that already starts with the base URL's path is not doubled; a failed POST names its method", async () => {
    route = (q, _n, res) => json(res, q.url.startsWith('/v1/v1/') ? 404 : 200, { at: q.url });
    const r = await gt(['/v1/devices']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '{"at":"/v1/devices"}' });
    route = (_q, _n, res) => json(res, 409, { message: 'exists' });
    const post = await gt(['-X', 'POST', 'devices', '-f', 'name=a']);
    expect(post.stderr).toBe(`error: POST ${api.url}/v1/devices answered HTTP 409 Conflict: exists\n`);
  });

  it('503 then 200 for a GET: retried; a POST is not', async () => {
    route = (_q, n, res) => (n === 0 ? json(res, 503, { message: 'busy' }) : json(res, 200, { ok: n }));
    const r = await gt(['devices', '--verbose']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '{"ok":1}' });
    expect(r.stderr).toMatch(/-> HTTP 503 in \d+ ms\n.*retrying in \d+ ms/);
    route = (_q, _n, res) => json(res, 503, { message: 'busy' });
    api.requests.length = 0;
    const post = await gt(['jobs', '-f', 'x=1']);
    expect(post.exitCode).toBe(7);
    expect(api.requests).toHaveLength(1);
  });

  it('a redirect within the origin is followed; one to another origin is refused and the token goes nowhere', async () => {
    const other = await startTokenServer((_q, _n, res) => json(res, 200, { stolen: true }));
    closers.push(other.close);
    route = (q, _n, res) => {
      if (q.url === '/v1/old') res.writeHead(301, { location: '/v1/new' }).end();
      else if (q.url === '/v1/away') res.writeHead(302, { location: `${other.url}/v1/new` }).end();
      else json(res, 200, { at: q.url });
    };
    expect((await gt(['old'])).stdout).toBe('{"at":"/v1/new"}');
    const r = await gt(['away']);
    expect(r).toMatchObject({ exitCode: 4, stdout: '' });
    expect(r.stderr).toContain('redirect (HTTP 302) to another origin');
    expect(other.requests).toHaveLength(0);
  });

  it('a full URL of another origin is refused before anything is sent', async () => {
    const r = await gt(['https://elsewhere.example/v1/devices']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain("Refusing to send the token to https://elsewhere.example: it is not the API's origin");
    expect(fx.server.requests).toHaveLength(0);
    expect((await gt([`${api.url}/v1/devices`])).exitCode).toBe(0);
  });

  it('--paginate follows Link rel="next" over 3 pages and prints one array', async () => {
    route = (q, _n, res) => {
      const page = Number(new URL(q.url, api.url).searchParams.get('page') ?? '1');
      const link: Record<string, string> = page < 3 ? { link: `<${api.url}/v1/devices?page=${page + 1}>; rel="next", <${api.url}/v1/devices?page=3>; rel="last"` } : {};
      json(res, 200, [{ page }], link);
    };
    const r = await gt(['devices', '--paginate']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([{ page: 1 }, { page: 2 }, { page: 3 }]);
    expect(api.requests.map((q) => q.url)).toEqual(['/v1/devices', '/v1/devices?page=2', '/v1/devices?page=3']);
  });

  it('-i prints the status line and headers first', async () => {
    route = (_q, _n, res) => json(res, 200, { ok: true }, { 'x-request-id': 'r-42' });
    const r = await gt(['devices', '-i']);
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n(.+\r\n)*x-request-id: r-42\r\n(.+\r\n)*\r\n\{"ok":true\}$/);
  });

  it('--verbose traces the API request with neither the token nor the secret', async () => {
    const r = await gt(['devices', '--verbose']);
    expect(r.stderr).toContain(`GET ${api.url}/v1/devices (attempt 1 of 3)`);
    expect(r.stderr).toContain('authorization: Bearer ***');
  });

  it('options written before api apply to it', async () => {
    const r = await runBin(['--client-id', 'api-client', 'api', 'devices'], fx.home.root, {
      GARDIN_CLIENT_SECRET: SECRET,
      GARDIN_TOKEN_URL: fx.server.tokenUrl,
      GARDIN_API_URL: `${api.url}/v1`,
    });
    expect(r.exitCode).toBe(0);
  });

  it.each([
    [['--base-url', 'http://api.gardin.example/v1', 'devices'], 'Refusing to send credentials over plain http://'],
    [['devices', '-H', 'Authorization: Bearer mine'], 'The Authorization header is set by gardin-token'],
    [['devices', '-f', 'novalue'], '-f takes key=value'],
    [['devices', '-F', 'a=@-', '--input', '-'], 'Standard input can be read once'],
  ])('%j: exit 2', async (args, message) => {
    const r = await gt(args);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(message);
  });

  it('on a terminal, JSON is indented (and stdout carries no colour codes)', async () => {
    route = (_q, _n, res) => json(res, 200, { a: [1, { b: 'c' }] });
    const out = join(fx.home.root, 'out');
    const env = cleanEnv(fx.home.root, {
      GARDIN_CLIENT_ID: 'api-client',
      GARDIN_CLIENT_SECRET: SECRET,
      GARDIN_TOKEN_URL: fx.server.tokenUrl,
      GARDIN_API_URL: `${api.url}/v1`,
      TERM: 'xterm-256color',
    });
    const r = await execa(...scriptOnPty(`${BIN_SH} api devices 2>"${out}"`), {
      env,
      extendEnv: false,
      reject: false,
      stripFinalNewline: false,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.replace(/\r\n/g, '\n')).toBe('{\n  "a": [\n    1,\n    {\n      "b": "c"\n    }\n  ]\n}\n');
  });
});

describe('help and completion know api', () => {
  it('help exit-codes lists 7; help environment lists GARDIN_API_URL; help api shows its options', async () => {
    const codes = await runBin(['help', 'exit-codes'], fx.home.root);
    expect(codes).toMatchObject({ exitCode: 0, stderr: '' });
    expect(codes.stdout).toMatch(/^ {2}7 {4}api: the Gardin API answered with an HTTP error/m);
    expect((await runBin(['help', 'environment'], fx.home.root)).stdout).toContain('GARDIN_API_URL');
    const help = await runBin(['help', 'api'], fx.home.root);
    for (const o of ['--method', '--header', '--raw-field', '--field', '--input', '--include', '--base-url', '--paginate']) expect(help.stdout).toContain(o);
    expect(await runBin(['help', 'no-such-topic'], fx.home.root)).toMatchObject({ exitCode: 2, stdout: '' });
  });

  it('bash completion offers api and its options', async () => {
    const script = (await runBin(['completion', 'bash'], fx.home.root)).stdout;
    writeFileSync(join(fx.home.root, 'c.bash'), script);
    const run = (line: string) =>
      execa('bash', ['-c', `source c.bash; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; _gardin_token; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: fx.home.root });
    expect((await run('gardin-token ap')).stdout.split('\n')).toContain('api');
    expect((await run('gardin-token api devices --pag')).stdout.split('\n')).toContain('--paginate');
  });
});
