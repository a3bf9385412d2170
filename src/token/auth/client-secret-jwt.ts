import { distinctForms, type ClientAuth } from './method.js';

/** A client assertion signed with the client secret (HS256; RFC 7523, OpenID Connect Core §9). */
export const clientSecretJwt: ClientAuth = {
  name: 'client_secret_jwt',
  summary: 'a JWT assertion signed with the client secret (HS256; RFC 7523)',
  credential: 'secret',
  apply: async (request, client) => {
    const { putAssertion } = await import('./assertion.js');
    await putAssertion(request, client, 'HS256', new TextEncoder().encode(client.credential));
  },
  secretForms: ({ credential }) => distinctForms([credential]),
};
