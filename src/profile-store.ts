import { chmodSync } from 'node:fs';
import Conf from 'conf';
import { fsReason, isGardinTokenError, profileStoreUnwritable } from './errors.js';
import { securePrivateDir } from './private-files.js';
import { readProfileStore, STORE_FILE, storePath } from './profiles.js';
import type { ProfileStore, StoredProfile } from './settings.js';

/**
 * Every write to the profile store goes through conf (atomic writes, 0600). Loaded only by the
 * profile commands that change something. The store is read first (readProfileStore), which
 * refuses a symlinked, foreign or group-writable folder or file, so conf never writes through one.
 */
function update(configDir: string, change: (store: ProfileStore) => void): void {
  const store = readProfileStore(configDir);
  change(store);
  try {
    securePrivateDir(configDir, { create: true, strict: true });
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
    // A read-only or full disk is the environment's fault, not a bug: say so (exit 2).
    if (isGardinTokenError(err)) throw err;
    throw profileStoreUnwritable(storePath(configDir), fsReason(err));
  }
}

export function saveProfile(configDir: string, name: string, profile: StoredProfile, makeDefault: boolean): void {
  update(configDir, (store) => {
    store.profiles = { ...store.profiles, [name]: profile };
    if (makeDefault) store.default = name;
  });
}

export function removeProfile(configDir: string, name: string): boolean {
  let removed = false;
  update(configDir, (store) => {
    if (!Object.hasOwn(store.profiles, name)) return;
    const { [name]: _removed, ...rest } = store.profiles;
    store.profiles = rest;
    if (store.default === name) delete store.default;
    removed = true;
  });
  return removed;
}

export function renameProfile(configDir: string, from: string, to: string): void {
  update(configDir, (store) => {
    const { [from]: moved, ...rest } = store.profiles;
    store.profiles = { ...rest, [to]: moved! };
    if (store.default === from) store.default = to;
  });
}

export function setDefaultProfile(configDir: string, name: string): void {
  update(configDir, (store) => {
    store.default = name;
  });
}
