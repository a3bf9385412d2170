import type { Resolved, SecretSpec, Settings } from '../config/settings.js';
import { describeSource } from '../config/source.js';
import { AUTH_METHOD_NAMES, authMethodNamed, DEFAULT_AUTH_METHOD } from './auth/index.js';
import type { ClientAuth } from './auth/method.js';
import { missingCredential, unknownAuthMethod } from './messages.js';

/** How the client of these settings authenticates, and where its credential is to be read. */
export interface ClientPlan {
  auth: ClientAuth;
  /** The method as asked for, with its source (the default when none was). */
  method: Resolved<string>;
  /** The secret, or the private key, as the method needs. */
  credential: SecretSpec;
  /** Where that came from, in words, for messages. */
  credentialSource: string;
}

/**
 * The client-auth method of these settings (checked against the methods there are) and its
 * credential: exit 2 when the method is unknown or the identity gives no credential it needs.
 */
export function clientPlanOf(s: Settings): ClientPlan {
  const method = s.authMethod ?? { value: DEFAULT_AUTH_METHOD, source: { kind: 'default' } };
  const auth = authMethodNamed(method.value);
  if (!auth) throw unknownAuthMethod(method.value, method.source, AUTH_METHOD_NAMES);
  const credential = auth.credential === 'secret' ? s.secret : s.privateKey;
  if (!credential) throw missingCredential(auth.name, auth.credential, s.clientId.source, s.naming, s.storedProfiles);
  return { auth, method, credential, credentialSource: describeSource(credential.source) };
}
