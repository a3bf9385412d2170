import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwtPart } from '../../src/token/validate.js';
import { runBin } from '../helpers/bin.js';
import { tempHome } from '../helpers/deps.js';
import { startOidcServer } from '../helpers/oidc-server.mjs';

// RFC 7523 client authentication against oidc-provider, which checks the assertion's signature,
// iss/sub, aud, exp and that its jti was never seen before.
const pair = (type: 'ec' | 'rsa' | 'ed25519') =>
  type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519');
const publicJwk = (key: KeyObject, kid: string) => ({ ...key.export({ format: 'jwk' }), kid });

const ec = pair('ec');
const rsa = pair('rsa');
const ed = pair('ed25519');
const stranger = pair('ec');
const HS_SECRET = 'hs256-client-secret-of-at-least-32-bytes-0123456789';

const clients = [
  { id: 'jwt-hs', secret: HS_SECRET, authMethod: 'client_secret_jwt' },
  { id: 'jwt-ec', authMethod: 'private_key_jwt', jwks: { keys: [publicJwk(ec.publicKey, 'ec-1')] } },
  { id: 'jwt-rsa', authMethod: 'private_key_jwt', jwks: { keys: [publicJwk(rsa.publicKey, 'rsa-1')] } },
  { id: 'jwt-ed', authMethod: 'private_key_jwt', jwks: { keys: [publicJwk(ed.publicKey, 'ed-1')] } },
];
let server: Awaited<ReturnType<typeof startOidcServer>>;
let home: ReturnType<typeof tempHome>;

beforeAll(async () => {
  server = await startOidcServer(clients);
});
afterAll(() => server.close());
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.cleanup());

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const keyFile = (name: string, text: string): string => {
  const path = join(home.root, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};
/** Every piece of a private key that could give it away: the PEM's body lines, the JWK's d. */
const keyParts = (key: KeyObject): string[] => [
  ...pem(key)
    .split('\n')
    .filter((l) => l && !l.startsWith('-----')),
  String(key.export({ format: 'jwk' }).d),
];
const expectNoKey = (text: string, key: KeyObject) => {
  for (const part of keyParts(key)) expect(text).not.toContain(part);
};

describe('client_secret_jwt and private_key_jwt against oidc-provider', () => {
  it('client_secret_jwt: an HS256 assertion signed with the secret gets a token', async () => {
    const r = await runBin(['--auth-method', 'client_secret_jwt', '--json', '-v'], home.root, {
      GARDIN_TOKEN_URL: server.tokenUrl,
      GARDIN_CLIENT_ID: 'jwt-hs',
      GARDIN_CLIENT_SECRET: HS_SECRET,
    });
    expect(r.stderr).not.toContain(HS_SECRET);
    expect(r.exitCode).toBe(0);
    expect(decodeJwtPart(JSON.parse(r.stdout).access_token, 1)).toMatchObject({ client_id: 'jwt-hs' });
  });

  it('private_key_jwt with a PEM key file and --key-id; a second fetch gets a fresh jti', async () => {
    const path = keyFile('ec.pem', pem(ec.privateKey));
    const args = ['--auth-method', 'private_key_jwt', '--private-key-file', path, '--key-id', 'ec-1', '--client-id', 'jwt-ec', '--token-url', server.tokenUrl, '-v'];
    const first = await runBin(args, home.root);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(decodeJwtPart(first.stdout.trim(), 1)).toMatchObject({ client_id: 'jwt-ec' });
    expectNoKey(first.stderr, ec.privateKey);
    // oidc-provider refuses an assertion whose jti it has seen: a reused one would fail here.
    const second = await runBin([...args, '--force-refresh'], home.root);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).not.toBe(first.stdout);
  });

  it('private_key_jwt with an RSA key as a JWK from GARDIN_PRIVATE_KEY_FILE (RS256)', async () => {
    const path = keyFile('rsa.jwk', JSON.stringify({ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'rsa-1' }));
    const r = await runBin(['--auth-method', 'private_key_jwt', '--key-id', 'rsa-1'], home.root, {
      GARDIN_TOKEN_URL: server.tokenUrl,
      GARDIN_CLIENT_ID: 'jwt-rsa',
      GARDIN_PRIVATE_KEY_FILE: path,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(decodeJwtPart(r.stdout.trim(), 1)).toMatchObject({ client_id: 'jwt-rsa' });
  });

  it('private_key_jwt from a saved profile, with an Ed25519 key (EdDSA)', async () => {
    const path = keyFile('ed.pem', pem(ed.privateKey));
    const add = await runBin(
      ['profile', 'add', 'signed', '--client-id', 'jwt-ed', '--token-url', server.tokenUrl, '--auth-method', 'private_key_jwt', '--private-key-file', path, '--key-id', 'ed-1'],
      home.root,
    );
    expect(add.exitCode, add.stderr).toBe(0);
    const r = await runBin(['-p', 'signed', '--json'], home.root);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(decodeJwtPart(JSON.parse(r.stdout).access_token, 1)).toMatchObject({ client_id: 'jwt-ed' });
    const show = await runBin(['profile', 'show', 'signed'], home.root);
    expect(show.stdout + show.stderr).toContain(path);
    expectNoKey(show.stdout + show.stderr, ed.privateKey);
  });

  it('a key the server does not know is invalid_client (exit 3), and the key is never printed', async () => {
    const path = keyFile('stranger.pem', pem(stranger.privateKey));
    const r = await runBin(['--auth-method', 'private_key_jwt', '--private-key-file', path, '--client-id', 'jwt-ec', '--token-url', server.tokenUrl, '-v'], home.root);
    expect(r).toMatchObject({ exitCode: 3, stdout: '' });
    expect(r.stderr).toContain('invalid_client');
    expectNoKey(r.stderr, stranger.privateKey);
  });

  it('a file that holds no key is exit 2 naming the file, and none of its text is printed', async () => {
    const path = keyFile('not-a-key.pem', '-----BEGIN PRIVATE KEY-----\nTm90QUtleUF0QWxsQnV0U2VjcmV0SXNo\n-----END PRIVATE KEY-----\n');
    const r = await runBin(['--auth-method', 'private_key_jwt', '--private-key-file', path, '--client-id', 'jwt-ec', '--token-url', server.tokenUrl, '-v'], home.root);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toContain('--private-key-file');
    expect(r.stderr).not.toContain('Tm90QUtleUF0QWxsQnV0U2VjcmV0SXNo');
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('error')).length,
    ).toBe(1);
  });

  it('private_key_jwt without a key is exit 2 naming what is missing', async () => {
    const r = await runBin(['--auth-method', 'private_key_jwt', '--client-id', 'jwt-ec', '--token-url', server.tokenUrl], home.root);
    expect(r).toMatchObject({ exitCode: 2, stdout: '' });
    expect(r.stderr).toMatch(/--private-key-file|GARDIN_PRIVATE_KEY_FILE/);
  });
});
