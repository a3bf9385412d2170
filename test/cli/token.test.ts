import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTokenServer } from '../helpers/fixture.js';
import { main } from '../../src/cli/main.js';
import { basicAuthorization } from '../../src/token/auth/basic.js';
import { testDeps } from '../helpers/deps.js';
import { expectNoLeak, secretForms } from '../helpers/no-leak.js';
import { fakeJwt, issueTokens, json } from '../helpers/token-server.js';

const SECRET = 'sup3r-s3cret-value';
const fx = useTokenServer(() => issueTokens({ scope: 'jobs:read' }));

async function run(args: string[], opts: { env?: Record<string, string>; stdin?: string; tty?: boolean; prompts?: string[]; now?: () => number } = {}) {
  const deps = testDeps({ env: { GARDIN_TOKEN_URL: fx.server.tokenUrl, ...opts.env }, dirs: fx.home, stdin: opts.stdin, tty: opts.tty, prompts: opts.prompts, now: opts.now });
  const code = await main(['node', 'gardin-token', ...args], deps);
  const out = deps.out();
  const err = deps.err();
  expectNoLeak([out, err], secretForms('my-client', SECRET));
  return { code, out, err };
}

const creds = ['--client-id', 'my-client', '--client-secret', SECRET];

describe('the default command in-process', () => {
  it('prints the raw token and a newline, and nothing on stderr', async () => {
    const r = await run(creds);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^tok-[\w-]+\n$/);
    expect(fx.server.requests).toHaveLength(1);
    const req = fx.server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.headers.authorization).toBe(basicAuthorization('my-client', SECRET));
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req.form.get('grant_type')).toBe('client_credentials');
  });

  it('takes credentials from env vars, and scopes repeated or space-separated', async () => {
    const r = await run(['--scope', 'jobs:read jobs:write', '--scope', 'devices:control', '--json'], {
      env: { GARDIN_CLIENT_ID: 'my-client', GARDIN_CLIENT_SECRET: SECRET },
      now: () => 1_800_000_000_000,
    });
    expect(r.code).toBe(0);
    expect(fx.server.requests[0]!.form.get('scope')).toBe('jobs:read jobs:write devices:control');
    const o = JSON.parse(r.out);
    expect(o).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'jobs:read', cached: false });
    expect(o.expires_at).toBe(new Date(1_800_003_600_000).toISOString().replace('.000', ''));
  });

  it('a token that lives less than --min-ttl: one warning per fetch, since no call can reuse it', async () => {
    fx.reply = issueTokens({ expires_in: 30 });
    const first = await run(creds);
    expect(first.code).toBe(0);
    expect(first.err).toBe('warning: the token lives 30 s, less than --min-ttl (60 s): no call can reuse it, so each fetches a new one. Lower --min-ttl below 30.\n');
    expect((await run([...creds, '-q'])).err).toBe('');
    expect(fx.server.requests).toHaveLength(2);
    // Below the lifetime, the token cached by the last call is reused, and nothing is said.
    expect(await run([...creds, '--min-ttl', '10'])).toMatchObject({ code: 0, err: '' });
    expect(fx.server.requests).toHaveLength(2);
  });

  it('reads the secret from stdin, dropping one trailing newline', async () => {
    const r = await run(['--client-id', 'my-client', '--client-secret-stdin'], { stdin: `${SECRET}\n` });
    expect(r.code).toBe(0);
    expect(fx.server.requests[0]!.headers.authorization).toBe(basicAuthorization('my-client', SECRET));
  });

  it('--client-secret-stdin on a terminal is exit 2', async () => {
    const r = await run(['--client-id', 'my-client', '--client-secret-stdin'], { tty: true });
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toContain('standard input is a terminal');
  });

  it('--auth-method post sends the credentials in the body', async () => {
    const r = await run([...creds, '--auth-method', 'post']);
    expect(r.code).toBe(0);
    const req = fx.server.requests[0]!;
    expect(req.headers.authorization).toBeUndefined();
    expect(req.form.get('client_id')).toBe('my-client');
    expect(req.form.get('client_secret')).toBe(SECRET);
  });

  it('-o export and --export are the same; --json with -o export is a usage error', async () => {
    const a = await run([...creds, '--no-cache', '-o', 'export']);
    const b = await run([...creds, '--export']);
    expect(a.out).toMatch(/^export GARDIN_ACCESS_TOKEN='tok-[\w-]+'\nexport GARDIN_ACCESS_TOKEN_EXPIRES_AT='\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ'\n$/);
    expect(b.out).toMatch(/^export GARDIN_ACCESS_TOKEN=/);
    const c = await run([...creds, '--json', '-o', 'export']);
    // An eval format's failure is one failing statement, so that the eval fails too.
    expect(c).toMatchObject({ code: 2, out: 'false\n' });
  });

  it.each([
    [[], 'No client ID given'],
    [['--client-id', 'x'], 'No client secret given'],
    [['--bogus'], "unknown option '--bogus'"],
    [[...creds, '-o', 'yaml'], 'yaml'],
    [[...creds, '--timeout', 'abc'], 'Invalid timeout "abc"'],
    [[...creds, '--token-url', 'http://example.com/token'], 'Refusing to send credentials over plain http://'],
    [[...creds, '--token-url', '::nope'], 'is not a valid http(s) URL'],
    [[...creds, '-p', 'ghost'], 'Profile "ghost" (from the --profile flag) does not exist'],
    // Commander echoes what was typed; the secret must not come back with it.
    [[`--client-secrett=${SECRET}`], "unknown option '--client-secrett'"],
    [[...creds, '--auth-method', SECRET], "argument '***' is invalid"],
  ])('usage problem %j: exit 2, one line naming it, empty stdout', async (args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(fx.server.requests).toHaveLength(0);
  });

  it('an unreadable profile store is exit 2 naming the file', async () => {
    mkdirSync(fx.home.config, { recursive: true });
    writeFileSync(join(fx.home.config, 'config.json'), '{not json');
    const r = await run(creds);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`Cannot read the profile store ${join(fx.home.config, 'config.json')}: it is not valid JSON`);
  });

  it('401 invalid_client: exit 3 with the server error, its description and the credential sources', async () => {
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
    const r = await run(['--client-id', 'my-client'], { env: { GARDIN_CLIENT_SECRET: SECRET } });
    expect(r).toMatchObject({ code: 3, out: '' });
    expect(r.err).toContain('HTTP 401, invalid_client (Client authentication failed)');
    expect(r.err).toContain('client ID from the --client-id flag, secret from the GARDIN_CLIENT_SECRET environment variable');
    expect(fx.server.requests).toHaveLength(1);
  });

  it('400 invalid_scope: exit 3, never retried', async () => {
    fx.reply = (_q, _n, res) => json(res, 400, { error: 'invalid_scope' });
    const r = await run([...creds, '--scope', 'nope']);
    expect(r.code).toBe(3);
    expect(r.err).toContain('invalid_scope');
    expect(fx.server.requests).toHaveLength(1);
  });

  it('403 with a Gardin API message body: exit 3 showing the message', async () => {
    fx.reply = (_q, _n, res) => json(res, 403, { message: 'User is not authorized' });
    const r = await run(creds);
    expect(r.code).toBe(3);
    expect(r.err).toContain('HTTP 403, User is not authorized');
  });

  it('500 after the retries: exit 4 with the count of attempts', async () => {
    fx.reply = (_q, _n, res) => json(res, 500, { error: 'server_error' });
    const r = await run([...creds, '--retries', '1']);
    expect(r).toMatchObject({ code: 4, out: '' });
    expect(r.err).toContain('after 2 attempts (HTTP 500, HTTP 500)');
    expect(fx.server.requests).toHaveLength(2);
  });

  it('a 200 that is not a token: exit 5', async () => {
    fx.reply = (_q, _n, res) => json(res, 200, 'hello, not a token');
    const r = await run(creds);
    expect(r).toMatchObject({ code: 5, out: '' });
    expect(r.err).toContain('its body is not JSON');
  });

  it('--verbose traces settings with their sources and redacts the secret', async () => {
    const r = await run([...creds, '--verbose'], { env: { GARDIN_SCOPE: 'jobs:read' }, now: () => 1_800_000_000_000 });
    expect(r.code).toBe(0);
    expect(r.err).toContain('client ID: my-client (from the --client-id flag)');
    expect(r.err).toContain('client secret: *** (from the --client-secret flag)');
    expect(r.err).toContain('scopes: jobs:read (from the GARDIN_SCOPE environment variable)');
    expect(r.err).toContain('authorization: Basic ***');
    expect(r.err).toMatch(/-> HTTP 200 in \d+ ms/);
    expect(r.err).toMatch(/token: tok-[\w-]+\.\.\. \(\d+ chars\), expires in 3600 s, scope: jobs:read/);
  });

  it('--quiet keeps stderr empty on success', async () => {
    const r = await run([...creds, '--quiet']);
    expect(r).toMatchObject({ code: 0, err: '' });
  });
});

