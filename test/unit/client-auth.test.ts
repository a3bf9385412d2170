import { describe, expect, it } from 'vitest';
import { basic, basicAuthorization } from '../../src/token/auth/basic.js';
import { basicPlain } from '../../src/token/auth/basic-plain.js';
import { formEncode, type Client } from '../../src/token/auth/method.js';
import { post } from '../../src/token/auth/post.js';
import { AUTH_METHOD_NAMES } from '../../src/token/auth/index.js';
import type { AuthMethod } from '../../src/library/get-token.js';

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
    ['a/b', "x'y&z=", 'a%2Fb:x%27y%26z%3D'],
  ])('form-encodes id %j and secret %j before joining', (id, secret, joined) => {
    expect(decode(basicAuthorization(id, secret))).toBe(joined);
  });
  it('form encoding round-trips through a standard form decoder', () => {
    const s = 'p:%+ &ü';
    expect(new URLSearchParams(`v=${formEncode(s)}`).get('v')).toBe(s);
  });
});

const client = (clientId: string, credential: string): Client => ({ clientId, credential, credentialSource: 'a test', tokenUrl: 'https://login.example/token' });
const applied = async (auth: typeof basic, c: Client) => {
  const request = { headers: {} as Record<string, string>, form: new URLSearchParams({ grant_type: 'client_credentials' }) };
  await auth.apply(request, c);
  return { headers: request.headers, form: Object.fromEntries(request.form) };
};

describe('the secret methods', () => {
  it('basic: the credentials in the header only', async () => {
    expect(await applied(basic, client('id', 'secret'))).toEqual({ headers: { authorization: basicAuthorization('id', 'secret') }, form: { grant_type: 'client_credentials' } });
  });
  it('post: the credentials in the body, no Authorization header', async () => {
    expect(await applied(post, client('i:d', 's+c'))).toEqual({ headers: {}, form: { grant_type: 'client_credentials', client_id: 'i:d', client_secret: 's+c' } });
  });
  it('basic falls back to the plain join only where the two encodings differ', () => {
    expect(basic.fallback!(client('abc123', 'S3cret'))).toBeUndefined();
    expect(basic.fallback!(client('abc', 'se:cret'))).toBe(basicPlain);
  });
  it('secretForms covers the secret, its encodings and the Basic values', () => {
    expect(basic.secretForms(client('id', 'se cret+'))).toEqual(expect.arrayContaining(['se cret+', 'se+cret%2B', basicAuthorization('id', 'se cret+')]));
  });
  it("the library's AuthMethod type names the methods there are", () => {
    const names: AuthMethod[] = ['basic', 'basic-plain', 'post', 'client_secret_jwt', 'private_key_jwt'];
    expect(AUTH_METHOD_NAMES).toEqual(names);
  });
});
