import { chmodSync, mkdirSync } from 'node:fs';
import Conf from 'conf';
import { readProfileStore, STORE_FILE } from './profiles.js';
import type { ProfileStore, StoredProfile } from './settings.js';

/**
 * Every write to the profile store goes through conf (atomic writes, 0600). Loaded only by the
 * profile commands that change something.
 */
function open(configDir: string): Conf<ProfileStore> {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  return new Conf<ProfileStore>({
    cwd: configDir,
    configName: STORE_FILE.replace(/\.json$/, ''),
    projectSuffix: '',
    configFileMode: 0o600,
    accessPropertiesByDotNotation: false,
    defaults: { profiles: {} },
  });
}

function commit(conf: Conf<ProfileStore>, store: ProfileStore): void {
  conf.store = store;
  // conf sets the mode on files it creates; a file made by hand keeps its own, so tighten it.
  chmodSync(conf.path, 0o600);
}

export function saveProfile(configDir: string, name: string, profile: StoredProfile, makeDefault: boolean): void {
  const store = readProfileStore(configDir);
  const conf = open(configDir);
  store.profiles = { ...store.profiles, [name]: profile };
  if (makeDefault) store.default = name;
  commit(conf, store);
}

export function removeProfile(configDir: string, name: string): boolean {
  const store = readProfileStore(configDir);
  if (!Object.hasOwn(store.profiles, name)) return false;
  const conf = open(configDir);
  const { [name]: _removed, ...rest } = store.profiles;
  store.profiles = rest;
  if (store.default === name) delete store.default;
  commit(conf, store);
  return true;
}

export function setDefaultProfile(configDir: string, name: string): void {
  const store = readProfileStore(configDir);
  const conf = open(configDir);
  store.default = name;
  commit(conf, store);
}
