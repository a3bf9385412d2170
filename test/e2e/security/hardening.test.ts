import { execa } from 'execa';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../../src/token/auth/basic.js';
import { BIN_ARGV, BIN_SH, cleanEnv, runBin, type RunResult } from '../../helpers/bin.js';
import { scriptOnPty } from '../../helpers/pty.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { expectNoLeak, secretForms } from '../../helpers/no-leak.js';
import { startConnectProxy } from '../../helpers/proxy.js';
import { fakeJwt, json, startTokenServer, type Handler } from '../../helpers/token-server.js';

// Issue 8 ("never the wrong token, never a silent failure, never a leak"), point by point, through
// the built bin against a local token server. Each test failed on 1.0.0.
const SECRET = 'hard-Secret-4e1f';
const PROD_SECRET = 'prod-Secret-77c2';
const ENV_SECRET = 'envi-Secret-90ab';
const secrets = [SECRET, PROD_SECRET, ENV_SECRET].flatMap((s) => secretForms('c', s));

/** Answers with a token that names the client that asked (Basic or form), so tests see whose token it is. */
const tokenForClient: () => Handler = () => {
  let n = 0;
  return (q, _n, res) => {
    const basic = q.headers.authorization?.replace(/^Basic /, '');
    const client = basic ? Buffer.from(basic, 'base64').toString().split(':')[0] : q.form.get('client_id');
    json(res, 200, { access_token: `tok-${client}-${++n}`, token_type: 'Bearer', expires_in: 3600 });
  };
};
const fx = useTokenServer(tokenForClient);
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const isRoot = process.getuid?.() === 0;
const has = (cmd: string) => ['/usr/bin', '/bin', '/usr/local/bin'].some((d) => existsSync(join(d, cmd)));
const configFile = () => join(fx.home.config, 'config.json');
const env = (extra: Record<string, string | undefined> = {}) => ({ GARDIN_TOKEN_URL: fx.server.tokenUrl, ...extra });
const creds = { GARDIN_CLIENT_ID: 'envclient', GARDIN_CLIENT_SECRET: ENV_SECRET };

async function gt(args: string[], extra: Record<string, string | undefined> = {}, input = ''): Promise<RunResult> {
  const r = await runBin(args, fx.home.root, env(extra), { input });
  expectNoLeak([r.stdout, r.stderr], secrets);
  return r;
}

/** A profile store written as conf writes it (0600 in a 0700 folder). */
function writeStore(store: unknown): void {
  mkdirSync(fx.home.config, { recursive: true, mode: 0o700 });
  writeFileSync(configFile(), JSON.stringify(store), { mode: 0o600 });
}
const twoProfiles = () =>
  writeStore({
    default: 'dev',
    profiles: {
      dev: { clientId: 'devclient', clientSecret: SECRET, tokenUrl: fx.server.tokenUrl },
      staging: { clientId: 'stagingclient', clientSecret: PROD_SECRET, tokenUrl: fx.server.tokenUrl, scope: 'jobs:read' },
    },
  });

