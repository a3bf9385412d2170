import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../../src/token/auth/basic.js';
import { plainBasicAuthorization } from '../../../src/token/auth/basic-plain.js';
import { runBin, type RunResult } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { expectNoLeak, secretForms } from '../../helpers/no-leak.js';
import { fakeJwt, issueTokens, json, type Handler } from '../../helpers/token-server.js';

// Issue 9 ("a CLI that helps"), point by point, through the built bin.
const SECRET = 'help-Secret-3a7c';
const fx = useTokenServer(() => issueTokens());
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function gt(args: string[], extra: Record<string, string | undefined> = {}, input = ''): Promise<RunResult> {
  const env = { GARDIN_CLIENT_ID: 'help-client', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl, ...extra };
  const r = await runBin(args, fx.home.root, env, { input });
  expectNoLeak([r.stdout, r.stderr], [...secretForms('help-client', SECRET), ...secretForms('odd-client', ODD_SECRET)]);
  return r;
}

const ODD_SECRET = 'p+s/w:rd %x=&y';
/** A server that, like Authlib 1.2 or node-oauth2-server 5, compares the Basic value undecoded. */
const plainJoinOnly: Handler = (q, n, res) =>
  q.headers.authorization === plainBasicAuthorization('odd-client', ODD_SECRET) ? issueTokens()(q, n, res) : json(res, 401, { error: 'invalid_client' });

describe('servers that compare the Basic value undecoded', () => {
  const odd = { GARDIN_CLIENT_ID: 'odd-client', GARDIN_CLIENT_SECRET: ODD_SECRET };

  it('the form-encoded join is refused, the plain one is tried once, works, and is remembered', async () => {
    fx.reply = plainJoinOnly;
    const r = await gt(['--verbose'], odd);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fx.server.requests.map((q) => q.headers.authorization)).toEqual([basicAuthorization('odd-client', ODD_SECRET), plainBasicAuthorization('odd-client', ODD_SECRET)]);
    expect(r.stderr).toContain('basic refused; trying basic-plain (HTTP Basic with the plain join base64(id:secret) that Gardin documents) once');
    expect(r.stderr).toContain('basic-plain worked; remembered for this client');
    const again = await gt(['--force-refresh', '--verbose'], odd);
    expect(again.exitCode).toBe(0);
    expect(fx.server.requests).toHaveLength(3);
    expect(fx.server.requests[2]!.headers.authorization).toBe(plainBasicAuthorization('odd-client', ODD_SECRET));
    expect(again.stderr).toContain('client authentication: basic-plain, remembered for this client');
  });

  it('--auth-method basic-plain sends the plain join at once', async () => {
    fx.reply = plainJoinOnly;
    expect((await gt(['--auth-method', 'basic-plain', '--no-cache'], odd)).exitCode).toBe(0);
    expect(fx.server.requests).toHaveLength(1);
  });

  it('credentials whose encodings agree are not sent twice', async () => {
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' });
    expect((await gt(['--no-cache'])).exitCode).toBe(3);
    expect(fx.server.requests).toHaveLength(1);
  });
});

