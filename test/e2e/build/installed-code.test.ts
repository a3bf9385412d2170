import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { issueTokens } from '../../helpers/token-server.js';

// The code that runs is the code installed, and nothing cached beside it can break a call:
// gardin-token keeps no code cache of its own (1.0's was trusted by file size and mtime).
const fx = useTokenServer(() => issueTokens());
/** The package of the bin under test (GARDIN_TOKEN_TEST_BIN names another build's). */
const root = resolve(BIN, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** A copy of the built package (bin and dist) in the test's folder, as an install would lay it out. */
function install(): string {
  const dir = join(fx.home.root, 'pkg');
  mkdirSync(dir);
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  return join(dir, 'bin', 'gardin-token.cjs');
}
const run = (bin: string, args: string[]) =>
  execa(process.execPath, [bin, ...args], {
    env: cleanEnv(fx.home.root, { GARDIN_CLIENT_ID: 'code', GARDIN_CLIENT_SECRET: 'code-Secret-5', GARDIN_TOKEN_URL: fx.server.tokenUrl }),
    extendEnv: false,
    reject: false,
  });

describe('the code that runs', () => {
  it('an upgrade with bundles of the same size and mtime runs the new code', async () => {
    const bin = install();
    // A token first (it makes the cache folder), then the runs any cache of code would learn from.
    expect((await run(bin, [])).exitCode).toBe(0);
    for (let i = 0; i < 3; i++) expect((await run(bin, ['--version'])).stdout).toBe(version);
    // 1.0.1 over 1.0.0, with every file's size and mtime as before (a tar extract, cp -p, rsync -a).
    const next = version.replace(/\d+$/, (n) => String((Number(n) + 1) % 10));
    const dist = join(bin, '../../dist');
    for (const name of readdirSync(dist).filter((f) => f.endsWith('.cjs'))) {
      const file = join(dist, name);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(`"${version}"`)) continue;
      const { atime, mtime, size } = statSync(file);
      writeFileSync(file, text.replaceAll(`"${version}"`, `"${next}"`));
      utimesSync(file, atime, mtime);
      expect(statSync(file).size).toBe(size);
    }
    expect((await run(bin, ['--version'])).stdout).toBe(next);
  });

  it('nothing cached beside the code can break a call: a flipped bit in any code cache changes nothing', async () => {
    const bin = install();
    for (const args of [[], ['--version'], [], ['status']]) expect((await run(bin, args)).exitCode).toBe(0);
    const cache = join(fx.home.root, 'cache', 'gardin-token');
    // Whatever code cache a version keeps (1.0: v8/), every file of it gets flipped bits.
    const codeCaches = readdirSync(cache).filter((f) => !f.endsWith('.json'));
    for (const dir of codeCaches) {
      for (const name of readdirSync(join(cache, dir))) {
        const file = join(cache, dir, name);
        const bytes = readFileSync(file);
        for (let i = 256; i < bytes.length; i += 97) bytes[i]! ^= 0x10;
        writeFileSync(file, bytes);
      }
    }
    for (const args of [['--help'], ['--version'], [], ['status'], ['cache', 'clear']]) expect((await run(bin, args)).exitCode, args.join(' ')).toBe(0);
    // This version keeps none; 1.0's folder, left behind, goes with cache clear.
    expect(codeCaches).toEqual([]);
    mkdirSync(join(cache, 'v8'), { mode: 0o700 });
    writeFileSync(join(cache, 'v8', 'core.cjs-v20.0.0-x64-1-1-hot.v8'), Buffer.alloc(4096, 0xa5), { mode: 0o600 });
    expect((await run(bin, [])).exitCode).toBe(0);
    expect((await run(bin, ['cache', 'clear'])).exitCode).toBe(0);
    expect(existsSync(join(cache, 'v8'))).toBe(false);
  });
});
