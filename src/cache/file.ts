import { lstatSync, readdirSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileIn } from '../platform/dirs.js';
import { lockPath } from '../platform/file-lock.js';
import { isTempName, readPrivateFile, securePrivateDir } from '../platform/private-files.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { parseCacheEntry, VERSION, type CacheEntry, type CacheIdentity } from './entry.js';

/** A cache entry is well under 16 KB; a bigger file is damaged (or planted), not read whole. */
export const MAX_ENTRY_BYTES = 64 * 1024;

/**
 * The file name is a hash over every field, the secret included: a different secret, scope set or
 * endpoint lands in a different file, and a wrong secret never finds the token of the right one.
 */
// @noble/hashes (audited, pure JS), not node:crypto: loading node:crypto costs a cached call more
// than everything else it does (docs/speed.md).
const sha256Hex = (text: string): string => bytesToHex(sha256(utf8ToBytes(text)));

export function cacheKey(id: CacheIdentity): string {
  const scopes = [...id.scopes].sort();
  return sha256Hex(JSON.stringify([VERSION, id.tokenUrl, id.clientId, scopes, id.authMethod, sha256Hex(id.secretId)]));
}

export const cacheFile = (cacheDir: string, id: CacheIdentity): string => fileIn(cacheDir, `${cacheKey(id)}.json`);

/** Something that resolves when an entry (or its lock) changes. */
export interface FolderWatch {
  /** Resolves at the next change (or at once, if one came since the last call). */
  changed(): Promise<void>;
  close(): void;
}

/**
 * Watches the folder of `entryFile` (inotify, FSEvents...) for changes to that entry or its lock,
 * so that a waiter wakes when the entry is written or the lock let go, instead of polling dozens of
 * times a second beside 31 other processes. Only those two names wake it: the holder's temporary
 * file, and other clients' entries, would wake every waiter while the holder is still writing, and
 * they would take the CPU it needs to finish. A change without a name (some platforms give none)
 * wakes it too. Undefined where watching is not possible (the caller polls); it is no guarantee on
 * every file system, so callers poll slowly too.
 */
export function watchEntry(entryFile: string): FolderWatch | undefined {
  const entry = basename(entryFile);
  const lock = basename(lockPath(entryFile));
  let wake: (() => void) | undefined;
  let pending = false;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(entryFile), { persistent: false }, (_event, name) => {
      if (name && name !== entry && name !== lock) return;
      pending = true;
      wake?.();
    });
  } catch {
    return undefined;
  }
  watcher.on('error', () => undefined);
  return {
    changed: () =>
      new Promise<void>((resolve) => {
        wake = () => {
          wake = undefined;
          pending = false;
          resolve();
        };
        if (pending) wake();
      }),
    close: () => watcher.close(),
  };
}

/** The V8 code cache of versions before 1.1, which no version reads any more. */
const CODE_CACHE = 'v8';

/**
 * Removes the entries for which `which` holds (all, by default) and, when clearing all, the locks
 * and temporary files beside them, and an old version's code cache. Never through a symlinked folder, which
 * would delete files wherever it points. Returns how many entries went.
 */
export function clearCache(cacheDir: string, which?: (entry: CacheEntry) => boolean): number {
  if (!securePrivateDir(cacheDir, { create: false, strict: false })) return 0;
  let removed = 0;
  for (const name of readdirSync(cacheDir)) {
    const file = fileIn(cacheDir, name);
    const isEntry = name.endsWith('.json');
    if (which) {
      if (!isEntry) continue;
      let entry: CacheEntry | undefined;
      try {
        const text = readPrivateFile(file, MAX_ENTRY_BYTES);
        entry = text === undefined ? undefined : parseCacheEntry(text, undefined);
      } catch {
        entry = undefined;
      }
      if (!entry || !which(entry)) continue;
    } else if (!isEntry && !name.endsWith('.lock') && !isTempName(name) && name !== CODE_CACHE) continue;
    rmSync(file, { recursive: true, force: true });
    if (isEntry) removed++;
  }
  return removed;
}

/** Removes one entry file (never through a symlinked folder); whether there was one. */
export function clearCacheFile(cacheDir: string, file: string): boolean {
  if (!securePrivateDir(cacheDir, { create: false, strict: false })) return false;
  try {
    lstatSync(file);
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}

/** The entry in `file`, or undefined when there is none or it is damaged, foreign, linked or too big. */
export function readCacheEntry(file: string, id: CacheIdentity): CacheEntry | undefined {
  let text: string | undefined;
  try {
    text = readPrivateFile(file, MAX_ENTRY_BYTES);
  } catch {
    return undefined;
  }
  return text === undefined ? undefined : parseCacheEntry(text, id);
}
