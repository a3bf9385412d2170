import { fsReason } from '../platform/errors.js';
import {
  apiErrorReason,
  apiUrlFor,
  buildBody,
  fieldJson,
  IDEMPOTENT,
  isJsonType,
  methodFor,
  nextLink,
  parseHeader,
  prettyJson,
  splitField,
  typedValue,
  withQuery,
  type Field,
} from '../net/api-request.js';
import { builtin } from '../platform/builtin.js';
import { timingOf } from '../platform/clock.js';
import type { Deps } from '../platform/deps.js';
import { invalidSetting } from '../config/messages.js';
import {
  API_MAX_BYTES,
  apiInputUnreadable,
  apiOriginRefused,
  apiRedirectRefused,
  apiStatus,
  GARDIN_API,
  inputTooLarge,
  inputTwice,
  pagesTooLarge,
  paginationLoop,
  tooManyPages,
  tooManyRedirects,
} from '../net/messages.js';
import type { Answer } from '../net/http.js';
import { readProfileStore } from '../config/profiles.js';
import { readFileBounded, TooLarge } from '../platform/read-bounded.js';
import type { Reporter } from '../platform/reporter.js';
import { checkApiBase, resolveSettings, type TokenInputs } from '../config/settings.js';
import { sanitize } from '../platform/text.js';
import { transportFor, USER_AGENT } from '../token/obtain.js';
import type { CommandSpec } from './command.js';
import { tokenFor } from './fetch.js';
import { BASE_URL_OPTION, FETCH_OPTIONS, IDENTITY_OPTIONS } from './options.js';

export interface ApiOptions extends TokenInputs {
  method?: string;
  header?: string[];
  rawField?: string[];
  field?: string[];
  input?: string;
  include?: boolean;
  baseUrl?: string;
  paginate?: boolean;
  maxPages?: string | number;
}

/** Statuses an idempotent request is sent again for (a 500 may have done its work already). */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const NO_RETRY = new Set<number>();
const MAX_REDIRECTS = 5;
export const DEFAULT_MAX_PAGES = 1000;

function maxPagesOf(opts: ApiOptions): number {
  if (opts.maxPages === undefined) return DEFAULT_MAX_PAGES;
  const n = Number(opts.maxPages);
  if (!Number.isInteger(n) || n < 1 || String(opts.maxPages).trim() === '') {
    throw invalidSetting('page limit', String(opts.maxPages), { kind: 'flag', name: '--max-pages' }, 'a whole number from 1 up');
  }
  return n;
}

const statusText = (status: number): string => builtin<typeof import('node:http')>('node:http').STATUS_CODES[status] ?? '';

/** `-i`: the status line and headers, as `gh api -i` prints them; a terminal gets them made safe. */
function head(a: Answer, terminal: boolean): string {
  const safe = (s: string) => (terminal ? sanitize(s) : s);
  const lines = [`HTTP/1.1 ${a.status} ${statusText(a.status)}`];
  for (const [k, v] of Object.entries(a.headers)) for (const one of Array.isArray(v) ? v : [v ?? '']) lines.push(`${safe(k)}: ${safe(one)}`);
  return lines.join('\r\n') + '\r\n\r\n';
}

/**
 * `api <path|url>`: calls the Gardin API with the token attached, as `gh api` does. The body goes
 * to stdout as received (pretty-printed JSON on a terminal); an HTTP error is exit 7, its body
 * still on stdout and one line on stderr. Everything it holds is bounded: 100 MiB of input, of one
 * answer or of all pages together, --max-pages pages, one forced token refresh.
 */
