import { lstatSync, readdirSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileIn } from '../platform/dirs.js';
import { lockPath } from '../platform/file-lock.js';
import { isTempName, readPrivateFile, securePrivateDir } from '../platform/private-files.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { isAuthMethod, type AuthMethod } from '../config/settings.js';
import { B64TOKEN, MAX_LIFETIME_MS, type Token } from '../token/validate.js';

const VERSION = 1;
/** A cache entry is well under 16 KB; a bigger file is damaged (or planted), not read whole. */
export const MAX_ENTRY_BYTES = 64 * 1024;

/** What identifies a cached token. `secretId` is the secret itself or, for a secret command, the command. */
export interface CacheIdentity {
  tokenUrl: string;
  clientId: string;
  scopes: readonly string[];
  authMethod: AuthMethod;
  secretId: string;
}

/** What a cache file holds: never the secret nor anything from which it could be read back. */
export interface CacheEntry extends Token {
  version: typeof VERSION;
  tokenUrl: string;
  clientId: string;
  scopes: string[];
  authMethod: AuthMethod;
  expiresAt: number;
  obtainedAt: number;
  /** Set when this client's server accepted only the plain Basic join (see refresh.ts). */
  basicJoin?: 'plain';
}

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

/** Parses a cache file; anything damaged, truncated or written for another identity is undefined. */
export function parseCacheEntry(text: string, id: CacheIdentity | undefined): CacheEntry | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const e = data as Partial<CacheEntry>;
  const ok =
    e.version === VERSION &&
    typeof e.accessToken === 'string' &&
    B64TOKEN.test(e.accessToken) &&
    e.tokenType === 'Bearer' &&
    validTimes(e.obtainedAt, e.expiresAt) &&
    typeof e.tokenUrl === 'string' &&
    typeof e.clientId === 'string' &&
    Array.isArray(e.scopes) &&
    e.scopes.every((s) => typeof s === 'string') &&
    isAuthMethod(e.authMethod) &&
    (e.scope === undefined || typeof e.scope === 'string') &&
    (e.basicJoin === undefined || e.basicJoin === 'plain');
  if (!ok) return undefined;
  const entry = e as CacheEntry;
  if (id) {
    const same =
      entry.tokenUrl === id.tokenUrl &&
      entry.clientId === id.clientId &&
      entry.authMethod === id.authMethod &&
      JSON.stringify([...entry.scopes].sort()) === JSON.stringify([...id.scopes].sort());
    if (!same) return undefined;
  }
  return entry;
}

/** Times a Date can hold, in order, no further apart than a token may live. */
function validTimes(obtainedAt: unknown, expiresAt: unknown): boolean {
  return (
    typeof obtainedAt === 'number' &&
    typeof expiresAt === 'number' &&
    Number.isFinite(obtainedAt) &&
    Number.isFinite(expiresAt) &&
    obtainedAt >= 0 &&
    expiresAt >= obtainedAt &&
    expiresAt - obtainedAt <= MAX_LIFETIME_MS &&
    !Number.isNaN(new Date(expiresAt).getTime())
  );
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

/** Fresh while unexpired with at least `minTtlS` seconds left, and not from a clock that has since gone back. */
export function isFresh(entry: Pick<CacheEntry, 'expiresAt' | 'obtainedAt'>, now: number, minTtlS: number): boolean {
  const left = entry.expiresAt - now;
  return left > 0 && left >= minTtlS * 1000 && entry.obtainedAt <= now + 60_000;
}

export function toEntry(token: Token & { expiresAt: number }, id: CacheIdentity, obtainedAt: number, basicJoin?: 'plain'): CacheEntry {
  return {
    version: VERSION,
    tokenUrl: id.tokenUrl,
    clientId: id.clientId,
    scopes: [...id.scopes],
    authMethod: id.authMethod,
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresAt: token.expiresAt,
    scope: token.scope,
    obtainedAt,
    ...(basicJoin && { basicJoin }),
  };
}
