import { apiOriginRefused, authorizationHeaderGiven, badField, badHeader, fieldClash, headerNotCarried, methodNotCarried } from './messages.js';

// Pure decisions of `gardin-token api`: where a request goes, what it carries, how its answer
// is read. The command (commands/api.ts) does the I/O.

/** Methods that may be sent again after a failure without repeating an effect (RFC 9110 §9.2.2). */
export const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * The URL a path or a full URL stands for: a path is joined to the base (one that already starts
 * with the base's path, `/v1/devices` on `.../v1`, is not given it twice); a full URL must share
 * the base's origin, or the token would go to another server.
 */
export function apiUrlFor(base: URL, pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)) {
    const url = new URL(pathOrUrl);
    if (url.origin !== base.origin) throw apiOriginRefused(url.origin, base.origin);
    return url.href;
  }
  const [given, query] = splitQuery(pathOrUrl);
  const path = '/' + given.replace(/^\/+/, '');
  const basePath = base.pathname.replace(/\/+$/, '');
  const underBase = basePath !== '' && (path === basePath || path.startsWith(basePath + '/'));
  const joined = new URL(underBase ? base.origin + path : base.origin + basePath + path);
  if (query) joined.search = query;
  return joined.href;
}

const splitQuery = (s: string): [string, string] => {
  const at = s.indexOf('?');
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + 1)];
};

/** The characters of an RFC 9110 token: what a method or a header name is made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value (RFC 9110 §5.5) as this tool sends one: visible ASCII, spaces and tabs inside. */
const FIELD_VALUE = /^(?:[\x21-\x7e](?:[\x20\x09\x21-\x7e]*[\x21-\x7e])?)?$/;
/**
 * Headers that belong to the connection or to the framing of the message, which the HTTP client
 * sets: a user's own would split or smuggle requests, or hang them (Expect, Upgrade).
 */
const CONNECTION_HEADERS = new Set(['connection', 'proxy-connection', 'keep-alive', 'upgrade', 'transfer-encoding', 'te', 'trailer', 'expect', 'host', 'content-length']);
/** Methods that do not fit a request to an API: a tunnel, or an echo of the request (RFC 9110 §9.3.6, 9.3.8). */
const REFUSED_METHODS = new Set(['CONNECT', 'TRACE']);

/** A -H argument, `Name: value`, as HTTP can carry it; anything else is refused before sending. */
export function parseHeader(raw: string): [string, string] {
  const at = raw.indexOf(':');
  if (at <= 0) throw badHeader(raw);
  const name = raw.slice(0, at).trim().toLowerCase();
  const value = raw.slice(at + 1).trim();
  if (!TOKEN.test(name)) throw headerNotCarried(raw, "its name is not an HTTP token (letters, digits and !#$%&'*+.^_`|~-)");
  if (!FIELD_VALUE.test(value)) throw headerNotCarried(raw, 'its value holds a control character or a non-ASCII one');
  if (CONNECTION_HEADERS.has(name)) throw headerNotCarried(raw, 'it belongs to the connection, which the HTTP client manages');
  if (name === 'authorization') throw authorizationHeaderGiven();
  return [name, value];
}

/** An -X method: an HTTP token, upper-cased, and not one that would tunnel or echo the request. */
export function checkMethod(method: string): string {
  const upper = method.toUpperCase();
  if (!TOKEN.test(method)) throw methodNotCarried(method, "it is not an HTTP token (letters, digits and !#$%&'*+.^_`|~-)");
  if (REFUSED_METHODS.has(upper)) throw methodNotCarried(method, 'it is not a request to an API');
  return upper;
}

/** A JSON number as typed: its digits are sent as they are, so one past 2^53 stays exact. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A field's value, and what fields build: JSON with exact numbers, in objects without a prototype. */
export type FieldValue = string | boolean | null | JsonNumber | FieldValue[] | FieldObject;
export interface FieldObject {
  [key: string]: FieldValue;
}

/** What -F makes of a value (as `gh api` does): true, false, null and integers typed; else text. */
export function typedValue(text: string): string | boolean | null | JsonNumber {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9]\d*)$/.test(text)) return new JsonNumber(text);
  return text;
}

/** A value as the query string carries it: as typed. */
export const queryText = (value: FieldValue): string => (value instanceof JsonNumber ? value.text : value === null ? '' : String(value));

/** One -f/-F argument: its key as typed, the key's path (`a[b][]` is a, b, ''), and its value. */
export interface Field {
  key: string;
  path: string[];
  /** Undefined for `key[]` without `=`: an empty array. */
  value: FieldValue | undefined;
  raw: string;
  flag: '-f' | '-F';
}

