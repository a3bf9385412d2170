import { fsReason } from '../platform/errors.js';
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';
// By path, not undici's index, which also loads fetch, WebSocket, cookies and mocks (~100 ms).
// What the index does besides: give every dispatcher the request/connect API. Requests here go
// through dispatch() itself; ProxyAgent needs connect() for its CONNECT tunnels.
import connect from 'undici/lib/api/api-connect.js';
import DispatcherBase from 'undici/lib/dispatcher/dispatcher.js';
import EnvHttpProxyAgent from 'undici/lib/dispatcher/env-http-proxy-agent.js';
import { builtin } from '../platform/builtin.js';
import type { Timing } from '../platform/clock.js';
import {
  bodyTooLarge,
  caFileNotPem,
  caFileUnreadable,
  connectionFailure,
  invalidProxy,
  proxyAuthRequired,
  proxyUnreachable,
  timeoutFailure,
  tlsFailure,
  type AttemptRecord,
  type ProxyInUse,
} from './messages.js';
export type { ProxyInUse } from './messages.js';
import type { Reporter } from '../platform/reporter.js';
import { isLoopbackHost } from '../config/settings.js';
import { redactUrlCredentials } from '../platform/text.js';

// HTTP for the token request and for `gardin-token api`: one dispatcher (proxies, CAs), one loop
// of attempts with backoff and Retry-After inside one deadline, one trace. Loaded only when a
// request is due (a lazy chunk: undici is most of a fetching run's start-up).

const BACKOFF_BASE_MS = 300;
const BACKOFF_CAP_MS = 5000;

type Env = Record<string, string | undefined>;

/** The network side of a request: where it may go and how long it may take. */
export interface Transport {
  retries: number;
  /** timing.monotonic() value after which nothing more is attempted. */
  deadline: number;
  timeoutMs: number;
  timing: Timing;
  /** Wall-clock epoch milliseconds (for a Retry-After given as an HTTP date). */
  now: () => number;
  env: Env;
  caFile: string | undefined;
  dispatcher: Dispatcher | undefined;
  reporter: Reporter;
}

/** One request, tried until it has an answer worth returning. */
export interface Exchange extends Transport {
  /** Who answers, in messages: "the token endpoint", "the Gardin API". */
  peer: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The body as the trace shows it, secrets masked; left out, its size is shown. */
  traceBody?: string;
  /** Statuses worth another attempt. */
  retryStatuses: ReadonlySet<number>;
  /** Whether a failed connection may be tried again (not for a request that must not repeat). */
  retryFailures: boolean;
  /** A new request for each attempt after the first (a client assertion is good for one). */
  renew?: () => Promise<{ headers: Record<string, string>; body: string }>;
  maxBodyBytes: number;
}

export interface Answer {
  status: number;
  statusText: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

Object.assign(DispatcherBase.prototype, { connect });

export const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The variables that name a proxy, in the order curl reads them (lower case first). */
const PROXY_VARS = { http: ['http_proxy', 'HTTP_PROXY'], https: ['https_proxy', 'HTTPS_PROXY'], all: ['all_proxy', 'ALL_PROXY'] } as const;

/** The first of these variables set to something, with its name. */
const firstSet = (env: Env, names: readonly string[]): { name: string; value: string } | undefined => {
  const name = names.find((n) => env[n]);
  return name === undefined ? undefined : { name, value: env[name]! };
};

/**
 * The proxy settings from the environment as curl reads them: lower case first, and ALL_PROXY for
 * a scheme that has no variable of its own. Each value keeps the name of the variable it came from.
 */
export function proxyEnv(env: Env): { httpProxy?: { name: string; value: string }; httpsProxy?: { name: string; value: string }; noProxy: string } {
  const all = firstSet(env, PROXY_VARS.all);
  const httpProxy = firstSet(env, PROXY_VARS.http) ?? all;
  const httpsProxy = firstSet(env, PROXY_VARS.https) ?? all;
  return { ...(httpProxy && { httpProxy }), ...(httpsProxy && { httpsProxy }), noProxy: env.no_proxy ?? env.NO_PROXY ?? '' };
}

/** A host name, an IPv4 address or a bracketed IPv6 one: what a proxy URL's host may be. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])$/;

/**
 * A proxy variable's value as a URL undici can use, or exit 2 naming the variable: an http(s) URL
 * with a host, nothing a shell or a paste slipped in (blanks, controls), credentials percent-
 * encoded. Without a scheme it is http://, as curl reads it.
 */
export function checkProxy(name: string, value: string): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
  const withScheme = hasScheme ? value : `http://${value}`;
  let u: URL | undefined;
  try {
    u = /[\s\x00-\x1f\x7f]/.test(value) || (!hasScheme && value.includes('://')) ? undefined : new URL(withScheme);
    if (u) decodeURIComponent(u.username + u.password);
  } catch {
    u = undefined;
  }
  if (!u || !HOST.test(u.hostname)) throw invalidProxy(name, redactUrl(value), 'not a valid http(s) URL');
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw invalidProxy(name, redactUrl(value), `a ${u.protocol.slice(0, -1)} proxy, which gardin-token cannot use (only http and https)`);
  return withScheme;
}

