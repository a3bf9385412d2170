import { describe, expect, it } from 'vitest';
import { toEntry, type CacheIdentity } from '../../src/token/cache.js';
import { openEntry, sealEntry, sharedKeys } from '../../src/token/shared-seal.js';

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