describe('options before a subcommand apply to it, or are refused', () => {
  it("-p before exec gives the command that profile's token", async () => {
    twoProfiles();
    const r = await gt(['-p', 'staging', 'exec', '--', 'sh', '-c', 'printf %s "$GARDIN_ACCESS_TOKEN"']);
    expect(r).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^tok-stagingclient-/) });
  });

  it('--client-id, --token-url and --scope before status and exec are used', async () => {
    const status = await gt(['--client-id', 'flagclient', '--scope', 'jobs:write', 'status', '--json'], creds);
    expect(JSON.parse(status.stdout)).toMatchObject({ client_id: 'flagclient', scopes: ['jobs:write'] });
    const other = await startTokenServer(tokenForClient());
    closers.push(other.close);
    const r = await gt(['--token-url', other.tokenUrl, '--scope', 'jobs:read', 'exec', '--scope', 'jobs:write', '--', 'true'], creds);
    expect(r.exitCode).toBe(0);
    expect(other.requests).toHaveLength(1);
    expect(other.requests[0]!.form.get('scope')).toBe('jobs:read jobs:write');
    expect(fx.server.requests).toHaveLength(0);
  });

  it.skipIf(!has('script'))("-p before inspect inspects that profile's current token", async () => {
    twoProfiles();
    fx.reply = (q, _n, res) =>
      json(res, 200, {
        access_token: fakeJwt({ sub: q.headers.authorization === basicAuthorization('stagingclient', PROD_SECRET) ? 'staging' : 'other' }),
        token_type: 'Bearer',
        expires_in: 600,
      });
    // inspect reads standard input unless it is a terminal: util-linux `script` gives it one.
    const out = join(fx.home.root, 'out.json');
    const r = await execa(...scriptOnPty(`${BIN_SH} -p staging inspect --json > "${out}"`), {
      env: cleanEnv(fx.home.root, env()),
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).claims.sub).toBe('staging');
  });

  it.each([
    [['-o', 'json', 'exec', '--', 'true'], '--output', 'exec'],
    [['--var-name', 'X', 'status'], '--var-name', 'status'],
    [['--client-id', 'x', 'profile', 'list'], '--client-id', 'profile list'],
    [['--retries', '1', 'cache', 'clear'], '--retries', 'cache clear'],
  ])('%j: exit 2 naming the option', async (args, option, command) => {
    const r = await gt(args, creds);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`The option ${option}, written before '${command}', does not apply to '${command}'.`);
    expect(fx.server.requests).toHaveLength(0);
  });

  it('the same option before and after with different values is refused', async () => {
    const r = await gt(['--client-id', 'a', 'exec', '--client-id', 'b', '--', 'true'], creds);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('--client-id was given both before and after');
  });
});

describe('a profile named by --profile beats the GARDIN_* variables', () => {
  it('-p prod authenticates as prod, says which variables it set aside, and -q silences that', async () => {
    writeStore({ profiles: { prod: { clientId: 'prodclient', clientSecret: PROD_SECRET, tokenUrl: fx.server.tokenUrl } } });
    const r = await gt(['-p', 'prod'], { ...creds, GARDIN_SCOPE: 'jobs:read' });
    expect(r.stdout).toMatch(/^tok-prodclient-/);
    expect(fx.server.requests[0]!.headers.authorization).toBe(basicAuthorization('prodclient', PROD_SECRET));
    expect(fx.server.requests[0]!.form.get('scope')).toBeNull();
    expect(r.stderr).toBe(
      'warning: GARDIN_CLIENT_ID, GARDIN_CLIENT_SECRET, GARDIN_TOKEN_URL, GARDIN_SCOPE are set but not used: profile "prod" (from the --profile flag) gives the whole identity, and the environment changes none of it.\n',
    );
    expect((await gt(['-p', 'prod', '-q'], creds)).stderr).toBe('');
    expect((await gt(['-p', 'prod', '--verbose', '--force-refresh'], creds)).stderr).toContain('are set but not used');
  });

  it('flags still beat the profile; GARDIN_PROFILE and the default profile stay below the environment', async () => {
    writeStore({ default: 'prod', profiles: { prod: { clientId: 'prodclient', clientSecret: PROD_SECRET, tokenUrl: fx.server.tokenUrl } } });
    expect((await gt(['-p', 'prod', '--client-id', 'flagclient'], creds)).stdout).toMatch(/^tok-flagclient-/);
    const byEnv = await gt([], { ...creds, GARDIN_PROFILE: 'prod' });
    expect(byEnv.stdout).toMatch(/^tok-envclient-/);
    expect(byEnv.stderr).toBe('');
    expect((await gt(['--force-refresh'], creds)).stdout).toMatch(/^tok-envclient-/);
  });
});

