import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { basicAuthorization } from '../../../src/token/auth/basic.js';
import { BIN_SH, cleanEnv, execBin, runBin } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { fakeJwt, json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

const SECRET = 'integ-Secret-5c1d';
let server: TokenServer;
let home: ReturnType<typeof tempHome>;
let n = 0;

beforeAll(async () => {
  server = await startTokenServer((_q, _n, res) =>
    json(res, 200, { access_token: fakeJwt({ sub: 'integ', scope: 'jobs:read', n: ++n, exp: Math.floor(Date.now() / 1000) + 3600 }), token_type: 'Bearer', expires_in: 3600 }),
  );
});
afterAll(() => server.close());
beforeEach(() => {
  home = tempHome();
  server.requests.length = 0;
});
afterEach(() => home.cleanup());

const creds = () => ({ GARDIN_CLIENT_ID: 'integ', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: server.tokenUrl });
const gt = (args: string[], env: Record<string, string | undefined> = creds(), input = '') => runBin(args, home.root, env, { input });
const has = (cmd: string) => ['/usr/bin', '/bin', '/usr/local/bin'].some((d) => existsSync(join(d, cmd)));

/** Runs a shell with the bin on PATH as `gardin-token`. */
async function shell(sh: string, script: string, env: Record<string, string> = {}) {
  const binDir = join(home.root, 'bin');
  mkdirSync(binDir, { recursive: true });
  writeFileSync(join(binDir, 'gardin-token'), `#!/bin/sh\nexec ${BIN_SH} "$@"\n`);
  chmodSync(join(binDir, 'gardin-token'), 0o755);
  const base = cleanEnv(home.root, { ...creds(), ...env });
  return execa(sh, ['-c', script], { cwd: home.root, env: { ...base, PATH: `${binDir}:${base.PATH}` }, extendEnv: false, reject: false });
}

describe('shell formats, evaluated by the shells installed here', () => {
  it.each(['sh', 'bash', 'zsh'].filter(has))('-o export in %s', async (sh) => {
    const r = await shell(sh, 'eval "$(gardin-token -o export)" && printf "%s %s" "${#GARDIN_ACCESS_TOKEN}" "$GARDIN_ACCESS_TOKEN_EXPIRES_AT"');
    expect(r.stdout).toMatch(/^\d{3,} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it.skipIf(!has('fish'))('-o fish in fish', async () => {
    const r = await shell('fish', 'gardin-token -o fish | source; and printf "%s %s" (string length $GARDIN_ACCESS_TOKEN) $GARDIN_ACCESS_TOKEN_EXPIRES_AT');
    expect(r.stdout).toMatch(/^\d{3,} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('-o dotenv is read by sh (set -a) and has no quotes for docker --env-file', async () => {
    // In the test's own temporary folder, never the repository.
    const env = join(home.root, 't.env');
    const r = await shell('sh', `gardin-token -o dotenv > '${env}' && set -a && . '${env}' && printf "%s" "$GARDIN_ACCESS_TOKEN" && cat '${env}'`, {});
    const [token] = r.stdout.split('GARDIN_ACCESS_TOKEN=');
    expect(token).toMatch(/^eyJ/);
    expect(r.stdout).not.toContain("'");
  });

  it('-o dotenv: a token starting with ~ survives being sourced by sh', async () => {
    const tilde = await startTokenServer((_q, _n, res) => json(res, 200, { access_token: '~root', token_type: 'Bearer', expires_in: 600 }));
    try {
      const env = join(home.root, 'tilde.env');
      const r = await shell('sh', `gardin-token -o dotenv > '${env}' && . '${env}' && printf '%s' "$GARDIN_ACCESS_TOKEN"`, { GARDIN_TOKEN_URL: tilde.tokenUrl });
      expect(r.stdout).toBe('~root');
    } finally {
      await tilde.close();
    }
  });

  it('--var-name renames the variables', async () => {
    const r = await shell('sh', 'eval "$(gardin-token --export --var-name API_TOKEN)" && printf "%s|%s" "${API_TOKEN%%.*}" "$API_TOKEN_EXPIRES_AT"');
    expect(r.stdout).toMatch(/^eyJ[\w-]+\|\d{4}-/);
    expect((await gt(['--export', '--var-name', 'BAD-NAME'])).exitCode).toBe(2);
  });

  it.skipIf(!has('curl'))('-o header is what curl -H needs', async () => {
    const echo = await startTokenServer((q, _n, res) => json(res, 200, { got: q.headers.authorization }));
    try {
      const r = await shell('sh', `curl -sf -H "$(gardin-token -o header)" ${echo.url}/api`);
      expect(JSON.parse(r.stdout).got).toMatch(/^Bearer eyJ/);
    } finally {
      await echo.close();
    }
  });
});

describe('-o github', () => {
  it('in GitHub Actions: masks the token on stdout and appends delimiter-form variables to $GITHUB_ENV', async () => {
    const envFile = join(home.root, 'github_env');
    writeFileSync(envFile, 'EXISTING=1\n');
    const r = await gt(['-o', 'github'], { ...creds(), GITHUB_ACTIONS: 'true', GITHUB_ENV: envFile });
    expect(r.exitCode).toBe(0);
    const token = r.stdout.match(/^::add-mask::(\S+)\n$/)![1]!;
    const text = readFileSync(envFile, 'utf8');
    const m = text.match(/^EXISTING=1\nGARDIN_ACCESS_TOKEN<<(GARDIN_TOKEN_EOF_[0-9a-f]{32})\n(.+)\n\1\nGARDIN_ACCESS_TOKEN_EXPIRES_AT<<\1\n(.+)\n\1\n$/);
    expect(m, text).not.toBeNull();
    expect(m![2]).toBe(token);
  });

  it('an unwritable $GITHUB_ENV: exit 2 and nothing on stdout', async () => {
    const r = await gt(['-o', 'github'], { ...creds(), GITHUB_ACTIONS: 'true', GITHUB_ENV: join(home.root, 'no', 'such', 'dir') });
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('Cannot append to $GITHUB_ENV');
  });

  it('outside GitHub Actions: exit 2, no token printed and none fetched', async () => {
    const r = await gt(['-o', 'github']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('only inside GitHub Actions');
    expect(server.requests).toHaveLength(0);
  });
});

describe('exec', () => {
  it('runs the command with the token variables and returns its exit code; stdio is inherited', async () => {
    const r = await gt(
      ['exec', '--', 'sh', '-c', 'read line; printf "%s %s %s" "$line" "${GARDIN_ACCESS_TOKEN%%.*}" "$GARDIN_ACCESS_TOKEN_EXPIRES_AT"; exit 7'],
      creds(),
      'hello\n',
    );
    expect(r.exitCode).toBe(7);
    expect(r.stdout).toMatch(/^hello eyJ[\w-]+ \d{4}-/);
  });

  it('the command does not inherit GARDIN_CLIENT_SECRET', async () => {
    const r = await gt(['exec', '--', 'sh', '-c', 'printf "[%s][%s]" "${GARDIN_CLIENT_SECRET-unset}" "$GARDIN_CLIENT_ID"']);
    expect(r.stdout).toBe('[unset][integ]');
  });

  it('options after the command belong to the command', async () => {
    const r = await gt(['exec', '--', 'sh', '-c', 'printf "%s" "$1"', 'x', '--json']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '--json' });
  });

  it('a command that cannot be found: 127', async () => {
    const r = await gt(['exec', '--', 'no-such-command-gardin']);
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain('Cannot run no-such-command-gardin: command not found');
  });

  it('a child killed by a signal: 128 + its number', async () => {
    const r = await gt(['exec', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(r.exitCode).toBe(143);
  });

  it('a signal sent to gardin-token reaches the child', async () => {
    const p = execBin(['exec', '--', 'sh', '-c', 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.05; done'], {
      env: cleanEnv(home.root, creds()),
      extendEnv: false,
      reject: false,
    });
    await new Promise<void>((resolve) => p.stdout!.on('data', (d: Buffer) => String(d).includes('ready') && resolve()));
    p.kill('SIGTERM');
    const r = await p;
    expect(r.exitCode).toBe(42);
    expect(r.stdout).toContain('got-term');
  });

  it('no token, no command run: the fetch failure exit code', async () => {
    const r = await gt(['exec', '--', 'sh', '-c', 'echo ran'], { ...creds(), GARDIN_CLIENT_SECRET: undefined });
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
  });
});

describe('inspect', () => {
  // Made when a test runs, not when the file loads: a slow machine must not move "54 min".
  const jwtNow = () => fakeJwt({ sub: 'abc', scope: 'jobs:read data.chf:query', iat: 1_800_000_000, exp: Math.floor(Date.now() / 1000) + 54 * 60 + 30 });

  it('decodes a JWT given as argument: header, claims, scopes, times', async () => {
    const r = await gt(['inspect', jwtNow()]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Header (signature not verified)');
    expect(r.stdout).toContain('  alg: "ES256"');
    expect(r.stdout).toContain('  sub: abc');
    expect(r.stdout).toMatch(/Scopes\n {2}jobs:read\n {2}data\.chf:query/);
    expect(r.stdout).toMatch(/Expires in 5[45] min/);
    expect(r.stdout).toMatch(/iat: 1800000000 \(2027-01-15 \d\d:\d\d:\d\d [+-]\d\d:\d\d/);
  });

  it('--json, from standard input', async () => {
    const r = await gt(['inspect', '--json'], creds(), `${jwtNow()}\n`);
    expect(JSON.parse(r.stdout)).toEqual({ header: { alg: 'ES256', typ: 'at+jwt' }, claims: expect.objectContaining({ sub: 'abc' }) });
  });

  it('empty standard input and no argument: exit 2 saying how to give one', async () => {
    const r = await gt(['inspect']);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('Nothing to inspect: standard input was empty. Pass a token, pipe one in');
  });

  it('a token piped from gardin-token itself', async () => {
    const token = (await gt([])).stdout;
    expect(JSON.parse((await gt(['inspect', '--json'], creds(), token)).stdout).claims.sub).toBe('integ');
  });

  it.each([['opaque-token'], ['a.b'], ['!!!.@@@.###']])('%s is not a JWT: exit 2', async (t) => {
    const r = await gt(['inspect', t]);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('That is not a JWT');
  });
});

describe('status', () => {
  it('-q: nothing printed, the exit code answers', async () => {
    expect(await gt(['status', '-q'])).toMatchObject({ exitCode: 6, stdout: '', stderr: '' });
    await gt([]);
    expect(await gt(['status', '-q'])).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
  });

  it('before and after a fetch: the cache file and expiry, never the token', async () => {
    let r = await gt(['status']);
    // No valid token cached: exit 6, the details still printed, one line on stderr.
    expect(r.exitCode).toBe(6);
    expect(r.stdout).toContain('no token cached');
    expect(r.stderr).toBe('No token with at least 60 s left is cached for these settings (exit 6).\n');
    const token = (await gt([])).stdout.trim();
    r = await gt(['status']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/cached: +yes, fresh/);
    expect(r.stdout).toMatch(/expires at: +\d{4}-.*\(in 59 min\)/);
    expect(r.stdout).toContain(`${home.root}/cache/gardin-token/`);
    expect(r.stdout).toMatch(/token url: +http:\/\/127\.0\.0\.1:\d+\/oauth2\/token \(from the GARDIN_TOKEN_URL environment variable\)/);
    const j = JSON.parse((await gt(['status', '--json'])).stdout);
    // snake_case, as the token's own JSON.
    expect(j).toMatchObject({
      client_id: 'integ',
      token_url_source: 'the GARDIN_TOKEN_URL environment variable',
      cached: true,
      fresh: true,
      expires_in: expect.any(Number),
      cache_file: expect.any(String),
    });
    expect(Object.keys(j).every((k) => /^[a-z_]+$/.test(k))).toBe(true);
    for (const out of [r.stdout, r.stderr, JSON.stringify(j)]) expect(out).not.toContain(token);
    expect(server.requests).toHaveLength(1);
  });
});

describe('secrets from files and commands', () => {
  it('--client-secret-file and GARDIN_CLIENT_SECRET_FILE, trailing newline dropped', async () => {
    const file = join(home.root, 'secret');
    writeFileSync(file, `${SECRET}\n`);
    const env = { GARDIN_CLIENT_ID: 'integ', GARDIN_TOKEN_URL: server.tokenUrl };
    expect((await gt(['--no-cache', '--client-secret-file', file], env)).exitCode).toBe(0);
    expect((await gt(['--no-cache'], { ...env, GARDIN_CLIENT_SECRET_FILE: file })).exitCode).toBe(0);
    for (const q of server.requests) expect(q.headers.authorization).toBe(basicAuthorization('integ', SECRET));
    const r = await gt(['--client-secret-file', join(home.root, 'missing')], env);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`Cannot read the client secret file ${join(home.root, 'missing')} (from the --client-secret-file flag): no such file or folder`);
  });

  it('a profile --client-secret-command runs at fetch time only, not on a cache hit', async () => {
    const counter = join(home.root, 'runs');
    const cmd = `echo run >> ${counter}; printf '%s\\n' '${SECRET}'`;
    const add = await gt(['profile', 'add', 'vault', '--client-id', 'integ', '--token-url', server.tokenUrl, '--client-secret-command', cmd], {});
    expect(add.exitCode).toBe(0);
    expect((await gt(['profile', 'show', 'vault'], {})).stdout).toContain('(from command: echo run');
    expect((await gt([], {})).exitCode).toBe(0);
    expect((await gt([], {})).exitCode).toBe(0);
    expect(readFileSync(counter, 'utf8')).toBe('run\n');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.headers.authorization).toBe(basicAuthorization('integ', SECRET));
  });

  it('a failing secret command: exit 2 naming the profile', async () => {
    await gt(['profile', 'add', 'broken', '--client-id', 'integ', '--token-url', server.tokenUrl, '--client-secret-command', 'exit 3'], {});
    const r = await gt(['-p', 'broken'], {});
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('The client-secret command of profile "broken" failed: it exited with code 3');
  });
});

describe('completion', () => {
  /**
   * Completes `line` (the cursor at its end) as interactive bash does: COMP_LINE and COMP_POINT,
   * and COMP_WORDS split at blanks and at the ":" that COMP_WORDBREAKS holds.
   */
  const bashComplete = (line: string) => {
    const words = line
      .split(/ +/)
      .flatMap((w) => w.split(/(:)/))
      .filter((w, i, all) => w !== '' || i === all.length - 1);
    const quoted = words.map((w) => `'${w.replace(/'/g, "'\\''")}'`).join(' ');
    return shell(
      'bash',
      `source <(gardin-token completion bash); COMP_LINE='${line}'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${quoted}); COMP_CWORD=$(( \${#COMP_WORDS[@]} - 1 )); _gardin_token; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ).then((r) => r.stdout.split('\n').filter(Boolean));
  };

  it('bash: loads in bash and completes commands, profile names and formats', async () => {
    await gt(['profile', 'add', 'prod', '--client-id', 'x', '--client-secret-stdin'], {}, 's');
    expect(await bashComplete('gardin-token pro')).toEqual(['profile', 'proxy']);
    expect(await bashComplete('gardin-token profile ')).toEqual(['add', 'set', 'rename', 'list', 'show', 'remove', 'use', '-v', '--verbose', '-q', '--quiet', '--help']);
    expect(await bashComplete('gardin-token -p ')).toEqual(['prod']);
    expect(await bashComplete('gardin-token profile use ')).toContain('prod');
    expect(await bashComplete('gardin-token -o j')).toEqual(['json']);
    expect(await bashComplete('gardin-token -p prod st')).toEqual(['status']);
    expect(await bashComplete('gardin-token exec -- bas')).toContain('bash');
  });

  it('bash: a scope with a colon completes after the colon, as bash splits it', async () => {
    // bash replaces only the text after the last ":", so the replies are what follows it.
    expect(await bashComplete('gardin-token --scope jobs:r')).toEqual(['read']);
    expect(await bashComplete('gardin-token --scope jobs:')).toEqual(['read', 'write', 'execute']);
    expect(await bashComplete('gardin-token --scope data.')).toEqual(['data.chf:query', 'data.indices:query']);
  });

  it.skipIf(!has('zsh'))('zsh: the script loads with or without compinit run first, and registers the completion', async () => {
    for (const setup of ['autoload -U compinit && compinit -u && ', '']) {
      const r = await shell('zsh', `${setup}source <(gardin-token completion zsh) && echo $_comps[gardin-token]`);
      expect(r.stderr, setup).toBe('');
      expect(r.stdout.trim()).toBe('_gardin-token');
    }
  });

  it.skipIf(!has('fish'))('fish: completes commands and formats', async () => {
    const r = await shell('fish', 'gardin-token completion fish | source; complete -C "gardin-token pro"; complete -C "gardin-token -o js"');
    expect(r.stdout).toMatch(/^profile/m);
    expect(r.stdout).toMatch(/^json/m);
  });

  it.skipIf(!has('fish'))('fish: after "profile show " only profile names; after "exec -- " commands', async () => {
    await gt(['profile', 'add', 'prod', '--client-id', 'x', '--client-secret-stdin'], {}, 's');
    const show = await shell('fish', 'gardin-token completion fish | source; complete -C "gardin-token profile show "');
    expect(show.stdout.trim().split('\n')).toEqual(['prod']);
    const exec = await shell('fish', 'gardin-token completion fish | source; complete -C "gardin-token exec -- bas"');
    expect(exec.stdout).toMatch(/^bash\b/m);
  });

  it('an unknown shell: exit 2', async () => {
    expect((await gt(['completion', 'tcsh'])).exitCode).toBe(2);
  });
});
