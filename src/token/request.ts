import { proxyAuthRequired, TOKEN_ENDPOINT } from '../net/messages.js';
import { httpStatusFailure, redirectRefused, type CredentialContext } from './messages.js';
import type { Transport } from '../net/http.js';
import type { TokenRequest } from './auth/index.js';
import { bodyExcerpt, errorFields, refusalFrom, type HttpAnswer } from './validate.js';

/** A token answer is a few KB; a bigger one is refused unread. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The token request may always be repeated: it changes nothing on the server. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface FetchOptions extends Transport {
  url: string;
  request: TokenRequest;
  ctx: CredentialContext;
}

/** The form body as the trace shows it: the secret (post auth) as ***. */
function traceBody(body: string): string {
  const shown = new URLSearchParams(body);
  if (shown.has('client_secret')) shown.set('client_secret', '***');
  return shown.toString().replaceAll('%2A%2A%2A', '***');
}

/**
 * POSTs the token request, retrying connection errors and 429/5xx with backoff and Retry-After,
 * all inside one deadline. Returns the 2xx answer; every other outcome is thrown as a typed error.
 */
export async function postTokenRequest(o: FetchOptions): Promise<HttpAnswer> {
  // undici is loaded here, not with the refresh chunk: a process that only waits for another's
  // fetch (the lock, the shared cache) never pays for it.
  const { exchange, first, proxyShown } = await import('../net/http.js');
  const { answer: raw, attempts } = await exchange({
    ...o,
    peer: TOKEN_ENDPOINT,
    method: 'POST',
    headers: o.request.headers,
    body: o.request.body,
    traceBody: traceBody(o.request.body),
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
  if (answer.status === 407) throw proxyAuthRequired(proxyShown(new URL(o.url), o.env));
  // Scrubbed before anything is cut or collapsed: a shortened secret could no longer be found.
  const scrubbed = { ...answer, body: o.reporter.scrub(answer.body) };
  const refusal = refusalFrom(scrubbed, o.ctx);
  if (refusal) throw refusal;
  const f = errorFields(scrubbed.body);
  const detail = f.error ? `${f.error}${f.errorDescription ? `: ${f.errorDescription}` : ''}` : f.errorDescription ?? bodyExcerpt(scrubbed.body);
  throw httpStatusFailure(answer.status, detail, o.url, attempts);
}
