/**
 * A client-authentication method of the token request (RFC 6749 §2.3, RFC 7523): one file each in
 * this folder, behind this interface, listed in index.ts.
 */
export interface ClientAuth {
  /** As --auth-method and a profile name it. */
  readonly name: string;
  /** One line for help and completion. */
  readonly summary: string;
  /** What the client proves itself with: its secret, or a private key (whose public half the server has). */
  readonly credential: 'secret' | 'private-key';
  /**
   * Puts the client authentication on the request: a header, form fields. Called for every
   * attempt, so that an assertion is fresh each time (its own jti, a short exp).
   */
  apply(request: TokenRequestParts, client: Client): void | Promise<void>;
  /**
   * Another method to try once if the server refuses the client with this one (basic: the plain
   * join, for servers that do not form-decode), or undefined.
   */
  fallback?(client: Client): ClientAuth | undefined;
  /** Every form the credential may take on the wire, so that output can be scrubbed of them all. */
  secretForms(client: Client): string[];
}

/** Who authenticates, and with what (the credential named by the method's `credential`). */
export interface Client {
  clientId: string;
  /** The client secret, or the private key's text (PEM or JWK). */
  credential: string;
  /** The key id of a private key (`--key-id`), for the assertion's header. */
  keyId?: string;
  /** Where the private key came from, for messages. */
  credentialSource: string;
  /** The token endpoint, the audience of an assertion. */
  tokenUrl: string;
}

export interface TokenRequestParts {
  headers: Record<string, string>;
  form: URLSearchParams;
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 §2.3.1, Appendix B). */
export const formEncode = (value: string): string => new URLSearchParams({ v: value }).toString().slice(2);

/** The strings of a credential worth scrubbing: each distinct one of 4 characters or more. */
export const distinctForms = (forms: string[]): string[] => forms.filter((s, i, all) => s.length >= 4 && all.indexOf(s) === i);
