import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN } from './bin.js';
import { startConnectProxy, type ConnectProxy } from './proxy.js';
import { fakeJwt, json, startTokenServer, type Recorded, type TokenServer } from './token-server.js';

// Where the examples of the README and of --help run as written: the real URLs
// (https://login.gardin.ag, https://api.gardin.ag) reach one local TLS server through a CONNECT
// proxy (HTTPS_PROXY) that sends every tunnel to it, with a certificate for those names from a CA
// made for the run (NODE_EXTRA_CA_CERTS, CURL_CA_BUNDLE). Nothing leaves the machine.

export interface DocsServer {
  tokens: TokenServer;
  proxy: ConnectProxy;
  /** The CA's certificate (PEM file). */
  ca: string;
  close(): Promise<void>;
}

/** A CA and a certificate for Gardin's hosts, made with openssl for this run only. */
function certificates(dir: string): { ca: string; key: string; cert: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=gardin-token docs test CA',
  ]);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=login.gardin.ag']);
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:login.gardin.ag,DNS:api.gardin.ag\nbasicConstraints=CA:FALSE\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf']);
  return { ca: join(dir, 'ca.pem'), key: join(dir, 'server.key'), cert: join(dir, 'server.pem') };
}

let issued = 0;
/** The token endpoint (any client with a credential) and the API (any token it issued), as Gardin's answer. */
function gardin(tokens: () => TokenServer) {
  return (q: Recorded, _n: number, res: import('node:http').ServerResponse) => {
    const path = q.url.split('?')[0]!;
    if (path === '/oauth2/token') {
      const scope = q.form.get('scope') ?? 'data.indices:query';
      const exp = Math.floor(Date.now() / 1000) + 3600;
      return json(res, 200, { access_token: fakeJwt({ sub: 'docs', client_id: 'abc123', scope, exp, n: ++issued }), token_type: 'Bearer', expires_in: 3600, scope });
    }
    const token = /^Bearer (\S+)$/.exec(q.headers.authorization ?? '')?.[1];
    if (!token || !tokens().issued.includes(token)) return json(res, 401, { message: 'The incoming token is not valid' });
    const page = Number(new URL(q.url, 'https://api.gardin.ag').searchParams.get('page') ?? '1');
    if (path === '/v1/devices' && q.method === 'GET') {
      const next = page < 2 ? { link: `<https://api.gardin.ag/v1/devices?page=${page + 1}>; rel="next"` } : undefined;
      return json(res, 200, [{ id: `dev-${page}`, site: 'north' }], next);
    }
    if (path === '/v1/fields') return json(res, 200, [{ id: 'field-1', crop: 'wheat' }]);
    return json(res, q.method === 'POST' ? 201 : 200, { path, method: q.method, ...(q.body && { body: JSON.parse(q.body) }) });
  };
}

/** The local Gardin (token endpoint and API, over TLS) and the proxy that leads there. */
export async function startDocsServer(): Promise<DocsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gardin-token-docs-ca-'));
  const { ca, key, cert } = certificates(dir);
  const { readFileSync } = await import('node:fs');
  // The API accepts the tokens this same server issued: the handler reads them once it exists.
  const holder: { tokens?: TokenServer } = {};
  const tokens = await startTokenServer(
    gardin(() => holder.tokens!),
    { server: createServer({ key: readFileSync(key), cert: readFileSync(cert) }) },
  );
  holder.tokens = tokens;
  const proxy = await startConnectProxy({ toPort: Number(new URL(tokens.url).port) });
  return {
    tokens,
    proxy,
    ca,
    close: async () => {
      await Promise.all([tokens.close(), proxy.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Sandbox {
  /** The working folder the examples run in (their ./scripts and files are here). */
  cwd: string;
  home: string;
  env: Record<string, string>;
  cleanup(): void;
}

/**
 * A user's machine for the examples: a HOME, gardin-token on PATH (with the Node running the
 * tests), stand-ins for the user's own scripts and password manager, and the environment that
 * leads Gardin's URLs to the local server. `profiles`: prod (the default) and staging stored.
 */
export function sandbox(server: DocsServer, options: { profiles: boolean }): Sandbox {
  const root = mkdtempSync(join(tmpdir(), 'gardin-token-docs-'));
  const home = join(root, 'home');
  const cwd = join(root, 'work');
  const bin = join(root, 'bin');
  for (const d of [home, cwd, bin, join(home, '.config', 'fish', 'completions')]) mkdirSync(d, { recursive: true });
  symlinkSync(BIN, join(bin, 'gardin-token'));
  const script = (path: string, text: string) => {
    writeFileSync(path, text);
    chmodSync(path, 0o755);
  };
  // A password manager: `pass show <name>` prints the secret.
  script(join(bin, 'pass'), '#!/bin/sh\necho "dev-secret-from-pass"\n');
  // The user's own scripts: each checks that it got what the example says it gets.
  script(join(cwd, 'sync.sh'), '#!/bin/sh\ntest -n "$GARDIN_ACCESS_TOKEN"\n');
  script(join(cwd, 'sync-sensors.sh'), '#!/bin/sh\ntest -n "$GARDIN_ACCESS_TOKEN" && test "$1" = --since\n');
  script(join(cwd, 'backfill.sh'), '#!/bin/sh\nfor i in 1 2; do test -s "$GARDIN_ACCESS_TOKEN_FILE" || exit 1; done\n');
  writeFileSync(join(cwd, 'fetch.mjs'), 'if (!process.env.API_TOKEN || process.env.GARDIN_ACCESS_TOKEN) process.exit(1);\n');
  writeFileSync(join(cwd, 'device.json'), '{"name":"north gate","site":"north"}\n');
  writeFileSync(join(cwd, 'key.pem'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const config = join(home, '.config', 'gardin-token');
  if (options.profiles) {
    mkdirSync(config, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(config, 'config.json'),
      JSON.stringify({
        default: 'prod',
        profiles: { prod: { clientId: 'abc123', clientSecret: 'prod-secret', scope: 'data.indices:query' }, staging: { clientId: 's-42', clientSecret: 'staging-secret' } },
      }),
      { mode: 0o600 },
    );
  }
  const env: Record<string, string> = {
    HOME: home,
    PATH: `${bin}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    HTTPS_PROXY: server.proxy.url,
    NO_PROXY: '127.0.0.1,localhost',
    NODE_EXTRA_CA_CERTS: server.ca,
    CURL_CA_BUNDLE: server.ca,
    // What the examples take from the user's environment.
    SECRET: 'a-secret-from-the-vault',
    NEW_SECRET: 'a-new-secret-from-the-vault',
    GARDIN_USERNAME: 'abc123',
    GARDIN_PASSWORD: 'a-secret-from-the-vault',
    TOKEN: fakeJwt({ sub: 'docs', scope: 'jobs:read', exp: Math.floor(Date.now() / 1000) + 3600 }),
  };
  return { cwd, home, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
