import type { KeyObject } from 'node:crypto';
import { privateKeyUnusable } from '../messages.js';
import { builtin } from '../../platform/builtin.js';
import { distinctForms, type ClientAuth } from './method.js';

/** The JWS algorithm for a key, as its type and curve call for it (a JWK's own `alg` first). */
function algorithmOf(key: KeyObject, jwkAlg: string | undefined): string {
  if (jwkAlg) return jwkAlg;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS256';
    case 'rsa-pss':
      return 'PS256';
    case 'ed25519':
      return 'EdDSA';
    case 'ec':
      if (curve === 'prime256v1') return 'ES256';
      if (curve === 'secp384r1') return 'ES384';
      if (curve === 'secp521r1') return 'ES512';
  }
  throw new Error(`a ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''} key, for which this tool knows no signing algorithm`);
}

/** The private key in PEM (PKCS#8, PKCS#1 or SEC1) or JWK form, read by node:crypto. */
function privateKey(text: string): { key: KeyObject; alg: string } {
  const { createPrivateKey } = builtin<typeof import('node:crypto')>('node:crypto');
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as { alg?: unknown; d?: unknown };
    if (jwk.d === undefined) throw new Error('a JWK without its private part ("d")');
    const key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
    return { key, alg: algorithmOf(key, typeof jwk.alg === 'string' ? jwk.alg : undefined) };
  }
  const key = createPrivateKey(trimmed);
  return { key, alg: algorithmOf(key, undefined) };
}

/** A client assertion signed with the client's private key (RFC 7523, OpenID Connect Core §9). */
export const privateKeyJwt: ClientAuth = {
  name: 'private_key_jwt',
  summary: 'a JWT assertion signed with a private key (--private-key-file; RFC 7523)',
  credential: 'private-key',
  apply: async (request, client) => {
    let signing: { key: KeyObject; alg: string };
    try {
      signing = privateKey(client.credential);
    } catch (err) {
      throw privateKeyUnusable(client.credentialSource, err instanceof Error ? err.message.split('\n')[0]! : String(err));
    }
    const { putAssertion } = await import('./assertion.js');
    await putAssertion(request, client, signing.alg, signing.key);
  },
  // The key's text, and each of its lines (a PEM body is printed a line at a time, if at all).
  secretForms: ({ credential }) =>
    distinctForms([
      credential.trim(),
      ...credential
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => !l.startsWith('-----')),
    ]),
};