describe('a failed eval of an eval format stops a set -e script', () => {
  /** Runs a shell script with the bin on PATH as gardin-token. */
  async function shell(sh: string, script: string) {
    const binDir = join(fx.home.root, 'bin');
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, 'gardin-token'), `#!/bin/sh\nexec ${BIN_SH} "$@"\n`, { mode: 0o755 });
    const base = cleanEnv(fx.home.root, env({ GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: SECRET }));
    return execa(sh, ['-c', script], { cwd: fx.home.root, env: { ...base, PATH: `${binDir}:${base.PATH}` }, extendEnv: false, reject: false });
  }
  const refuse = () => (fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' }));

  it.each(['sh', 'bash', 'zsh'].filter(has))('%s: set -e stops at eval "$(gardin-token --export)"', async (sh) => {
    refuse();
    const r = await shell(sh, 'set -e; eval "$(gardin-token --export)"; echo reached');
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).not.toContain('reached');
    expect(r.stderr).toContain('invalid_client');
  });

  it.skipIf(!has('bash'))('bash: set -euo pipefail stops at eval $(gardin-token -o export) of a usage error too', async () => {
    const r = await shell('bash', 'set -euo pipefail; eval $(gardin-token -o export --no-such-flag); echo reached');
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).not.toContain('reached');
  });

  it.skipIf(!has('fish'))('fish: `gardin-token -o fish | source` fails, so `or exit` stops the script', async () => {
    refuse();
    const r = await shell('fish', 'gardin-token -o fish | source; or exit 3; echo reached');
    expect(r.exitCode).toBe(3);
    expect(r.stdout).not.toContain('reached');
  });

  it('powershell gets a terminating error; the other formats keep an empty stdout', async () => {
    refuse();
    expect((await gt(['-o', 'powershell'], { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: SECRET })).stdout).toBe("throw 'gardin-token failed; see its error above'\n");
    for (const format of ['raw', 'json', 'header', 'dotenv', 'cmd']) {
      const r = await gt(['-o', format], { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: SECRET });
      expect(r).toMatchObject({ exitCode: 3, stdout: '' });
    }
  });
});

describe('a token already expired on arrival is exit 5', () => {
  it.each([
    ['a JWT whose exp is past, no expires_in', () => ({ access_token: fakeJwt({ exp: Math.floor(Date.now() / 1000) - 600 }), token_type: 'Bearer' })],
    ['expires_in 0', () => ({ access_token: 'opaque-token', token_type: 'Bearer', expires_in: 0 })],
    ['expires_in 0.4', () => ({ access_token: 'opaque-token', token_type: 'Bearer', expires_in: 0.4 })],
  ])('%s', async (_name, body) => {
    fx.reply = (_q, _n, res) => json(res, 200, body());
    const r = await gt(['--json'], creds);
    expect(r).toMatchObject({ exitCode: 5, stdout: '' });
    expect(r.stderr).toContain('already expired');
    expect(r.stderr).toContain('clock skew');
  });
});

