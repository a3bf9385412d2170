import { fileIn } from '../platform/dirs.js';
import { configUnreadable } from './messages.js';
import { fsReason, isGardinTokenError } from '../platform/errors.js';
import { readPrivateFile, securePrivateDir } from '../platform/private-files.js';
import type { ProfileStore, StoredProfile } from './settings.js';

export const STORE_FILE = 'config.json';

export const storePath = (configDir: string): string => fileIn(configDir, STORE_FILE);

/** A profile store is a few KB; anything near this is not one. */
const MAX_STORE_BYTES = 4 * 1024 * 1024;

/**
 * Reads the profile store that conf writes, with plain fs: loading conf costs ~100 ms (it always
 * loads ajv), and reading a profile is on every token command's path. Writes go through conf.
 * The folder and file must be the user's own and not a symlink (see private-files.ts): a store
 * that another user could have written is refused before any secret command in it is read.
 */
export function readProfileStore(configDir: string): ProfileStore {
  const file = storePath(configDir);
  let text: string | undefined;
  try {
    if (securePrivateDir(configDir, { create: false, strict: true })) text = readPrivateFile(file, MAX_STORE_BYTES);
  } catch (err) {
    if (isGardinTokenError(err)) throw err;
    throw configUnreadable(file, fsReason(err));
  }
  return text === undefined ? { profiles: {} } : parseProfileStore(text, file);
}

export function parseProfileStore(text: string, file: string): ProfileStore {
  let data: unknown;
  try {
    data = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw configUnreadable(file, 'it is not valid JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw configUnreadable(file, 'it is not a JSON object');
  const { default: def, profiles = {} } = data as { default?: unknown; profiles?: unknown };
  if (def !== undefined && typeof def !== 'string') throw configUnreadable(file, '"default" is not a string');
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw configUnreadable(file, '"profiles" is not an object');
  }
  // Each profile is checked when it is first read, not all of them on every call: a call through
  // one profile of a thousand reads only that one (JSON.parse of the whole file aside).
  const raw = profiles as Record<string, unknown>;
  const checked = new Map<string, StoredProfile>();
  const out = new Proxy(raw, {
    get(target, name) {
      if (typeof name !== 'string' || !Object.hasOwn(target, name)) return undefined;
      let p = checked.get(name);
      if (!p) checked.set(name, (p = checkProfile(name, target[name], file)));
      return p;
    },
    set: () => false,
  }) as Record<string, StoredProfile>;
  return def === undefined ? { profiles: out } : { default: def, profiles: out };
}

const PROFILE_FIELDS = [
  'clientId',
  'clientSecret',
  'clientSecretCommand',
  'privateKeyFile',
  'keyId',
  'tokenUrl',
  'scope',
  'authMethod',
  'apiUrl',
  'cacheUrl',
  'secretStore',
] as const;
// A field added to StoredProfile but not read here would be dropped from every stored profile.
const everyFieldRead: Exclude<keyof StoredProfile, (typeof PROFILE_FIELDS)[number]> extends never ? true : never = true;
void everyFieldRead;

function checkProfile(name: string, value: unknown, file: string): StoredProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw configUnreadable(file, `profile "${name}" is not an object`);
  const p: StoredProfile = {};
  for (const key of PROFILE_FIELDS) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw configUnreadable(file, `"${key}" of profile "${name}" is not a string`);
    (p as Record<string, string>)[key] = v;
  }
  if (p.secretStore !== undefined && p.secretStore !== 'keychain') throw configUnreadable(file, `"secretStore" of profile "${name}" is not "keychain"`);
  return p;
}

export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
