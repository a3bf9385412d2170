import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, sha256Hex } from '../../src/sha256.js';

const reference = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it('gives the FIPS 180-4 example digests', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with node:crypto at every length around the padding boundaries', () => {
    for (let n = 0; n <= 300; n++) expect(sha256Hex('x'.repeat(n)), `length ${n}`).toBe(reference('x'.repeat(n)));
  });

  it('hashes the UTF-8 bytes of any text, lone surrogates as node:crypto does', () => {
    for (const s of ['sécrét:%+', '日本語のシークレット', '🔑 key', 'a\uD800b', '\uDFFF', '\u0000\n\t']) expect(sha256Hex(s)).toBe(reference(s));
  });

  it('hashes bytes (what HMAC and HKDF are built on) as node:crypto does', () => {
    for (let n = 0; n <= 200; n++) {
      const bytes = randomBytes(n);
      expect(Buffer.from(sha256(bytes)).toString('hex'), `${n} bytes`).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('agrees with node:crypto on random text', () => {
    for (let i = 0; i < 200; i++) {
      const s = randomBytes(1 + (i % 150)).toString('latin1');
      expect(sha256Hex(s)).toBe(reference(s));
    }
  });

  it('handles a long input (many blocks)', () => {
    const s = 'a'.repeat(1_000_000);
    expect(sha256Hex(s)).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });
});
