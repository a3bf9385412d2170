import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { Script } from 'node:vm';
import { appDirs, fileIn, homeDir } from './dirs.js';

/**
 * A V8 code cache for the CLI's own bundles, the largest part of a cached call's start-up being
 * the compilation of its JavaScript. The cache is made after a run, so it holds the functions that
 * run compiled too, not only the top level (Node 22's module.enableCompileCache makes it before
 * the run: a cached call took 0.93x as long with it, 0.85x with this, on Node 24).
 *
 * The cache is code: it lives in the user's cache folder, which must be theirs alone (0700, not a
 * symlink), and a file is used only if it is theirs, not writable by others and not a symlink.
 * Its name carries the bundle's size and mtime and Node's version, since V8 checks only the
 * source's length. Anything amiss and the bundle is compiled as usual: this never fails a call.
 * Not on Windows, which has neither uids nor these modes.
 *
 * Which run makes the cache decides what it holds. After install, the first run is often
 * `profile add`, and a cache made by it left each cached call compiling its own functions anew
 * (a cached call took 1.055x as long). So a start-up bundle's cache made by any other run is
 * made again, once, by the first hot run: one that served its call with the start-up bundles
 * alone (a token from the cache); its file is then named `-hot`, and no other run replaces it.
 */

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = constants;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO planted where a cache file should be would block a plain open() forever.
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const MAX_BYTES = 16 * 1024 * 1024;

interface Compiled {
  script: Script;
  /** The cache file's path without its ending (`.v8`, or `-hot.v8` for a hot run's). */
  base: string;
  /** The start of the names of this bundle's caches for this Node: any other one is of an older build. */
  family: string;
  /** Which cache it was compiled from; undefined: none, or one V8 refused. */
  from: 'hot' | 'other' | undefined;
  /** Compiled before startupLoaded(): one of the start-up bundles. */
  startup: boolean;
  /** Compiled before a change of V8's flags: its cache would carry the wrong ones. */
  stale: boolean;
}

const HOT = '-hot.v8';
const OTHER = '.v8';

/**
 * Whether `dir` is a real folder of ours that others cannot write (`private`: nor read), made
 * (0700) if missing and `create`. Never through a symlink.
 */
function ownDir(dir: string, opts: { create: boolean; private: boolean }): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return false;
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === uid && (st.mode & (opts.private ? 0o077 : 0o022)) === 0;
  } catch (err) {
    if (!opts.create || (err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch {
      return false;
    }
    return ownDir(dir, { ...opts, create: false });
  }
}

/** A cache file of ours, or undefined. */
function readOwn(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.uid !== process.getuid?.() || st.mode & 0o022 || st.size > MAX_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < st.size) {
      const n = readSync(fd, buf, at, st.size - at, at);
      if (n === 0) return undefined;
      at += n;
    }
    return buf;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function writeOwn(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    writeSync(fd, data);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // never made
    }
  }
}

export interface CodeCache {
  /**
   * The exports of the bundle `name` (`start.cjs`) of the dist folder, loaded once. Its own
   * requires of `./x.cjs` load through here too, so every bundle of the run compiles through the
   * code cache; any other id is Node's `require`.
   */
  load(name: string): unknown;
  /**
   * To call after changing V8's flags: a cache carries the flags it was made under, and V8 refuses
   * it under others; so what was compiled before the change is not written at all.
   */
  flagsChanged(): void;
  /** To call once the start-up bundles are loaded: any bundle compiled later is not one of them. */
  startupLoaded(): void;
  /**
   * Once the run is over: writes the caches that were missing or refused, and the start-up
   * bundles' again if this was a hot run (`served`: the call succeeded, and no bundle but the
   * start-up ones was loaded) and theirs were made by another; drops older builds'.
   */
  write(served?: boolean): void;
}

// Node's CommonJS wrapper, so that a bundle runs as it would under require().
const WRAP = ['(function (exports, require, module, __filename, __dirname) { ', '\n});'] as const;

/**
 * Loads the bundles of `distDir` through the code cache in the user's cache folder.
 *
 * The bundles are loaded here rather than by Node's require(), which for each file resolves the
 * path (realpath, package scope lookups) and builds a Module with a require() of its own: a cached
 * call took 0.98-0.99x as long without it (paired runs, Node 20).
 */
export function useCodeCache(distDir: string, env: Record<string, string | undefined>): CodeCache {
  const none: CodeCache = {
    load: (name) => require(fileIn(distDir, name)),
    flagsChanged: () => undefined,
    startupLoaded: () => undefined,
    write: () => undefined,
  };
  if (process.platform === 'win32' || env.GARDIN_TOKEN_NO_CODE_CACHE) return none;
  // Inside the token cache's folder, held to the same rules (not a symlink, ours); the token code
  // makes that folder and tightens it, so a first run may find it missing and cache nothing yet.
  const appCache = appDirs(env, process.platform, homeDir(env)).cache;
  const dir = fileIn(appCache, 'v8');
  if (!ownDir(appCache, { create: false, private: false }) || !ownDir(dir, { create: true, private: true })) return none;
  const compiled: Compiled[] = [];
  let startup = true;
  const modules = new Map<string, { exports: unknown }>();
  const requireFrom = (id: string): unknown => (id.startsWith('./') ? load(id.slice(2)) : require(id));
  function load(name: string): unknown {
    const known = modules.get(name);
    if (known) return known.exports;
    const filename = fileIn(distDir, name);
    // By name, not through a descriptor: Node 20 reads a whole file by name as UTF-8 in one call.
    const content = readFileSync(filename, 'utf8');
    const st = lstatSync(filename);
    const stamp = `${st.size}-${Math.floor(st.mtimeMs)}`;
    const family = `${name}-${process.version}-${process.arch}-`;
    const base = fileIn(dir, `${family}${stamp}`);
    // Only a start-up bundle can have a hot run's cache.
    const hot = startup ? readOwn(base + HOT) : undefined;
    const cachedData = hot ?? readOwn(base + OTHER);
    const script = new Script(WRAP[0] + content + WRAP[1], { filename, ...(cachedData && { cachedData }) });
    const from = !cachedData || script.cachedDataRejected ? undefined : hot ? 'hot' : 'other';
    compiled.push({ script, base, family, from, startup, stale: false });
    // In the map before it runs: bundles that require each other get the exports made so far, as under require().
    const module = { exports: {} as unknown };
    modules.set(name, module);
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    wrapper.call(module.exports, module.exports, requireFrom, module, filename, distDir);
    return module.exports;
  }
  const write = (served = false) => {
    const hotRun = served && compiled.every((c) => c.startup);
    const due = compiled.filter((c) => !c.stale && (c.from === undefined || (hotRun && c.from === 'other')));
    if (due.length === 0) return;
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const { script, base, family } of due) {
      const file = base + (hotRun ? HOT : OTHER);
      for (const old of names) if (old.startsWith(family) && fileIn(dir, old) !== file) unlinkQuietly(fileIn(dir, old));
      writeOwn(file, script.createCachedData());
    }
  };
  return {
    load,
    flagsChanged: () => {
      for (const c of compiled) c.stale = true;
    },
    startupLoaded: () => {
      startup = false;
    },
    write,
  };
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // another process's cleanup got there first
  }
}
