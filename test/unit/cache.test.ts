import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_STALE_MS, lockHeld, tryLock } from '../../src/platform/file-lock.js';
import { isFresh, parseCacheEntry, toEntry, type CacheIdentity } from '../../src/cache/entry.js';
import { cacheKey, watchEntry } from '../../src/cache/file.js';

const id: CacheIdentity = { tokenUrl: 'https://a/t', clientId: 'c', scopes: ['b', 'a'], authMethod: 'basic', secretId: 'secret:s' };
const entry = toEntry({ accessToken: 'tok', tokenType: 'Bearer', expiresAt: 10_000_000, scope: 'a b' }, id, 6_400_000);

describe('cacheKey', () => {
  it('is the SHA-256 of the identity, as since 1.0: an upgrade finds the entries already there', () => {
    const hex = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(cacheKey(id)).toBe(hex(JSON.stringify([1, 'https://a/t', 'c', ['a', 'b'], 'basic', hex('secret:s')])));
  });
  it('ignores scope order', () => {
    expect(cacheKey({ ...id, scopes: ['a', 'b'] })).toBe(cacheKey(id));
  });
  it.each([
    ['token URL', { tokenUrl: 'https://b/t' }],
    ['client ID', { clientId: 'd' }],
    ['scopes', { scopes: ['a'] }],
    ['auth method', { authMethod: 'post' as const }],
    ['secret', { secretId: 'secret:t' }],
  ])('differs with the %s', (_n, change) => {
    expect(cacheKey({ ...id, ...change })).not.toBe(cacheKey(id));
  });
  it('does not contain the secret', () => {
    expect(cacheKey({ ...id, secretId: 'secret:abcdef' })).not.toContain('abcdef');
  });
});

describe('isFresh', () => {
  it('is fresh while at least min-ttl seconds remain', () => {
    expect(isFresh(entry, 10_000_000 - 60_000, 60)).toBe(true);
    expect(isFresh(entry, 10_000_000 - 59_999, 60)).toBe(false);
    expect(isFresh(entry, 10_000_000 - 1, 0)).toBe(true);
    expect(isFresh(entry, 10_000_000, 0)).toBe(false);
  });
  it('distrusts an entry obtained in the future (the clock went back)', () => {
    expect(isFresh(entry, 6_400_000 - 120_000, 60)).toBe(false);
  });
});

describe('parseCacheEntry', () => {
  const text = JSON.stringify(entry);
  it('reads what toEntry wrote, and holds no secret', () => {
    expect(parseCacheEntry(text, id)).toEqual(entry);
    expect(text).not.toContain('secret:s');
  });
  it.each([
    ['truncated', text.slice(0, 40)],
    ['empty', ''],
    ['not an object', '"x"'],
    ['another version', JSON.stringify({ ...entry, version: 2 })],
    ['a token unsafe for a shell', JSON.stringify({ ...entry, accessToken: "x'; rm -rf ~" })],
    ['no expiry', JSON.stringify({ ...entry, expiresAt: 'later' })],
  ])('ignores a %s file', (_n, t) => {
    expect(parseCacheEntry(t, id)).toBeUndefined();
  });
  it('ignores an entry written for another identity', () => {
    expect(parseCacheEntry(text, { ...id, clientId: 'other' })).toBeUndefined();
    expect(parseCacheEntry(text, { ...id, tokenUrl: 'https://other/t' })).toBeUndefined();
  });
});

describe("tryLock: one holder per entry, a dead holder's lock broken", () => {
  it('a held lock is not taken again; released, it is free; a stale one is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardin-token-lock-'));
    try {
      const file = join(dir, 'entry.json');
      const first = tryLock(file)!;
      expect(first).toBeDefined();
      expect(lockHeld(file)).toBe(true);
      expect(tryLock(file)).toBeUndefined();
      first.release();
      first.release();
      expect(existsSync(`${file}.lock`)).toBe(false);
      const second = tryLock(file)!;
      const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
      utimesSync(`${file}.lock`, old, old);
      expect(lockHeld(file)).toBe(false);
      const third = tryLock(file);
      expect(third).toBeDefined();
      third!.release();
      second.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('breaks a stale lock that is not an empty folder (a file in it, or a plain file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardin-token-lock-'));
    try {
      const file = join(dir, 'entry.json');
      const old = new Date(Date.now() - LOCK_STALE_MS - 1000);
      mkdirSync(`${file}.lock`);
      writeFileSync(join(`${file}.lock`, 'left-behind'), 'x');
      utimesSync(`${file}.lock`, old, old);
      const lock = tryLock(file)!;
      expect(lock).toBeDefined();
      expect(readdirSync(`${file}.lock`)).toEqual([]);
      lock.release();
      expect(existsSync(`${file}.lock`)).toBe(false);
      writeFileSync(`${file}.lock`, 'not a folder');
      const again = tryLock(file)!;
      expect(again).toBeDefined();
      expect(lstatSync(`${file}.lock`).isDirectory()).toBe(true);
      again.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('watchEntry: a waiter wakes when its entry is written or its lock let go', () => {
  /**
   * Runs `act` and resolves once a second watcher of `dir` has seen a change to `last`: by then
   * the watcher under test has been given every event before it (Node reads them from the same
   * inotify watch), so whether it woke is settled, however slow the machine.
   */
  const seenBy = (dir: string, last: string, act: () => void) =>
    new Promise<void>((resolve) => {
      const probe = watch(dir, (_e, name) => {
        if (name !== last) return;
        probe.close();
        resolve();
      });
      act();
    });

  it('wakes on the entry written by rename, and at once for a change that came before the call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardin-token-watch-'));
    const entry = join(dir, 'abc.json');
    const watching = watchEntry(entry)!;
    try {
      expect(watching).toBeDefined();
      const woke = watching.changed();
      writeFileSync(join(dir, 'abc.json.123.tmp'), '{}');
      renameSync(join(dir, 'abc.json.123.tmp'), entry);
      await woke;
      await seenBy(dir, 'abc.json', () => writeFileSync(entry, '{"again":1}'));
      await watching.changed();
    } finally {
      watching.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("sleeps through the holder's temporary file and other entries, and wakes when the lock goes", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gardin-token-watch-'));
    const entry = join(dir, 'abc.json');
    mkdirSync(`${entry}.lock`);
    const watching = watchEntry(entry)!;
    try {
      let woken = false;
      const woke = watching.changed().then(() => (woken = true));
      await seenBy(dir, 'last.json', () => {
        writeFileSync(join(dir, 'abc.json.123.tmp'), '{}');
        writeFileSync(join(dir, 'other.json'), '{}');
        rmSync(join(dir, 'other.json'));
        writeFileSync(join(dir, 'last.json'), '{}');
      });
      await new Promise((r) => setImmediate(r));
      expect(woken).toBe(false);
      rmdirSync(`${entry}.lock`);
      await woke;
    } finally {
      watching.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
