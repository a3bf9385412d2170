import { execa } from 'execa';
import { chmodSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/deps.js';

// The V8 code cache of the CLI's bundles (src/code-cache.ts, dist/boot.cjs), run in a child Node
// as the bin runs it: a bundle compiled once is compiled from the cache the next time.
const dist = resolve(import.meta.dirname, '../../dist');
let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
  // The token cache's folder, as the first token call makes it; the code cache lives inside.
  mkdirSync(home.cache, { recursive: true, mode: 0o700 });
});
afterEach(() => home.cleanup());

/**
 * Loads a bundle (core.cjs unless BUNDLE is set) through the code cache and says whether V8 took a
 * cached compile of core.cjs, and which bundles were compiled.
 * `SERVED: '1'`: the run succeeded; `LATE: '1'`: it loaded a bundle besides the start-up ones.
 */
async function loadCore(env: Record<string, string> = {}): Promise<{ rejected: boolean | undefined; files: string[]; compiled: string[] }> {
  const script = `
const vm = require('node:vm');
let rejected;
const compiled = [];
const Script = vm.Script;
vm.Script = class extends Script { constructor(src, o) { super(src, o); compiled.push(o.filename.split('/').pop()); if (o && o.filename.endsWith('core.cjs')) rejected = o.cachedData ? this.cachedDataRejected : undefined; } };
const cache = require(${JSON.stringify(join(dist, 'boot.cjs'))}).useCodeCache(${JSON.stringify(dist)}, process.env);
const exports = cache.load(process.env.BUNDLE || 'core.cjs');
if (cache.load(process.env.BUNDLE || 'core.cjs') !== exports) throw new Error('loaded twice');
cache.startupLoaded();
if (process.env.LATE) cache.load('keychain.cjs');
if (process.env.FLAGS_CHANGED) cache.flagsChanged();
cache.write(process.env.SERVED === '1');
process.stdout.write(JSON.stringify({ rejected, compiled }));`;
  const r = await execa(process.execPath, ['-e', script], { env: { PATH: process.env.PATH!, XDG_CACHE_HOME: join(home.root, 'cache'), ...env }, extendEnv: false });
  const dir = join(home.root, 'cache', 'gardin-token', 'v8');
  let files: string[] = [];
  try {
    files = readdirSync(dir);
  } catch {
    files = [];
  }
  return { ...JSON.parse(r.stdout), files };
}

describe('the V8 code cache', () => {
  it('is written after the first run (0600, in a 0700 folder) and used by the next', async () => {
    const first = await loadCore();
    expect(first.rejected).toBeUndefined();
    expect(first.files).toEqual([expect.stringMatching(new RegExp(`^core\\.cjs-${process.version}-${process.arch}-\\d+-\\d+\\.v8$`))]);
    const dir = join(home.root, 'cache', 'gardin-token', 'v8');
    expect(lstatSync(dir).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(dir, first.files[0]!)).mode & 0o777).toBe(0o600);
    const second = await loadCore();
    expect(second.rejected).toBe(false);
    expect(second.files).toEqual(first.files);
  });

  it('a start-up bundle\'s cache made by another run is made again by the first hot run, and kept from then on', async () => {
    const core = (files: string[]) => files.filter((f) => f.startsWith('core.cjs'));
    const other = await loadCore();
    expect(other.files).toEqual([expect.stringMatching(/-\d+\.v8$/)]);
    // A run that failed, or loaded another bundle, is not a hot run: nothing is written again.
    expect((await loadCore({ SERVED: '0' })).files).toEqual(other.files);
    expect(core((await loadCore({ SERVED: '1', LATE: '1' })).files)).toEqual(other.files);
    const hot = await loadCore({ SERVED: '1' });
    expect(hot.rejected).toBe(false);
    expect(core(hot.files)).toEqual([other.files[0]!.replace(/\.v8$/, '-hot.v8')]);
    // Used by every run from then on, and replaced by none.
    const after = await loadCore();
    expect(after.rejected).toBe(false);
    expect(after.files).toEqual(hot.files);
    expect((await loadCore({ SERVED: '1' })).files).toEqual(hot.files);
  });

  it('a bundle\'s requires of other bundles load through it too, each bundle once', async () => {
    // start.cjs requires core.cjs nine times over (once per module it takes from it).
    const first = await loadCore({ BUNDLE: 'start.cjs', SERVED: '1' });
    expect(first.compiled).toEqual(['start.cjs', 'core.cjs']);
    expect(first.files.sort()).toEqual([expect.stringMatching(/^core\.cjs-.*-hot\.v8$/), expect.stringMatching(/^start\.cjs-.*-hot\.v8$/)]);
    const second = await loadCore({ BUNDLE: 'start.cjs' });
    expect(second.rejected).toBe(false);
    expect(second.files).toEqual(first.files);
  });

  it('after a change of V8 flags, what was compiled before is not cached (V8 would refuse it)', async () => {
    expect((await loadCore({ FLAGS_CHANGED: '1' })).files).toEqual([]);
    expect((await loadCore()).files).toHaveLength(1);
  });

  it('a cache file writable by others, or a symlink, is not used (and is replaced)', async () => {
    const { files } = await loadCore();
    const file = join(home.root, 'cache', 'gardin-token', 'v8', files[0]!);
    chmodSync(file, 0o666);
    expect((await loadCore()).rejected).toBeUndefined();
    expect(lstatSync(file).mode & 0o777).toBe(0o600);
    const elsewhere = join(home.root, 'planted.v8');
    writeFileSync(elsewhere, 'not a code cache');
    const { rmSync } = await import('node:fs');
    rmSync(file);
    symlinkSync(elsewhere, file);
    expect((await loadCore()).rejected).toBeUndefined();
  });

  it('no token cache folder yet, a symlinked one, a folder others can write, or GARDIN_TOKEN_NO_CODE_CACHE: no code cache at all', async () => {
    const { rmSync, renameSync } = await import('node:fs');
    rmSync(home.cache, { recursive: true });
    expect(await loadCore()).toEqual({ rejected: undefined, files: [], compiled: [] });
    const real = join(home.root, 'real-cache');
    mkdirSync(real, { mode: 0o700 });
    symlinkSync(real, home.cache);
    expect((await loadCore()).rejected).toBeUndefined();
    expect(readdirSync(real)).toEqual([]);
    rmSync(home.cache);
    renameSync(real, home.cache);
    const dir = join(home.root, 'cache', 'gardin-token', 'v8');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o777);
    expect(await loadCore()).toEqual({ rejected: undefined, files: [], compiled: [] });
    chmodSync(dir, 0o700);
    expect((await loadCore({ GARDIN_TOKEN_NO_CODE_CACHE: '1' })).files).toEqual([]);
  });
});
