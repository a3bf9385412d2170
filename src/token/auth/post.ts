import { distinctForms, formEncode, type ClientAuth } from './method.js';

/** `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1). */
export const post: ClientAuth = {
  name: 'post',
  summary: 'client_id and client_secret in the form body',
  credential: 'secret',
  apply: ({ form }, { clientId, credential }) => {
    form.set('client_id', clientId);
    form.set('client_secret', credential);
  },
  secretForms: ({ credential }) => distinctForms([credential, formEncode(credential), encodeURIComponent(credential)]),
};
