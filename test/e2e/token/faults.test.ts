import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hangBoundMs, runBin, type RunResult } from '../../helpers/bin.js';
import { expectNoLeak, secretForms } from '../../helpers/no-leak.js';
import { tempHome } from '../../helpers/deps.js';
import { startConnectProxy } from '../../helpers/proxy.js';
import { issueTokens, json, startTokenServer, type Handler, type TokenServer } from '../../helpers/token-server.js';

// The fault matrix of the hardening issue, end to end through the built bin. Every case checks
// the exit code, an empty stdout on failure, and that neither the secret nor the Basic value is
// printed, with and without --verbose. No case checks that anything was fast (speed belongs to
// the bench); a timeout is checked by its message and by having fired after its deadline, and a
// hang is caught by a bound derived from --timeout with a wide margin.
const SECRET = 'fault-Secret-77aa';
const tls = (f: string) => join(import.meta.dirname, '../../fixtures/tls', f);
let home: ReturnType<typeof tempHome>;
const closers: Array<() => Promise<void>> = [];

beforeEach(() => {
  home = tempHome();
});
afterEach(async () => {
  home.cleanup();
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function serve(handler: Handler): Promise<TokenServer> {
  const s = await startTokenServer(handler);
  closers.push(s.close);
  return s;
}

/** Runs the bin twice, plain and --verbose, and checks the invariants on both. */
async function both(args: string[], env: Record<string, string | undefined>, expected: { code: number }): Promise<[RunResult, RunResult]> {
  const out: RunResult[] = [];
  const at = args.indexOf('--timeout');
  const timeoutS = at >= 0 ? Number(args[at + 1]) : 30;
  for (const extra of [[], ['--verbose']]) {
    const r = await runBin(
      ['--no-cache', ...args, ...extra],
      home.root,
      { GARDIN_CLIENT_ID: 'fault-client', GARDIN_CLIENT_SECRET: SECRET, ...env },
      { timeout: hangBoundMs(timeoutS) },
    );
    expect(r.exitCode, r.stderr).toBe(expected.code);
    if (expected.code !== 0) expect(r.stdout).toBe('');
    expectNoLeak([r.stdout, r.stderr], secretForms('fault-client', SECRET));
    out.push(r);
  }
  return out as [RunResult, RunResult];
}

describe('fault matrix', () => {
  it('connection refused: exit 4 after 3 attempts, each named', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    await new Promise<void>((r) => blocker.close(() => r()));
    const [plain, verbose] = await both(['--token-url', `http://127.0.0.1:${port}/token`], {}, { code: 4 });
    expect(plain.stderr).toContain('connection refused after 3 attempts (connection refused, connection refused, connection refused)');
    expect(verbose.stderr).toContain('attempt 3 of 3');
  });

  it('a server that never answers: exit 4 after --timeout', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => (sockets.forEach((s) => s.destroy()), silent.close(() => r()))));
    const port = (silent.address() as { port: number }).port;
    const [plain] = await both(['--token-url', `http://127.0.0.1:${port}/token`, '--timeout', '1.5'], {}, { code: 4 });
    expect(plain.ms).toBeGreaterThanOrEqual(1500);
    expect(plain.stderr).toContain('No answer from the token endpoint');
    expect(plain.stderr).toContain('within 1.5 s');
  });

  it('a body that trickles forever: exit 4 after --timeout', async () => {
    const s = await serve((_q, _n, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"access_token":"');
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('a')), 100);
    });
    const [plain] = await both(['--token-url', s.tokenUrl, '--timeout', '1.5'], {}, { code: 4 });
    expect(plain.ms).toBeGreaterThanOrEqual(1500);
    expect(plain.stderr).toContain('within 1.5 s');
  });

  it('500 forever: a bounded number of attempts', async () => {
    const s = await serve((_q, _n, res) => json(res, 500, { error: 'server_error', error_description: 'db down' }));
    const [plain] = await both(['--token-url', s.tokenUrl], {}, { code: 4 });
    expect(s.requests).toHaveLength(6);
    expect(plain.stderr).toContain('HTTP 500 (server_error: db down) after 3 attempts (HTTP 500, HTTP 500, HTTP 500)');
    const r = await runBin(['--no-cache', '--token-url', s.tokenUrl, '--retries', '0'], home.root, { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: 's' });
    expect(r.exitCode).toBe(4);
    expect(s.requests).toHaveLength(7);
  });

  it('503, 503, 200: success on the third attempt', async () => {
    const s = await serve((q, n, res) => (n % 3 < 2 ? json(res, 503, 'busy') : issueTokens()(q, n, res)));
    const [plain, verbose] = await both(['--token-url', s.tokenUrl], {}, { code: 0 });
    expect(plain.stdout).toMatch(/^tok-/);
    expect(plain.stderr).toBe('');
    expect(verbose.stderr).toMatch(/-> HTTP 503 in \d+ ms\n.*retrying in \d+ ms/);
    expect(s.requests).toHaveLength(6);
  });

  it('429 with Retry-After: 1, then 200: waits about a second', async () => {
    const s = await serve((q, n, res) => (n % 2 === 0 ? json(res, 429, { message: 'slow down' }, { 'retry-after': '1' }) : issueTokens()(q, n, res)));
    const [plain, verbose] = await both(['--token-url', s.tokenUrl], {}, { code: 0 });
    expect(plain.ms).toBeGreaterThan(1000);
    expect(verbose.stderr).toContain('retrying in 1000 ms (Retry-After)');
  });

  it('a Retry-After beyond the deadline is not waited for', async () => {
    const s = await serve((_q, _n, res) => json(res, 429, { message: 'slow down' }, { 'retry-after': '120' }));
    const [plain] = await both(['--token-url', s.tokenUrl, '--timeout', '3'], {}, { code: 4 });
    expect(plain.stderr).toContain('HTTP 429 (slow down)');
  });

  it('an HTML 502 from a gateway: exit 4 with the page text, not the markup', async () => {
    const s = await serve((_q, _n, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>');
    });
    const [plain] = await both(['--token-url', s.tokenUrl, '--retries', '1'], {}, { code: 4 });
    expect(plain.stderr).toContain('answered HTTP 502 (502 Bad Gateway 502 Bad Gateway nginx) after 2 attempts');
    expect(plain.stderr).not.toContain('<');
  });

  it('a 307 to another server: refused, and the other server receives nothing', async () => {
    const other = await serve(issueTokens());
    const s = await serve((_q, _n, res) => {
      res.writeHead(307, { location: other.tokenUrl });
      res.end();
    });
    const [plain] = await both(['--token-url', s.tokenUrl], {}, { code: 4 });
    expect(plain.stderr).toContain(`redirect (HTTP 307) to ${other.tokenUrl}`);
    expect(other.requests).toHaveLength(0);
    expect(s.requests).toHaveLength(2);
  });

  it('a 20 MiB body: exit 5 without reading it all', async () => {
    const s = await serve((_q, _n, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < 20 && res.write(chunk)) sent++;
        if (sent < 20) res.once('drain', more);
        else res.end();
      };
      res.on('error', () => undefined);
      more();
    });
    const [plain] = await both(['--token-url', s.tokenUrl], {}, { code: 5 });
    expect(plain.stderr).toContain('larger than 1048576 bytes');
  });

  it('a 20 MiB body announced by Content-Length: exit 5', async () => {
    const s = await serve((_q, _n, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(20 * 1024 * 1024) });
      res.write('{');
    });
    await both(['--token-url', s.tokenUrl], {}, { code: 5 });
  });

  describe('TLS', () => {
    let https: TokenServer;
    beforeAll(async () => {
      https = await startTokenServer(issueTokens(), { server: createHttpsServer({ cert: readFileSync(tls('server.pem')), key: readFileSync(tls('server-key.pem')) }) });
    });
    afterAll(() => https.close());

    it('an untrusted certificate: exit 4 with the reason and the fix', async () => {
      const [plain] = await both(['--token-url', https.tokenUrl], {}, { code: 4 });
      expect(plain.stderr).toContain('TLS with the token endpoint');
      expect(plain.stderr).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(plain.stderr).toContain('--ca-file');
    });

    it('trusted through --ca-file and GARDIN_CA_FILE', async () => {
      await both(['--token-url', https.tokenUrl, '--ca-file', tls('ca.pem')], {}, { code: 0 });
      await both(['--token-url', https.tokenUrl], { GARDIN_CA_FILE: tls('ca.pem') }, { code: 0 });
    });

    it('trusted through NODE_EXTRA_CA_CERTS', async () => {
      await both(['--token-url', https.tokenUrl], { NODE_EXTRA_CA_CERTS: tls('ca.pem') }, { code: 0 });
    });

    it('--ca-file keeps NODE_EXTRA_CA_CERTS trusted too', async () => {
      await both(['--token-url', https.tokenUrl, '--ca-file', tls('wronghost.pem')], { NODE_EXTRA_CA_CERTS: tls('ca.pem') }, { code: 0 });
    });

    it('a certificate for another host: exit 4 saying so', async () => {
      const wrong = await startTokenServer(issueTokens(), {
        server: createHttpsServer({ cert: readFileSync(tls('wronghost.pem')), key: readFileSync(tls('wronghost-key.pem')) }),
      });
      closers.push(wrong.close);
      const [plain] = await both(['--token-url', wrong.tokenUrl, '--ca-file', tls('ca.pem')], {}, { code: 4 });
      expect(plain.stderr).toContain('does not name this host');
    });

    it('an unreadable --ca-file: exit 2', async () => {
      const [plain] = await both(['--token-url', https.tokenUrl, '--ca-file', '/nonexistent/ca.pem'], {}, { code: 2 });
      expect(plain.stderr).toContain('Cannot read the CA file /nonexistent/ca.pem');
    });

    describe('proxies (a non-loopback name, which the test proxy tunnels to 127.0.0.1)', () => {
      // wronghost.pem names not-this-host.test; loopback URLs never use a proxy.
      let remote: TokenServer;
      let remoteUrl: string;
      beforeAll(async () => {
        remote = await startTokenServer(issueTokens(), {
          server: createHttpsServer({ cert: readFileSync(tls('wronghost.pem')), key: readFileSync(tls('wronghost-key.pem')) }),
        });
        remoteUrl = `https://not-this-host.test:${new URL(remote.url).port}/oauth2/token`;
      });
      afterAll(() => remote.close());

      it('through a CONNECT proxy from HTTPS_PROXY, with credentials in its URL kept out of the output', async () => {
        const proxy = await startConnectProxy();
        closers.push(proxy.close);
        const proxyUrl = proxy.url.replace('http://', 'http://puser:proxy-pass-31@');
        const [, verbose] = await both(['--token-url', remoteUrl, '--ca-file', tls('ca.pem')], { HTTPS_PROXY: proxyUrl, NO_PROXY: '' }, { code: 0 });
        expect(proxy.connects).toHaveLength(2);
        expect(proxy.connects[0]!.target).toBe(new URL(remoteUrl).host);
        expect(proxy.connects[0]!.auth).toBe(`Basic ${Buffer.from('puser:proxy-pass-31').toString('base64')}`);
        expect(verbose.stderr).toContain('proxy: http://puser:***@127.0.0.1');
        expect(verbose.stderr).not.toContain('proxy-pass-31');
      });

      it('NO_PROXY bypasses the proxy', async () => {
        const proxy = await startConnectProxy();
        closers.push(proxy.close);
        // 0.0.0.0 is this machine but not a loopback name, so only NO_PROXY keeps it off the proxy;
        // the certificate does not name it, which proves the direct connection reached the server.
        const direct = `https://0.0.0.0:${new URL(https.url).port}/oauth2/token`;
        const [plain] = await both(['--token-url', direct, '--ca-file', tls('ca.pem')], { https_proxy: proxy.url, NO_PROXY: '0.0.0.0' }, { code: 4 });
        expect(plain.stderr).toContain('does not name this host');
        expect(proxy.connects).toHaveLength(0);
      });

      it('a timeout with a proxy configured says so', async () => {
        const proxy = await startConnectProxy({ hang: true });
        closers.push(proxy.close);
        const [plain] = await both(['--token-url', remoteUrl, '--timeout', '1'], { HTTPS_PROXY: proxy.url, NO_PROXY: '' }, { code: 4 });
        expect(plain.ms).toBeGreaterThanOrEqual(1000);
        expect(plain.stderr).toContain(`through the proxy ${proxy.url} (from HTTPS_PROXY) within 1 s`);
      });
    });
  });
});
