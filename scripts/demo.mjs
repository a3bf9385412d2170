// `npm run demo`: gardin-token against a real OAuth2 server (oidc-provider) on 127.0.0.1.
// Nothing leaves this machine; config and cache go to a temporary folder that is removed after.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOidcServer } from '../test/helpers/oidc-server.mjs';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = join(root, 'bin/gardin-token.cjs');
const home = mkdtempSync(join(tmpdir(), 'gardin-token-demo-'));
const server = await startOidcServer([{ id: 'gardin-demo', secret: 'demo-secret-change-me' }]);
const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_CACHE_HOME: join(home, 'cache'),
  GARDIN_TOKEN_URL: server.tokenUrl,
  GARDIN_CLIENT_ID: 'gardin-demo',
  GARDIN_CLIENT_SECRET: 'demo-secret-change-me',
};
// Unset, not empty: an empty GARDIN_* variable is refused, as an empty flag is.
const NO_ENV_CLIENT = { GARDIN_CLIENT_ID: undefined, GARDIN_CLIENT_SECRET: undefined, GARDIN_TOKEN_URL: undefined };
const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** Runs a command without blocking this process, which is also the OAuth2 server. */
function run(command, args, env, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function show(title, args, opts = {}) {
  console.log(`\n${bold(title)}\n$ ${opts.shown ?? `gardin-token ${args.join(' ')}`}`);
  const r = await run(opts.command ?? process.execPath, opts.command ? args : [bin, ...args], { ...env, ...opts.env });
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stdout.write(r.stderr.replace(/^(?=.)/gm, '[stderr] '));
  console.log(`(exit ${r.status})`);
  if (opts.expect !== undefined && r.status !== opts.expect) throw new Error(`expected exit ${opts.expect}, got ${r.status}`);
  return r;
}

try {
  console.log(`oidc-provider is issuing tokens at ${server.tokenUrl}`);
  console.log('Credentials come from GARDIN_CLIENT_ID / GARDIN_CLIENT_SECRET; GARDIN_TOKEN_URL points at the local server.');
  await show('1. The token, raw (what `curl -H "Authorization: Bearer $(gardin-token)"` wants):', ['--scope', 'data.indices:query'], { expect: 0 });
  await show('2. JSON: the same token again, now from the cache ("cached": true):', ['--json', '--scope', 'data.indices:query'], { expect: 0 });
  await show(
    '3. For a shell: eval "$(gardin-token --export)"',
    [
      '-c',
      `eval "$(${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} --export --scope data.indices:query)" && echo "GARDIN_ACCESS_TOKEN has $(printf %s "$GARDIN_ACCESS_TOKEN" | wc -c) characters, expires at $GARDIN_ACCESS_TOKEN_EXPIRES_AT"`,
    ],
    {
      command: 'sh',
      shown: 'eval "$(gardin-token --export --scope data.indices:query)"; echo ...',
      expect: 0,
    },
  );
  await show('4. A wrong secret: exit 3, one line on stderr, nothing on stdout, no secret shown:', ['--no-cache'], {
    env: { GARDIN_CLIENT_SECRET: 'wrong-secret' },
    expect: 3,
  });
  const added = await run(
    process.execPath,
    // --secret-store file: the demo lives in a temporary folder and must leave nothing in your keychain.
    [bin, 'profile', 'add', 'demo', '--client-id', 'gardin-demo', '--client-secret-stdin', '--secret-store', 'file', '--token-url', server.tokenUrl],
    { ...env, ...NO_ENV_CLIENT },
    'demo-secret-change-me\n',
  );
  if (added.status !== 0) throw new Error(`profile add failed: ${added.stderr}`);
  await show(
    '5. A stored profile (added with `gardin-token profile add demo --client-id gardin-demo --client-secret-stdin --secret-store file ...`):',
    ['profile', 'show', 'demo'],
    { expect: 0 },
  );
  await show('   and a token through it, with a redacted trace:', ['-p', 'demo', '--no-cache', '--verbose', '-o', 'header'], {
    env: NO_ENV_CLIENT,
    expect: 0,
  });
  console.log(`\nDone. Try it yourself: npm install -g . && gardin-token --help`);
} finally {
  await server.close();
  rmSync(home, { recursive: true, force: true });
}
