import { readFileSync } from 'node:fs';
import {
  apiErrorReason,
  apiUrlFor,
  checkApiBase,
  DEFAULT_API_URL,
  IDEMPOTENT,
  isJsonType,
  methodFor,
  nextLink,
  prettyJson,
  splitField,
  typedValue,
  withQuery,
} from '../api-request.js';
import { builtin } from '../builtin.js';
import { timingOf } from '../clock.js';
import type { Deps } from '../deps.js';
import {
  apiInputUnreadable,
  apiOriginRefused,
  apiRedirectRefused,
  apiStatus,
  authorizationHeaderGiven,
  badHeader,
  GARDIN_API,
  inputTwice,
  tooManyRedirects,
} from '../errors.js';
import type { Answer } from '../http.js';
import { readProfileStore } from '../profiles.js';
import type { Reporter } from '../reporter.js';
import { resolveSettings, type Settings, type TokenInputs } from '../settings.js';
import type { Source } from '../source.js';
import { sanitize } from '../text.js';
import { transportFor, USER_AGENT } from '../token/index.js';
import { tokenFor } from './fetch.js';

export interface ApiOptions extends TokenInputs {
  method?: string;
  header?: string[];
  rawField?: string[];
  field?: string[];
  input?: string;
  include?: boolean;
  baseUrl?: string;
  paginate?: boolean;
}

/** Statuses an idempotent request is sent again for (a 500 may have done its work already). */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const NO_RETRY = new Set<number>();
/** An API answer is held in memory (for pagination and pretty-printing); past this it is refused. */
const MAX_BODY_BYTES = 100 * 1024 * 1024;
const MAX_REDIRECTS = 5;

/**
 * The API's base URL: --base-url, then a profile named with -p that has one, then GARDIN_API_URL,
 * then the profile's, then the default. (A -p profile sets the variable aside only when it
 * names an API itself: unlike the credentials, the URL alone sends the token nowhere new.)
 */
function apiBase(opts: ApiOptions, settings: Settings, deps: Deps): URL {
  const store = readProfileStore(deps.dirs.config);
  const profileName = settings.profile?.value;
  const fromProfile = profileName !== undefined ? store.profiles[profileName]?.apiUrl : undefined;
  const named = settings.profile?.source.kind === 'flag';
  const candidates: Array<[string | undefined, Source]> = [
    [opts.baseUrl, { kind: 'flag', name: '--base-url' }],
    [named ? fromProfile : undefined, { kind: 'profile', name: profileName ?? '' }],
    [deps.env.GARDIN_API_URL || undefined, { kind: 'env', name: 'GARDIN_API_URL' }],
    [fromProfile, { kind: 'profile', name: profileName ?? '' }],
  ];
  const [value, source] = candidates.find(([v]) => v !== undefined) ?? [DEFAULT_API_URL, { kind: 'default' } as Source];
  return checkApiBase(value!, source);
}

function headersFrom(raw: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of raw) {
    const at = h.indexOf(':');
    if (at <= 0) throw badHeader(h);
    const name = h.slice(0, at).trim().toLowerCase();
    if (name === 'authorization') throw authorizationHeaderGiven();
    headers[name] = h.slice(at + 1).trim();
  }
  return headers;
}

const statusText = (status: number): string => builtin<typeof import('node:http')>('node:http').STATUS_CODES[status] ?? '';

