import { basicPlain, plainBasicAuthorization } from './basic-plain.js';
import { distinctForms, formEncode, type ClientAuth } from './method.js';

/** `Basic base64(form(id):form(secret))`: for alphanumeric credentials this is the plain join. */
export const basicAuthorization = (clientId: string, secret: string): string => 'Basic ' + Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`, 'utf8').toString('base64');

/**
 * HTTP Basic with id and secret form-encoded before the join (RFC 6749 §2.3.1). Where that
 * differs from the plain join (`:`, `+`, `/`, `%`, a space, non-ASCII...) and the server refuses the
 * client, the plain join is tried once (see token/refresh.ts).
 */
export const basic: ClientAuth = {
  name: 'basic',
  summary: 'HTTP Basic, RFC 6749-encoded (the default; falls back once to the plain join on invalid_client)',
  credential: 'secret',
  apply: ({ headers }, { clientId, credential }) => {
    headers.authorization = basicAuthorization(clientId, credential);
  },
  fallback: ({ clientId, credential }) => (basicAuthorization(clientId, credential) !== plainBasicAuthorization(clientId, credential) ? basicPlain : undefined),
  secretForms: (client) => {
    const encoded = basicAuthorization(client.clientId, client.credential);
    return distinctForms([...basicPlain.secretForms(client), formEncode(client.credential), encodeURIComponent(client.credential), encoded, encoded.slice('Basic '.length)]);
  },
};
