import type { SecretSpec } from '../settings.js';
import { command } from './command.js';
import { file } from './file.js';
import { keychain } from './keychain.js';
import { checked, type SecretDeps, type SecretReader } from './reader.js';
import { stdin } from './stdin.js';
import { value } from './value.js';

/** Every place a secret can be read from, by the kind of spec that names it. */
const READERS: { [K in SecretSpec['kind']]: SecretReader<K> } = { value, stdin, file, command, keychain };

const readerOf = <K extends SecretSpec['kind']>(spec: Extract<SecretSpec, { kind: K }>): SecretReader<K> => READERS[spec.kind as K];

/** Reads a secret (or a private key) from wherever the settings said it is. */
export async function loadSecret(spec: SecretSpec, deps: SecretDeps, timeoutMs: number): Promise<string> {
  return checked(await readerOf(spec).read(spec as never, deps, timeoutMs), spec);
}

/** What stands for this secret in the cache key, when it is not to be read on a cached call. */
export const standsFor = (spec: SecretSpec): string | undefined => readerOf(spec).standsFor?.(spec as never);