/**
 * A -f/-F argument: `key=value`, where the key is a name and any number of `[part]`s (as `gh api`
 * reads it): `a[b]=v` nests, `a[]=v` appends to an array, `a[][b]=v` fills objects in an array,
 * and `a[]` alone is an empty array.
 */
export function splitField(raw: string, flag: '-f' | '-F'): { key: string; path: string[]; value: string | undefined } {
  const at = raw.indexOf('=');
  const key = at < 0 ? raw : raw.slice(0, at);
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) throw badField(raw, flag);
  const path = [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((p) => p[1]!)];
  if (at < 0 && path.at(-1) !== '') throw badField(raw, flag);
  return { key, path, value: at < 0 ? undefined : raw.slice(at + 1) };
}

const isObject = (v: FieldValue | undefined): v is FieldObject => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
const newObject = (): FieldObject => Object.create(null) as FieldObject;

/**
 * The JSON body fields build, as `gh api` builds it: each key's path walked from the top, objects
 * and arrays made as the path asks. A key given twice (not an array) is refused, not overwritten.
 */
export function buildBody(fields: readonly Field[]): FieldObject {
  const root = newObject();
  for (const f of fields) {
    let container = root;
    let name = f.path[0]!;
    const clash = () => fieldClash(f.raw, f.flag, f.key);
    for (let i = 1; i < f.path.length; i++) {
      const part = f.path[i]!;
      const existing: FieldValue | undefined = container[name];
      if (part !== '') {
        if (existing !== undefined && !isObject(existing)) throw clash();
        container = existing ?? (container[name] = newObject());
        name = part;
        continue;
      }
      if (existing !== undefined && !Array.isArray(existing)) throw clash();
      const list = existing ?? (container[name] = []);
      if (i === f.path.length - 1) {
        if (f.value !== undefined) list.push(f.value);
        name = '';
        break;
      }
      // `a[][b]`: into the last object of the array, unless it has b already (then a new one).
      const next = f.path[i + 1]!;
      if (next === '') throw badField(f.raw, f.flag);
      const last = list.at(-1);
      if (isObject(last) && (!(next in last) || Array.isArray(last[next]))) container = last;
      else list.push((container = newObject()));
      name = next;
      i++;
    }
    if (name === '') continue;
    if (name in container) throw clash();
    // Only `key[]` comes without a value, and it ends in the array branch above.
    container[name] = f.value === undefined ? '' : f.value;
  }
  return root;
}

/** JSON text of what fields build; numbers as typed. */
export function fieldJson(value: FieldValue): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(fieldJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .map((k) => `${JSON.stringify(k)}:${fieldJson(value[k]!)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** With fields and no -X, a request is a POST; else a GET. GET fields go to the query string. */
export function methodFor(explicit: string | undefined, hasFields: boolean, hasInput: boolean): string {
  if (explicit !== undefined) return checkMethod(explicit);
  return hasFields || hasInput ? 'POST' : 'GET';
}

/** Adds fields to a URL's query string (a GET's fields, or fields beside --input), keys as typed. */
export function withQuery(url: string, fields: readonly Field[]): string {
  const u = new URL(url);
  for (const f of fields) if (f.value !== undefined) u.searchParams.append(f.key, queryText(f.value));
  return u.href;
}

/** The `rel="next"` target of an RFC 8288 Link header, resolved against the page's URL. */
export function nextLink(header: string | undefined, pageUrl: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (m && /;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2]!)) return new URL(m[1]!, pageUrl).href;
  }
  return undefined;
}

/** The reason an API error body gives: `message` (the Gardin API), or an OAuth-style `error`. */
export function apiErrorReason(body: string): string | undefined {
  try {
    const o: unknown = JSON.parse(body);
    if (typeof o !== 'object' || o === null) return undefined;
    const r = o as Record<string, unknown>;
    for (const k of ['message', 'error_description', 'error']) if (typeof r[k] === 'string' && r[k] !== '') return r[k] as string;
  } catch {
    // not JSON
  }
  return undefined;
}

export const isJsonType = (contentType: string | undefined): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '');

/** JSON indented for a terminal, with keys and values marked by `paint`; the text as is if not JSON. */
export function prettyJson(text: string, paint: { key(s: string): string; value(s: string): string }): string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return text;
  }
  const out = (v: unknown, indent: string): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => `${indent}  ${out(x, indent + '  ')}`).join(',\n')}\n${indent}]`;
    }
    if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      if (entries.length === 0) return '{}';
      return `{\n${entries.map(([k, x]) => `${indent}  ${paint.key(JSON.stringify(k))}: ${out(x, indent + '  ')}`).join(',\n')}\n${indent}}`;
    }
    return paint.value(JSON.stringify(v));
  };
  return out(data, '') + '\n';
}
