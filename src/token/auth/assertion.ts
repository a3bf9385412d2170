import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose/jwt/sign';
import type { Client, TokenRequestParts } from './method.js';

/** How long an assertion is valid: long enough to reach the server, short enough not to be replayed. */
const LIFETIME_S = 60;

/**
 * The client assertion of RFC 7523 §2.2 (as OpenID Connect Core §9 profiles it): a JWT about the
 * client (iss and sub its id), for the token endpoint (aud), with a fresh jti and a short exp,
 * signed with `key` by jose. This module (and so jose) is loaded only by the JWT methods.
 */
export async function putAssertion(request: TokenRequestParts, client: Client, alg: string, key: Parameters<SignJWT['sign']>[0]): Promise<void> {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', ...(client.keyId !== undefined && { kid: client.keyId }) })
    .setIssuer(client.clientId)
    .setSubject(client.clientId)
    .setAudience(client.tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_S}s`)
    .sign(key);
  request.form.set('client_id', client.clientId);
  request.form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
  request.form.set('client_assertion', assertion);
}
