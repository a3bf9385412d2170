import { sha256 } from './sha256.js';

/**
 * HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869) on the SHA-256 of src/sha256.ts: what names a
 * token's entry in the shared cache and derives the key that seals it.
 *
 * Not node:crypto's: loading node:crypto takes ~8 ms on Node 24 (~4 ms on Node 20), and the key
 * names are needed before the token request can go out, where that load sat on the path of every
 * process of a fleet that waits for the request. node:crypto is still what seals and opens entries
 * (AES-256-GCM), loaded while the answer is on its way. Also, node:crypto's hkdfSync refuses an
 * `info` over 1024 bytes, which a client with many scopes reaches; RFC 5869 sets no such limit.
 * The unit test holds both to node:crypto's results (and to the RFCs' test vectors).
 */

const BLOCK = 64;
const HASH = 32;

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k = new Uint8Array(BLOCK);
  k.set(key.length > BLOCK ? sha256(key) : key);
  const inner = new Uint8Array(BLOCK + data.length);
  const outer = new Uint8Array(BLOCK + HASH);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = k[i]! ^ 0x36;
    outer[i] = k[i]! ^ 0x5c;
  }
  inner.set(data, BLOCK);
  outer.set(sha256(inner), BLOCK);
  return sha256(outer);
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 255 * HASH) throw new RangeError(`HKDF-SHA256 cannot give ${length} bytes`);
  // An empty salt is HashLen zero bytes (RFC 5869), which HMAC's zero padding of its key already gives.
  const prk = hmacSha256(salt, ikm);
  const okm = new Uint8Array(Math.ceil(length / HASH) * HASH);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0; i * HASH < length; i++) {
    const input = new Uint8Array(previous.length + info.length + 1);
    input.set(previous);
    input.set(info, previous.length);
    input[input.length - 1] = i + 1;
    previous = hmacSha256(prk, input);
    okm.set(previous, i * HASH);
  }
  return okm.subarray(0, length);
}