describe('refusals that say what was sent', () => {
  it('invalid_scope names the scopes sent and where they came from; a comma gets a hint', async () => {
    fx.reply = (_q, _n, res) => json(res, 400, { error: 'invalid_scope' });
    const r = await gt(['--scope', 'jobs:read,jobs:write']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('The scopes sent: "jobs:read,jobs:write" (from the --scope flag)');
    expect(r.stderr).toContain('Scopes are separated by spaces or given by repeated --scope flags, not by commas.');
  });

  it('a refused secret with a trailing newline says so, and where it came from', async () => {
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' });
    const r = await gt([], { GARDIN_CLIENT_SECRET: `${SECRET}\n` });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('The secret from the GARDIN_CLIENT_SECRET environment variable ends with whitespace (a newline?)');
    // Sent as given: not stripped silently.
    expect(fx.server.requests[0]!.headers.authorization).toBe(basicAuthorization('help-client', `${SECRET}\n`));
  });
});

describe('hints that fit', () => {
  it('https:// to a plain-HTTP port: "the server did not answer TLS"', async () => {
    const r = await gt(['--token-url', fx.server.tokenUrl.replace('http:', 'https:'), '--retries', '0']);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('the server did not answer TLS. Is the token URL meant to be http://');
    expect(r.stderr).not.toContain('SSL routines');
  });

  it('an HTML page on a 2xx: what was received, and that the URL may not be a token endpoint', async () => {
    fx.reply = (_q, _n, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head><title>Hotel Wi-Fi: sign in</title></head><body>Accept the terms</body></html>');
    };
    const r = await gt([]);
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain('answered 2xx with an HTML page, not a token: "Hotel Wi-Fi: sign in Accept the terms"');
    expect(r.stderr).toContain('The URL may not be a token endpoint');
    expect(r.stderr).not.toContain('report it to the service owner');
  });

  it('a host NO_PROXY exempts is not told to exempt itself', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => (sockets.forEach((s) => s.destroy()), silent.close(() => r()))));
    const port = (silent.address() as { port: number }).port;
    // 0.0.0.0 is this machine but not a loopback name: only NO_PROXY keeps it off the proxy.
    const r = await gt(['--token-url', `https://0.0.0.0:${port}/t`, '--timeout', '1', '--retries', '0'], { HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '0.0.0.0' });
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('No answer from the token endpoint');
    expect(r.stderr).not.toContain('A proxy is configured');
  });
});

describe('inspect and status answer scripts', () => {
  const live = fakeJwt({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 600 });
  const dead = fakeJwt({ sub: 'x', exp: Math.floor(Date.now() / 1000) - 600 });

  it('inspect takes a bare token, "Bearer <token>" and the -o header line; exit 0 while unexpired', async () => {
    for (const form of [live, `Bearer ${live}`, `Authorization: Bearer ${live}`]) {
      const r = await gt(['inspect', form]);
      expect(r.exitCode, form).toBe(0);
      expect(r.stdout).toContain('sub: x');
    }
    expect((await gt(['inspect'], {}, `Authorization: Bearer ${live}\n`)).exitCode).toBe(0);
  });

  it('inspect of an expired token: exit 6, the details still printed', async () => {
    const r = await gt(['inspect', dead]);
    expect(r.exitCode).toBe(6);
    expect(r.stdout).toMatch(/Expired 10 min ago/);
    expect(r.stderr).toBe('The token has expired (exit 6).\n');
  });

  it('status: exit 6 until a token with --min-ttl left is cached, then 0; exit 6 again for a larger --min-ttl', async () => {
    expect((await gt(['status', '--json'])).exitCode).toBe(6);
    await gt([]);
    expect((await gt(['status', '--json'])).exitCode).toBe(0);
    const r = await gt(['status', '--min-ttl', '7200']);
    expect(r.exitCode).toBe(6);
    expect(r.stdout).toContain('expiring within --min-ttl');
    expect(readdirSync(fx.home.cache).some((f) => f.endsWith('.json'))).toBe(true);
    expect(
      JSON.parse(
        readFileSync(
          join(
            fx.home.cache,
            readdirSync(fx.home.cache).find((f) => f.endsWith('.json'))!,
          ),
          'utf8',
        ),
      ).clientId,
    ).toBe('help-client');
  });
});

