import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toEntry, type CacheIdentity } from '../../src/cache/entry.js';
import { openEntry, sealEntry, sharedKeys } from '../../src/fleet/seal.js';

const id: CacheIdentity = { tokenUrl: 'https://login.example/oauth2/token', clientId: 'client-a', scopes: ['b:read', 'a:read'], authMethod: 'basic', secretId: 'ignored' };
const entry = toEntry({ accessToken: 'the-token-abcdefgh', tokenType: 'Bearer', expiresAt: 2_000_000_000_000, scope: 'a:read b:read' }, id, 1_999_999_000_000);

describe('the shared entry: its name and its seal come from the secret', () => {
  it('one name for one identity and secret, whatever the scope order; another secret or identity, another name', () => {
    const k = sharedKeys(id, 'secret-1');
    expect(k.entry).toMatch(/^gardin-token:v1:[\w-]{43}$/);
    expect(k.lock).toBe(`${k.entry}:lock`);
    expect(sharedKeys({ ...id, scopes: ['a:read', 'b:read'] }, 'secret-1').entry).toBe(k.entry);
    expect(sharedKeys(id, 'secret-2').entry).not.toBe(k.entry);
    expect(sharedKeys({ ...id, clientId: 'client-b' }, 'secret-1').entry).not.toBe(k.entry);
    expect(sharedKeys({ ...id, scopes: ['a:read'] }, 'secret-1').entry).not.toBe(k.entry);
    // The secretId of the local cache (a command, say) plays no part: the secret itself does.
    expect(sharedKeys({ ...id, secretId: 'command:x' }, 'secret-1').entry).toBe(k.entry);
  });

  it("names and keys an entry as 1.0 did (node:crypto's HKDF and HMAC), so versions share a fleet's cache", () => {
    const asBefore = (i: CacheIdentity, secret: string) => {
      const identity = JSON.stringify([1, i.tokenUrl, i.clientId, [...i.scopes].sort(), i.authMethod]);
      const okm = Buffer.from(hkdfSync('sha256', secret, 'gardin-token shared cache', identity, 64));
      return { entry: 'gardin-token:v1:' + createHmac('sha256', okm.subarray(32)).update(identity).digest('base64url'), seal: okm.subarray(0, 32).toString('hex') };
    };
    const cases: Array<[CacheIdentity, string]> = [
      [id, 'secret-1'],
      [{ ...id, clientId: 'clïent ✓', scopes: ['é:read'] }, 'sécret 🔑'],
      [{ ...id, scopes: [] }, randomBytes(40).toString('latin1')],
    ];
    for (const [i, secret] of cases) {
      const k = sharedKeys(i, secret);
      expect({ entry: k.entry, seal: k.seal.toString('hex') }).toEqual(asBefore(i, secret));
    }
  });

  it("keys a client whose identity is over 1 KB (many scopes), where node:crypto's HKDF refused", () => {
    const many = { ...id, scopes: Array.from({ length: 120 }, (_, n) => `scope-${n}:read`) };
    const k = sharedKeys(many, 'secret-1');
    expect(k.aad.length).toBeGreaterThan(1024);
    expect(k.entry).not.toBe(sharedKeys({ ...many, scopes: many.scopes.slice(1) }, 'secret-1').entry);
    const mine = toEntry({ accessToken: 'the-token-abcdefgh', tokenType: 'Bearer', expiresAt: 2_000_000_000_000, scope: 'scope-0:read' }, many, 1_999_999_000_000);
    expect(openEntry(sealEntry(mine, k), k, many)).toEqual(mine);
  });

  it('opens with the same secret and identity only; the sealed text shows nothing in clear', () => {
    const k = sharedKeys(id, 'secret-1');
    const sealed = sealEntry(entry, k);
    for (const clear of ['the-token', 'client-a', 'a:read', 'login.example']) expect(sealed).not.toContain(clear);
    expect(openEntry(sealed, k, id)).toEqual(entry);
    expect(sealEntry(entry, k)).not.toBe(sealed);
    expect(openEntry(sealed, sharedKeys(id, 'secret-2'), id)).toBeUndefined();
    // A value moved under another identity's name does not open there either (the identity is bound in).
    const other = { ...id, clientId: 'client-b' };
    expect(openEntry(sealed, { ...sharedKeys(other, 'secret-1'), seal: k.seal }, other)).toBeUndefined();
  });

  it('anything tampered with, truncated or foreign is a miss, never an error', () => {
    const k = sharedKeys(id, 'secret-1');
    const sealed = sealEntry(entry, k);
    const flipped = sealed.slice(0, 20) + (sealed[20] === 'A' ? 'B' : 'A') + sealed.slice(21);
    for (const bad of [flipped, sealed.slice(0, -4), 'v1.', 'v2.' + sealed.slice(3), JSON.stringify(entry), '', 'v1.' + 'A'.repeat(200_000)]) {
      expect(openEntry(bad, k, id)).toBeUndefined();
    }
  });
});
