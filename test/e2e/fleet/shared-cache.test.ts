import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hangBoundMs, runBin, type RunResult } from '../../helpers/bin.js';
import { tempHome, testDeps } from '../../helpers/deps.js';
import { hasRedis, startRedis, TLS_DIR, type RedisServer } from '../../helpers/redis.js';
import { json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';
import { sealEntry, sharedKeys } from '../../../src/fleet/seal.js';
import { getTokenWith } from '../../../src/library/get-token.js';
import { UsageError } from '../../../src/platform/errors.js';

// Issue 12: a token cache the whole fleet shares on a real redis-server. A "host" is a HOME of
// its own (its own config and local cache); its processes run side by side.

const CLIENT = 'fleet-client';
const SECRET = 'fleet-secret-0123456789';
const SCOPE = 'data.indices:query';

let server: TokenServer;
/** Milliseconds the token server takes to answer, so a cold fleet really races. */
let delayMs = 300;
/** Called with each request before it is answered (to break Redis mid-run). */
let onRequest: (n: number) => void | Promise<void> = () => undefined;
let counter = 0;
const homes: Array<ReturnType<typeof tempHome>> = [];
const redises: RedisServer[] = [];

beforeAll(async () => {
  server = await startTokenServer(async (req, n, res) => {
    await onRequest(n);
    await new Promise((r) => setTimeout(r, delayMs));
    const expected = `Basic ${Buffer.from(`${encodeURIComponent(CLIENT)}:${encodeURIComponent(SECRET)}`).toString('base64')}`;
    if (req.headers.authorization !== expected) return json(res, 401, { error: 'invalid_client' });
    counter++;
    json(res, 200, { access_token: `fleet-token-${counter}-${'x'.repeat(12)}`, token_type: 'Bearer', expires_in: 3600, scope: SCOPE });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.issued.length = 0;
  delayMs = 300;
  onRequest = () => undefined;
});
afterEach(async () => {
  for (const h of homes.splice(0)) h.cleanup();
  await Promise.all(redises.splice(0).map((r) => r.stop()));
});

async function redis(options: Parameters<typeof startRedis>[0] = {}): Promise<RedisServer> {
  const r = await startRedis(options);
  redises.push(r);
  return r;
}

function host(): ReturnType<typeof tempHome> {
  const h = tempHome();
  homes.push(h);
  return h;
}

const env = (cacheUrl: string, extra: Record<string, string | undefined> = {}) => ({
  GARDIN_CLIENT_ID: CLIENT,
  GARDIN_CLIENT_SECRET: SECRET,
  GARDIN_TOKEN_URL: server.tokenUrl,
  GARDIN_SCOPE: SCOPE,
  GARDIN_CACHE_URL: cacheUrl,
  ...extra,
});

/** `perHost` processes on each of `hosts` hosts, all started together. */
async function fleet(hosts: number, perHost: number, cacheUrl: string, args: string[] = ['--json'], extra: Record<string, string | undefined> = {}): Promise<RunResult[]> {
  const runs: Array<Promise<RunResult>> = [];
  for (let h = 0; h < hosts; h++) {
    const home = host();
    for (let p = 0; p < perHost; p++) runs.push(runBin(args, home.root, env(cacheUrl, extra), { timeout: hangBoundMs(30) }));
  }
  return Promise.all(runs);
}

const tokenOf = (r: RunResult): string => JSON.parse(r.stdout).access_token;

describe.skipIf(!hasRedis)('the shared cache on Redis', () => {
  it('4 hosts x 8 processes on a cold fleet: exactly one token request, one token everywhere', async () => {
    const r = await redis();
    const runs = await fleet(4, 8, r.url);
    for (const run of runs) expect(run.exitCode, run.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(new Set(runs.map(tokenOf))).toEqual(new Set(server.issued));
    // One process fetched; every other one had it from a cache, local or shared.
    expect(runs.filter((run) => JSON.parse(run.stdout).cached === false)).toHaveLength(1);
    for (const run of runs) expect(run.stderr).toBe('');
  });

  it('no Redis key or value holds the token, the secret, the client id or a scope in clear', async () => {
    const r = await redis();
    const [first] = await fleet(1, 1, r.url);
    expect(first!.exitCode, first!.stderr).toBe(0);
    const dump = await r.dump();
    expect(dump.length).toBeGreaterThan(0);
    const text = JSON.stringify(dump);
    for (const clear of [tokenOf(first!), SECRET, CLIENT, SCOPE, 'data.indices', server.tokenUrl, '127.0.0.1']) expect(text).not.toContain(clear);
    // The lock is gone once the fetch is done; what is left is the sealed entry, with an expiry.
    expect(dump.map(([k]) => k)).toEqual([expect.stringMatching(/^gardin-token:v1:[\w-]{43}$/)]);
    const admin = await r.admin();
    const ttl = await admin.pttl(dump[0]![0]);
    admin.disconnect();
    // The token's hour, less the 60 s --min-ttl margin.
    expect(ttl).toBeGreaterThan(3_400_000);
    expect(ttl).toBeLessThanOrEqual(3_540_000);
  });

  it('Redis stopped while the fleet waits on it: every process still prints a token, exit 0', async () => {
    const r = await redis();
    delayMs = 800;
    onRequest = (n) => {
      if (n === 0) void r.stop();
    };
    const runs = await fleet(3, 4, r.url, ['--json', '--timeout', '10']);
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(server.issued).toContain(tokenOf(run));
    }
    // Each host whose Redis went away mid-wait said so once per process that noticed, and went on.
    expect(runs.some((run) => run.stderr.includes('warning: not using the shared cache'))).toBe(true);
  });

  it('Redis hanging (DEBUG SLEEP) mid-run: every process still prints a token within its --timeout', async () => {
    const r = await redis();
    delayMs = 500;
    const admin = await r.admin();
    onRequest = (n) => {
      if (n === 0) void admin.call('DEBUG', 'SLEEP', '6').catch(() => undefined);
    };
    const runs = await fleet(3, 3, r.url, ['--json', '--timeout', '5']);
    admin.disconnect();
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(server.issued).toContain(tokenOf(run));
    }
    expect(runs.some((run) => /no answer to \w+.* within 500 ms/.test(run.stderr))).toBe(true);
  });

  it('an unreachable Redis is one warning, then the token as without one; -q silences it', async () => {
    const r = await redis();
    const url = r.url;
    await r.stop();
    redises.length = 0;
    const [run] = await fleet(1, 1, url);
    expect(run!.exitCode).toBe(0);
    expect(run!.stderr).toBe(`warning: not using the shared cache ${url}: connect failed: connection refused; going on without it.\n`);
    const [quiet] = await fleet(1, 1, url, ['--json', '-q']);
    expect(quiet).toMatchObject({ exitCode: 0, stderr: '' });
    // Asked to delete the shared entry, though, a Redis out of reach is the answer: exit 4.
    const clear = await runBin(['cache', 'clear', '--shared'], host().root, env(url));
    expect(clear.exitCode).toBe(4);
    expect(clear.stderr).toContain('could not be removed');
  });

  it('DEBUG=ioredis:* prints nothing of what ioredis sends (AUTH and its password among it)', async () => {
    const password = 'redis-pass-debug-41';
    const r = await redis({ password });
    const runs = await fleet(1, 2, `redis://:${password}@127.0.0.1:${r.port}`, ['--json'], { DEBUG: 'ioredis:*', DEBUG_COLORS: 'no' });
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
    }
    expect(server.requests).toHaveLength(1);
  });

  it('requirepass: the password in the URL works and is never printed; a wrong one costs a warning, not the token', async () => {
    const password = 'redis-pass-7f3a9c';
    const r = await redis({ password });
    const url = `redis://:${password}@127.0.0.1:${r.port}`;
    const runs = await fleet(2, 2, url, ['--json', '-v']);
    for (const run of runs) {
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).not.toContain(password);
      expect(run.stderr).not.toContain('warning');
    }
    expect(server.requests).toHaveLength(1);
    const [wrong] = await fleet(1, 1, `redis://:not-the-password@127.0.0.1:${r.port}`);
    expect(wrong!.exitCode).toBe(0);
    expect(wrong!.stderr).toContain('connect failed: wrong user name or password; going on without it.');
    expect(wrong!.stderr).not.toContain('not-the-password');
    const [none] = await fleet(1, 1, r.url);
    expect(none!.stderr).toContain('it asks for a password');
  });

  it('an ACL user limited to our keys shares the cache; one without the commands we need is a warning', async () => {
    const r = await redis({
      users: ['default off', 'fleet on >fleet-pass-1234 ~gardin-token:* +get +set +exists +eval +del', 'reader on >reader-pass-1234 ~* +get +exists'],
    });
    const url = `redis://fleet:fleet-pass-1234@127.0.0.1:${r.port}`;
    const runs = await fleet(2, 3, url);
    for (const run of runs) expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(server.requests).toHaveLength(1);
    const [reader] = await fleet(1, 1, `redis://reader:reader-pass-1234@127.0.0.1:${r.port}`, ['--json', '--force-refresh']);
    expect(reader!.exitCode).toBe(0);
    expect(reader!.stderr).toContain('the user may not run the commands this needs');
    expect(reader!.stderr).not.toContain('reader-pass-1234');
  });

  it('rediss:// with the test CA (--ca-file) shares the cache; without the CA it is a warning, never a failure', async () => {
    const r = await redis({ tls: true });
    const ca = join(TLS_DIR, 'ca.pem');
    const runs = await fleet(2, 2, r.url, ['--json', '--ca-file', ca]);
    for (const run of runs) expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect(server.requests).toHaveLength(1);
    const [untrusted] = await fleet(1, 1, r.url);
    expect(untrusted!.exitCode).toBe(0);
    expect(untrusted!.stderr).toMatch(/warning: not using the shared cache rediss:\/\/127\.0\.0\.1:\d+: connect failed: .*(certificate|self.signed|issuer)/i);
    expect(server.requests).toHaveLength(2);
  });

  it('a value planted by someone without the secret is never served', async () => {
    const r = await redis();
    const [first] = await fleet(1, 1, r.url);
    const real = tokenOf(first!);
    const [[key]] = (await r.dump()) as [[string, string]];
    const planted = 'planted-token-abcdefghijklmnop';
    const entry = {
      version: 1 as const,
      tokenUrl: server.tokenUrl,
      clientId: CLIENT,
      scopes: [SCOPE],
      authMethod: 'basic' as const,
      accessToken: planted,
      tokenType: 'Bearer' as const,
      scope: SCOPE,
      expiresAt: Date.now() + 3_000_000,
      obtainedAt: Date.now(),
    };
    const id = { tokenUrl: server.tokenUrl, clientId: CLIENT, scopes: [SCOPE], authMethod: 'basic' as const, secretId: '' };
    const values = [
      JSON.stringify(entry),
      // Sealed in our own format, but under a key from a secret the attacker guessed.
      sealEntry(entry, sharedKeys(id, 'a-guessed-secret')),
      'v1.' + Buffer.from('not a sealed value at all, just bytes').toString('base64url'),
    ];
    const admin = await r.admin();
    for (const value of values) {
      await admin.set(key, value);
      const [run] = await fleet(1, 1, r.url);
      expect(run!.exitCode, run!.stderr).toBe(0);
      expect(run!.stdout).not.toContain(planted);
      expect(server.issued).toContain(tokenOf(run!));
    }
    admin.disconnect();
    expect(server.issued).toContain(real);
  });

  it("a wrong secret never gets the fleet's token: it looks elsewhere, and the endpoint refuses it", async () => {
    const r = await redis();
    const [first] = await fleet(1, 1, r.url);
    const fleetToken = tokenOf(first!);
    const [wrong] = await fleet(1, 1, r.url, ['--json'], { GARDIN_CLIENT_SECRET: 'not-the-fleet-secret' });
    expect(wrong!.exitCode).toBe(3);
    expect(wrong!.stdout).toBe('');
    expect(wrong!.stderr).not.toContain(fleetToken);
    expect(server.requests).toHaveLength(2);
  });

  it('status shows the shared entry; cache clear --shared removes it, and the next host fetches', async () => {
    const r = await redis();
    const [first] = await fleet(1, 1, r.url);
    expect(first!.exitCode).toBe(0);
    const other = host();
    const status = await runBin(['status', '--json'], other.root, env(r.url));
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ cached: false, shared: { url: r.url, reachable: true, cached: true, fresh: true } });
    const text = await runBin(['status'], other.root, env(r.url));
    expect(text.stdout).toMatch(new RegExp(`shared: +${r.url}: a fresh token, expires at`));

    const clear = await runBin(['cache', 'clear', '--shared'], other.root, env(r.url));
    expect(clear).toMatchObject({ exitCode: 0 });
    expect(clear.stderr).toContain('removed the shared entry');
    expect(await r.dump()).toEqual([]);
    const after = await runBin(['status', '--json'], host().root, env(r.url));
    expect(after.exitCode).toBe(6);
    expect(JSON.parse(after.stdout).shared).toMatchObject({ cached: false, fresh: false });
    const [next] = await fleet(1, 1, r.url);
    expect(JSON.parse(next!.stdout).cached).toBe(false);
    expect(server.requests).toHaveLength(2);

    // Identity options without --shared would be ignored: refused instead.
    const refused = await runBin(['cache', 'clear', '--client-id', 'x'], other.root);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('--client-id applies to cache clear only with --shared');
  });

  it('a profile carries the cache URL; --no-cache leaves Redis alone', async () => {
    const r = await redis();
    const h = host();
    const add = await runBin(
      ['profile', 'add', 'fleet', '--client-id', CLIENT, '--client-secret-stdin', '--token-url', server.tokenUrl, '--scope', SCOPE, '--cache-url', r.url, '--secret-store', 'file'],
      h.root,
      {},
      { input: SECRET },
    );
    expect(add.exitCode, add.stderr).toBe(0);
    const viaProfile = await runBin(['-p', 'fleet', '--json'], h.root);
    expect(viaProfile.exitCode, viaProfile.stderr).toBe(0);
    expect((await r.dump()).length).toBe(1);
    const show = await runBin(['profile', 'show', 'fleet'], h.root);
    expect(show.stdout).toContain(`shared cache:  ${r.url}`);
    const admin = await r.admin();
    await admin.flushall();
    admin.disconnect();
    const off = await runBin(['--json', '--no-cache'], host().root, env(r.url));
    expect(off.exitCode).toBe(0);
    expect(await r.dump()).toEqual([]);
  });

  it('the library shares through Redis too (cacheUrl), and is silent when Redis is away', async () => {
    const r = await redis();
    const options = { clientId: CLIENT, clientSecret: SECRET, tokenUrl: server.tokenUrl, scope: SCOPE, cacheUrl: r.url };
    const first = host();
    const a = await getTokenWith(options, testDeps({ dirs: first }));
    const other = host();
    const bDeps = testDeps({ dirs: other });
    const b = await getTokenWith(options, bDeps);
    expect(b).toMatchObject({ accessToken: a.accessToken, fromCache: true });
    expect(server.requests).toHaveLength(1);
    expect(bDeps.err()).toBe('');
    await r.stop();
    redises.length = 0;
    const cDeps = testDeps({ dirs: host() });
    const c = await getTokenWith(options, cDeps);
    expect(c.fromCache).toBe(false);
    expect(cDeps.err()).toBe('');
  });

  it('a bad cache URL is a usage error (exit 2) that never shows its password', async () => {
    for (const bad of ['http://127.0.0.1:6379', 'redis://:pw-secret-1@127.0.0.1:6379/notadb', 'not a url']) {
      const run = await runBin(['--json'], host().root, env(bad));
      expect(run.exitCode, bad).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^error: The shared cache URL ".*" from the GARDIN_CACHE_URL environment variable cannot be used: /);
      expect(run.stderr).not.toContain('pw-secret-1');
    }
  });

  it('a cached call with a shared cache set reads only the local file: Redis is not asked', async () => {
    const r = await redis();
    const h = host();
    const first = await runBin(['--json'], h.root, env(r.url));
    expect(first.exitCode).toBe(0);
    await r.stop();
    redises.length = 0;
    const probe = join(h.root, 'probe.cjs');
    writeFileSync(probe, `process.on('exit', () => require('fs').writeFileSync(process.env.PROBE_OUT, JSON.stringify(Object.keys(require.cache))));`);
    const out = join(h.root, 'loaded.json');
    const cached = await runBin(['--json'], h.root, { ...env(r.url), PROBE_OUT: out, NODE_OPTIONS: `--require ${probe}` });
    expect(cached).toMatchObject({ exitCode: 0, stderr: '' });
    expect(JSON.parse(cached.stdout).cached).toBe(true);
    const loaded = (JSON.parse(readFileSync(out, 'utf8')) as string[]).map((f) => f.split('/').pop());
    expect(loaded).not.toContain('fleet-shared-cache.cjs');
    expect(loaded).not.toContain('token-refresh.cjs');
  });

  it('a client whose identity is over 1 KB (many scopes) shares the cache like any other', async () => {
    const r = await redis();
    const scopes = Array.from({ length: 90 }, (_, n) => `scope-${n}:read`).join(' ');
    const runs = [];
    for (let h = 0; h < 2; h++) runs.push(await runBin(['--json'], host().root, env(r.url, { GARDIN_SCOPE: scopes })));
    for (const x of runs) expect(x).toMatchObject({ exitCode: 0, stderr: '' });
    expect(server.requests).toHaveLength(1);
    expect(tokenOf(runs[1]!)).toBe(tokenOf(runs[0]!));
    expect(await r.dump()).toHaveLength(1);
  });
});

