import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { parseCacheEntry, type CacheEntry, type CacheIdentity } from '../cache/entry.js';

/**
 * What the shared cache stores, and under which name. Whoever can read Redis but lacks the client
 * secret learns nothing from it and cannot plant a token there:
 * - the key name is an HMAC of the identity under a key derived from the secret, so it reveals
 *   neither the client, its endpoint nor its scopes, and a different secret looks elsewhere;
 * - the value is the entry sealed with AES-256-GCM under another key derived from the secret, the
 *   identity bound in as associated data; a value that does not open is a miss.
 * Both keys come from one HKDF-SHA256 over the secret, with the identity as its info.
 * All of it is node:crypto's; this module is only loaded on the shared cache's path.
 */

const VERSION = 1;
const PREFIX = `gardin-token:v${VERSION}:`;
const SALT = 'gardin-token shared cache';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SharedKeys {
  /** The Redis key of the entry. */
  entry: string;
  /** The Redis key of the lock taken around a fetch. */
  lock: string;
  /** The AES-256-GCM key. */
  seal: Buffer;
  /** The identity, bound to every sealed value. */
  aad: Buffer;
}

/** The identity as the shared cache sees it: everything but the secret, which keys it instead. */
const identityText = (id: CacheIdentity): string => JSON.stringify([VERSION, id.tokenUrl, id.clientId, [...id.scopes].sort(), id.authMethod]);

const hmac = (key: Uint8Array, ...data: Uint8Array[]): Buffer => data.reduce((h, d) => h.update(d), createHmac('sha256', key)).digest();

/**
 * HKDF-SHA256 (RFC 5869) of 64 bytes, from node:crypto's HMAC: its hkdfSync refuses an info over
 * 1024 bytes, and the identity (the info) of a client with many scopes is longer.
 */
function hkdf64(secret: Buffer, salt: Buffer, info: Buffer): Buffer {
  const prk = hmac(salt, secret);
  const t1 = hmac(prk, info, Buffer.of(1));
  return Buffer.concat([t1, hmac(prk, t1, info, Buffer.of(2))]);
}

export function sharedKeys(id: CacheIdentity, secret: string): SharedKeys {
  const aad = Buffer.from(identityText(id), 'utf8');
  const okm = hkdf64(Buffer.from(secret, 'utf8'), Buffer.from(SALT, 'utf8'), aad);
  const name = PREFIX + hmac(okm.subarray(32), aad).toString('base64url');
  return { entry: name, lock: `${name}:lock`, seal: okm.subarray(0, 32), aad };
}

/** The entry, encrypted and authenticated: `v1.` and base64url(iv | ciphertext | tag). */
export function sealEntry(entry: CacheEntry, keys: SharedKeys): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, iv);
  cipher.setAAD(keys.aad);
  const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  return `v${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/** The entry a sealed value holds; undefined for anything that was not sealed with these keys. */
export function openEntry(value: string, keys: SharedKeys, id: CacheIdentity): CacheEntry | undefined {
  const prefix = `v${VERSION}.`;
  if (!value.startsWith(prefix) || value.length > 128 * 1024) return undefined;
  const raw = Buffer.from(value.slice(prefix.length), 'base64url');
  if (raw.length < IV_BYTES + TAG_BYTES + 2) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, raw.subarray(0, IV_BYTES));
    decipher.setAAD(keys.aad);
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    return parseCacheEntry(text, id);
  } catch {
    return undefined;
  }
}