/**
 * The proxies to use for `url`: none for a loopback host (as Go's net/http decides, so a local
 * endpoint never sends its Basic header through a proxy in cleartext), else the environment's.
 * Every proxy variable that is set is checked, the one in use or not: a typo is said at once.
 */
export function proxiesFor(url: URL, env: Env): { httpProxy: string; httpsProxy: string; noProxy: string } {
  if (isLoopbackHost(url.hostname)) return { httpProxy: '', httpsProxy: '', noProxy: '' };
  for (const name of [...PROXY_VARS.https, ...PROXY_VARS.http, ...PROXY_VARS.all]) if (env[name]) checkProxy(name, env[name]);
  const p = proxyEnv(env);
  const use = (v: { name: string; value: string } | undefined) => (v ? checkProxy(v.name, v.value) : '');
  return { httpProxy: use(p.httpProxy), httpsProxy: use(p.httpsProxy), noProxy: p.noProxy };
}

/** A proxy URL fit to print: its password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.href.replace(/\/$/, '');
  } catch {
    return redactUrlCredentials(url);
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[^-]*-----END CERTIFICATE-----/g;

/** Reads a CA file and checks that it holds PEM certificates and nothing unparseable. */
function readCa(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw caFileUnreadable(file, what, fsReason(err));
  }
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0) throw caFileNotPem(file, what, 'holds no PEM certificate');
  blocks.forEach((block, i) => {
    try {
      new (builtin<typeof import('node:crypto')>('node:crypto').X509Certificate)(block);
    } catch {
      throw caFileNotPem(file, what, `holds a certificate (number ${i + 1}) that does not parse`);
    }
  });
  return text;
}

/**
 * An undici dispatcher that honours HTTP(S)_PROXY/NO_PROXY and, with --ca-file, trusts the given
 * CAs on top of Node's own (and NODE_EXTRA_CA_CERTS, which passing `ca` would otherwise drop).
 */
export function buildDispatcher(
  url: URL,
  env: Env,
  caFile: string | undefined,
  timeoutMs: number,
  idle: { headersTimeout: number; bodyTimeout: number } | undefined = undefined,
): Dispatcher {
  let tlsOptions: { ca: string[] } | undefined;
  if (caFile) {
    // node:tls only here: an http:// endpoint without --ca-file never needs it (~2 ms a fetch).
    const ca = [...builtin<typeof import('node:tls')>('node:tls').rootCertificates];
    if (env.NODE_EXTRA_CA_CERTS) ca.push(readCa(env.NODE_EXTRA_CA_CERTS, 'NODE_EXTRA_CA_CERTS'));
    ca.push(readCa(caFile, '--ca-file'));
    tlsOptions = { ca };
  }
  return new EnvHttpProxyAgent({
    ...proxiesFor(url, env),
    connect: { timeout: timeoutMs, ...tlsOptions },
    ...(tlsOptions && { requestTls: tlsOptions }),
    ...idle,
  });
}

const TLS_CODES = /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/;

export interface NetworkFailure {
  /** `proxy`: the proxy itself could not be reached. */
  kind: 'timeout' | 'tls' | 'connect' | 'proxy' | 'proxy-auth';
  reason: string;
  code: string | undefined;
  retry: boolean;
  /** The original error, kept as the cause (shown with --verbose). */
  error: unknown;
}

/**
 * Socket errors of the connection itself. Through a proxy that connection is to the proxy (the
 * proxy reaches the host, and answers CONNECT with a status when it cannot).
 */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** Undici and socket errors in words a user can act on; `viaProxy`: the request went through one. */