describe('folders and files are held to their modes and owners', () => {
  const mode = (p: string) => statSync(p).mode & 0o777;

  it('our own config and cache folders are tightened to 0700, files to 0600', async () => {
    writeStore({ profiles: { dev: { clientId: 'devclient', clientSecret: SECRET, tokenUrl: fx.server.tokenUrl } } });
    chmodSync(fx.home.config, 0o755);
    chmodSync(configFile(), 0o644);
    mkdirSync(fx.home.cache, { recursive: true });
    chmodSync(fx.home.cache, 0o777);
    const r = await gt(['-p', 'dev']);
    expect(r.exitCode).toBe(0);
    expect([mode(fx.home.config), mode(configFile()), mode(fx.home.cache)]).toEqual([0o700, 0o600, 0o700]);
    // Files 0600; the code cache's folder (v8/), when there is one, 0700.
    for (const f of readdirSync(fx.home.cache)) expect(mode(join(fx.home.cache, f))).toBe(f === 'v8' ? 0o700 : 0o600);
  });

  it.skipIf(!isRoot)('a config.json owned by another user is refused before its secret command runs (root included)', async () => {
    const pwned = join(fx.home.root, 'PWNED');
    writeStore({ profiles: { dev: { clientId: 'devclient', clientSecretCommand: `touch ${pwned}; echo x`, tokenUrl: fx.server.tokenUrl } } });
    chownSync(configFile(), 65534, 65534);
    const r = await gt(['-p', 'dev']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`Refusing to use ${configFile()}: it is owned by another user (uid 65534`);
    expect(existsSync(pwned)).toBe(false);
    expect(fx.server.requests).toHaveLength(0);
  });

  it('a config.json or folder writable by others is refused, saying which path and why', async () => {
    const pwned = join(fx.home.root, 'PWNED');
    writeStore({ profiles: { dev: { clientId: 'devclient', clientSecretCommand: `touch ${pwned}; echo x`, tokenUrl: fx.server.tokenUrl } } });
    chmodSync(configFile(), 0o666);
    let r = await gt(['-p', 'dev']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`Refusing to use ${configFile()}: it is writable by group or others (mode 0666)`);
    chmodSync(configFile(), 0o600);
    chmodSync(fx.home.config, 0o777);
    r = await gt(['-p', 'dev']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Refusing to use ${fx.home.config}: it is writable by group or others (mode 0777)`);
    expect(existsSync(pwned)).toBe(false);
  });

  it.skipIf(!isRoot)('a cache entry planted by another user is not served', async () => {
    await gt([], creds);
    const [file] = readdirSync(fx.home.cache).filter((f) => f.endsWith('.json'));
    const planted = JSON.parse(readFileSync(join(fx.home.cache, file!), 'utf8'));
    planted.accessToken = 'planted-token';
    writeFileSync(join(fx.home.cache, file!), JSON.stringify(planted));
    chownSync(join(fx.home.cache, file!), 65534, 65534);
    const r = await gt([], creds);
    expect(r.stdout).toMatch(/^tok-envclient-2/);
  });
});

describe('symlinks are not followed', () => {
  it('a link planted at the cache file: its target is neither overwritten nor chmod-ed', async () => {
    await gt([], creds);
    const [name] = readdirSync(fx.home.cache).filter((f) => f.endsWith('.json'));
    const link = join(fx.home.cache, name!);
    const victim = join(fx.home.root, 'victim');
    writeFileSync(victim, 'precious', { mode: 0o644 });
    symlinkSync(victim, `${link}.new`);
    const { renameSync } = await import('node:fs');
    renameSync(`${link}.new`, link);
    const r = await gt(['--force-refresh'], creds);
    expect(r.exitCode).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(statSync(victim).mode & 0o777).toBe(0o644);
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
  });

  it('a symlinked cache folder is not used (a warning), and nothing is written where it points', async () => {
    const elsewhere = join(fx.home.root, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o755 });
    mkdirSync(join(fx.home.root, 'cache'), { recursive: true });
    symlinkSync(elsewhere, fx.home.cache);
    const r = await gt([], creds);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`not using the token cache: Refusing to use ${fx.home.cache}: it is a symbolic link.`);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(statSync(elsewhere).mode & 0o777).toBe(0o755);
    // cache clear would delete what the link points at: refused instead.
    writeFileSync(join(elsewhere, 'precious.json'), '{}');
    const clear = await gt(['cache', 'clear']);
    expect(clear.exitCode).toBe(2);
    expect(readdirSync(elsewhere)).toEqual(['precious.json']);
  });

  it('a link planted at config.json: profile add refuses, and the target keeps its content', async () => {
    mkdirSync(fx.home.config, { recursive: true, mode: 0o700 });
    const victim = join(fx.home.root, 'victim.json');
    writeFileSync(victim, '{}', { mode: 0o600 });
    symlinkSync(victim, configFile());
    const r = await gt(['profile', 'add', 'dev', '--client-id', 'x', '--client-secret-stdin'], {}, `${SECRET}\n`);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`Refusing to use ${configFile()}: it is a symbolic link.`);
    expect(readFileSync(victim, 'utf8')).toBe('{}');
  });

  it('a symlinked config folder is refused', async () => {
    const elsewhere = join(fx.home.root, 'elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    mkdirSync(join(fx.home.root, 'config'), { recursive: true });
    symlinkSync(elsewhere, fx.home.config);
    const r = await gt(['profile', 'add', 'dev', '--client-id', 'x', '--client-secret-stdin'], {}, `${SECRET}\n`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Refusing to use ${fx.home.config}: it is a symbolic link.`);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

describe('lifetimes are capped and the cache cannot be poisoned', () => {
  it.each([
    ['expires_in 9e12', () => ({ access_token: 'opaque-token', token_type: 'Bearer', expires_in: 9e12 })],
    ['a JWT exp beyond what a date holds', () => ({ access_token: fakeJwt({ exp: 9e15 }), token_type: 'Bearer' })],
  ])('%s: capped at 24 h, and every later call works', async (_name, body) => {
    fx.reply = (_q, _n, res) => json(res, 200, body());
    for (const args of [['--json'], ['--json'], ['--export'], ['-o', 'dotenv'], ['status', '--json'], ['--json', '--force-refresh']]) {
      const r = await gt(args, creds);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const j = JSON.parse((await gt(['--json'], creds)).stdout);
    expect(j.expires_in).toBeLessThanOrEqual(24 * 3600);
    expect(j.expires_in).toBeGreaterThan(23 * 3600);
  });

  it('a cache entry with times a date cannot hold is damaged: ignored and replaced', async () => {
    await gt([], creds);
    const [name] = readdirSync(fx.home.cache).filter((f) => f.endsWith('.json'));
    const file = join(fx.home.cache, name!);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...entry, expiresAt: 9e15 }), { mode: 0o600 });
    const r = await gt(['--json'], creds);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).cached).toBe(false);
    expect(fx.server.requests).toHaveLength(2);
  });

  it('an oversized cache file is not read: a new token is fetched', async () => {
    await gt([], creds);
    const [name] = readdirSync(fx.home.cache).filter((f) => f.endsWith('.json'));
    const file = join(fx.home.cache, name!);
    const entry = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...entry, padding: 'x'.repeat(2 * 1024 * 1024) }), { mode: 0o600 });
    const r = await gt(['--json'], creds);
    expect(JSON.parse(r.stdout).cached).toBe(false);
    expect(fx.server.requests).toHaveLength(2);
  });
});