/** `-i`: the status line and headers, as `gh api -i` prints them. */
function head(a: Answer): string {
  const lines = [`HTTP/1.1 ${a.status} ${statusText(a.status)}`];
  for (const [k, v] of Object.entries(a.headers)) for (const one of Array.isArray(v) ? v : [v ?? '']) lines.push(`${k}: ${one}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/**
 * `api <path|url>`: calls the Gardin API with the token attached, as `gh api` does. The body goes
 * to stdout as received (pretty-printed JSON on a terminal); an HTTP error is exit 7, its body
 * still on stdout and one line on stderr.
 */
export async function apiCommand(pathOrUrl: string, opts: ApiOptions, deps: Deps, reporter: Reporter): Promise<number> {
  const settings = resolveSettings(opts, deps.env, readProfileStore(deps.dirs.config));
  const base = apiBase(opts, settings, deps);
  let url = apiUrlFor(base, pathOrUrl);
  const headers = headersFrom(opts.header ?? []);

  let stdinRead = false;
  const stdin = async (): Promise<string> => {
    if (stdinRead) throw inputTwice();
    stdinRead = true;
    return deps.io.readStdin();
  };
  const readInput = (file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw apiInputUnreadable(file, (err as NodeJS.ErrnoException).code ?? String(err));
    }
  };
  const fields: Array<[string, unknown]> = [];
  for (const raw of opts.rawField ?? []) {
    const { key, value } = splitField(raw, '-f');
    fields.push([key, value]);
  }
  for (const raw of opts.field ?? []) {
    const { key, value } = splitField(raw, '-F');
    if (value === '@-') fields.push([key, await stdin()]);
    else if (value.startsWith('@')) fields.push([key, readInput(value.slice(1)).toString('utf8')]);
    else fields.push([key, typedValue(value)]);
  }
  let body: string | Buffer | undefined;
  if (opts.input !== undefined) body = opts.input === '-' ? await stdin() : readInput(opts.input);
  let method = methodFor(opts.method, fields.length > 0, opts.input !== undefined);
  if (fields.length > 0) {
    if (method === 'GET' || method === 'HEAD' || body !== undefined) url = withQuery(url, fields);
    else body = JSON.stringify(Object.fromEntries(fields));
  }
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  headers.accept ??= 'application/json';
  headers['user-agent'] ??= USER_AGENT;

  let token = (await tokenFor(settings, deps, reporter)).accessToken;
  reporter.addSecrets([token]);
  deps.beforeNetwork?.();
  const http = await import('../http.js');
  const timing = timingOf(deps);
  // Each request (a page, a retry after a 401, a redirect) gets --timeout of its own.
  const transport = () => transportFor(settings, deps, reporter, timing.monotonic());

  /** One request to its final answer: a new token once on a 401, redirects within the origin only. */
  const send = async (startUrl: string): Promise<{ answer: Answer; url: string }> => {
    let at = startUrl;
    let refreshed = false;
    for (let redirects = 0; ; ) {
      const idempotent = IDEMPOTENT.has(method);
      const { answer } = await http.exchange({
        ...transport(),
        peer: GARDIN_API,
        method,
        url: at,
        headers: { ...headers, authorization: `Bearer ${token}` },
        ...(body !== undefined && { body }),
        retryStatuses: idempotent ? RETRY_STATUSES : NO_RETRY,
        retryFailures: idempotent,
        maxBodyBytes: MAX_BODY_BYTES,
      });
      if (answer.status === 401 && !refreshed) {
        // The token may have expired or been revoked since it was cached: one new one, one more try.
        refreshed = true;
        reporter.trace('API: HTTP 401; fetching a new token and trying once more');
        token = (await tokenFor({ ...settings, forceRefresh: true }, deps, reporter)).accessToken;
        reporter.addSecrets([token]);
        continue;
      }
      const location = http.first(answer.headers.location);
      if (answer.status >= 300 && answer.status < 400 && location) {
        const next = new URL(location, at);
        if (next.origin !== new URL(at).origin) throw apiRedirectRefused(answer.status, at, next.href);
        if (++redirects > MAX_REDIRECTS) throw tooManyRedirects(startUrl);
        if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
          method = 'GET';
          body = undefined;
          delete headers['content-type'];
        }
        reporter.trace(`API: following the redirect to ${next.href}`);
        at = next.href;
        continue;
      }
      return { answer, url: at };
    }
  };

  const pages: Answer[] = [];
  for (let next: string | undefined = url; next !== undefined; ) {
    const { answer, url: answered } = await send(next);
    pages.push(answer);
    const ok = answer.status >= 200 && answer.status < 300;
    next = opts.paginate && ok ? nextLink(http.first(answer.headers.link), answered) : undefined;
    if (next !== undefined) {
      if (new URL(next).origin !== base.origin) throw apiOriginRefused(new URL(next).origin, base.origin);
      // Later pages are read, not changed: their request is a plain GET.
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
  }
  deps.io.stdout.write(render(pages, opts, deps, http.first));
  const last = pages.at(-1)!;
  if (last.status >= 200 && last.status < 300) return 0;
  throw apiStatus(last.status, statusText(last.status), apiErrorReason(last.body.toString('utf8')));
}

/** What stdout gets: the bodies as received, pages of arrays joined into one, JSON indented on a terminal. */
function render(pages: Answer[], opts: ApiOptions, deps: Deps, first: (v: string | string[] | undefined) => string | undefined): string | Buffer {
  const type = (a: Answer) => first(a.headers['content-type']);
  const terminal = deps.io.stdoutIsTTY;
  const show = (a: Answer): string | Buffer => {
    if (!terminal) return a.body;
    const text = a.body.toString('utf8');
    // A terminal gets JSON indented (no colour: stdout never carries escape codes) and any other
    // text with its control characters made visible.
    return isJsonType(type(a)) ? prettyJson(text, { key: (s) => s, value: (s) => sanitize(s) }) : sanitize(text, true);
  };
  if (opts.include) return Buffer.concat(pages.flatMap((a) => [Buffer.from(head(a)), Buffer.from(show(a))]));
  if (pages.length > 1) {
    const arrays = pages.map((a) => {
      try {
        const v: unknown = JSON.parse(a.body.toString('utf8'));
        return Array.isArray(v) ? v : undefined;
      } catch {
        return undefined;
      }
    });
    if (arrays.every((a) => a !== undefined)) {
      const merged = JSON.stringify(arrays.flat());
      return terminal ? prettyJson(merged, { key: (s) => s, value: (s) => sanitize(s) }) : merged + '\n';
    }
  }
  return Buffer.concat(pages.map((a) => Buffer.from(show(a))));
}
