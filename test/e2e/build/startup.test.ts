import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runBin } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { issueTokens } from '../../helpers/token-server.js';

// The start-up guard: what a cached call loads, not how long it takes (speed is the bench's).
// A cached call must load no more than its start-up bundles and these built-ins beyond what
// `node -e 0` loads: no commander, undici, conf, ora or lock code (they live in lazy chunks).
const fx = useTokenServer(() => issueTokens());
// With options to read, util.parseArgs (node:os is not among them: HOME is set).
const PARSE_ARGS = ['internal/util/parse_args/parse_args', 'internal/util/parse_args/utils'];

async function loaded(args: string[], env: Record<string, string>) {
  const probe = join(fx.home.root, 'probe.cjs');
  const out = join(fx.home.root, 'probe.json');
  writeFileSync(
    probe,
    // It records what was loaded (\`node -e 0\` is the baseline of built-ins), and every call of
    // node:path's normalising functions made from the bin's own files.
    `const pathCalls = [];
if (process.argv[1]) {
  const path = require('node:path');
  for (const name of ['join', 'resolve', 'normalize', 'relative']) {
    const f = path[name];
    path[name] = function (...args) {
      const caller = new Error().stack.split('\\n')[2] ?? '';
      if (/[\\/](dist|bin)[\\/][^\\/]+\\.cjs/.test(caller)) pathCalls.push(name + ' ' + caller.trim());
      return f.apply(this, args);
    };
  }
}
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify({ builtins, files: Object.keys(require.cache), pathCalls }));
});`,
  );
  const r = await execa(process.execPath, ['--require', probe, ...args], { env: cleanEnv(fx.home.root, env), extendEnv: false, reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as { builtins: string[]; files: string[]; pathCalls: string[] };
}

describe('the start-up guard', () => {
  it.each([
    ['credentials from env', [] as string[]],
    ['credentials from a profile', ['-p', 'bench']],
  ])('a cached call (%s) loads only the start-up bundles and the built-ins it needs', async (_name, args) => {
    const env = { GARDIN_CLIENT_ID: 'guard', GARDIN_CLIENT_SECRET: 'guard-secret', GARDIN_TOKEN_URL: fx.server.tokenUrl };
    const profileEnv = {};
    if (args.length > 0) {
      const add = await runBin(
        ['profile', 'add', 'bench', '--client-id', 'guard', '--client-secret-stdin', '--token-url', fx.server.tokenUrl],
        fx.home.root,
        {},
        { input: 'guard-secret\n' },
      );
      expect(add.exitCode).toBe(0);
    }
    const callEnv = args.length > 0 ? profileEnv : env;
    expect((await runBin(args, fx.home.root, callEnv)).exitCode).toBe(0);
    const base = await loaded(['-e', '0'], {});
    const cached = await loaded([BIN, ...args], callEnv);
    expect(fx.server.requests).toHaveLength(1);
    const ours = cached.files.filter((f) => !f.endsWith('probe.cjs')).map((f) => f.split('/').slice(-2).join('/'));
    // No cli-program.cjs, so no commander.
    expect(ours.sort()).toEqual(['bin/gardin-token.cjs', 'dist/core.cjs', 'dist/start.cjs']);
    expect(cached.builtins.filter((m) => !base.builtins.includes(m)).sort()).toEqual(args.length > 0 ? PARSE_ARGS : []);
    // Paths are put together with fileIn, not node:path's join: enough joins and V8 (Node 24)
    // optimises node:path's helpers with Maglev during the call, ~2 MiB of its peak memory.
    expect(cached.pathCalls).toEqual([]);
  });

  it('a fetching call loads the fetch chunks, which the cached call did not', async () => {
    const env = { GARDIN_CLIENT_ID: 'guard', GARDIN_CLIENT_SECRET: 'guard-secret', GARDIN_TOKEN_URL: fx.server.tokenUrl };
    const fetched = await loaded([BIN, '--no-cache'], env);
    const ours = fetched.files.map((f) => f.split('/').slice(-2).join('/'));
    expect(ours).toEqual(expect.arrayContaining(['dist/token-refresh.cjs', 'dist/net-http.cjs']));
    // undici's HTTP/2 client is never used (no allowH2): node:http2 is not loaded (~8 ms); an
    // http:// endpoint without --ca-file needs no TLS either.
    for (const unused of ['http2', 'tls']) expect(fetched.builtins).not.toContain(unused);
  });
});