async function callApi(pathOrUrl: string, opts: ApiOptions, deps: Deps, reporter: Reporter): Promise<number> {
  const settings = resolveSettings(opts, deps.env, readProfileStore(deps.dirs.config));
  const base = checkApiBase(settings.apiUrl.value, settings.apiUrl.source);
  let url = apiUrlFor(base, pathOrUrl);
  const headers: Record<string, string> = Object.fromEntries((opts.header ?? []).map(parseHeader));
  const maxPages = maxPagesOf(opts);
  let method = methodFor(opts.method, (opts.rawField?.length ?? 0) + (opts.field?.length ?? 0) > 0, opts.input !== undefined);

  let stdinRead = false;
  const stdin = async (): Promise<Buffer> => {
    if (stdinRead) throw inputTwice();
    stdinRead = true;
    try {
      return await deps.io.readStdin(API_MAX_BYTES);
    } catch (err) {
      if (err instanceof TooLarge) throw inputTooLarge('Standard input', API_MAX_BYTES);
      throw err;
    }
  };
  const readInput = (file: string): Buffer => {
    try {
      return readFileBounded(file, API_MAX_BYTES);
    } catch (err) {
      if (err instanceof TooLarge) throw inputTooLarge(`The file ${file}`, API_MAX_BYTES);
      throw apiInputUnreadable(file, fsReason(err));
    }
  };
  const fields: Field[] = [];
  for (const raw of opts.rawField ?? []) fields.push({ ...splitField(raw, '-f'), raw, flag: '-f' });
  for (const raw of opts.field ?? []) {
    const { key, path, value } = splitField(raw, '-F');
    const typed =
      value === undefined ? undefined : value === '@-' ? (await stdin()).toString('utf8') : value.startsWith('@') ? readInput(value.slice(1)).toString('utf8') : typedValue(value);
    fields.push({ key, path, value: typed, raw, flag: '-F' });
  }
  // Built for a GET too: a key given twice is refused whichever way the fields travel.
  const object = buildBody(fields);
  let body: string | Buffer | undefined;
  if (opts.input !== undefined) body = opts.input === '-' ? await stdin() : readInput(opts.input);
  if (fields.length > 0) {
    if (method === 'GET' || method === 'HEAD' || body !== undefined) url = withQuery(url, fields);
    else body = fieldJson(object);
  }
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  headers.accept ??= 'application/json';
  headers['user-agent'] ??= USER_AGENT;

  let token = (await tokenFor(settings, deps, reporter)).accessToken;
  reporter.addSecrets([token]);
  const http = await import('../net/http.js');
  const timing = timingOf(deps);
  // Each request (a page, a retry after a 401, a redirect) gets --timeout of its own.
  const transport = () => transportFor(settings, deps, reporter, timing.monotonic());
  // One new token per command, however many pages answer 401: the token endpoint is rate-limited.
  let refreshed = false;

  /** One request to its final answer: a new token once on a 401, redirects within the origin only. */
  const send = async (startUrl: string, maxBodyBytes: number): Promise<{ answer: Answer; url: string }> => {
    let at = startUrl;
    for (let redirects = 0; ;) {
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
        maxBodyBytes,
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
  const fetched = new Set<string>();
  let kept = 0;
  let lastUrl = url;
  for (let next: string | undefined = url; next !== undefined;) {
    if (fetched.has(next)) throw paginationLoop(next, pages.length);
    if (pages.length === maxPages) throw tooManyPages(maxPages);
    fetched.add(next);
    let page: { answer: Answer; url: string };
    try {
      page = await send(next, API_MAX_BYTES - kept);
    } catch (err) {
      if (pages.length > 0 && (err as { code?: string }).code === 'ERR_BODY_TOO_LARGE') throw pagesTooLarge(pages.length + 1);
      throw err;
    }
    const { answer, url: answered } = page;
    lastUrl = answered;
    pages.push(answer);
    kept += answer.body.length;
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
  throw apiStatus(method, lastUrl, last.status, statusText(last.status), apiErrorReason(last.body.toString('utf8')));
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
  if (opts.include) return Buffer.concat(pages.flatMap((a) => [Buffer.from(head(a, terminal)), Buffer.from(show(a))]));
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

const collectDescription = (what: string) => `${what}; repeatable`;

export const apiCommand: CommandSpec = {
  name: 'api',
  summary: 'call the Gardin API with the token attached, as `gh api` does',
  args: [{ name: '<path-or-url>', description: 'a path under the API base URL (/devices), or a URL of the same origin' }],
  options: [
    ...IDENTITY_OPTIONS,
    ...FETCH_OPTIONS,
    {
      flags: '-X, --method <method>',
      description: 'HTTP method (default: GET, or POST with fields or --input)',
      complete: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'],
    },
    { flags: '-H, --header <header>', description: collectDescription("an HTTP header, 'Name: value'"), repeatable: true },
    {
      flags: '-f, --raw-field <key=value>',
      description: collectDescription('a string field (key[]=v appends, a[b]=v nests; a JSON body, or the query of a GET)'),
      repeatable: true,
    },
    { flags: '-F, --field <key=value>', description: collectDescription('a typed field: true, false, null and integers typed, @file or @- read'), repeatable: true },
    { flags: '--input <file>', description: 'the request body from a file, or - for standard input', complete: 'file' },
    { flags: '-i, --include', description: 'print the status line and the headers before the body' },
    BASE_URL_OPTION,
    { flags: '--paginate', description: 'follow Link: rel="next" and print the pages (arrays joined into one)' },
    { flags: '--max-pages <n>', description: 'with --paginate: stop with an error past this many pages (default: 1000)' },
  ],
  examples: `
Examples:
  gardin-token api /devices
  gardin-token api devices --paginate | jq length
  gardin-token api jobs -f name=scan -F limit=50          # POST {"name":"scan","limit":50}
  gardin-token api -X PUT devices/dev-1 --input device.json
`,
  run: ([pathOrUrl], opts, { deps, reporter }) => callApi(pathOrUrl as string, opts, deps, reporter),
};
