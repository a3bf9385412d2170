import { lstatSync, mkdirSync, rmdirSync, rmSync, utimesSync } from 'node:fs';
import { onInterrupt } from './interrupts.js';

/**
 * A lock beside a file: a folder `<file>.lock` made with one atomic mkdir (the protocol of
 * proper-lockfile, which 1.0 used: the two exclude each other). Its holder refreshes its mtime;
 * one older than LOCK_STALE_MS was left by a dead process and is broken. It goes at release, at
 * exit, or when the process is stopped by a signal (see interrupts.ts).
 */
export const lockPath = (file: string): string => `${file}.lock`;

/** The holder of a lock refreshes its folder's mtime; one older than this was left by a dead process. */
export const LOCK_STALE_MS = 10_000;

/**
 * Whether another process holds the lock on this file: its folder exists and is not stale. The
 * folder's mtime is the file system's time, so this reads the system clock too.
 */
export function lockHeld(file: string): boolean {
  return lockState(lockPath(file)) === 'held';
}

/** The lock folder: gone (released), held, or stale (its holder died, or it is not a folder). */
function lockState(path: string): 'gone' | 'held' | 'stale' {
  try {
    const st = lstatSync(path);
    return st.isDirectory() && Date.now() - st.mtimeMs < LOCK_STALE_MS ? 'held' : 'stale';
  } catch {
    return 'gone';
  }
}

export interface FileLock {
  release(): void;
}

/**
 * Removes a lock folder. It is empty by the protocol, so rmdir does it; rmSync's recursive walk
 * loads a module of its own (~0.5 ms of every fetch), and is only the fallback for a folder that
 * something was put in.
 */
function removeLock(path: string): void {
  try {
    rmdirSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(path, { recursive: true, force: true });
  }
}

/**
 * Takes the lock on a file if nobody holds it, breaking one left by a dead process. While held,
 * its mtime is refreshed four times per stale period. Undefined when another process holds it;
 * throws what mkdir throws for any other reason (the caller decides what an unusable folder means).
 */
export function tryLock(file: string): FileLock | undefined {
  const path = lockPath(file);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const state = lockState(path);
      if (state === 'held') return undefined;
      // Released since the mkdir: try again, removing nothing, as another process may have
      // taken it in the meantime and its lock must stand.
      if (state === 'stale') removeLock(path);
      continue;
    }
    const keepFresh = setInterval(() => {
      try {
        const t = new Date();
        utimesSync(path, t, t);
      } catch {
        // taken over or removed: the holder's work goes on, at worst a second one runs beside it
      }
    }, LOCK_STALE_MS / 4);
    keepFresh.unref();
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clearInterval(keepFresh);
      process.off('exit', release);
      forget();
      removeLock(path);
    };
    process.on('exit', release);
    const forget = onInterrupt(release);
    return { release };
  }
  return undefined;
}
