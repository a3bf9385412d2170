import { describe, expect, it } from 'vitest';
import { redactUrlCredentials, safeJson, sanitize } from '../../src/platform/text.js';

describe('sanitize', () => {
  it.each([
    ['clear screen', 'a\x1b[2Jb', 'a\\x1b[2Jb'],
    ['window title', '\x1b]0;owned\x07', '\\x1b]0;owned\\x07'],
    ['a forged second line', 'bad\nerror: all fine', 'bad\\x0aerror: all fine'],
    ['carriage return', 'x\ry', 'x\\x0dy'],
    ['8-bit CSI', '\u009b31m', '\\x9b31m'],
    ['DEL', 'a\u007fb', 'a\\x7fb'],
    ['a bidi override', 'abc\u202edef', 'abc\\u{202e}def'],
    ['plain text and non-ASCII', 'Grüße, scope:read', 'Grüße, scope:read'],
  ])('%s', (_name, input, out) => {
    expect(sanitize(input)).toBe(out);
  });
});

describe('safeJson', () => {
  it('escapes C1 characters that JSON.stringify leaves raw, and stays valid JSON', () => {
    const text = safeJson({ s: 'a\u009bb\u0085' });
    expect(text).toBe('{"s":"a\\u009bb\\u0085"}');
    expect(JSON.parse(text)).toEqual({ s: 'a\u009bb\u0085' });
  });
});

describe('redactUrlCredentials', () => {
  it.each([
    ['https://id:s3cret@host/x', 'https://***@host/x'],
    ['see https://id:pa/ss@host:99 now', 'see https://***@host:99 now'],
    ['https://host/x', 'https://host/x'],
    ['not a url', 'not a url'],
  ])('%s', (input, out) => {
    expect(redactUrlCredentials(input)).toBe(out);
  });
});