describe('mistyped secret options and misplaced secrets are never printed', () => {
  const LONG = `Ab'cd-${SECRET}-tail`;
  it.each([
    [['--client-secrett=' + LONG]],
    [['--client\u2010secret=' + LONG]],
    [['\u2013\u2013client\u2010secret=' + LONG]],
    [['--client-secret:' + LONG]],
    [['--client_secret', LONG]],
  ])('%j', async (args) => {
    const r = await gt(args as string[], { GARDIN_CLIENT_ID: 'c' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toContain(LONG);
    expect(r.stderr).not.toContain('cd-hard');
  });

  it.each([['-p'], ['--timeout'], ['--var-name'], ['--min-ttl']])('the secret given to %s by mistake is scrubbed', async (flag) => {
    const r = await gt([flag, ENV_SECRET], creds);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('***');
  });
});

describe('secrets are scrubbed before text is shortened; URLs lose their credentials', () => {
  it('an HTML error page echoing a long secret does not print its start', async () => {
    const long = `${SECRET}${'Q'.repeat(200)}`;
    fx.reply = (q, _n, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(`<html><body><p>bad request:   ${q.form.get('client_secret')}</p></body></html>`);
    };
    const r = await gt(['--auth-method', 'post', '--retries', '0'], { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: long });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('bad request: ***');
    expect(r.stderr).not.toContain(SECRET.slice(0, 10));
  });

  it('a token URL with credentials in it is redacted in its error', async () => {
    const r = await gt(['--token-url', 'https://someone:Url-Pass-123@login.example:99999/token'], creds);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).not.toContain('Url-Pass-123');
    expect(r.stderr).toContain('https://***@login.example');
  });
});

describe('server text cannot drive the terminal', () => {
  it('control characters in error, error_description and message are shown as escapes', async () => {
    fx.reply = (_q, _n, res) => json(res, 400, { error: 'invalid_client\u001b[2J', error_description: 'no\u001b]0;pwned\u0007\nerror: forged line\u009b31m' });
    const r = await gt([], creds);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('invalid_client\\x1b[2J (no\\x1b]0;pwned\\x07\\x0aerror: forged line\\x9b31m)');
  });

  it('in a granted scope and in inspect', async () => {
    fx.reply = (_q, _n, res) => json(res, 200, { access_token: fakeJwt({ sub: 'x\u001b[2Jy' }), token_type: 'Bearer', expires_in: 600, scope: 'a\u009bb' });
    const j = await gt(['--json'], creds);
    expect(JSON.parse(j.stdout).scope).toBe('a\\x9bb');
    const r = await gt(['inspect', fakeJwt({ sub: 'x\u001b[2Jy' })], creds);
    expect(r.stdout).toContain('sub: x\\x1b[2Jy');
  });
});

describe('completion never evaluates data', () => {
  it.skipIf(!has('bash'))('bash: a profile named $(...) in a hand-edited store runs nothing and is not offered', async () => {
    const pwned = join(fx.home.root, 'PWNED');
    writeStore({ profiles: { good: { clientId: 'a', clientSecret: SECRET }, [`$(touch ${pwned})`]: { clientId: 'b', clientSecret: SECRET } } });
    const script = (await gt(['completion', 'bash'])).stdout;
    const binDir = join(fx.home.root, 'bin');
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, 'gardin-token'), `#!/bin/sh\nexec ${BIN_SH} "$@"\n`, { mode: 0o755 });
    writeFileSync(join(fx.home.root, 'completion.bash'), script);
    const base = cleanEnv(fx.home.root);
    const run = (line: string) =>
      execa('bash', ['-c', `source completion.bash; COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; _gardin_token; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        cwd: fx.home.root,
        env: { ...base, PATH: `${binDir}:${base.PATH}` },
        extendEnv: false,
      });
    expect((await run("gardin-token -p ''")).stdout.split('\n')).toEqual(['good']);
    expect((await run("gardin-token profile show ''")).stdout.split('\n')).toContain('good');
    expect(existsSync(pwned)).toBe(false);
  });

  it.skipIf(!has('fish'))('fish: the same store offers only the well-formed name and runs nothing', async () => {
    const pwned = join(fx.home.root, 'PWNED');
    writeStore({ profiles: { good: { clientId: 'a', clientSecret: SECRET }, [`(touch ${pwned})`]: { clientId: 'b', clientSecret: SECRET } } });
    const binDir = join(fx.home.root, 'bin');
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, 'gardin-token'), `#!/bin/sh\nexec ${BIN_SH} "$@"\n`, { mode: 0o755 });
    const base = cleanEnv(fx.home.root);
    const r = await execa('fish', ['-c', 'gardin-token completion fish | source; complete -C "gardin-token -p "'], {
      env: { ...base, PATH: `${binDir}:${base.PATH}` },
      extendEnv: false,
    });
    expect(r.stdout.trim().split('\n')).toEqual(['good']);
    expect(existsSync(pwned)).toBe(false);
  });

  it('profile add refuses a name outside the documented character set', async () => {
    const r = await gt(['profile', 'add', '$(id)', '--client-id', 'x', '--client-secret-stdin'], {}, `${SECRET}\n`);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('Invalid profile name');
  });
});

describe('proxies', () => {
  it('a loopback token URL never goes through HTTP_PROXY', async () => {
    const proxy = await startConnectProxy();
    closers.push(proxy.close);
    const r = await gt([], { ...creds, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: '' });
    expect(r.exitCode).toBe(0);
    expect([proxy.forwarded, proxy.connects]).toEqual([[], []]);
    expect(fx.server.requests).toHaveLength(1);
  });

  it('a proxy answering 407: exit 4 at once, saying it wants authentication', async () => {
    const proxy = await startConnectProxy({ status: 407 });
    closers.push(proxy.close);
    const r = await gt(['--token-url', 'https://login.gardin.test/oauth2/token', '--timeout', '60'], { ...creds, HTTPS_PROXY: proxy.url, NO_PROXY: '' });
    expect(r).toMatchObject({ exitCode: 4, stdout: '' });
    expect(r.stderr).toContain(`The proxy ${proxy.url} (from HTTPS_PROXY) requires authentication (HTTP 407)`);
    expect(proxy.connects).toHaveLength(1);
  });

  it('407 when the proxy URL already holds credentials: they were refused, and the password is not shown', async () => {
    const proxy = await startConnectProxy({ status: 407 });
    closers.push(proxy.close);
    const withCreds = proxy.url.replace('http://', 'http://me:Pr0xy-Pass@');
    const r = await gt(['--token-url', 'https://login.gardin.test/oauth2/token'], { ...creds, https_proxy: withCreds, NO_PROXY: '' });
    expect(r).toMatchObject({ exitCode: 4, stdout: '' });
    expect(r.stderr).toContain(`(from https_proxy) refused the credentials in its URL (HTTP 407)`);
    expect(r.stderr).not.toContain('Pr0xy-Pass');
  });

  // The proxy is what could not be reached, not the token endpoint; no stack trace, even with -v.
  it.each([
    ['refused', 'http://127.0.0.1:9', 'connection refused'],
    ['a host that does not resolve', 'http://proxy.gardin.invalid:3128', /host not found|DNS lookup failed/],
  ])('a proxy %s is named as the failure, with or without -v', async (_what, proxyUrl, reason) => {
    for (const verbose of [[], ['-v']]) {
      const r = await gt(['--token-url', 'https://login.gardin.test/oauth2/token', '--timeout', '20', ...verbose], { ...creds, HTTPS_PROXY: proxyUrl, NO_PROXY: '' });
      expect(r).toMatchObject({ exitCode: 4, stdout: '' });
      const error = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
      expect(error).toHaveLength(1);
      expect(error[0]).toContain(`Could not reach the proxy ${proxyUrl} (from HTTPS_PROXY) on the way to the token endpoint https://login.gardin.test/oauth2/token`);
      expect(error[0]).toMatch(reason);
      expect(r.stderr).not.toMatch(/^\s+at |node:net|Error: connect/m);
    }
  });

  it.each([['http://[bad'], ['ftp://proxy.example:21']])('a malformed proxy URL %s: exit 2', async (value) => {
    const r = await gt(['--token-url', 'https://login.gardin.test/oauth2/token'], { ...creds, HTTPS_PROXY: value, NO_PROXY: '' });
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('The proxy URL in HTTPS_PROXY');
  });
});

describe('a secret command has its own bound and its own message', () => {
  it('a hanging secret command is stopped after --timeout: exit 2 naming the command, not the endpoint', async () => {
    writeStore({ profiles: { dev: { clientId: 'devclient', clientSecretCommand: 'sleep 30; echo x', tokenUrl: fx.server.tokenUrl } } });
    const r = await gt(['-p', 'dev', '--timeout', '1']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('The client-secret command of profile "dev" did not finish within 1 s; it was stopped.');
    expect(fx.server.requests).toHaveLength(0);
  });

  it('the network deadline starts once the secret is ready', async () => {
    writeStore({ profiles: { dev: { clientId: 'devclient', clientSecretCommand: `sleep 4; echo ${SECRET}`, tokenUrl: fx.server.tokenUrl } } });
    const issue = tokenForClient();
    fx.reply = async (q, n, res) => {
      await new Promise((r) => setTimeout(r, 3000));
      issue(q, n, res);
    };
    const r = await gt(['-p', 'dev', '--timeout', '6', '--retries', '0']);
    expect(r.stderr).not.toContain('error');
    expect(r).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^tok-devclient-/) });
  });
});

