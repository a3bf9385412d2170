import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../../helpers/deps.js';
import { issueTokens, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

const root = resolve(import.meta.dirname, '../../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
let server: TokenServer;
let home: ReturnType<typeof tempHome>;
let tarball: string;
let prefix: string;

beforeAll(async () => {
  server = await startTokenServer(issueTokens());
  home = tempHome();
  const packDir = join(home.root, 'pack');
  mkdirSync(packDir);
  // --ignore-scripts: `npm test` has just built dist/; prepack would only build it again.
  const packed = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: root });
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(packDir, info!.filename);
  (globalThis as { packedFiles?: string[] }).packedFiles = info!.files.map((f) => f.path);
  prefix = join(home.root, 'prefix');
  // Everything the CLI runs is bundled in dist/: installing needs no registry.
  await execa('npm', ['install', '--global', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: home.root });
}, 120_000);
afterAll(async () => {
  await server.close();
  home.cleanup();
});

describe('the published package', () => {
  it('holds only what users run: bin, dist, README, LICENSE, package.json', () => {
    const files = (globalThis as { packedFiles?: string[] }).packedFiles!;
    for (const f of files) expect(f).toMatch(/^(bin\/gardin-token\.cjs|dist\/.+|README\.md|LICENSE|package\.json)$/);
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/gardin-token.cjs',
        'dist/index.cjs',
        'dist/cli-program.cjs',
        'dist/core.cjs',
        'dist/token-refresh.cjs',
        'dist/types/index.d.ts',
        'README.md',
        'LICENSE',
      ]),
    );
  });

  it('depends on nothing at run time but the optional keychain module (native, prebuilt)', () => {
    const pkg = JSON.parse(readFileSync(join(prefix, 'lib', 'node_modules', 'gardin-token', 'package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    expect(Object.keys(pkg.optionalDependencies)).toEqual(['@napi-rs/keyring']);
  });

  it('installed into a prefix: --version and a real fetch', async () => {
    const bin = join(prefix, 'bin', 'gardin-token');
    expect(existsSync(bin)).toBe(true);
    const env = { PATH: process.env.PATH!, HOME: home.root, XDG_CACHE_HOME: join(home.root, 'c'), XDG_CONFIG_HOME: join(home.root, 'g') };
    expect((await execa(bin, ['--version'], { env, extendEnv: false })).stdout).toBe(version);
    const r = await execa(bin, ['--json'], { env: { ...env, GARDIN_CLIENT_ID: 'pkg', GARDIN_CLIENT_SECRET: 'pkg-secret', GARDIN_TOKEN_URL: server.tokenUrl }, extendEnv: false });
    expect(JSON.parse(r.stdout)).toMatchObject({ token_type: 'Bearer', cached: false });
  });

  it('as a library: import { getToken } from "gardin-token", from ESM and CommonJS', async () => {
    const pkgDir = join(prefix, 'lib', 'node_modules', 'gardin-token');
    expect(readdirSync(pkgDir)).toEqual(expect.arrayContaining(['bin', 'dist', 'package.json']));
    const env = {
      PATH: process.env.PATH!,
      HOME: home.root,
      XDG_CACHE_HOME: join(home.root, 'c2'),
      XDG_CONFIG_HOME: join(home.root, 'g2'),
      NODE_PATH: join(prefix, 'lib', 'node_modules'),
    };
    const esm = `import { getToken, UsageError } from 'gardin-token';
const t = await getToken({ clientId: 'lib', clientSecret: 's', tokenUrl: '${server.tokenUrl}' });
const e = await getToken({ clientId: 'lib' }).catch((e) => e);
console.log(JSON.stringify({ ok: t.accessToken.startsWith('tok-'), date: t.expiresAt instanceof Date, err: e instanceof UsageError && e.code }));`;
    const appDir = join(home.root, 'app');
    mkdirSync(join(appDir, 'node_modules'), { recursive: true });
    await execa('ln', ['-s', pkgDir, join(appDir, 'node_modules', 'gardin-token')]);
    const r = await execa(process.execPath, ['--input-type=module', '-e', esm], { cwd: appDir, env, extendEnv: false });
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, date: true, err: 'ERR_MISSING_CLIENT_SECRET' });
    const cjs = await execa(process.execPath, ['-e', "console.log(typeof require('gardin-token').getToken)"], { cwd: appDir, env, extendEnv: false });
    expect(cjs.stdout).toBe('function');
  });

  it('the library entry loads no CLI code: only its own small entry and the core, and exports only the API', async () => {
    const appDir = join(home.root, 'app');
    const probe = `const lib = require('gardin-token');
const files = Object.keys(require.cache).filter((f) => f.includes('gardin-token')).map((f) => f.split('/').slice(-2).join('/'));
console.log(JSON.stringify({ files, exported: Object.keys(lib).sort() }));`;
    const r = await execa(process.execPath, ['-e', probe], { cwd: appDir, extendEnv: false, env: { PATH: process.env.PATH! } });
    expect(JSON.parse(r.stdout)).toEqual({
      files: ['dist/index.cjs', 'dist/core.cjs'],
      exported: ['AuthError', 'GardinTokenError', 'NetworkError', 'ResponseError', 'UsageError', 'createFetch', 'getToken'],
    });
    // What the CLI alone uses is not in the core the library loads.
    const coreText = readFileSync(join(prefix, 'lib', 'node_modules', 'gardin-token', 'dist', 'core.cjs'), 'utf8');
    for (const cliOnly of ['node_modules/commander/', 'node_modules/chalk/', 'src/cli.ts', 'src/commands/']) expect(coreText).not.toContain(cliOnly);
  });

  it('ships types that check without skipLibCheck and without our build-time packages', async () => {
    const appDir = join(home.root, 'typed');
    mkdirSync(join(appDir, 'node_modules'), { recursive: true });
    await execa('ln', ['-s', join(prefix, 'lib', 'node_modules', 'gardin-token'), join(appDir, 'node_modules', 'gardin-token')]);
    writeFileSync(
      join(appDir, 'use.ts'),
      `import { createFetch, getToken, AuthError, type AccessToken, type GardinFetch } from 'gardin-token';
const api: GardinFetch = createFetch({ apiUrl: 'https://api.gardin.ag/v1', minTtl: 120 });
const fields: Response = await api('/fields', { method: 'GET' });
console.log(fields.status);
const t: AccessToken = await getToken({ scope: ['jobs:read'], timeout: 5 });
const when: Date | undefined = t.expiresAt;
const e: unknown = null;
if (e instanceof AuthError) console.log(e.status, e.code, e.exitCode);
// @ts-expect-error an unknown option is a type error
await getToken({ clientSecrett: 'x' });
console.log(when);
`,
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    writeFileSync(join(appDir, 'package.json'), '{"type":"module"}');
    // No @types/node, no undici, no skipLibCheck: the declarations must stand on their own.
    const compilerOptions = {
      noEmit: true,
      strict: true,
      skipLibCheck: false,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
    };
    writeFileSync(join(appDir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['use.ts'] }));
    const r = await execa(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: appDir, reject: false });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