describe.skipIf(!hasRedis)('the shared cache within its bounds', () => {
  const keysFor = (secret = SECRET) => sharedKeys({ tokenUrl: server.tokenUrl, clientId: CLIENT, scopes: [SCOPE], authMethod: 'basic', secretId: '' }, secret);

  it("a host that waits for another host's fetch still gets a whole --timeout for its own", async () => {
    const r = await redis();
    // The endpoint takes 3 s and the first host holds the fleet's lock meanwhile. The second
    // waits at most a third of its --timeout of 5 s, then fetches with 5 s of its own.
    delayMs = 3000;
    let second: Promise<RunResult> | undefined;
    onRequest = (n) => {
      if (n === 0) second = runBin(['--json', '--timeout', '5'], host().root, env(r.url));
    };
    const first = await runBin(['--json', '--timeout', '5'], host().root, env(r.url));
    expect(first.exitCode, first.stderr).toBe(0);
    const waited = await second!;
    expect(waited.exitCode, waited.stderr).toBe(0);
    expect(server.issued).toContain(tokenOf(waited));
  });

  it('a lock nobody releases is said on stderr (no -v needed), and the call fetches', async () => {
    const r = await redis();
    const admin = await r.admin();
    await admin.set(keysFor().lock, 'a-host-that-died', 'PX', 600_000);
    admin.disconnect();
    delayMs = 0;
    const run = await runBin(['--json', '--timeout', '3'], host().root, env(r.url));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /^warning: not using the shared cache redis:\/\/127\.0\.0\.1:\d+: another host has held the lock on this token for \d+ s without storing one \(it may have died; the lock runs out with its --timeout\); fetching here; going on without it\.\n$/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('a value too large to be an entry is cut off as it arrives, not read whole: a warning, and the token from the endpoint', async () => {
    const r = await redis();
    const admin = await r.admin();
    await admin.set(keysFor().entry, 'v1.' + 'A'.repeat(3 * 1024 * 1024));
    admin.disconnect();
    const run = await runBin(['--json'], host().root, env(r.url));
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: not using the shared cache .*: GET failed: it sent more than 1048576 bytes; going on without it\.\n$/);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['redis://:100%secure@127.0.0.1:6379/0', 'its user or password has a "%" that is not followed by two hex digits (write a "%" as %25)', '100%secure'],
    ['redis://127.0.0.1:6379/0?password=hunter22', 'it has a query or a fragment', 'hunter22'],
    ['redis://:pw-secret-2@127.0.0.1:6379/16', 'its database "/16" is not one Redis has (/0 to /15)', 'pw-secret-2'],
    ['redis://127.0.0.1:6379/99999', 'its database "/99999" is not one Redis has', undefined],
  ])('%s is exit 2 naming GARDIN_CACHE_URL, for every command that reads it, its password unshown', async (url, why, secret) => {
    for (const args of [['--json'], ['status'], ['exec', '--', 'true'], ['cache', 'clear', '--shared']]) {
      const run = await runBin(args, host().root, env(url));
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('from the GARDIN_CACHE_URL environment variable cannot be used: ' + why);
      if (secret) expect(run.stderr).not.toContain(secret);
    }
    const library = getTokenWith({ clientId: CLIENT, clientSecret: SECRET, tokenUrl: server.tokenUrl, cacheUrl: url }, testDeps({ dirs: host() }));
    await expect(library).rejects.toBeInstanceOf(UsageError);
    expect(server.requests).toHaveLength(0);
  });
});