describe('help and mistakes', () => {
  it.each([
    [['stauts'], "unknown command 'stauts'. Did you mean 'status'?"],
    [['inpsect', '--json'], "unknown command 'inpsect'. Did you mean 'inspect'?"],
    [['frobnicate'], "unknown command 'frobnicate'. Run gardin-token help"],
    // With arguments after the typo, and options before it.
    [['profiles', 'list'], "unknown command 'profiles'. Did you mean 'profile'?"],
    [['exce', '--', 'ls'], "unknown command 'exce'. Did you mean 'exec'?"],
    [['inspcet', 'eyJ.x.y'], "unknown command 'inspcet'. Did you mean 'inspect'?"],
    [['caches', 'clear', '--shared'], "unknown command 'caches'. Did you mean 'cache'?"],
    [['-p', 'prod', '--scope', 'jobs:read', 'statsu', '-x'], "unknown command 'statsu'. Did you mean 'status'?"],
  ])('%j: exit 2 with a suggestion', async (args, message) => {
    const r = await gt(args);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain(message);
    expect(fx.server.requests).toHaveLength(0);
  });

  it('help, help <command>, help <sub command> and version work at the root', async () => {
    expect((await gt(['help'])).stdout).toContain('Usage: gardin-token [options] [command]');
    expect((await gt(['help', 'exec'])).stdout).toContain('Usage: gardin-token exec');
    expect((await gt(['help', 'profile', 'add'])).stdout).toContain('Usage: gardin-token profile add');
    const v = await gt(['version']);
    expect(v).toMatchObject({ exitCode: 0, stdout: `${JSON.parse(readFileSync(join(import.meta.dirname, '../../../package.json'), 'utf8')).version}\n` });
  });

  it('root and subcommand help carry examples; status and inspect list only the options they use', async () => {
    expect((await gt(['--help'])).stdout).toContain('eval "$(gardin-token --export)"');
    for (const cmd of ['exec', 'inspect', 'status', 'api', 'completion']) expect((await gt([cmd, '--help'])).stdout, cmd).toContain('Examples:');
    expect((await gt(['profile', 'add', '--help'])).stdout).toContain('Examples:');
    const status = (await gt(['status', '--help'])).stdout.split('Examples:')[0]!;
    for (const gone of ['--retries', '--no-cache', '--force-refresh', '--timeout']) expect(status, gone).not.toContain(gone);
    // --ca-file and --cache-url: status asks the shared cache, over rediss:// too.
    for (const kept of ['--min-ttl', '--cache-url', '--ca-file']) expect(status).toContain(kept);
    const inspect = (await gt(['inspect', '--help'])).stdout.split('Examples:')[0]!;
    for (const gone of ['--retries', '--no-cache', '--force-refresh', '--min-ttl']) expect(inspect, gone).not.toContain(gone);
  });

  it('-q and -v work after a subcommand and in every command; profile add -q says nothing', async () => {
    const add = await gt(['profile', 'add', 'quiet', '--client-id', 'q', '--client-secret-stdin', '-q'], {}, `${SECRET}\n`);
    expect(add).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await gt(['-q', 'profile', 'use', 'quiet'])).stderr).toBe('');
    expect((await gt(['status', '-q'])).stderr).toBe('');
    expect((await gt(['cache', 'clear', '-v'])).exitCode).toBe(0);
    // After a group too, as `gh` takes it.
    const grouped = await gt(['profile', '-q', 'add', 'quiet2', '--client-id', 'q', '--client-secret-stdin'], {}, `${SECRET}\n`);
    expect(grouped).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await gt(['cache', '-q', 'clear'])).stderr).toBe('');
  });
});

