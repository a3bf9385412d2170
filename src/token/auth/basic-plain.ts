import { distinctForms, type ClientAuth } from './method.js';

/**
 * `Basic base64(id:secret)`, the join Gardin's documentation shows and that servers which do not
 * form-decode (Authlib 1.2, node-oauth2-server 5, ...) compare against.
 */
export const plainBasicAuthorization = (clientId: string, secret: string): string => 'Basic ' + Buffer.from(`${clientId}:${secret}`, 'utf8').toString('base64');

export const basicPlain: ClientAuth = {
  name: 'basic-plain',
  summary: 'HTTP Basic with the plain join base64(id:secret) that Gardin documents',
  credential: 'secret',
  apply: ({ headers }, { clientId, credential }) => {
    headers.authorization = plainBasicAuthorization(clientId, credential);
  },
  secretForms: ({ clientId, credential }) => {
    const plain = plainBasicAuthorization(clientId, credential);
    return distinctForms([credential, plain, plain.slice('Basic '.length)]);
  },
};