describe('faults of the environment are exit 2 with a sentence', () => {
  /** Runs the bin in its own mount namespace with a read-only or full tmpfs at `dir` (root only). */
  async function withMount(dir: string, options: string, args: string[], input = ''): Promise<RunResult> {
    mkdirSync(dir, { recursive: true });
    const fill = options.includes('size') ? `head -c 1M /dev/zero > '${dir}/fill' 2>/dev/null;` : '';
    const r = await execa('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ${options} tmpfs '${dir}' && ${fill} exec "$0" "$@"`, ...BIN_ARGV, ...args], {
      env: cleanEnv(fx.home.root, env(creds)),
      extendEnv: false,
      reject: false,
      input,
    });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: 0 };
  }
  const canMount = isRoot && has('unshare');

  it.skipIf(!canMount)('profile add on a read-only file system', async () => {
    const r = await withMount(fx.home.config, 'ro,mode=0700', ['profile', 'add', 'dev', '--client-id', 'x', '--client-secret-stdin'], `${SECRET}\n`);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`Cannot write the profile store ${configFile()}: the file system is read-only.`);
  });

  it.skipIf(!canMount)('profile add on a full disk', async () => {
    const r = await withMount(fx.home.config, 'size=64k,mode=0700', ['profile', 'add', 'dev', '--client-id', 'x', '--client-secret-stdin'], `${SECRET}\n`);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('the disk is full');
  });

  it.skipIf(!canMount)('a cache on a read-only file system: the token, and a warning that says why', async () => {
    const r = await withMount(fx.home.cache, 'ro', []);
    expect(r).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^tok-envclient-/) });
    expect(r.stderr).toContain('the file system is read-only');
  });

  it('a --ca-file that holds no certificate', async () => {
    const garbage = join(fx.home.root, 'garbage.pem');
    writeFileSync(garbage, 'this is not a certificate\n');
    const r = await gt(['--token-url', 'https://login.gardin.test/oauth2/token', '--ca-file', garbage], creds);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`The CA file ${garbage} (--ca-file) holds no PEM certificate.`);
    writeFileSync(garbage, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    expect((await gt(['--token-url', 'https://login.gardin.test/oauth2/token', '--ca-file', garbage], creds)).stderr).toContain('does not parse');
  });

  it('a --timeout beyond what a timer holds', async () => {
    const r = await gt(['--timeout', '1e10'], creds);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('Invalid timeout "1e10" from the --timeout flag: expected a number from 0.001 to 2147483.');
  });

  it.each([['--token-url'], ['--client-id'], ['--client-secret'], ['--profile'], ['--scope']])('an empty %s is refused, not a fall-back', async (flag) => {
    const r = await gt([flag, ''], creds);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(`The ${flag} flag was given an empty value.`);
    expect(fx.server.requests).toHaveLength(0);
  });

  it("exec leaves GARDIN_CLIENT_SECRET_FILE out of the command's environment", async () => {
    const file = join(fx.home.root, 'secret');
    writeFileSync(file, SECRET);
    const r = await gt(['exec', '--', 'sh', '-c', 'printf "[%s]" "${GARDIN_CLIENT_SECRET_FILE-unset}"'], { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET_FILE: file });
    expect(r.stdout).toBe('[unset]');
  });
});
