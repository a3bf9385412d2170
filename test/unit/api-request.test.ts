import { describe, expect, it } from 'vitest';
import { checkApiBase } from '../../src/config/settings.js';
import {
  apiErrorReason,
  apiUrlFor,
  buildBody,
  checkMethod,
  fieldJson,
  JsonNumber,
  methodFor,
  nextLink,
  parseHeader,
  prettyJson,
  splitField,
  typedValue,
  withQuery,
  type Field,
} from '../../src/net/api-request.js';

const base = checkApiBase('https://api.gardin.ag/v1', { kind: 'default' });

describe('apiUrlFor', () => {
  it.each([
    ['/devices', 'https://api.gardin.ag/v1/devices'],
    ['devices/dev-1', 'https://api.gardin.ag/v1/devices/dev-1'],
    ['devices?limit=5', 'https://api.gardin.ag/v1/devices?limit=5'],
    // A path that already holds the base's path is not given it twice.
    ['/v1/devices', 'https://api.gardin.ag/v1/devices'],
    ['v1/devices?limit=5', 'https://api.gardin.ag/v1/devices?limit=5'],
    ['/v1', 'https://api.gardin.ag/v1'],
    ['/v10/devices', 'https://api.gardin.ag/v1/v10/devices'],
    ['https://api.gardin.ag/v2/other', 'https://api.gardin.ag/v2/other'],
  ])('%s', (path, url) => {
    expect(apiUrlFor(base, path)).toBe(url);
  });
  it('refuses another origin, scheme or port', () => {
    for (const u of ['https://evil.example/v1', 'http://api.gardin.ag/v1', 'https://api.gardin.ag:8443/v1'])
      expect(() => apiUrlFor(base, u)).toThrowError(/Refusing to send the token/);
  });
});

describe('fields and methods', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['null', null],
    ['007', '007'],
    ['1.5', '1.5'],
    ['text', 'text'],
  ])('-F %s', (text, value) => {
    expect(typedValue(text)).toBe(value);
  });
  it.each(['42', '-7', '0', '9999999999999999', '12345678901234567890'])('-F %s is a number, its digits kept', (text) => {
    expect(typedValue(text)).toEqual(new JsonNumber(text));
    expect(fieldJson(typedValue(text))).toBe(text);
  });
  it('POST with fields or input, else GET; -X wins', () => {
    expect([methodFor(undefined, true, false), methodFor(undefined, false, true), methodFor(undefined, false, false), methodFor('patch', true, false)]).toEqual([
      'POST',
      'POST',
      'GET',
      'PATCH',
    ]);
  });
  it('query fields, keys as typed', () => {
    const fields: Field[] = [field('-f', 'a=b c'), field('-F', 'n=null'), field('-F', 't=true'), field('-F', 'id=9999999999999999'), field('-f', 'tags[]=x')];
    expect(withQuery('https://a/x?k=1', fields)).toBe('https://a/x?k=1&a=b+c&n=&t=true&id=9999999999999999&tags%5B%5D=x');
  });
  it('-X must be an HTTP token, and not CONNECT or TRACE', () => {
    expect(checkMethod('patch')).toBe('PATCH');
    for (const m of ['GET /x HTTP/1.1', 'connect', 'TRACE', 'G\u00c9T', '']) expect(() => checkMethod(m)).toThrowError(/^Refusing the method/);
  });
  it('-H: names are tokens, values visible ASCII, no connection or framing headers', () => {
    expect(parseHeader('X-Trace:  a b\t ')).toEqual(['x-trace', 'a b']);
    expect(parseHeader('X-Empty:')).toEqual(['x-empty', '']);
    for (const h of [
      'X-A: 1\r\nB: 2',
      'X-A: caf\u00e9',
      'X-A: a\u0000b',
      'X A: 1',
      'Upgrade: websocket',
      'Host: evil',
      'Content-Length: 5',
      'Transfer-Encoding: chunked',
      'Connection: close',
      'Expect: 100-continue',
      'Keep-Alive: 5',
    ]) {
      expect(() => parseHeader(h), h).toThrowError(/^Refusing the header/);
    }
  });
});

describe('nextLink', () => {
  it.each([
    ['<https://a/x?page=2>; rel="next", <https://a/x?page=9>; rel="last"', 'https://a/x?page=2'],
    ['<https://a/x?page=9>; rel="last", </x?page=3>; rel=next', 'https://a/x?page=3'],
    ['<https://a/x?page=1>; rel="prev first"', undefined],
    ['<https://a/x?page=4>; rel="first next"', 'https://a/x?page=4'],
    [undefined, undefined],
  ])('%s', (header, next) => {
    expect(nextLink(header, 'https://a/x?page=1')).toBe(next);
  });
});

describe('answers', () => {
  it('the reason of an error body', () => {
    expect([apiErrorReason('{"message":"gone"}'), apiErrorReason('{"error":"invalid_token"}'), apiErrorReason('<html>'), apiErrorReason('[1]')]).toEqual([
      'gone',
      'invalid_token',
      undefined,
      undefined,
    ]);
  });
  it('JSON indented for a terminal; other text as is', () => {
    const paint = { key: (s: string) => `<${s}>`, value: (s: string) => s };
    expect(prettyJson('{"a":[1,{}],"b":"x"}', paint)).toBe('{\n  <"a">: [\n    1,\n    {}\n  ],\n  <"b">: "x"\n}\n');
    expect(prettyJson('not json', paint)).toBe('not json');
  });
});

const field = (flag: '-f' | '-F', raw: string): Field => {
  const { key, path, value } = splitField(raw, flag);
  return { key, path, value: value === undefined ? undefined : flag === '-F' ? typedValue(value) : value, raw, flag };
};
const body = (...raws: string[]) => fieldJson(buildBody(raws.map((r) => field(r.startsWith('F ') ? '-F' : '-f', r.replace(/^F /, '')))));

describe('fields as gh api builds them', () => {
  it.each([
    [['name=scan', 'F limit=50'], '{"name":"scan","limit":50}'],
    [['tags[]=a', 'tags[]=b', 'cfg[depth]=3'], '{"tags":["a","b"],"cfg":{"depth":"3"}}'],
    [['F cfg[deep][n]=1', 'cfg[deep][s]=x'], '{"cfg":{"deep":{"n":1,"s":"x"}}}'],
    [['items[][name]=a', 'F items[][n]=1', 'items[][name]=b'], '{"items":[{"name":"a","n":1},{"name":"b"}]}'],
    [['tags[]'], '{"tags":[]}'],
    [['F none=null', 'F on=false'], '{"none":null,"on":false}'],
    [['F id=9999999999999999', 'F big=-123456789012345678901234567890'], '{"id":9999999999999999,"big":-123456789012345678901234567890}'],
    [['__proto__[x]=1'], '{"__proto__":{"x":"1"}}'],
  ])('%j', (raws, json) => {
    expect(body(...raws)).toBe(json);
  });
  it.each([[['name=a', 'name=b']], [['a=1', 'a[b]=2']], [['a[b]=1', 'a[]=2']], [['a[]=1', 'a=2']]])('%j: a key given twice is refused', (raws) => {
    expect(() => body(...raws)).toThrowError(/gives "[^"]+" a second value/);
  });
  it.each(['=x', 'a[=1', 'a]=1', 'a[b]c=1', 'novalue', 'a[b]'])('%j is not key=value', (raw) => {
    expect(() => splitField(raw, '-f')).toThrowError(/takes key=value/);
  });
});
