import type { Deps, Keychain } from '../../platform/deps.js';
import { keychainEntryMissing, keychainName, keychainUnavailable, type KeychainReason } from '../messages.js';
import type { StoredProfile } from '../settings.js';
import type { SecretReader } from './reader.js';

/** A profile whose secret is in the OS keychain says so: `secretStore: 'keychain'`. */
export const KEYCHAIN = 'keychain';
export const inKeychain = (p: StoredProfile | undefined): boolean => p?.secretStore === KEYCHAIN;

/** The keychain of `deps`, or the system's (its native module loaded now, on first use). */
export async function keychainOf(deps: Pick<Deps, 'keychain'>): Promise<Keychain> {
  if (deps.keychain) return deps.keychain();
  return (await import('./keychain-native.js')).systemKeychain();
}

/**
 * Why a keychain call failed, in one line, and what is missing: the native module (npm skipped
 * an optional dependency), the service itself (no D-Bus session or Secret Service), or neither
 * (locked, refused). D-Bus's own advice about X11 autolaunch is no help here.
 */
export const keychainReason = (err: unknown): KeychainReason => {
  const code = (err as { code?: unknown })?.code;
  if (code === 'KEYCHAIN_MODULE_MISSING') return { missing: 'module', text: (err as Error).message };
  if (code === 'KEYCHAIN_NOT_IN_BINARY') return { missing: 'binary', text: (err as Error).message };
  const line = String((err as Error)?.message ?? err)
    .split('\n')[0]!
    .replace(/^Platform failure: /, '');
  if (/DBUS_SESSION_BUS_ADDRESS/.test(line)) return { missing: 'service', text: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)' };
  if (/ServiceUnknown|org\.freedesktop\.secrets/.test(line)) return { missing: 'service', text: 'no Secret Service runs in this D-Bus session' };
  return { missing: undefined, text: line };
};

/** A keychain profile's secret; exit 2 naming the profile and the keychain when it cannot be read. */
export async function readKeychainSecret(profile: string, deps: Pick<Deps, 'keychain'>): Promise<string> {
  let keychain: Keychain | undefined;
  let secret: string | undefined;
  try {
    keychain = await keychainOf(deps);
    secret = await keychain.get(profile);
  } catch (err) {
    throw keychainUnavailable(profile, keychain?.name ?? keychainName(process.platform), keychainReason(err));
  }
  if (secret === undefined) throw keychainEntryMissing(profile, keychain.name);
  return secret;
}

/**
 * A profile's secret in the OS keychain (service gardin-token, account the profile name), read at
 * fetch time only: the entry stands for its secret in the cache key, so a cached call never asks
 * the keychain (nor has it prompt).
 */
export const keychain: SecretReader<'keychain'> = {
  kind: 'keychain',
  standsFor: (spec) => `keychain:${spec.profile}`,
  read: (spec, deps) => readKeychainSecret(spec.profile, deps),
};