export function describeNetworkError(err: unknown, viaProxy = false): NetworkFailure {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code;
  const reason = (e?.message || String(err)).replace(/\s+/g, ' ');
  // undici reports a proxy's refusal of CONNECT as an abort; it is nothing of the kind.
  const proxyStatus = /Proxy response \((\d+)\)|Proxy Authentication Required \((407)\)/.exec(reason);
  if (proxyStatus) {
    const status = Number(proxyStatus[1] ?? proxyStatus[2]);
    if (status === 407) return { kind: 'proxy-auth', reason: 'the proxy requires authentication', code, retry: false, error: err };
    return { kind: 'connect', reason: `the proxy refused the tunnel (HTTP ${status})`, code, retry: status >= 500, error: err };
  }
  if (
    e?.name === 'AbortError' ||
    e?.name === 'TimeoutError' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_ABORTED'
  ) {
    return { kind: 'timeout', reason: 'timed out', code, retry: true, error: err };
  }
  // A plain-HTTP server on an https:// URL answers the TLS hello with HTTP: OpenSSL's raw text
  // (a "wrong version number") says nothing useful to a user.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_HTTP_REQUEST' || /wrong version number|http request/i.test(code ? '' : reason)) {
    return { kind: 'tls', reason: 'the server did not answer TLS', code: 'NOT_TLS', retry: false, error: err };
  }
  if (code && TLS_CODES.test(code)) return { kind: 'tls', reason: `${reason} (${code})`, code, retry: false, error: err };
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed temporarily',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'connection closed by the server',
  };
  const kind = viaProxy && code !== undefined && CONNECT_CODES.has(code) ? 'proxy' : 'connect';
  return { kind, reason: (code && words[code]) ?? reason, code, retry: code !== 'ENOTFOUND', error: err };
}

/** The wait a Retry-After header asks for, in ms, or undefined. Seconds or an HTTP date. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with jitter: 300 ms, 600 ms, 1.2 s ... up to 5 s, each scaled by 0.5 to 1. */
export function backoffMs(retryNumber: number, random: () => number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (retryNumber - 1)) * (0.5 + random() / 2);
}

/**
 * One attempt: the request through undici's dispatch() and its handler hooks, the answer read
 * whole. (undici's request() API would wrap the answer in a stream, read here through an async
 * iterator: ~3 ms of a first call, for a body of a few hundred bytes.) `ms` bounds it all, also a
 * proxy's CONNECT that goes unanswered, which no request option covers: then `onTimeout` runs.
 */
interface SendOptions {
  ms: number;
  limit: number;
  peer: string;
  onTimeout: () => unknown;
}

function send(dispatcher: Dispatcher, opts: Dispatcher.DispatchOptions, { ms, limit, peer, onTimeout }: SendOptions): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    const end = (err: Error | undefined, answer?: Answer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        controller?.abort(err);
        reject(err);
      } else resolve(answer!);
    };
    // The timeout is the outcome, not whatever undici reports of the destroy that follows.
    const timer = setTimeout(() => {
      end(Object.assign(new Error('deadline passed'), { name: 'TimeoutError' }));
      onTimeout();
    }, ms);
    let status = 0;
    let statusText = '';
    let headers: Answer['headers'] = {};
    const chunks: Buffer[] = [];
    let size = 0;
    dispatcher.dispatch(opts, {
      onRequestStart(c) {
        controller = c;
        if (settled) c.abort(new Error('request ended'));
      },
      onResponseStart(_c, statusCode, responseHeaders, statusMessage) {
        if (statusCode < 200) return; // 1xx: informational, the answer is still to come
        status = statusCode;
        statusText = statusMessage ?? '';
        headers = responseHeaders;
        const length = first(responseHeaders['content-length']);
        if (length && Number(length) > limit) end(bodyTooLarge(limit, peer));
      },
      onResponseData(_c, chunk) {
        size += chunk.length;
        if (size > limit) end(bodyTooLarge(limit, peer));
        else chunks.push(chunk);
      },
      onResponseEnd() {
        end(undefined, { status, statusText, headers, body: Buffer.concat(chunks, size) });
      },
      onResponseError(_c, err) {
        end(err);
      },
    });
  });
}

function traceRequest(x: Exchange, attempt: number, total: number): void {
  const { reporter } = x;
  if (!reporter.verbose) return;
  reporter.trace(`${x.method} ${x.url} (attempt ${attempt} of ${total})`);
  for (const [k, v] of Object.entries(x.headers)) {
    reporter.trace(`  ${k}: ${k.toLowerCase() === 'authorization' ? v.split(' ')[0] + ' ***' : v}`);
  }
  if (x.body !== undefined) reporter.trace(`  body: ${x.traceBody ?? `(${Buffer.byteLength(x.body)} bytes)`}`);
}

/**
 * Whether NO_PROXY exempts a host, read as undici reads it: `*`, or entries (comma or space
 * separated) that name the host or a domain above it, with an optional port.
 */
export function noProxyExempts(url: URL, noProxy: string): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy
    .split(/[,\s]+/)
    .filter(Boolean)
    .some((entry) => {
      if (entry === '*') return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(entry.toLowerCase().replace(/^\*?\./, '.'))!;
      const name = m[1]!.replace(/^\[|\]$/g, '');
      if (m[2] && m[2] !== port) return false;
      return name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name || host.endsWith(`.${name}`);
    });
}

