import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTokenServer } from '../../helpers/fixture.js';
import { expectNoLeak, secretForms } from '../../helpers/no-leak.js';
import { basicAuthorization } from '../../../src/token/auth/basic.js';
import { BIN_SH, runBin, type RunResult } from '../../helpers/bin.js';
import { issueTokens, json } from '../../helpers/token-server.js';

const SECRET = 'e2e-Secret-9f3b';
const BASIC = basicAuthorization('e2e-client', SECRET).slice('Basic '.length);
const fx = useTokenServer(() => issueTokens());

function noLeak(r: RunResult): RunResult {
  expectNoLeak([r.stdout, r.stderr], secretForms('e2e-client', SECRET));
  return r;
}
const env = () => ({ GARDIN_CLIENT_ID: 'e2e-client', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl });
const gt = async (args: string[], extra: Record<string, string | undefined> = {}, input = '') => noLeak(await runBin(args, fx.home.root, { ...env(), ...extra }, { input }));

describe('the built bin', () => {
  it('--version and --help exit 0 on stdout', async () => {
    const v = await runBin(['--version'], fx.home.root);
    expect(v).toMatchObject({ exitCode: 0, stdout: `${JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version}\n` });
    const h = await runBin(['--help'], fx.home.root);
    expect(h.exitCode).toBe(0);
    expect(h.stdout).toContain('Usage: gardin-token');
  });

  it('raw: the token and one newline; stderr empty', async () => {
    const r = await gt([]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^tok-[\w-]+\n$/);
    expect(r.stderr).toBe('');
  });

  it.each(['sh', 'bash'])('eval of --export sets the variables in %s, quoted and unquoted', async (shell) => {
    const cmd = `${BIN_SH} --export > /dev/null; eval "$(${BIN_SH} --export)"; A=$GARDIN_ACCESS_TOKEN; unset GARDIN_ACCESS_TOKEN; eval $(${BIN_SH} --export); printf '%s|%s|%s' "$A" "$GARDIN_ACCESS_TOKEN" "$GARDIN_ACCESS_TOKEN_EXPIRES_AT"`;
    const r = await execa(shell, ['-c', cmd], {
      env: { ...env(), PATH: process.env.PATH, HOME: fx.home.root, XDG_CACHE_HOME: `${fx.home.root}/cache`, XDG_CONFIG_HOME: `${fx.home.root}/config` },
      extendEnv: false,
    });
    const [quoted, unquoted, expires] = r.stdout.split('|');
    expect(quoted).toMatch(/^tok-[\w-]+$/);
    expect(unquoted).toBe(quoted);
    expect(expires).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.each([
    ['missing credentials', [], { GARDIN_CLIENT_SECRET: undefined, GARDIN_CLIENT_ID: undefined }, 2, 'No client ID given'],
    ['bad flag', ['--nope'], {}, 2, "unknown option '--nope'"],
    ['unknown profile', ['-p', 'ghost'], {}, 2, 'Profile "ghost"'],
    ['plain http to a remote host', ['--token-url', 'http://login.gardin.ag/oauth2/token'], {}, 2, 'Refusing to send credentials over plain http://'],
  ])('%s', async (_name, args, extra, code, message) => {
    const r = await gt(args as string[], extra as Record<string, string | undefined>);
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refused (401): exit 3, the server reason, no stack, nothing on stdout', async () => {
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client', error_description: 'bad secret' });
    const r = await gt(['--no-cache']);
    expect(r).toMatchObject({ exitCode: 3, stdout: '' });
    expect(r.stderr).toContain('invalid_client (bad secret)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refused, with --verbose: still no secret anywhere', async () => {
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' });
    const r = await gt(['--no-cache', '--verbose', '--auth-method', 'post']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('client_secret=***');
  });

  it('unreachable: exit 4', async () => {
    const r = await gt(['--token-url', 'http://127.0.0.1:9/token', '--retries', '0']);
    expect(r).toMatchObject({ exitCode: 4, stdout: '' });
    expect(r.stderr).toContain('connection refused');
  });

  it('2xx without a usable token: exit 5', async () => {
    fx.reply = (_q, _n, res) => json(res, 200, { access_token: "x' ; touch /tmp/pwned ; '", token_type: 'Bearer', expires_in: 60 });
    const r = await gt(['--export']);
    expect(r).toMatchObject({ exitCode: 5, stdout: 'false\n' });
    expect(r.stderr).toContain('b64token');
  });

  it('profiles live in the config dir given by XDG_CONFIG_HOME, file mode 0600', async () => {
    const add = await gt(
      ['profile', 'add', 'prod', '--client-id', 'e2e-client', '--client-secret-stdin', '--token-url', fx.server.tokenUrl],
      { GARDIN_CLIENT_SECRET: undefined },
      `${SECRET}\n`,
    );
    expect(add.exitCode).toBe(0);
    const { statSync } = await import('node:fs');
    expect(statSync(`${fx.home.root}/config/gardin-token/config.json`).mode & 0o777).toBe(0o600);
    const show = await gt(['profile', 'show', 'prod']);
    expect(show.stdout).toContain('(stored, hidden, in ');
    const r = await gt(['-p', 'prod'], { GARDIN_CLIENT_ID: undefined, GARDIN_CLIENT_SECRET: undefined, GARDIN_TOKEN_URL: undefined });
    expect(r.exitCode).toBe(0);
    expect(fx.server.requests.at(-1)!.headers.authorization).toBe(`Basic ${BASIC}`);
  });
});
