import { apiOriginRefused, badField, insecureUrl, invalidUrl, credentialsInUrl } from './errors.js';
import type { Source } from './source.js';
import { isLoopbackHost } from './settings.js';

// Pure decisions of `gardin-token api`: where a request goes, what it carries, how its answer
// is read. The command (commands/api.ts) does the I/O.

export const DEFAULT_API_URL = 'https://api.gardin.ag/v1';

/** Methods that may be sent again after a failure without repeating an effect (RFC 9110 §9.2.2). */
export const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Checks a base URL as the token URL is checked: http(s), plain http only to loopback, no credentials. */
export function checkApiBase(value: string, source: Source): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidUrl(value, source, 'API base URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidUrl(value, source, 'API base URL');
  if (url.username || url.password) throw credentialsInUrl(source, 'API base URL');
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) throw insecureUrl(url.origin, source);
  return url;
}

/**
 * The URL a path or a full URL stands for: a path is joined to the base; a full URL must share
 * the base's origin, or the token would go to another server.
 */
export function apiUrlFor(base: URL, pathOrUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUrl)) {
    const url = new URL(pathOrUrl);
    if (url.origin !== base.origin) throw apiOriginRefused(url.origin, base.origin);
    return url.href;
  }
  const [path, query] = splitQuery(pathOrUrl);
  const joined = new URL(base.href.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
  if (query) joined.search = query;
  return joined.href;
}

const splitQuery = (s: string): [string, string] => {
  const at = s.indexOf('?');
  return at < 0 ? [s, ''] : [s.slice(0, at), s.slice(at + 1)];
};

/** A -f/-F argument: `key=value`. */
export function splitField(raw: string, flag: '-f' | '-F'): { key: string; value: string } {
  const at = raw.indexOf('=');
  if (at <= 0) throw badField(raw, flag);
  return { key: raw.slice(0, at), value: raw.slice(at + 1) };
}

/** What -F makes of a value (as `gh api` does): true, false, null and integers typed; else text. */
export function typedValue(text: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  if (/^-?(0|[1-9]\d{0,15})$/.test(text)) return Number(text);
  return text;
}

/** With fields and no -X, a request is a POST; else a GET. GET fields go to the query string. */
export function methodFor(explicit: string | undefined, hasFields: boolean, hasInput: boolean): string {
  if (explicit) return explicit.toUpperCase();
  return hasFields || hasInput ? 'POST' : 'GET';
}

/** Adds fields to a URL's query string (a GET's fields, or fields beside --input). */
export function withQuery(url: string, fields: ReadonlyArray<[string, unknown]>): string {
  const u = new URL(url);
  for (const [k, v] of fields) u.searchParams.append(k, v === null ? '' : String(v));
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