describe('profiles in-process', () => {
  it('add (secret from stdin), list, show without the secret, use, remove', async () => {
    // A profile's identity is whole: its token URL is its own (GARDIN_TOKEN_URL is set aside).
    let r = await run(['profile', 'add', 'prod', '--client-id', 'my-client', '--client-secret-stdin', '--scope', 'jobs:read', '--token-url', fx.server.tokenUrl], {
      stdin: `${SECRET}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.err).toContain('Saved profile "prod" (the default)');
    // No keychain here: the secret goes to the file, with a note that says so.
    expect(r.err).toContain('No OS keychain could be used (the test keychain: no keychain in in-process tests); the secret is stored in');
    const file = join(fx.home.config, 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      default: 'prod',
      profiles: { prod: { clientId: 'my-client', clientSecret: SECRET, scope: 'jobs:read', tokenUrl: fx.server.tokenUrl } },
    });

    r = await run(['profile', 'add', 'dev', '--client-id', 'dev-client', '--client-secret-stdin', '--token-url', fx.server.tokenUrl], { stdin: 'old-secret' });
    expect(r.err).toMatch(/\nSaved profile "dev" in /);
    r = await run(['profile', 'add', 'dev', '--client-id', 'dev-client', '--client-secret-stdin', '--force', '--token-url', fx.server.tokenUrl], { stdin: 'dev-secret' });
    expect(r.err).toMatch(/\nReplaced profile "dev" in /);
    r = await run(['profile', 'list']);
    expect(r.out).toBe('  dev\n* prod\n');
    r = await run(['profile', 'show', 'prod']);
    expect(r.out).toContain('client secret: (stored, hidden, in ');
    expect(r.out).toContain('api url:       https://api.gardin.ag/v1 (the default)\n');
    expect(r.out).toMatch(/token url: +http:\/\/127\.0\.0\.1:\d+\/oauth2\/token\n/);
    r = await run(['profile', 'show', 'prod', '--json']);
    // snake_case, as every JSON of the CLI; which fields are the built-in defaults, not stored.
    expect(JSON.parse(r.out)).toMatchObject({ name: 'prod', default: true, client_id: 'my-client', scope: 'jobs:read', defaults: ['api_url', 'auth_method'] });

    r = await run([]);
    expect(r.code).toBe(0);
    expect(fx.server.requests.at(-1)!.headers.authorization).toBe(basicAuthorization('my-client', SECRET));

    r = await run(['profile', 'use', 'dev']);
    expect(r.code).toBe(0);
    r = await run(['--no-cache'], { env: {} });
    expect(fx.server.requests.at(-1)!.headers.authorization).toBe(basicAuthorization('dev-client', 'dev-secret'));
    r = await run(['--no-cache'], { env: { GARDIN_PROFILE: 'prod' } });
    expect(fx.server.requests.at(-1)!.headers.authorization).toBe(basicAuthorization('my-client', SECRET));

    r = await run(['profile', 'remove', 'dev']);
    expect(r.code).toBe(0);
    r = await run(['profile', 'list']);
    expect(r.out).toBe('  prod\n');
    r = await run(['profile', 'show', 'dev']);
    expect(r.code).toBe(2);
  });

  it('prompts on a terminal for what is missing', async () => {
    const r = await run(['profile', 'add', 'p1'], { tty: true, prompts: ['my-client', SECRET, '', 'jobs:read  jobs:write'] });
    expect(r.code).toBe(0);
    expect(r.err).toContain('Client ID: ');
    expect(r.err).toContain('Client secret (hidden): ');
    expect(r.err).toContain('Token URL [https://login.gardin.ag/oauth2/token]: ');
    expect(JSON.parse(readFileSync(join(fx.home.config, 'config.json'), 'utf8')).profiles.p1).toEqual({
      clientId: 'my-client',
      clientSecret: SECRET,
      scope: 'jobs:read jobs:write',
    });
    // Given flags are not asked for again.
    const r2 = await run(['profile', 'add', 'p2', '--client-id', 'c', '--token-url', fx.server.tokenUrl, '--scope', 'a'], { tty: true, prompts: [SECRET] });
    expect(r2.code).toBe(0);
    expect(r2.err).not.toContain('Token URL');
  });

  it('without a terminal and without a secret it is exit 2, not a prompt', async () => {
    const r = await run(['profile', 'add', 'p1', '--client-id', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('No client secret given');
  });

  it('refuses bad names, bad URLs and unknown profiles with exit 2', async () => {
    expect((await run(['profile', 'add', '../evil', '--client-id', 'x', '--client-secret-stdin'], { stdin: 's' })).code).toBe(2);
    expect((await run(['profile', 'add', 'p', '--client-id', 'x', '--client-secret-stdin', '--token-url', 'http://gardin.ag/t'], { stdin: 's' })).code).toBe(2);
    expect((await run(['profile', 'use', 'ghost'])).code).toBe(2);
    expect((await run(['profile', 'remove', 'ghost'])).code).toBe(2);
  });
});

describe('inspect in-process', () => {
  it('with no input on a terminal, decodes the current token', async () => {
    const jwt = fakeJwt({ sub: 'current', scope: 'jobs:read', exp: Math.floor(Date.now() / 1000) + 3600 });
    fx.reply = (_q, _n, res) => json(res, 200, { access_token: jwt, token_type: 'Bearer', expires_in: 3600 });
    const r = await run(['inspect', ...creds], { tty: true });
    expect(r.code).toBe(0);
    expect(r.out).toContain('  sub: current');
    expect(r.out).toMatch(/Expires in (59|60) min/);
    expect(fx.server.requests).toHaveLength(1);
  });
});
