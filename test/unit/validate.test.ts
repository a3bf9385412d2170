import { describe, expect, it } from 'vitest';
import { bodyExcerpt, errorFields, refusalFrom, validateTokenResponse } from '../../src/token/validate.js';
import { fakeJwt } from '../helpers/token-server.js';

const now = 1_800_000_000_000;
const ok = { access_token: 'abc.def-ghi_~+/==', token_type: 'Bearer', expires_in: 3600 };
const body = (o: unknown) => JSON.stringify(o);

describe('validateTokenResponse', () => {
  it('accepts a well-formed response and computes the expiry from the local clock', () => {
    expect(validateTokenResponse(body({ ...ok, scope: 'a b' }), now, [])).toEqual({
      accessToken: 'abc.def-ghi_~+/==',
      tokenType: 'Bearer',
      expiresAt: now + 3600_000,
      scope: 'a b',
    });
  });
  it('accepts token_type in any case and expires_in as a numeric string', () => {
    expect(validateTokenResponse(body({ ...ok, token_type: 'bearer', expires_in: '120' }), now, []).expiresAt).toBe(now + 120_000);
  });
  it('falls back to the JWT exp claim when expires_in is missing', () => {
    const jwt = fakeJwt({ exp: 1_800_000_900 });
    expect(validateTokenResponse(body({ access_token: jwt, token_type: 'Bearer' }), now, []).expiresAt).toBe(1_800_000_900_000);
  });
  it('a JWT whose exp is already past is expired on arrival, even beside expires_in; the message names clock skew', () => {
    for (const o of [
      { access_token: fakeJwt({ exp: 1_799_999_000 }), token_type: 'Bearer' },
      { ...ok, access_token: fakeJwt({ exp: 1_800_000_000 }) },
    ]) {
      expect(() => validateTokenResponse(body(o), now, [])).toThrowError(expect.objectContaining({ code: 'ERR_TOKEN_EXPIRED', exitCode: 5 }));
    }
    expect(() => validateTokenResponse(body({ ...ok, expires_in: 0 }), now, [])).toThrowError(expect.objectContaining({ hint: expect.stringContaining('clock skew') }));
  });
  it('the earlier of expires_in and the JWT exp is the expiry', () => {
    const jwt = fakeJwt({ exp: 1_800_000_600 });
    expect(validateTokenResponse(body({ ...ok, access_token: jwt, expires_in: 3600 }), now, []).expiresAt).toBe(1_800_000_600_000);
  });
  it.each([
    ['a huge expires_in', { ...ok, expires_in: 9e12 }],
    ['expires_in beyond a double', { ...ok, expires_in: 1e308 }],
    ['a JWT exp beyond what a Date holds', { access_token: fakeJwt({ exp: 9e15 }), token_type: 'Bearer' }],
  ])('%s is capped at 24 hours', (_name, o) => {
    expect(validateTokenResponse(body(o), now, []).expiresAt).toBe(now + 24 * 3600_000);
  });
  it('control characters in scope and token_type become visible escapes', () => {
    expect(validateTokenResponse(body({ ...ok, scope: 'a\u001b]0;pwned\u0007 b' }), now, []).scope).toBe('a\\x1b]0;pwned\\x07 b');
    expect(() => validateTokenResponse(body({ ...ok, token_type: '\u009b2J' }), now, [])).toThrowError(/\\x9b2J/);
  });
  it('an opaque token without expires_in has no known expiry', () => {
    expect(validateTokenResponse(body({ access_token: 'opaque', token_type: 'Bearer' }), now, []).expiresAt).toBeUndefined();
  });
  it('the scope defaults to the requested one when the server leaves it out (RFC 6749 §5.1)', () => {
    expect(validateTokenResponse(body(ok), now, ['x', 'y']).scope).toBe('x y');
    expect(validateTokenResponse(body(ok), now, []).scope).toBeUndefined();
  });

  it.each([
    ['not json', '<html>', 'ERR_NOT_JSON'],
    ['an array', '[1]', 'ERR_NOT_OBJECT'],
    ['null', 'null', 'ERR_NOT_OBJECT'],
    ['no access_token', body({ token_type: 'Bearer' }), 'ERR_NO_ACCESS_TOKEN'],
    ['a numeric access_token', body({ ...ok, access_token: 42 }), 'ERR_NO_ACCESS_TOKEN'],
    ['a token with a quote', body({ ...ok, access_token: "abc'; rm -rf ~; '" }), 'ERR_BAD_TOKEN_SYNTAX'],
    ['a token with a space', body({ ...ok, access_token: 'abc def' }), 'ERR_BAD_TOKEN_SYNTAX'],
    ['a token with a newline', body({ ...ok, access_token: 'abc\nexport X=1' }), 'ERR_BAD_TOKEN_SYNTAX'],
    ['a token with $( )', body({ ...ok, access_token: '$(id)' }), 'ERR_BAD_TOKEN_SYNTAX'],
    ['= in the middle', body({ ...ok, access_token: 'ab=cd' }), 'ERR_BAD_TOKEN_SYNTAX'],
    ['token_type mac', body({ ...ok, token_type: 'mac' }), 'ERR_TOKEN_TYPE'],
    ['no token_type', body({ access_token: 'abc', expires_in: 5 }), 'ERR_TOKEN_TYPE'],
    ['expires_in text', body({ ...ok, expires_in: 'soon' }), 'ERR_BAD_EXPIRES_IN'],
    ['expires_in negative', body({ ...ok, expires_in: -5 }), 'ERR_TOKEN_EXPIRED'],
    ['expires_in zero', body({ ...ok, expires_in: 0 }), 'ERR_TOKEN_EXPIRED'],
    ['expires_in under a second', body({ ...ok, expires_in: 0.5 }), 'ERR_TOKEN_EXPIRED'],
  ])('refuses %s with %s (exit 5)', (_name, text, code) => {
    expect(() => validateTokenResponse(text, now, [])).toThrowError(expect.objectContaining({ code, exitCode: 5 }));
  });
});

