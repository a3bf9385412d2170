import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { testDeps, tempHome } from '../helpers/deps.js';
import { issueTokens, startTokenServer, type TokenServer } from '../helpers/token-server.js';

const SECRET = 'cache-secret-123';
let server: TokenServer;
let home: ReturnType<typeof tempHome>;
let clock: number;

beforeAll(async () => {
  server = await startTokenServer(issueTokens());
});
afterAll(() => server.close());
beforeEach(() => {
  home = tempHome();
  server.requests.length = 0;
  clock = 1_800_000_000_000;
});
afterEach(() => home.cleanup());

async function run(args: string[], env: Record<string, string | undefined> = {}) {
  const deps = testDeps({
    env: { GARDIN_TOKEN_URL: server.tokenUrl, GARDIN_CLIENT_ID: 'c1', GARDIN_CLIENT_SECRET: SECRET, ...env },
    dirs: home,
    now: () => clock,
  });
  const code = await main(['node', 'gardin-token', ...args], deps);
  return { code, out: deps.out(), err: deps.err() };
}
const token = async (args: string[] = [], env: Record<string, string | undefined> = {}) => {
  const r = await run(['--json', ...args], env);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as { access_token: string; cached: boolean; expires_in: number };
};
const cacheFiles = () => (existsSync(home.cache) ? readdirSync(home.cache).filter((f) => f.endsWith('.json')) : []);

