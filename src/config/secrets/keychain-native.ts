import type { Keychain } from '../../platform/deps.js';
import { builtin } from '../../platform/builtin.js';
import { keychainName } from '../messages.js';

/** The code of the error thrown when npm did not install the native module (an optional dependency). */
export const KEYCHAIN_MODULE_MISSING = 'KEYCHAIN_MODULE_MISSING';
/** ... and when the single-file binary, which cannot carry it, is what runs. */
export const KEYCHAIN_NOT_IN_BINARY = 'KEYCHAIN_NOT_IN_BINARY';

/** The keychain service every profile secret is filed under; the account is the profile name. */
export const KEYCHAIN_SERVICE = 'gardin-token';

type Keyring = typeof import('@napi-rs/keyring');

/** Whether this is the single-file binary (node:sea, Node 20.12 and later). */
const inSingleFileBinary = (): boolean => {
  try {
    return builtin<typeof import('node:sea')>('node:sea').isSea();
  } catch {
    return false;
  }
};

/**
 * The OS keychain through @napi-rs/keyring (an optional dependency with prebuilt binaries):
 * macOS Keychain, Windows Credential Manager, and on Linux the Secret Service only, never the
 * kernel keyring, which forgets everything at logout. Loaded only for a profile whose secret is
 * in the keychain, and only when that secret is needed.
 */
export function systemKeychain(): Keychain {
  const name = keychainName(process.platform);
  let keyring: Keyring | undefined;
  const entry = async (account: string) => {
    if (!keyring) {
      // The single-file binary carries no native module (nor may it look for one on disk).
      if (inSingleFileBinary()) throw Object.assign(new Error('the single-file binary cannot carry the native keychain module'), { code: KEYCHAIN_NOT_IN_BINARY });
      try {
        keyring = await import('@napi-rs/keyring');
      } catch {
        // npm skips an optional dependency it has no prebuilt binary for.
        throw Object.assign(new Error(`the native keychain module (@napi-rs/keyring) for ${process.platform}-${process.arch} is missing`), { code: KEYCHAIN_MODULE_MISSING });
      }
    }
    return new keyring.AsyncEntry(KEYCHAIN_SERVICE, account, { linux: { store: 'secret-service' } });
  };
  return {
    name,
    get: async (account) => (await (await entry(account)).getPassword()) ?? undefined,
    set: async (account, secret) => (await entry(account)).setPassword(secret),
    delete: async (account) => (await entry(account)).deleteCredential(),
  };
}
