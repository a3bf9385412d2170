import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hkdfSha256, hmacSha256 } from '../../src/hkdf.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const refHmac = (key: Uint8Array, data: Uint8Array) => createHmac('sha256', key).update(data).digest('hex');

/** RFC 5869's extract and expand, step by step, on node:crypto's HMAC: a reference with no `info` limit. */
function refHkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): string {
  const prk = createHmac('sha256', salt).update(ikm).digest();
  let t = Buffer.alloc(0);
  let okm = Buffer.alloc(0);
  for (let i = 1; okm.length < length; i++) {
    t = createHmac('sha256', prk).update(Buffer.concat([t, info, Buffer.from([i])])).digest();
    okm = Buffer.concat([okm, t]);
  }
  return okm.subarray(0, length).toString('hex');
}

describe('hmacSha256', () => {
  it('gives the RFC 4231 test vectors (cases 1, 2 and 6: a key longer than a block)', () => {
    expect(hex(hmacSha256(Buffer.alloc(20, 0x0b), Buffer.from('Hi There')))).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    expect(hex(hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(hex(hmacSha256(Buffer.alloc(131, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('agrees with node:crypto for keys of every length around the block size, and random data', () => {
    for (let k = 0; k <= 140; k++) {
      const key = randomBytes(k);
      const data = randomBytes(k * 3);
      expect(hex(hmacSha256(key, data)), `key of ${k} bytes`).toBe(refHmac(key, data));
    }
  });
});

describe('hkdfSha256', () => {
  it('gives the RFC 5869 test vectors (cases 1 and 3)', () => {
    const ikm = Buffer.alloc(22, 0x0b);
    const salt = Buffer.from('000102030405060708090a0b0c', 'hex');
    const info = Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex');
    expect(hex(hkdfSha256(ikm, salt, info, 42))).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    expect(hex(hkdfSha256(ikm, new Uint8Array(0), new Uint8Array(0), 42))).toBe('8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
  });

  it("agrees with node:crypto's hkdfSync for every length up to 100 bytes and infos up to its 1024-byte limit", () => {
    // OpenSSL 3 (Node 22, 24) will not derive zero bytes; ours gives none.
    expect(hkdfSha256(Buffer.from('k'), Buffer.from('s'), Buffer.from('i'), 0)).toHaveLength(0);
    for (let n = 1; n <= 100; n++) {
      const [ikm, salt, info] = [randomBytes(1 + (n % 70)), randomBytes(n % 40), randomBytes((n * 11) % 1025)];
      expect(hex(hkdfSha256(ikm, salt, info, n)), `${n} bytes`).toBe(Buffer.from(hkdfSync('sha256', ikm, salt, info, n)).toString('hex'));
    }
    const info = randomBytes(1024);
    expect(hex(hkdfSha256(Buffer.from('k'), Buffer.from('s'), info, 64))).toBe(Buffer.from(hkdfSync('sha256', 'k', 's', info, 64)).toString('hex'));
  });

  it('takes an info longer than 1024 bytes, which node:crypto refuses (RFC 5869 has no such limit)', () => {
    const info = randomBytes(5000);
    expect(() => hkdfSync('sha256', 'k', 's', info, 64)).toThrow(/info/);
    expect(hex(hkdfSha256(Buffer.from('k'), Buffer.from('s'), info, 64))).toBe(refHkdf(Buffer.from('k'), Buffer.from('s'), info, 64));
  });

  it('refuses a length HKDF-SHA256 cannot give', () => {
    expect(() => hkdfSha256(Buffer.from('k'), Buffer.from('s'), Buffer.from('i'), 255 * 32 + 1)).toThrow(RangeError);
    expect(hkdfSha256(Buffer.from('k'), Buffer.from('s'), Buffer.from('i'), 255 * 32)).toHaveLength(255 * 32);
  });
});
