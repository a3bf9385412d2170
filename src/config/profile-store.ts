import { chmodSync } from 'node:fs';
import Conf from 'conf';
import { profileStoreBusy, profileStoreUnwritable } from './messages.js';
import { fsReason, isGardinTokenError } from '../platform/errors.js';
import { LOCK_STALE_MS, tryLock, type FileLock } from '../platform/file-lock.js';
import { securePrivateDir } from '../platform/private-files.js';
import { readProfileStore, STORE_FILE, storePath } from './profiles.js';
import type { ProfileStore } from './settings.js';

/** How long a profile command waits for another one's write; a dead holder's lock goes stale sooner. */
const LOCK_WAIT_MS = LOCK_STALE_MS + 5_000;
const LOCK_POLL_MS = 25;

/** A read-only or full disk is the environment's fault, not a bug: said as such (exit 2). */
function unwritable(configDir: string, err: unknown): Error {
  return isGardinTokenError(err) ? err : profileStoreUnwritable(storePath(configDir), fsReason(err));
}

async function lockStore(configDir: string): Promise<FileLock> {
  const file = storePath(configDir);
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    let lock: FileLock | undefined;
    try {
      securePrivateDir(configDir, { create: true, strict: true });
      lock = tryLock(file);
    } catch (err) {
      throw unwritable(configDir, err);
    }
    if (lock) return lock;
    if (Date.now() > until) throw profileStoreBusy(file);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

function write(configDir: string, store: ProfileStore): void {
  try {
    const conf = new Conf<ProfileStore>({
      cwd: configDir,
      configName: STORE_FILE.replace(/\.json$/, ''),
      projectSuffix: '',
      configFileMode: 0o600,
      accessPropertiesByDotNotation: false,
      defaults: { profiles: {} },
    });
    conf.store = store;
    // conf sets the mode on files it creates; a file made by hand keeps its own, so tighten it.
    chmodSync(conf.path, 0o600);
  } catch (err) {
    throw unwritable(configDir, err);
  }
}

/**
 * Every change to the profile store: under its lock (so that parallel commands queue and none of
 * their writes is lost), on the store as read once the lock is held, written through conf (atomic,
 * 0600) when `change` returns. What `change` does beside the store (the keychain) is inside the
 * lock too. Loaded only by the profile commands that change something. The store is read first
 * (readProfileStore), which refuses a symlinked, foreign or group-writable folder or file, so conf
 * never writes through one.
 */
export async function updateProfileStore<T>(configDir: string, change: (store: ProfileStore) => T | Promise<T>): Promise<T> {
  const lock = await lockStore(configDir);
  try {
    const read = readProfileStore(configDir);
    const store: ProfileStore = { ...(read.default !== undefined && { default: read.default }), profiles: { ...read.profiles } };
    const result = await change(store);
    write(configDir, store);
    return result;
  } finally {
    lock.release();
  }
}
