import { describe, expect, it } from 'vitest';
import { apiErrorReason, apiUrlFor, checkApiBase, methodFor, nextLink, prettyJson, typedValue, withQuery } from '../../src/api-request.js';

const base = checkApiBase('https://api.gardin.ag/v1', { kind: 'default' });

describe('apiUrlFor', () => {
  it.each([
    ['/devices', 'https://api.gardin.ag/v1/devices'],
    ['devices/dev-1', 'https://api.gardin.ag/v1/devices/dev-1'],
    ['devices?limit=5', 'https://api.gardin.ag/v1/devices?limit=5'],
    ['https://api.gardin.ag/v2/other', 'https://api.gardin.ag/v2/other'],
  ])('%s', (path, url) => {
    expect(apiUrlFor(base, path)).toBe(url);
  });
  it('refuses another origin, scheme or port', () => {
    for (const u of ['https://evil.example/v1', 'http://api.gardin.ag/v1', 'https://api.gardin.ag:8443/v1']) expect(() => apiUrlFor(base, u)).toThrowError(/Refusing to send the token/);
  });
});

describe('fields and methods', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['null', null],
    ['42', 42],
    ['-7', -7],
    ['007', '007'],
    ['1.5', '1.5'],
    ['12345678901234567890', '12345678901234567890'],
    ['text', 'text'],
  ])('-F %s', (text, value) => {
    expect(typedValue(text)).toBe(value);
  });
  it('POST with fields or input, else GET; -X wins', () => {
    expect([methodFor(undefined, true, false), methodFor(undefined, false, true), methodFor(undefined, false, false), methodFor('patch', true, false)]).toEqual(['POST', 'POST', 'GET', 'PATCH']);
  });
  it('query fields', () => {
    expect(withQuery('https://a/x?k=1', [['a', 'b c'], ['n', null], ['t', true]])).toBe('https://a/x?k=1&a=b+c&n=&t=true');
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
    expect([apiErrorReason('{"message":"gone"}'), apiErrorReason('{"error":"invalid_token"}'), apiErrorReason('<html>'), apiErrorReason('[1]')]).toEqual(['gone', 'invalid_token', undefined, undefined]);
  });
  it('JSON indented for a terminal; other text as is', () => {
    const paint = { key: (s: string) => `<${s}>`, value: (s: string) => s };
    expect(prettyJson('{"a":[1,{}],"b":"x"}', paint)).toBe('{\n  <"a">: [\n    1,\n    {}\n  ],\n  <"b">: "x"\n}\n');
    expect(prettyJson('not json', paint)).toBe('not json');
  });
});
