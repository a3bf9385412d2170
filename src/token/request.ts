import { proxyAuthRequired, TOKEN_ENDPOINT } from '../net/messages.js';
import { httpStatusFailure, redirectRefused, type CredentialContext } from './messages.js';
import type { Transport } from '../net/http.js';
import type { Client, ClientAuth } from './auth/method.js';
import { bodyExcerpt, errorFields, refusalFrom, type HttpAnswer } from './validate.js';

/** A token answer is a few KB; a bigger one is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The token request may always be repeated: it changes nothing on the server. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface FetchOptions extends Transport {
  url: string;
  client: Client;
  scopes: readonly string[];
  userAgent: string;
  ctx: CredentialContext;
}

/** The client-credentials request: the form, and the client authentication `auth` puts on it. */
async function tokenRequest(o: FetchOptions, auth: ClientAuth): Promise<{ headers: Record<string, string>; body: string }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (o.scopes.length > 0) form.set('scope', o.scopes.join(' '));
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'user-agent': o.userAgent };
  await auth.apply({ headers, form }, o.client);
  return { headers, body: form.toString() };
}

/** The form body as the trace shows it: the secret and an assertion as ***. */
function traceBody(body: string): string {
  const shown = new URLSearchParams(body);
  for (const field of ['client_secret', 'client_assertion']) if (shown.has(field)) shown.set(field, '***');
  return shown.toString().replaceAll('%2A%2A%2A', '***');
}

/**
 * POSTs the token request, retrying connection errors and 429/5xx with backoff and Retry-After,
 * all inside one deadline. Returns the 2xx answer; every other outcome is thrown as a typed error.
 */
export async function postTokenRequest(o: FetchOptions, auth: ClientAuth): Promise<HttpAnswer> {
  // undici is loaded here, not with the refresh chunk: a process that only waits for another's
  // fetch (the lock, the shared cache) never pays for it.
  const { exchange, first, proxyInUse } = await import('../net/http.js');
  const request = await tokenRequest(o, auth);
  const { answer: raw, attempts } = await exchange({
    ...o,
    peer: TOKEN_ENDPOINT,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    traceBody: traceBody(request.body),
    // Each attempt gets a request of its own: an assertion's jti must not be sent twice.
    renew: () => tokenRequest(o, auth),
    retryStatuses: RETRY_STATUSES,
    retryFailures: true,
    maxBodyBytes: MAX_BODY_BYTES,
  });
  const answer: HttpAnswer = { status: raw.status, headers: raw.headers, body: raw.body.toString('utf8') };
  if (answer.status >= 200 && answer.status < 300) return answer;
  if (answer.status >= 300 && answer.status < 400) {
    const loc = first(answer.headers.location);
    throw redirectRefused(answer.status, o.url, loc ? new URL(loc, o.url).href : undefined);
  }
  if (answer.status === 407) throw proxyAuthRequired(proxyInUse(new URL(o.url), o.env));
  // Scrubbed before anything is cut or collapsed: a shortened secret could no longer be found.
  const scrubbed = { ...answer, body: o.reporter.scrub(answer.body) };
  const refusal = refusalFrom(scrubbed, o.ctx);
  if (refusal) throw refusal;
  const f = errorFields(scrubbed.body);
  const detail = f.error ? `${f.error}${f.errorDescription ? `: ${f.errorDescription}` : ''}` : (f.errorDescription ?? bodyExcerpt(scrubbed.body));
  throw httpStatusFailure(answer.status, detail, o.url, attempts);
}
