import { describe, expect, it } from 'vitest';
import { basicAuthorization, buildTokenRequest, formEncode, secretForms } from '../../src/token/auth/index.js';

const decode = (h: string) => Buffer.from(h.replace(/^Basic /, ''), 'base64').toString('utf8');

describe('HTTP Basic client authentication (RFC 6749 §2.3.1)', () => {
  it('is the plain join for alphanumeric credentials, as Gardin documents', () => {
    expect(basicAuthorization('abc123', 'S3cret')).toBe('Basic ' + Buffer.from('abc123:S3cret').toString('base64'));
  });
  it.each([
    ['id:with:colons', 'se:cret', 'id%3Awith%3Acolons:se%3Acret'],
    ['100%', 'p%q', '100%25:p%25q'],
    ['a+b', 'c+d e', 'a%2Bb:c%2Bd+e'],
    ['ünï', 'çødé€', '%C3%BCn%C3%AF:%C3%A7%C3%B8d%C3%A9%E2%82%AC'],
    ['a/b', "x'y&z=", "a%2Fb:x%27y%26z%3D"],
  ])('form-encodes id %j and secret %j before joining', (id, secret, joined) => {
    expect(decode(basicAuthorization(id, secret))).toBe(joined);
  });
  it('form encoding round-trips through a standard form decoder', () => {
    const s = 'p:%+ &ü';
    expect(new URLSearchParams(`v=${formEncode(s)}`).get('v')).toBe(s);
  });
});

describe('buildTokenRequest', () => {
  it('basic: credentials in the header only', () => {
    const r = buildTokenRequest('id', 'secret', ['a', 'b'], 'basic', 'ua');
    expect(r.headers.authorization).toBe(basicAuthorization('id', 'secret'));
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({ grant_type: 'client_credentials', scope: 'a b' });
  });
  it('post: credentials in the body, no Authorization header', () => {
    const r = buildTokenRequest('i:d', 's+c', [], 'post', 'ua');
    expect(r.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({ grant_type: 'client_credentials', client_id: 'i:d', client_secret: 's+c' });
  });
  it('secretForms covers the secret, its encodings and the Basic value', () => {
    const forms = secretForms('id', 'se cret+');
    expect(forms).toEqual(expect.arrayContaining(['se cret+', 'se+cret%2B', basicAuthorization('id', 'se cret+')]));
  });
});