/** The proxy a request to `url` goes through, as messages name it; none for a host NO_PROXY exempts. */
export function proxyInUse(url: URL, env: Env): ProxyInUse | undefined {
  const proxy = proxiesFor(url, env);
  if (noProxyExempts(url, proxy.noProxy)) return undefined;
  const inUse = url.protocol === 'https:' ? proxy.httpsProxy || proxy.httpProxy : proxy.httpProxy;
  if (!inUse) return undefined;
  const p = proxyEnv(env);
  const variable = (url.protocol === 'https:' && proxy.httpsProxy ? p.httpsProxy : p.httpProxy)!.name;
  const u = new URL(inUse);
  return { shown: redactUrl(inUse), variable, hasCredentials: u.username !== '' || u.password !== '' };
}

/**
 * Sends a request, trying again on a failed connection (when allowed) and on the statuses given,
 * with backoff or the server's Retry-After, all inside one deadline. Returns the last answer, a
 * success or not, with the attempts it took; a request that got no answer at all is thrown as a
 * typed error (timeout, connection, TLS, a proxy that wants credentials).
 */
export async function exchange(x: Exchange): Promise<{ answer: Answer; attempts: AttemptRecord[] }> {
  const url = new URL(x.url);
  const dispatcher = x.dispatcher ?? buildDispatcher(url, x.env, x.caFile, x.timeoutMs);
  const proxy = proxyInUse(url, x.env);
  const { noProxy } = proxyEnv(x.env);
  if (proxy) x.reporter.trace(`proxy: ${proxy.shown} (from ${proxy.variable})${noProxy ? ` (NO_PROXY=${noProxy})` : ''}`);
  const total = x.retries + 1;
  const attempts: AttemptRecord[] = [];
  const timedOut = () => timeoutFailure(x.timeoutMs / 1000, x.url, attempts, proxy, x.peer);
  const failed = (failure: NetworkFailure): Error =>
    failure.kind === 'timeout'
      ? timedOut()
      : failure.kind === 'proxy-auth'
        ? proxyAuthRequired(proxy)
        : failure.kind === 'proxy' && proxy
          ? proxyUnreachable(failure.reason, proxy, x.url, attempts, x.peer)
          : connectionFailure(failure.reason, x.url, attempts, x.peer);
  const { timing } = x;
  try {
    let { headers, body } = x;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && x.renew) ({ headers, body } = await x.renew());
      const remaining = x.deadline - timing.monotonic();
      if (remaining <= 0) throw timedOut();
      traceRequest(x, attempt, total);
      const started = timing.monotonic();
      let answer: Answer | undefined;
      let failure: NetworkFailure | undefined;
      try {
        const opts = {
          origin: url.origin,
          path: url.pathname + url.search,
          method: x.method as Dispatcher.HttpMethod,
          headers,
          body: body ?? null,
          headersTimeout: Math.ceil(remaining),
          bodyTimeout: Math.ceil(remaining),
        };
        answer = await send(dispatcher, opts, {
          ms: remaining,
          limit: x.maxBodyBytes,
          peer: x.peer,
          onTimeout: () => !x.dispatcher && dispatcher.destroy().catch(() => undefined),
        });
      } catch (err) {
        if ((err as { exitCode?: number }).exitCode !== undefined) throw err;
        failure = describeNetworkError(err, proxy !== undefined);
        if (failure.kind === 'tls') throw tlsFailure(failure.reason, x.url, failure.code, x.peer, proxy);
      }
      const ms = Math.round(timing.monotonic() - started);
      attempts.push({ outcome: answer ? `HTTP ${answer.status}` : failure!.reason, ms });
      x.reporter.trace(`  -> ${attempts.at(-1)!.outcome} in ${ms} ms`);

      const retryable = answer ? x.retryStatuses.has(answer.status) : x.retryFailures && failure!.retry;
      const done = (): { answer: Answer; attempts: AttemptRecord[] } => {
        if (!answer) throw failed(failure!);
        return { answer, attempts };
      };
      if (!retryable || attempt === total) return done();
      const asked = answer ? retryAfterMs(first(answer.headers['retry-after']), x.now()) : undefined;
      const wait = asked ?? backoffMs(attempt, timing.random);
      if (wait >= x.deadline - timing.monotonic()) {
        x.reporter.trace(`  not retrying: waiting ${Math.round(wait)} ms would pass the ${x.timeoutMs / 1000} s deadline`);
        return done();
      }
      x.reporter.trace(`  retrying in ${Math.round(wait)} ms${asked !== undefined ? ' (Retry-After)' : ''}`);
      await timing.sleep(wait);
    }
  } finally {
    // Once the answer is handed over: closing the connection costs ~2 ms of work and a turn of
    // the event loop (~4.5 ms of a first call), and nothing waits on it. The CLI exits before
    // it runs; in a program it closes the connection a moment later (undici's idle socket does
    // not hold the process open meanwhile).
    if (!x.dispatcher) setImmediate(() => dispatcher.destroy().catch(() => undefined));
  }
}
