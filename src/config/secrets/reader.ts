import type { Deps } from '../../platform/deps.js';
import type { SecretSpec } from '../settings.js';
import { emptySecret, secretTooLarge } from '../messages.js';

/**
 * Where a secret (or a private key) can be read from: one file each in this folder, behind this
 * interface, listed in index.ts: a value given outright, standard input, a file, a profile's
 * command, the OS keychain.
 */
export interface SecretReader<K extends SecretSpec['kind']> {
  readonly kind: K;
  read(spec: Extract<SecretSpec, { kind: K }>, deps: SecretDeps, timeoutMs: number): Promise<string>;
  /**
   * What stands for the secret in the cache key, for a reader too slow or too intrusive to ask on
   * every call (a command, a keychain prompt): then a cached call never reads it.
   */
  standsFor?(spec: Extract<SecretSpec, { kind: K }>): string;
}

export type SecretDeps = Pick<Deps, 'io' | 'env' | 'runSecretCommand' | 'keychain'>;

/** A client secret is a few dozen bytes, a private key a few KB; past this, what was read is neither (a wrong file, a runaway command). */
export const MAX_SECRET_BYTES = 64 * 1024;

export const dropNewline = (s: string): string => s.replace(/\r?\n$/, '');

/** A secret as read, refused if empty or too large. */
export function checked(secret: string, spec: SecretSpec): string {
  if (secret === '') throw emptySecret(spec.source);
  if (Buffer.byteLength(secret) > MAX_SECRET_BYTES) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
  return secret;
}