describe('error answers', () => {
  const ctx = {
    clientId: 'id',
    clientIdSource: { kind: 'env' as const, name: 'GARDIN_CLIENT_ID' },
    secretSource: { kind: 'env' as const, name: 'GARDIN_CLIENT_SECRET' },
    tokenUrl: 'https://x',
    tokenUrlSource: { kind: 'default' as const },
    scopes: [],
    scopesSource: { kind: 'default' as const },
    secretWhitespace: undefined,
  };
  it('reads OAuth error fields, or the Gardin API message', () => {
    expect(errorFields(body({ error: 'invalid_scope', error_description: 'nope' }))).toEqual({ error: 'invalid_scope', errorDescription: 'nope' });
    expect(errorFields(body({ message: 'Unauthorized' }))).toEqual({ errorDescription: 'Unauthorized' });
    expect(errorFields('<html>')).toEqual({});
  });
  it.each([
    [400, body({ error: 'invalid_scope' }), true],
    [401, '', true],
    [403, body({ message: 'Forbidden' }), true],
    [404, 'not found', false],
    [400, 'bad', false],
  ])('HTTP %i %s is a refusal: %s', (status, text, refused) => {
    const r = refusalFrom({ status, headers: {}, body: text }, ctx);
    expect(r !== undefined).toBe(refused);
    if (r) expect(r).toMatchObject({ exitCode: 3, status });
  });
  it('a refusal names the server error, its description and where the credentials came from', () => {
    const r = refusalFrom({ status: 401, headers: {}, body: body({ error: 'invalid_client', error_description: 'client authentication failed' }) }, ctx)!;
    expect(r.message).toBe('The token endpoint https://x (from the built-in default) refused the request: HTTP 401, invalid_client (client authentication failed).');
    expect((r as { hint?: string }).hint).toContain('GARDIN_CLIENT_ID environment variable');
  });
  it('bodyExcerpt strips markup and shortens', () => {
    expect(bodyExcerpt('<html><body><h1>502 Bad Gateway</h1></body></html>')).toBe('502 Bad Gateway');
    expect(bodyExcerpt('x'.repeat(500))!.length).toBe(120);
  });
});
