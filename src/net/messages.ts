import { ApiError, NetworkError, ResponseError, UsageError } from '../platform/errors.js';
import { redactUrlCredentials, sanitize } from '../platform/text.js';

// What HTTP (the token request's and `api`'s) says when something is wrong: proxies, CAs, the
// network, and the API's answers.

export const caFileUnreadable = (file: string, what: string, reason: string): UsageError => new UsageError('ERR_CA_FILE', `Cannot read the CA file ${file} (${what}): ${reason}.`);

/** The proxy a request goes through, as messages name it. */
export interface ProxyInUse {
  /** Its URL with the password replaced. */
  shown: string;
  /** The variable it came from (HTTPS_PROXY, https_proxy, ALL_PROXY...). */
  variable: string;
  hasCredentials: boolean;
}

const proxyNamed = (proxy: ProxyInUse): string => `the proxy ${proxy.shown} (from ${proxy.variable})`;

export const proxyAuthRequired = (proxy: ProxyInUse | undefined): NetworkError =>
  proxy?.hasCredentials
    ? new NetworkError(
        'ERR_PROXY_AUTH',
        `${capitalized(proxyNamed(proxy))} refused the credentials in its URL (HTTP 407).`,
        `Check the user and password in ${proxy.variable} (characters such as @ : / percent-encoded).`,
      )
    : new NetworkError(
        'ERR_PROXY_AUTH',
        `${proxy ? capitalized(proxyNamed(proxy)) : 'The proxy'} requires authentication (HTTP 407).`,
        `Put the credentials in the proxy URL (${proxy?.variable ?? 'https_proxy'}=http://user:password@host:port), or exempt the host with NO_PROXY.`,
      );

/** The proxy itself could not be reached (refused, not found, unreachable). */
export const proxyUnreachable = (reason: string, proxy: ProxyInUse, url: string, attempts: AttemptRecord[], peer: string): NetworkError =>
  new NetworkError(
    'ERR_PROXY',
    `Could not reach ${proxyNamed(proxy)} on the way to ${peer} ${url}: ${reason}${attemptsText(attempts)}.`,
    `Check ${proxy.variable}, or exempt the host with NO_PROXY.`,
  );

const capitalized = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export const invalidProxy = (variable: string, value: string, what: string): UsageError =>
  new UsageError('ERR_INVALID_PROXY', `The proxy URL in ${variable} ("${sanitize(value)}") is ${what}.`, `Fix or unset ${variable}.`);

export const caFileNotPem = (file: string, what: string, reason: string): UsageError =>
  new UsageError('ERR_CA_FILE', `The CA file ${file} (${what}) ${reason}.`, 'Give a file of PEM certificates (-----BEGIN CERTIFICATE-----).');

export const GARDIN_API = 'the Gardin API';

export const apiStatus = (method: string, url: string, status: number, statusText: string, reason: string | undefined): ApiError =>
  new ApiError(status, `${method} ${sanitize(url)} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}${reason ? `: ${sanitize(reason)}` : ''}`);

export const apiOriginRefused = (origin: string, base: string): UsageError =>
  new UsageError(
    'ERR_API_ORIGIN',
    `Refusing to send the token to ${redactUrlCredentials(origin)}: it is not the API's origin (${base}).`,
    'Pass a path, or --base-url (GARDIN_API_URL) for another API you trust.',
  );

export const apiRedirectRefused = (status: number, url: string, location: string): NetworkError =>
  new NetworkError(
    'ERR_REDIRECT',
    `${GARDIN_API} ${url} answered with a redirect (HTTP ${status}) to another origin, ${redactUrlCredentials(location)}; the token is never sent to another origin.`,
    'If you trust it, call it with --base-url set to its origin.',
  );

export const tooManyRedirects = (url: string): NetworkError => new NetworkError('ERR_REDIRECT', `${GARDIN_API} ${url} redirected more than 5 times; giving up.`);

export const badField = (raw: string, flag: string): UsageError => new UsageError('ERR_USAGE', `${flag} takes key=value, not "${raw}".`, `For example: ${flag} name=value`);

export const badHeader = (raw: string): UsageError => new UsageError('ERR_USAGE', `-H takes 'Name: value', not "${raw}".`);

export const authorizationHeaderGiven = (): UsageError =>
  new UsageError('ERR_USAGE', 'The Authorization header is set by gardin-token: the token goes there; leave -H Authorization out.');

export const headerNotCarried = (raw: string, why: string): UsageError =>
  new UsageError('ERR_USAGE', `Refusing the header ${sanitize(JSON.stringify(raw))}: ${why}.`, 'Nothing was sent.');