describe('profiles', () => {
  const PTY = join(import.meta.dirname, '../../helpers/pty-answer.py');
  const onTerminal = async (answers: string[], args: string[]) => {
    const { execa } = await import('execa');
    const { BIN_ARGV, cleanEnv } = await import('../../helpers/bin.js');
    return execa('python3', [PTY, '60', ...answers, '--', ...BIN_ARGV, ...args], { env: cleanEnv(fx.home.root), extendEnv: false, reject: false });
  };
  const store = () => JSON.parse(readFileSync(join(fx.home.config, 'config.json'), 'utf8'));

  it('Ctrl-C at a prompt: exit 130 on a new line; Ctrl-D: exit 2 "cancelled"; nothing saved', async () => {
    const c = await onTerminal(['Client ID: ', '\x03'], ['profile', 'add', 'x']);
    expect(c.exitCode).toBe(130);
    expect(c.stdout).toMatch(/Client ID: [^\n]*\r?\n.*Interrupted; nothing was saved/);
    const d = await onTerminal(['Client ID: ', 'id', 'Client secret (hidden): ', '\x04'], ['profile', 'add', 'x']);
    expect(d.exitCode).toBe(2);
    expect(d.stdout).toContain('Cancelled: end of input at the prompt');
    expect(readdirSync(fx.home.root)).not.toContain('config');
  });

  it('an empty secret on a terminal is asked again', async () => {
    const r = await onTerminal(
      ['Client ID: ', 'id', 'Client secret (hidden): ', '', 'Client secret (hidden): ', 'Second-Try-1', 'Token URL', '', 'Scopes', ''],
      ['profile', 'add', 'again'],
    );
    expect(r.exitCode, r.stdout).toBe(0);
    expect(store().profiles.again).toEqual({ clientId: 'id', clientSecret: 'Second-Try-1' });
  });

  it('profile add refuses an existing name unless --force; profile set changes only what it is given', async () => {
    const add = (args: string[]) => gt(['profile', 'add', 'dev', '--client-secret-stdin', ...args], {}, `${SECRET}\n`);
    expect((await add(['--client-id', 'a', '--token-url', fx.server.tokenUrl, '--scope', 'jobs:read'])).exitCode).toBe(0);
    const again = await add(['--client-id', 'b']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('Profile "dev" already exists. Change some of its fields with gardin-token profile set dev');
    expect(store().profiles.dev.clientId).toBe('a');
    const set = await gt(['profile', 'set', 'dev', '--scope', 'jobs:write', '--auth-method', 'post']);
    expect(set).toMatchObject({ exitCode: 0, stderr: 'Updated profile "dev" (auth method, scope).\n' });
    expect(store().profiles.dev).toEqual({ clientId: 'a', clientSecret: SECRET, tokenUrl: fx.server.tokenUrl, scope: 'jobs:write', authMethod: 'post' });
    await gt(['profile', 'set', 'dev', '--client-secret-command', 'printf x']);
    expect(store().profiles.dev.clientSecret).toBeUndefined();
    expect((await gt(['profile', 'set', 'dev'])).exitCode).toBe(2);
    expect((await add(['--client-id', 'c', '--force'])).stderr).toContain('Replaced profile "dev"');
    expect(store().profiles.dev).toEqual({ clientId: 'c', clientSecret: SECRET });
  });

  it('profile rename keeps the default pointing at it', async () => {
    await gt(['profile', 'add', 'old', '--client-id', 'a', '--client-secret-stdin'], {}, `${SECRET}\n`);
    const r = await gt(['profile', 'rename', 'old', 'new']);
    expect(r).toMatchObject({ exitCode: 0, stderr: 'Renamed profile "old" to "new" (still the default).\n' });
    expect(store()).toMatchObject({ default: 'new', profiles: { new: { clientId: 'a' } } });
    expect(store().profiles.old).toBeUndefined();
    expect((await gt(['profile', 'rename', 'nosuch', 'x'])).exitCode).toBe(2);
  });

  it('removing the default says none remains and how to set one; the missing-credentials error lists the profiles', async () => {
    for (const name of ['one', 'two']) await gt(['profile', 'add', name, '--client-id', name, '--client-secret-stdin'], {}, `${SECRET}\n`);
    const r = await gt(['profile', 'remove', 'one']);
    expect(r.stderr).toBe('Removed profile "one". It was the default: no default profile remains; choose one with gardin-token profile use <name> (two).\n');
    const missing = await gt([], { GARDIN_CLIENT_ID: undefined, GARDIN_CLIENT_SECRET: undefined });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('No client ID given.');
    expect(missing.stderr).toContain('(stored: two)');
  });

  it('profile show of a missing profile says so plainly', async () => {
    const r = await gt(['profile', 'show', 'nosuch']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: Profile "nosuch" does not exist.');
  });
});
