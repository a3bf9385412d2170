import type { AuthMethod } from '../../config/settings.js';

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1, Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** `Basic base64(form(id):form(secret))`: for alphanumeric credentials this is the plain join. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  return 'Basic ' + Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`, 'utf8').toString('base64');
}

/**
 * `Basic base64(id:secret)`, the join Gardin's documentation shows and that servers which do not
 * form-decode (Authlib 1.2, node-oauth2-server 5, ...) compare against.
 */
export function plainBasicAuthorization(clientId: string, clientSecret: string): string {
  return 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
}

/** Whether the two Basic encodings of these credentials differ (`:`, `+`, `/`, `%`, space, non-ASCII...). */
export const encodingsDiffer = (clientId: string, clientSecret: string): boolean =>
  basicAuthorization(clientId, clientSecret) !== plainBasicAuthorization(clientId, clientSecret);

export interface TokenRequest {
  headers: Record<string, string>;
  body: string;
}

/** The client-credentials request: form body, client authentication by header or in the body. */
export function buildTokenRequest(
  clientId: string,
  clientSecret: string,
  scopes: readonly string[],
  method: AuthMethod,
  userAgent: string,
): TokenRequest {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
    'user-agent': userAgent,
  };
  if (method === 'basic') {
    headers.authorization = basicAuthorization(clientId, clientSecret);
  } else if (method === 'basic-plain') {
    headers.authorization = plainBasicAuthorization(clientId, clientSecret);
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', clientSecret);
  }
  return { headers, body: form.toString() };
}

/**
 * Every form the secret can take on the wire, so output can be scrubbed of all of them
 * (defence in depth: no code path is meant to print any of these).
 */
export function secretForms(clientId: string, clientSecret: string): string[] {
  const basic = basicAuthorization(clientId, clientSecret);
  const plain = plainBasicAuthorization(clientId, clientSecret);
  return [clientSecret, formEncode(clientSecret), encodeURIComponent(clientSecret), basic, basic.slice('Basic '.length), plain, plain.slice('Basic '.length)].filter(
    (s, i, all) => s.length >= 4 && all.indexOf(s) === i,
  );
}
