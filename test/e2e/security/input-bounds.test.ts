import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN_SH, cleanEnv, runBin, type RunResult } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { issueTokens } from '../../helpers/token-server.js';

// What a user or the environment hands in is checked before use: proxy variables, empty
// variables, option values glued to their option, secrets of any size; and what the tool hands
// out (exec's environment, $GITHUB_ENV) holds no more than it should.
const SECRET = 'inputs-Secret-9c2e';
const fx = useTokenServer(() => issueTokens());
const creds = () => ({ GARDIN_CLIENT_ID: 'inputs-client', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: fx.server.tokenUrl });
/** A token URL that would go through a proxy (not loopback), which nothing answers. */
const REMOTE = { GARDIN_CLIENT_ID: 'c', GARDIN_CLIENT_SECRET: SECRET, GARDIN_TOKEN_URL: 'https://login.gardin.invalid/oauth2/token', NO_PROXY: '' };

describe('proxy variables', () => {
  it.each([
    ['HTTPS_PROXY', 'ht!tp://x y', 'not a valid http(s) URL'],
    ['https_proxy', 'http://proxy corp:3128', 'not a valid http(s) URL'],
    ['HTTP_PROXY', 'http://user:100%pw@proxy:3128', 'not a valid http(s) URL'],
    ['ALL_PROXY', 'http://proxy:99999', 'not a valid http(s) URL'],
    ['all_proxy', 'socks5://proxy:1080', 'a socks5 proxy, which gardin-token cannot use (only http and https)'],
  ])('%s=%j is exit 2 naming the variable, never "Internal error"', async (name, value, what) => {
    const r = await runBin(['--timeout', '2'], fx.home.root, { ...REMOTE, HTTPS_PROXY: undefined, HTTP_PROXY: undefined, [name]: value });
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^error: The proxy URL in ${name} \\(".*"\\) is ${what.replace(/[()]/g, '\\$&')}\\. Fix or unset ${name}\\.\\n$`));
    expect(r.stderr).not.toContain('100%pw');
  });
});

describe('an option and its value in one argument', () => {
  it.each([
    ['--client-secret S3cr3t-glued-1'],
    ['--client-secret\u00a0S3cr3t-glued-1'],
    ['--client-secret\tS3cr3t-glued-1'],
    ['--client-secret\uff1dS3cr3t-glued-1'],
    ['\u2014client\u2014secret S3cr3t-glued-1'],
    ['--client-secrett S3cr3t-glued-1'],
  ])('%j: refused (exit 2) without echoing the value', async (arg) => {
    const r = await runBin([arg], fx.home.root, creds());
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(/^error: unknown (option|command) '[-\u2014a-z]+'/);
    expect(r.stderr).not.toContain('S3cr3t');
    expect(r.stderr).not.toContain('glued');
  });
});

describe('empty variables', () => {
  it.each(['GARDIN_TOKEN_URL', 'GARDIN_CLIENT_ID', 'GARDIN_SCOPE', 'GARDIN_PROFILE', 'GARDIN_CACHE_URL', 'GARDIN_CA_FILE', 'GARDIN_API_URL'])(
    '%s= (set, empty) is exit 2, as an empty flag is',
    async (name) => {
      const r = await runBin([], fx.home.root, { ...creds(), [name]: name === 'GARDIN_SCOPE' ? '  ' : '' });
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toBe(`error: The environment variable ${name} is set but empty. Give it a value, or unset it (unset ${name}).\n`);
      expect(fx.server.requests).toHaveLength(0);
    },
  );
});

describe('secrets are bounded', () => {
  const big = 'x'.repeat(64 * 1024 + 1);
  it('from stdin, a file or a profile command: over 64 KiB is exit 2, and no request is made', async () => {
    const file = join(fx.home.root, 'secret');
    writeFileSync(file, '');
    truncateSync(file, 50 * 1024 * 1024);
    const runs: RunResult[] = [
      await runBin(['--client-secret-stdin'], fx.home.root, { ...creds(), GARDIN_CLIENT_SECRET: undefined }, { input: big }),
      await runBin(['--client-secret-file', file], fx.home.root, { ...creds(), GARDIN_CLIENT_SECRET: undefined }),
    ];
    const add = await runBin(['profile', 'add', 'yes', '--client-id', 'c', '--client-secret-command', 'yes', '--token-url', fx.server.tokenUrl], fx.home.root);
    expect(add.exitCode, add.stderr).toBe(0);
    runs.push(await runBin(['-p', 'yes'], fx.home.root));
    runs.push(await runBin(['profile', 'add', 'big', '--client-id', 'c', '--client-secret-stdin', '--secret-store', 'file'], fx.home.root, {}, { input: big }));
    const from = ['standard input', 'the --client-secret-file flag', 'the client-secret command of profile "yes"', 'standard input'];
    runs.forEach((r, i) => {
      expect(r).toMatchObject({ exitCode: 2, stdout: '' });
      expect(r.stderr).toBe(`error: The client secret from ${from[i]} is larger than 65536 bytes, far more than a client secret. Check that it holds only the secret.\n`);
    });
    expect(fx.server.requests).toHaveLength(0);
  });

  it('a secret file that is a process substitution (a FIFO) is still read', async () => {
    const r = await execa('bash', ['-c', `${BIN_SH} --client-secret-file <(printf %s "${SECRET}")`], {
      env: cleanEnv(fx.home.root, { ...creds(), GARDIN_CLIENT_SECRET: undefined }),
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fx.server.requests).toHaveLength(1);
  });
});

describe('what the tool hands on', () => {
  it("exec leaves GARDIN_CACHE_URL (and its Redis password) out of the command's environment", async () => {
    const r = await runBin(['exec', '--no-cache', '--', 'sh', '-c', 'printf "[%s]" "${GARDIN_CACHE_URL-unset}"'], fx.home.root, {
      ...creds(),
      GARDIN_CACHE_URL: 'redis://:redis-pw-4@127.0.0.1:1/0',
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('[unset]');
  });

  it('-o github makes a missing $GITHUB_ENV 0600', async () => {
    const file = join(fx.home.root, 'github-env');
    const r = await runBin(['-o', 'github'], fx.home.root, { ...creds(), GITHUB_ACTIONS: 'true', GITHUB_ENV: file });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('the disk', () => {
  /** Runs the bin with a read-only file system mounted at `dir`, in a mount namespace of its own. */
  const canMount = spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o ro tmpfs /mnt'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!canMount && !process.env.GARDIN_TOKEN_TEST_REQUIRE)('a read-only disk is reported as read-only, for the profile store and the token cache', async () => {
    const ro = join(fx.home.root, 'ro');
    mkdirSync(ro);
    const env = cleanEnv(fx.home.root, { ...creds(), XDG_CONFIG_HOME: join(ro, 'config'), XDG_CACHE_HOME: join(ro, 'cache') });
    const inNamespace = (args: string) =>
      execa('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ro tmpfs "${ro}" && ${BIN_SH} ${args}`], {
        env,
        extendEnv: false,
        reject: false,
        input: SECRET,
        stripFinalNewline: false,
      });
    const add = await inNamespace('profile add p --client-id c --client-secret-stdin --secret-store file');
    expect(add.exitCode).toBe(2);
    expect(add.stderr).toMatch(/^error: Cannot write the profile store .*config\.json: the file system is read-only\./);
    const call = await inNamespace('');
    expect(call.exitCode, call.stderr).toBe(0);
    expect(call.stderr).toMatch(/^warning: could not use the token cache in .*: the file system is read-only\n$/);
  });

  it('a FIFO where a cache file should be does not hang the call', async () => {
    expect((await runBin([], fx.home.root, creds())).exitCode).toBe(0);
    const cache = join(fx.home.root, 'cache', 'gardin-token');
    const [entry] = readdirSync(cache).filter((f) => f.endsWith('.json'));
    spawnSync('sh', ['-c', `rm -f "${join(cache, entry!)}" && mkfifo -m 600 "${join(cache, entry!)}"`]);
    const r = await runBin([], fx.home.root, creds(), { timeout: 20_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fx.server.requests).toHaveLength(2);
  });
});