export const methodNotCarried = (method: string, why: string): UsageError =>
  new UsageError('ERR_USAGE', `Refusing the method ${sanitize(JSON.stringify(method))}: ${why}.`, 'Nothing was sent.');

export const fieldClash = (raw: string, flag: string, key: string): UsageError =>
  new UsageError(
    'ERR_USAGE',
    `${flag} ${sanitize(JSON.stringify(raw))} gives "${sanitize(key)}" a second value, or a value of another kind.`,
    'Give each key once; repeat key[]=value to make an array.',
  );

/** The most bytes `api` keeps in memory: one body, the pages of --paginate together, --input or an @file. */
export const API_MAX_BYTES = 100 * 1024 * 1024;

export const paginationLoop = (url: string, pages: number): ResponseError =>
  new ResponseError(
    'ERR_PAGINATION',
    `${GARDIN_API} sent a next link back to ${redactUrlCredentials(url)}, a page already fetched (after ${pages} pages); stopping rather than loop.`,
    'Nothing was printed.',
  );

export const tooManyPages = (max: number): ResponseError =>
  new ResponseError('ERR_PAGINATION', `${GARDIN_API} has more than ${max} pages for this request; stopping.`, 'Nothing was printed. Raise --max-pages, or narrow the request.');

export const pagesTooLarge = (pages: number): ResponseError =>
  new ResponseError(
    'ERR_BODY_TOO_LARGE',
    `The pages of ${GARDIN_API} hold more than ${API_MAX_BYTES} bytes together (at page ${pages}); stopping.`,
    'Nothing was printed. Narrow the request.',
  );

export const inputTooLarge = (what: string, limit: number): UsageError => new UsageError('ERR_INPUT', `${what} is larger than ${limit} bytes; refusing to read it whole.`);

export const apiInputUnreadable = (file: string, reason: string): UsageError => new UsageError('ERR_INPUT', `Cannot read ${file === '-' ? 'standard input' : file}: ${reason}.`);

export const inputTwice = (): UsageError => new UsageError('ERR_USAGE', 'Standard input can be read once: give @- or --input - for one value only.');

export interface AttemptRecord {
  /** What the attempt got: "HTTP 503" or an error description. */
  outcome: string;
  ms: number;
}

export const attemptsText = (attempts: AttemptRecord[]): string =>
  attempts.length <= 1 ? '' : ` after ${attempts.length} attempts (${attempts.map((a) => a.outcome).join(', ')})`;

/** Which URL setting a peer comes from, for hints. */
const urlSetting = (peer: string): string => (peer === TOKEN_ENDPOINT ? 'the token URL' : 'the URL');

export const TOKEN_ENDPOINT = 'the token endpoint';

export const connectionFailure = (reason: string, url: string, attempts: AttemptRecord[], peer: string): NetworkError =>
  new NetworkError('ERR_CONNECT', `Could not reach ${peer} ${url}: ${reason}${attemptsText(attempts)}.`, `Check ${urlSetting(peer)} and your network.`);

export const timeoutFailure = (seconds: number, url: string, attempts: AttemptRecord[], proxy: ProxyInUse | undefined, peer: string): NetworkError =>
  new NetworkError(
    'ERR_TIMEOUT',
    `No answer from ${peer} ${url}${proxy ? ` through ${proxyNamed(proxy)}` : ''} within ${seconds} s${attemptsText(attempts)}.`,
    proxy ? `Check that the proxy is reachable and lets this host through, or exempt the host with NO_PROXY.` : 'Raise --timeout, or check your network.',
  );

export const tlsFailure = (reason: string, url: string, code: string | undefined, peer: string, proxy?: ProxyInUse): NetworkError => {
  let hint = 'If your network inspects TLS, trust its CA with --ca-file <pem> or GARDIN_CA_FILE (or NODE_EXTRA_CA_CERTS).';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') hint = `The certificate does not name this host: check ${urlSetting(peer)}.`;
  if (code === 'CERT_HAS_EXPIRED') hint = "The server certificate has expired (or this machine's clock is wrong).";
  if (code === 'NOT_TLS') hint = `Is ${urlSetting(peer)} meant to be http:// (allowed for loopback hosts only)?`;
  return new NetworkError('ERR_TLS', `TLS with ${peer} ${url}${proxy ? ` (through ${proxyNamed(proxy)})` : ''} failed: ${reason}.`, hint);
};

export const bodyTooLarge = (limit: number, peer: string): ResponseError =>
  new ResponseError('ERR_BODY_TOO_LARGE', `The answer of ${peer} is larger than ${limit} bytes; refusing it.`);
