// `npm run bench`: start-up and fetch cost of the built CLI, as ratios against `node -e 0`
// measured in the same run, interleaved, in a clean environment (no NODE_EXTRA_CA_CERTS or
// NODE_OPTIONS, which add a fixed cost to every Node start and would hide the tool's own).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const bin = join(root, 'bin/gardin-token.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const home = mkdtempSync(join(tmpdir(), 'gardin-token-bench-'));

const baseEnv = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), LANG: 'C' };
// BENCH_NODE=/path/to/node measures under another Node (22, 24: see .ci/run for where CI keeps them).
const node = process.env.BENCH_NODE || process.execPath;
const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
// The single-file binary (npm run build:sea) carries the Node that built it: measured when that is
// the Node measured here, so that its ratios are against its own Node's start.
const sea = join(root, 'dist/sea/gardin-token');
const withSea = existsSync(sea) && !process.env.BENCH_NODE;

function startServer(latencyMs) {
  return new Promise((resolvePort) => {
    const child = spawn(node, [join(root, 'bench/server.mjs'), String(latencyMs)], { env: baseEnv, stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.once('data', (d) => resolvePort({ port: Number(String(d).trim()), child }));
  });
}
// A fresh connection each time: spawnSync blocks this process, so a kept-alive socket may have
// been closed by the server unnoticed.
const count = (port) =>
  new Promise((done, fail) => {
    get({ host: '127.0.0.1', port, path: '/count', agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => done(Number(body)));
    }).on('error', fail);
  });

function time(cmd, args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
// Peak RSS is read from outside the process by GNU time where it is installed. The fallback, a
// module preloaded with --require that reports it at exit, disturbs what it measures: its own load
// through Node's module loader was enough, on Node 24, for V8 to optimise node:path's helpers with
// Maglev in a run that otherwise does not, ~2 MiB more.
const GNU_TIME = '/usr/bin/time';
const outside = spawnSync(GNU_TIME, ['-f', '%M', node, '-e', '0'], { encoding: 'utf8' }).status === 0;
function peakRss(args, env) {
  if (outside) {
    const r = spawnSync(GNU_TIME, ['-f', '%M', node, ...args], { env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    return Number(r.stderr.trim().split('\n').at(-1));
  }
  const r = spawnSync(node, ['--require', join(root, 'bench/rss.cjs'), ...args], { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  return Number(String(r.output[3]).trim());
}

const fast = await startServer(0);
const slow = await startServer(200);
try {
  const tokenUrl = `http://127.0.0.1:${fast.port}/oauth2/token`;
  const envCreds = { ...baseEnv, GARDIN_CLIENT_ID: 'bench', GARDIN_CLIENT_SECRET: 'bench-secret', GARDIN_TOKEN_URL: tokenUrl };
  const profileEnv = { ...baseEnv, GARDIN_PROFILE: 'bench' };
  // Warm the cache for both ways of giving credentials (they share one entry), and store the profile.
  time(node, [bin], envCreds);
  const add = spawnSync(node, [bin, 'profile', 'add', 'bench', '--client-id', 'bench', '--client-secret-stdin', '--token-url', tokenUrl], {
    env: baseEnv,
    input: 'bench-secret\n',
  });
  if (add.status !== 0) throw new Error(String(add.stderr));
  // The same profile among 999 others, in a home of its own (its cache warmed by one call).
  const manyHome = join(home, 'many');
  const manyEnv = { ...baseEnv, HOME: manyHome, XDG_CONFIG_HOME: join(manyHome, 'config'), XDG_CACHE_HOME: join(manyHome, 'cache'), GARDIN_PROFILE: 'bench' };
  mkdirSync(join(manyHome, 'config', 'gardin-token'), { recursive: true, mode: 0o700 });
  const others = Object.fromEntries(
    Array.from({ length: 999 }, (_, i) => [`p${i}`, { clientId: `c${i}`, clientSecret: `secret-${i}-0123456789abcdef`, tokenUrl, scope: 'jobs:read' }]),
  );
  writeFileSync(
    join(manyHome, 'config', 'gardin-token', 'config.json'),
    JSON.stringify({ default: 'bench', profiles: { ...others, bench: { clientId: 'bench', clientSecret: 'bench-secret', tokenUrl } } }),
    { mode: 0o600 },
  );
  time(node, [bin], manyEnv);

  const cases = {
    'node -e 0': () => time(node, ['-e', '0'], baseEnv),
    'cached, credentials from env': () => time(node, [bin], envCreds),
    'cached, credentials from a profile': () => time(node, [bin], profileEnv),
    'cached, one profile of 1000': () => time(node, [bin], manyEnv),
    'first call to a local endpoint (fetch, lock, cache write)': () => time(node, [bin, '--force-refresh'], envCreds),
    ...(withSea && {
      'single-file binary: cached': () => time(sea, [], envCreds),
      'single-file binary: first call to a local endpoint': () => time(sea, ['--force-refresh'], envCreds),
    }),
  };
  const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < 3; i++) for (const f of Object.values(cases)) f(); // warm-up
  for (let i = 0; i < RUNS; i++) for (const [k, f] of Object.entries(cases)) samples[k].push(f());
  const base = median(samples['node -e 0']);

  // A CI job: 20 steps each needing a token, against an endpoint with 200 ms latency. One job is a
  // single noisy sample, so jobs run interleaved with the curl|jq equivalent and medians are taken.
  const slowUrl = `http://127.0.0.1:${slow.port}/oauth2/token`;
  const ciEnv = { ...baseEnv, GARDIN_CLIENT_ID: 'ci', GARDIN_CLIENT_SECRET: 'ci-secret', GARDIN_TOKEN_URL: slowUrl };
  const curlJq = `curl -sf -X POST -u ci:ci-secret -d grant_type=client_credentials ${slowUrl} | jq -r .access_token`;
  const haveCurlJq = spawnSync('sh', ['-c', 'command -v curl && command -v jq'], { stdio: 'ignore' }).status === 0;
  if (!haveCurlJq) console.error('curl or jq is not installed: the CI-job comparison is left out');
  const JOBS = 3;
  // The cases that start many processes at once move by ±0.3x from one round to the next here:
  // nine rounds, so that their median says more about the code than about one busy moment.
  const ROUNDS = 9;
  const oursJobs = [];
  const theirsJobs = [];
  let ourRequests = 0;
  let curlRequests = 0;
  for (let job = 0; job < JOBS; job++) {
    spawnSync(node, [bin, 'cache', 'clear'], { env: ciEnv });
    let before = await count(slow.port);
    let t = 0;
    for (let i = 0; i < 20; i++) t += time(node, [bin], ciEnv);
    oursJobs.push(t);
    ourRequests = (await count(slow.port)) - before;
    if (!haveCurlJq) continue;
    before = await count(slow.port);
    t = 0;
    for (let i = 0; i < 20; i++) t += time('sh', ['-c', curlJq], baseEnv);
    theirsJobs.push(t);
    curlRequests = (await count(slow.port)) - before;
  }
  const ours = median(oursJobs);
  const theirs = haveCurlJq ? median(theirsJobs) : NaN;

  /** Milliseconds until every one of these runs (one env each) started together has exited. */
  const timeTogether = (envs, args = [bin]) =>
    new Promise((done) => {
      const t = process.hrtime.bigint();
      let left = envs.length;
      for (const env of envs) {
        spawn(node, args, { env, stdio: 'ignore' }).on('exit', () => {
          if (--left === 0) done(Number(process.hrtime.bigint() - t) / 1e6);
        });
      }
    });

  // 32 first calls started together against the 200 ms endpoint, against one first call alone:
  // the lock makes one request; the others wait on the cache file.
  const timeParallel = (n) => {
    spawnSync(node, [bin, 'cache', 'clear'], { env: ciEnv });
    return timeTogether(Array.from({ length: n }, () => ciEnv));
  };
  const oneCold = [];
  const manyCold = [];
  const manyWarm = [];
  const bareMany = [];
  const freshMany = [];
  const freshBare = [];
  let parallelRequests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    oneCold.push(await timeParallel(1));
    const before = await count(slow.port);
    manyCold.push(await timeParallel(32));
    parallelRequests = (await count(slow.port)) - before;
    // The same 32 again, now answered from the cache the round's fetch filled: what 32 together
    // would take if the fetch and the wait cost nothing.
    manyWarm.push(await timeTogether(Array.from({ length: 32 }, () => ciEnv)));
    // What this machine takes to start and end 32 Node processes at once, doing nothing: the part
    // of the two cases above that no code of ours can remove (it shrinks with more cores).
    bareMany.push(
      await timeTogether(
        Array.from({ length: 32 }, () => baseEnv),
        ['-e', '0'],
      ),
    );
    // A fresh machine: a HOME nothing has run in yet, so no folder, profile store or cache exists.
    const fresh = join(home, `fresh-${round}`);
    const freshEnv = { ...ciEnv, HOME: fresh, XDG_CONFIG_HOME: join(fresh, 'config'), XDG_CACHE_HOME: join(fresh, 'cache') };
    freshMany.push(await timeTogether(Array.from({ length: 32 }, () => freshEnv)));
    freshBare.push(
      await timeTogether(
        Array.from({ length: 32 }, () => baseEnv),
        ['-e', '0'],
      ),
    );
  }
  const one = median(oneCold);
  const many = median(manyCold);
  const warm = median(manyWarm);
  const bare = median(bareMany);
  const freshRatio = median(freshMany.map((ms, i) => ms / freshBare[i]));

  // The fleet: 4 hosts (a HOME each) x 8 processes started together, cold locally and on a real
  // redis-server (a new client each round), against one cold call on one host with the same Redis.
  let fleet;
  if (spawnSync('redis-server', ['--version']).status === 0) {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((ready) => redis.stdout.on('data', (d) => String(d).includes('Ready to accept') && ready()));
    let round = 0;
    const timeFleet = (hosts, perHost) => {
      round++;
      const env = { ...ciEnv, GARDIN_CLIENT_ID: `fleet-${round}`, GARDIN_CACHE_URL: `redis://127.0.0.1:${port}` };
      // A host keeps its home (and so its code cache) from round to round; the token is cold
      // because each round is a new client.
      const hostEnv = (h) => ({
        ...env,
        HOME: join(home, `fleet-host-${h}`),
        XDG_CONFIG_HOME: join(home, `fleet-host-${h}`, 'config'),
        XDG_CACHE_HOME: join(home, `fleet-host-${h}`, 'cache'),
      });
      return timeTogether(Array.from({ length: hosts * perHost }, (_, i) => hostEnv(i % hosts)));
    };
    const oneHost = [];
    const fleetRuns = [];
    let fleetRequests = 0;
    try {
      await timeFleet(4, 1); // warm-up: every host has run gardin-token before
      for (let r = 0; r < ROUNDS; r++) {
        oneHost.push(await timeFleet(1, 1));
        const before = await count(slow.port);
        fleetRuns.push(await timeFleet(4, 8));
        fleetRequests = (await count(slow.port)) - before;
      }
    } finally {
      redis.kill();
    }
    fleet = { one: median(oneHost), all: median(fleetRuns), requests: fleetRequests };
  }

  const rssBase = median(Array.from({ length: 5 }, () => peakRss(['-e', '0'], baseEnv)));
  const rssCached = median(Array.from({ length: 5 }, () => peakRss([bin], envCreds)));

  const rows = [
    ['case', 'median', 'ratio', 'target'],
    ['node -e 0', `${base.toFixed(1)} ms`, '1.00x', ''],
    ...[
      ['cached, credentials from env', 1.25],
      ['cached, credentials from a profile', 1.3],
      ['cached, one profile of 1000', 1.3],
      ['first call to a local endpoint (fetch, lock, cache write)', 2.5],
      ...(withSea
        ? [
            ['single-file binary: cached', 1.3],
            ['single-file binary: first call to a local endpoint', 2.5],
          ]
        : []),
    ].map(([k, target]) => {
      const m = median(samples[k]);
      // Paired: each run against the `node -e 0` run of its own round, so a drift in the machine's
      // speed during the bench moves both sides of a ratio alike.
      const ratio = median(samples[k].map((ms, i) => ms / samples['node -e 0'][i]));
      return [k, `${m.toFixed(1)} ms`, `${ratio.toFixed(2)}x`, `<= ${target}x ${ratio <= target ? 'ok' : 'MISSED'}`];
    }),
    ...(withSea
      ? []
      : [['single-file binary', process.env.BENCH_NODE ? 'skipped: it carries the Node that built it, not BENCH_NODE' : 'skipped: npm run build:sea first', '', '']]),
    [
      `CI job: 20 calls, 200 ms endpoint (median of ${JOBS})`,
      `${ours.toFixed(0)} ms, ${ourRequests} request(s)`,
      `${(ours / theirs).toFixed(2)}x curl|jq (${theirs.toFixed(0)} ms, ${curlRequests} requests)`,
      `<= 0.4x, 1 request ${ours / theirs <= 0.4 && ourRequests === 1 ? 'ok' : 'MISSED'}`,
    ],
    [
      `32 first calls in parallel, 200 ms endpoint (median of ${ROUNDS})`,
      `${many.toFixed(0)} ms, ${parallelRequests} request(s)`,
      `${(many / one).toFixed(2)}x one first call (${one.toFixed(0)} ms)`,
      `<= 2.5x, 1 request ${many / one <= 2.5 && parallelRequests === 1 ? 'ok' : 'MISSED'}`,
    ],
    [
      `32 calls in parallel, answered from the cache (median of ${ROUNDS})`,
      `${warm.toFixed(0)} ms`,
      `${(warm / one).toFixed(2)}x one first call`,
      'none: the row above with a fetch that cost nothing',
    ],
    [
      `floor: 32 x node -e 0 started together (median of ${ROUNDS})`,
      `${bare.toFixed(0)} ms`,
      `${(bare / one).toFixed(2)}x one first call`,
      'none: a reference for the rows around it',
    ],
    [
      `32 first calls together on a fresh HOME, 200 ms endpoint (median of ${ROUNDS})`,
      `${median(freshMany).toFixed(0)} ms`,
      `${freshRatio.toFixed(2)}x 32 x node -e 0 together (${median(freshBare).toFixed(0)} ms)`,
      `<= 1.3x ${freshRatio <= 1.3 ? 'ok' : 'MISSED'}`,
    ],
    fleet
      ? [
          `fleet: 4 hosts x 8 processes, cold, shared Redis, 200 ms endpoint (median of ${ROUNDS})`,
          `${fleet.all.toFixed(0)} ms, ${fleet.requests} request(s)`,
          `${(fleet.all / fleet.one).toFixed(2)}x one cold call (${fleet.one.toFixed(0)} ms)`,
          `<= 3x, 1 request ${fleet.all / fleet.one <= 3 && fleet.requests === 1 ? 'ok' : 'MISSED'}`,
        ]
      : ['fleet: 4 hosts x 8 processes', 'skipped: no redis-server', '', ''],
    [
      `peak RSS, cached call (${outside ? 'GNU time' : 'preloaded probe'})`,
      `${(rssCached / 1024).toFixed(1)} MiB`,
      `${(rssCached / rssBase).toFixed(2)}x (node -e 0: ${(rssBase / 1024).toFixed(1)} MiB)`,
      `<= 1.1x ${rssCached / rssBase <= 1.1 ? 'ok' : 'MISSED'}`,
    ],
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(
    `gardin-token bench: ${RUNS} interleaved runs per case (a ratio is the median of each run against its round's node -e 0), Node ${nodeVersion}, ${availableParallelism()} CPUs, clean environment\n`,
  );
  for (const r of rows)
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
} finally {
  fast.child.kill();
  slow.child.kill();
  rmSync(home, { recursive: true, force: true });
}
