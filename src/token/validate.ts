import { badResponse, expiredOnArrival, htmlNotToken, tokenRefused, type CredentialContext } from './messages.js';
import { sanitize } from '../platform/text.js';
import { B64TOKEN, MAX_LIFETIME_MS, type Token } from '../cache/entry.js';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The claims of a JWT, or undefined when the string is not one. No signature check. */
export function decodeJwtPart(token: string, index: 0 | 1): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(parts[index]!, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A non-empty string from the server, made safe for a terminal. */
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? sanitize(v) : undefined);

/** The reason a server gave for a non-2xx answer: OAuth `error`/`error_description` or the API's `message`. */
export function errorFields(body: string): { error?: string; errorDescription?: string } {
  const data = parseJson(body);
  if (typeof data !== 'object' || data === null) return {};
  const o = data as Record<string, unknown>;
  const error = str(o.error);
  const errorDescription = str(o.error_description) ?? str(o.message);
  return { ...(error && { error }), ...(errorDescription && { errorDescription }) };
}

/**
 * A short, printable excerpt of a body that is not JSON (an HTML error page from a gateway). The
 * caller scrubs secrets from the body first: once shortened, a secret could no longer be found.
 */
export function bodyExcerpt(body: string): string | undefined {
  const text = body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return undefined;
  const clean = sanitize(text);
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/**
 * Decides what a final (not retried) 4xx answer means: an OAuth error or 401/403 is a refusal
 * (exit 3); anything else is returned as undefined for the caller to report as a bad status.
 */
export function refusalFrom(answer: HttpAnswer, ctx: CredentialContext): Error | undefined {
  const fields = errorFields(answer.body);
  if ((answer.status >= 400 && answer.status < 500 && fields.error) || answer.status === 401 || answer.status === 403) {
    return tokenRefused({ status: answer.status, ...fields }, ctx);
  }
  return undefined;
}

/**
 * Validates a 2xx token response step by step (after oauth4webapi): JSON, object, `access_token`
 * in b64token syntax, `token_type` Bearer, `expires_in` (or the JWT `exp`) not already past,
 * the lifetime capped at MAX_LIFETIME_MS.
 */
export function validateTokenResponse(body: string, receivedAt: number, requestedScopes: readonly string[], scrub: (text: string) => string = (t) => t): Token {
  const data = parseJson(body);
  // An HTML page is not the service owner's fault but a wrong URL's (or a captive portal's).
  if (data === undefined && /^\s*</.test(body)) throw htmlNotToken(bodyExcerpt(scrub(body)));
  if (data === undefined) throw badResponse('ERR_NOT_JSON', 'its body is not JSON');
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw badResponse('ERR_NOT_OBJECT', 'its body is not a JSON object');
  const o = data as Record<string, unknown>;

  if (typeof o.access_token !== 'string' || o.access_token === '') {
    throw badResponse('ERR_NO_ACCESS_TOKEN', 'it holds no access_token');
  }
  if (!B64TOKEN.test(o.access_token)) {
    throw badResponse('ERR_BAD_TOKEN_SYNTAX', 'its access_token has characters a bearer token may not contain (RFC 6750 b64token)');
  }
  if (typeof o.token_type !== 'string' || o.token_type.toLowerCase() !== 'bearer') {
    throw badResponse('ERR_TOKEN_TYPE', `its token_type is ${sanitize(JSON.stringify(o.token_type ?? null))}, not "Bearer"`);
  }

  let expiresAt: number | undefined;
  if (o.expires_in !== undefined && o.expires_in !== null) {
    const n = typeof o.expires_in === 'string' && o.expires_in.trim() !== '' ? Number(o.expires_in) : o.expires_in;
    if (typeof n !== 'number' || !Number.isFinite(n)) {
      throw badResponse('ERR_BAD_EXPIRES_IN', `its expires_in ${sanitize(JSON.stringify(o.expires_in))} is not a number of seconds`);
    }
    if (n < 1) throw expiredOnArrival(`expires_in is ${n}`);
    expiresAt = receivedAt + Math.min(Math.round(n * 1000), MAX_LIFETIME_MS);
  }
  // A JWT's own exp counts even beside expires_in: a token that says it is over is refused, and
  // one that ends sooner than expires_in says is not handed out past its end.
  const exp = decodeJwtPart(o.access_token, 1)?.exp;
  if (typeof exp === 'number' && Number.isFinite(exp)) {
    const expMs = exp * 1000;
    if (expMs <= receivedAt) {
      throw expiredOnArrival(`its exp claim is ${Math.round((receivedAt - expMs) / 1000)} s before this machine's clock`);
    }
    expiresAt = Math.min(expiresAt ?? Infinity, expMs, receivedAt + MAX_LIFETIME_MS);
  }

  const scope = typeof o.scope === 'string' && o.scope.trim() !== '' ? sanitize(o.scope.trim()) : requestedScopes.length > 0 ? requestedScopes.join(' ') : undefined;
  return { accessToken: o.access_token, tokenType: 'Bearer', expiresAt, scope };
}