describe('the token cache', () => {
  it('reuses a token until fewer than --min-ttl seconds remain (default 60)', async () => {
    const first = await token();
    expect(first).toMatchObject({ cached: false, expires_in: 3600 });
    clock += (3600 - 60) * 1000;
    const second = await token();
    expect(second).toMatchObject({ access_token: first.access_token, cached: true, expires_in: 60 });
    clock += 1000;
    const third = await token();
    expect(third.cached).toBe(false);
    expect(third.access_token).not.toBe(first.access_token);
    expect(server.requests).toHaveLength(2);
  });

  it('--min-ttl sets the margin', async () => {
    await token();
    clock += 1000 * 1000;
    expect((await token(['--min-ttl', '2600'])).cached).toBe(true);
    expect((await token(['--min-ttl', '2601'])).cached).toBe(false);
  });

  it('stores 0600 files in a 0700 folder, without the secret', async () => {
    await token();
    expect(statSync(home.cache).mode & 0o777).toBe(0o700);
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    const file = join(home.cache, files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toMatchObject({ clientId: 'c1', tokenUrl: server.tokenUrl });
  });

  it('--no-cache neither reads nor writes', async () => {
    const a = await token(['--no-cache']);
    expect(cacheFiles()).toHaveLength(0);
    await token();
    const b = await token(['--no-cache']);
    expect(b.cached).toBe(false);
    expect(b.access_token).not.toBe(a.access_token);
    expect(server.requests).toHaveLength(3);
  });

  it('--force-refresh fetches and stores the new token', async () => {
    const a = await token();
    const b = await token(['--force-refresh']);
    expect(b.cached).toBe(false);
    expect(b.access_token).not.toBe(a.access_token);
    const c = await token();
    expect(c).toMatchObject({ access_token: b.access_token, cached: true });
  });

  it('a wrong secret never gets the cached token of the right one', async () => {
    await token();
    const r = await run(['--json'], { GARDIN_CLIENT_SECRET: 'wrong-secret' });
    // The fake server accepts any secret, so a second request proves the cache was not used.
    expect(JSON.parse(r.out).cached).toBe(false);
    expect(server.requests).toHaveLength(2);
  });

  it('a different scope, token URL, client or auth method never shares an entry', async () => {
    await token(['--scope', 'a b']);
    expect((await token(['--scope', 'b a'])).cached).toBe(true);
    expect((await token(['--scope', 'a'])).cached).toBe(false);
    expect((await token(['--scope', 'a b', '--token-url', server.tokenUrl.replace('127.0.0.1', 'localhost')])).cached).toBe(false);
    expect((await token(['--scope', 'a b'], { GARDIN_CLIENT_ID: 'c2' })).cached).toBe(false);
    expect((await token(['--scope', 'a b', '--auth-method', 'post'])).cached).toBe(false);
    expect(cacheFiles()).toHaveLength(5);
  });

  it.each([
    ['damaged', '{"version":1,"accessToken":'],
    ['empty', ''],
    ['foreign', JSON.stringify({ hello: 'world' })],
    ['binary', '\u0000\u0001\u0002'],
  ])('a %s cache file is ignored and replaced', async (_n, content) => {
    await token();
    const file = join(home.cache, cacheFiles()[0]!);
    writeFileSync(file, content);
    const again = await token();
    expect(again.cached).toBe(false);
    expect((await token()).cached).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).accessToken).toBe(again.access_token);
  });

  it('breaks a stale lock left by a killed process', async () => {
    await token();
    const file = join(home.cache, cacheFiles()[0]!);
    mkdirSync(`${file}.lock`);
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    // Broken, not waited out: waiting would give up after half of --timeout and say so.
    const r = await run(['--json', '--force-refresh', '--verbose']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).cached).toBe(false);
    expect(r.err).not.toContain('waiting');
    expect(r.err).toContain('cache: stored in');
  });

  it('waits for a held lock at most half of --timeout, then fetches on its own', async () => {
    await token();
    const file = join(home.cache, cacheFiles()[0]!);
    mkdirSync(`${file}.lock`);
    const started = performance.now();
    const r = await run(['--json', '--force-refresh', '--timeout', '2', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('gave up waiting for the lock; fetching without it');
    // It waited (at least half of the 2 s) before giving up; how fast it was afterwards is the bench's business.
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('--verbose says which file answered', async () => {
    await token();
    const r = await run(['--verbose']);
    expect(r.err).toMatch(new RegExp(`cache: hit in ${home.cache}/[0-9a-f]{64}\\.json, 3600 s left`));
  });

  it("cache clear removes all entries; --profile only that profile's", async () => {
    mkdirSync(home.config, { recursive: true });
    writeFileSync(join(home.config, 'config.json'), JSON.stringify({ profiles: { p: { clientId: 'c9', clientSecret: 's9', tokenUrl: server.tokenUrl } } }));
    await token();
    await token(['-p', 'p'], { GARDIN_CLIENT_ID: undefined, GARDIN_CLIENT_SECRET: undefined });
    expect(cacheFiles()).toHaveLength(2);
    let r = await run(['cache', 'clear', '--profile', 'p']);
    expect(r).toMatchObject({ code: 0, out: '' });
    expect(r.err).toContain('Removed 1 cached token of profile "p"');
    expect(cacheFiles()).toHaveLength(1);
    expect((await token()).cached).toBe(true);
    r = await run(['cache', 'clear']);
    expect(r.err).toContain('Removed 1 cached token from');
    expect(cacheFiles()).toHaveLength(0);
    expect((await run(['cache', 'clear', '--profile', 'ghost'])).code).toBe(2);
  });
});

describe('when the folders are unusable', () => {
  it('a cache folder that cannot be created costs a warning, not the token', async () => {
    mkdirSync(home.root, { recursive: true });
    writeFileSync(join(home.root, 'cache'), 'a file where the cache folder should be');
    const r = await run(['--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).cached).toBe(false);
    expect(r.err).toMatch(/^warning: could not use the token cache in .*: (a part of the path is not a folder|something else is in the way)\n$/);
    expect((await run(['--json', '--quiet'])).err).toBe('');
  });

  it('a profile store that cannot be read is exit 2 naming it', async () => {
    mkdirSync(join(home.config, 'config.json'), { recursive: true });
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`Refusing to use ${join(home.config, 'config.json')}: it is not a regular file.`);
  });
});
