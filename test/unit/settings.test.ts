import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_URL, checkTokenUrl, resolveSettings, splitScopes, type ProfileStore } from '../../src/config/settings.js';
import { clientPlanOf } from '../../src/token/client.js';

const store: ProfileStore = {
  default: 'prod',
  profiles: {
    prod: { clientId: 'prod-id', clientSecret: 'prod-secret', tokenUrl: 'https://prod.example/token', scope: 'jobs:read jobs:write', authMethod: 'post' },
    cmd: { clientId: 'cmd-id', clientSecretCommand: 'pass show gardin' },
  },
};
const empty: ProfileStore = { profiles: {} };

describe('resolveSettings: one identity per call', () => {
  const cases: Array<{ name: string; flags: object; env: Record<string, string>; store: ProfileStore; expect: Record<string, unknown> }> = [
    {
      name: 'flags beat env and profile',
      flags: { clientId: 'flag-id', clientSecret: 'flag-secret', tokenUrl: 'https://flag.example/t', scope: ['a'] },
      env: { GARDIN_CLIENT_ID: 'env-id', GARDIN_CLIENT_SECRET: 'env-secret', GARDIN_TOKEN_URL: 'https://env.example/t', GARDIN_SCOPE: 'b' },
      store,
      expect: { clientId: ['flag-id', 'flag'], secret: ['flag-secret', 'flag'], tokenUrl: ['https://flag.example/t', 'flag'], scopes: [['a'], 'flag'] },
    },
    {
      name: "a client ID from the environment brings the environment's identity, whole: the default profile lends nothing",
      flags: {},
      env: { GARDIN_CLIENT_ID: 'env-id', GARDIN_CLIENT_SECRET: 'env-secret', GARDIN_SCOPE: 'b  c b' },
      store,
      expect: { clientId: ['env-id', 'env'], secret: ['env-secret', 'env'], tokenUrl: [DEFAULT_TOKEN_URL, 'default'], scopes: [['b', 'c'], 'env'] },
    },
    {
      name: 'without a client ID from flags or environment, the default profile is the identity',
      flags: {},
      env: {},
      store,
      expect: {
        clientId: ['prod-id', 'profile'],
        secret: ['prod-secret', 'profile'],
        tokenUrl: ['https://prod.example/token', 'profile'],
        scopes: [['jobs:read', 'jobs:write'], 'profile'],
      },
    },
    {
      name: 'built-in defaults without a profile',
      flags: { clientId: 'i', clientSecret: 's' },
      env: {},
      store: empty,
      expect: { tokenUrl: [DEFAULT_TOKEN_URL, 'default'], scopes: [[], 'default'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const s = resolveSettings(c.flags, c.env, c.store);
      const e = c.expect as Record<string, [unknown, string]>;
      if (e.clientId) expect([s.clientId.value, s.clientId.source.kind]).toEqual(e.clientId);
      if (e.secret) expect([s.secret?.kind === 'value' ? s.secret.value : undefined, s.secret?.source.kind]).toEqual(e.secret);
      if (e.tokenUrl) expect([s.tokenUrl.value, s.tokenUrl.source.kind]).toEqual(e.tokenUrl);
      if (e.scopes) expect([s.scopes.value, s.scopes.source.kind]).toEqual(e.scopes);
    });
  }

  it('profile selection: -p beats GARDIN_PROFILE beats the default', () => {
    const two: ProfileStore = { default: 'prod', profiles: { prod: { clientId: 'p' }, dev: { clientId: 'd' }, ci: { clientId: 'c' } } };
    const base = { clientSecret: 'x' };
    expect(resolveSettings({ ...base, profile: 'dev' }, { GARDIN_PROFILE: 'ci' }, two).clientId.value).toBe('d');
    expect(resolveSettings(base, { GARDIN_PROFILE: 'ci' }, two).clientId.value).toBe('c');
    expect(resolveSettings(base, {}, two).clientId.value).toBe('p');
  });

  it('the auth method comes from the flag, then the profile, then basic', () => {
    expect(resolveSettings({}, {}, store).authMethod).toEqual({ value: 'post', source: { kind: 'profile', name: 'prod' } });
    expect(resolveSettings({ authMethod: 'basic' }, {}, store).authMethod?.value).toBe('basic');
    expect(clientPlanOf(resolveSettings({ clientId: 'i', clientSecret: 's' }, {}, empty)).method.value).toBe('basic');
  });

  it('secret sources: stdin, file flag, file env var, profile command', () => {
    expect(resolveSettings({ clientId: 'i', clientSecretStdin: true }, {}, empty).secret?.kind).toBe('stdin');
    expect(resolveSettings({ clientId: 'i', clientSecretFile: '/run/s' }, {}, empty).secret).toMatchObject({ kind: 'file', path: '/run/s' });
    expect(resolveSettings({ clientId: 'i' }, { GARDIN_CLIENT_SECRET_FILE: '/run/e' }, empty).secret).toMatchObject({ kind: 'file', path: '/run/e' });
    expect(resolveSettings({ profile: 'cmd' }, {}, store).secret).toMatchObject({ kind: 'command', command: 'pass show gardin' });
  });

  it.each([
    [{}, {}, empty, 'ERR_MISSING_CLIENT_ID'],
    [{ profile: 'nope' }, {}, store, 'ERR_UNKNOWN_PROFILE'],
    [{}, { GARDIN_PROFILE: 'nope' }, store, 'ERR_UNKNOWN_PROFILE'],
    [{ clientId: 'i', clientSecret: 's', tokenUrl: 'not a url' }, {}, empty, 'ERR_INVALID_URL'],
    [{ clientId: 'i', clientSecret: 's', tokenUrl: 'ftp://x/y' }, {}, empty, 'ERR_INVALID_URL'],
    [{ clientId: 'i', clientSecret: 's' }, { GARDIN_TOKEN_URL: 'http://login.gardin.ag/oauth2/token' }, empty, 'ERR_INSECURE_URL'],
    [{ clientId: 'i', clientSecret: 's', timeout: 'soon' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', minTtl: '-1' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', retries: '1.5' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', clientSecretStdin: true }, {}, empty, 'ERR_USAGE'],
  ])('%j %j -> %s (exit 2)', (flags, env, st, code) => {
    expect(() => resolveSettings(flags, env, st)).toThrowError(expect.objectContaining({ code, exitCode: 2 }));
  });

  it.each([
    [{ clientId: 'i' }, {}, empty, 'ERR_MISSING_CLIENT_SECRET'],
    [{ clientId: 'i', authMethod: 'private_key_jwt' }, {}, empty, 'ERR_MISSING_PRIVATE_KEY'],
    [{ clientId: 'i', clientSecret: 's', authMethod: 'digest' }, {}, empty, 'ERR_INVALID_SETTING'],
  ])('%j %j -> %s (exit 2, from the client plan)', (flags, env, st, code) => {
    expect(() => clientPlanOf(resolveSettings(flags, env, st))).toThrowError(expect.objectContaining({ code, exitCode: 2 }));
  });

  it('a missing secret names where the client ID came from', () => {
    expect(() => clientPlanOf(resolveSettings({}, { GARDIN_CLIENT_ID: 'env-id' }, store))).toThrowError(
      'No client secret given for the client ID from the GARDIN_CLIENT_ID environment variable.',
    );
  });

  it('the library names its options, not flags', () => {
    expect(() => resolveSettings({ clientId: 'i', tokenUrl: 'ftp://x' }, {}, empty, 'options')).toThrowError(
      'The token URL "ftp://x" from the tokenUrl option is not a valid http(s) URL.',
    );
    expect(() => clientPlanOf(resolveSettings({ clientId: 'i' }, {}, empty, 'options'))).toThrowError(
      expect.objectContaining({ hint: 'Give the clientSecret option, or set GARDIN_CLIENT_SECRET.' }),
    );
  });

  it('an unknown profile message names where the name came from and the known ones', () => {
    expect(() => resolveSettings({}, { GARDIN_PROFILE: 'nope' }, store)).toThrowError(
      expect.objectContaining({
        message: 'Profile "nope" (from the GARDIN_PROFILE environment variable) does not exist.',
        hint: 'Known profiles: prod, cmd.',
      }),
    );
  });
});

describe('checkTokenUrl', () => {
  const src = { kind: 'flag' as const, name: '--token-url' };
  it.each(['http://localhost:8080/t', 'http://127.0.0.1/t', 'http://127.4.5.6:1/t', 'http://[::1]:9/t', 'https://login.gardin.ag/oauth2/token'])('accepts %s', (u) => {
    expect(checkTokenUrl(u, src)).toBe(new URL(u).href);
  });
  it.each(['http://10.0.0.1/t', 'http://login.gardin.ag/t', 'http://128.0.0.1/t', 'http://localhost.evil.com/t'])('refuses plain http to %s', (u) => {
    expect(() => checkTokenUrl(u, src)).toThrowError(expect.objectContaining({ code: 'ERR_INSECURE_URL' }));
  });
  it('refuses credentials in the URL', () => {
    expect(() => checkTokenUrl('https://u:p@x.example/t', src)).toThrowError(expect.objectContaining({ exitCode: 2 }));
  });
});

describe('splitScopes', () => {
  it('splits, trims and drops duplicates in order', () => {
    expect(splitScopes(['a b', ' c ', 'a', 'd\te'])).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('a profile, named or the default, gives the whole identity: the environment never a part of it', () => {
  const env = { GARDIN_TOKEN_URL: 'https://env.example/t', GARDIN_SCOPE: 'b', GARDIN_CLIENT_SECRET: 'env-secret', GARDIN_CA_FILE: '/ca.pem' };

  it.each([
    ['-p prod', { profile: 'prod' }, {}],
    ['GARDIN_PROFILE=prod', {}, { GARDIN_PROFILE: 'prod' }],
    ['the default profile', {}, {}],
  ])('%s: every identity field from the profile, the variables set aside', (_name, flags, more) => {
    const s = resolveSettings(flags, { ...env, ...more }, store);
    expect([s.clientId.value, s.tokenUrl.value, s.scopes.value]).toEqual(['prod-id', 'https://prod.example/token', ['jobs:read', 'jobs:write']]);
    expect(s.secret).toMatchObject({ kind: 'value', value: 'prod-secret' });
    expect(s.setAside).toEqual(['GARDIN_CLIENT_SECRET', 'GARDIN_TOKEN_URL', 'GARDIN_SCOPE']);
    // Not part of the identity: still from the environment.
    expect(s.caFile?.value).toBe('/ca.pem');
  });

  it('a field the profile leaves out is the built-in default, not the variable', () => {
    const s = resolveSettings({ profile: 'cmd' }, env, store);
    expect([s.tokenUrl.value, s.scopes.value]).toEqual([DEFAULT_TOKEN_URL, []]);
  });

  it('a flag may change one field of a -p profile; a client ID from the environment does not', () => {
    expect(resolveSettings({ profile: 'prod', scope: ['jobs:read'] }, env, store).scopes).toEqual({ value: ['jobs:read'], source: { kind: 'flag', name: '--scope' } });
    expect(resolveSettings({ profile: 'prod' }, { GARDIN_CLIENT_ID: 'env-id' }, store).clientId.value).toBe('prod-id');
  });

  it('a client ID from the environment beats GARDIN_PROFILE and the default profile, which then lend nothing', () => {
    for (const more of [{ GARDIN_PROFILE: 'prod' }, {}]) {
      const s = resolveSettings({}, { ...env, ...more, GARDIN_CLIENT_ID: 'env-id' }, store);
      expect([s.clientId.value, s.tokenUrl.value, s.profile]).toEqual(['env-id', 'https://env.example/t', undefined]);
      expect(s.secret).toMatchObject({ kind: 'value', value: 'env-secret' });
    }
    // Without a secret of its own it is refused, rather than borrowing the profile's.
    expect(() => clientPlanOf(resolveSettings({}, { GARDIN_CLIENT_ID: 'env-id' }, store))).toThrowError(expect.objectContaining({ code: 'ERR_MISSING_CLIENT_SECRET' }));
  });
});

describe('flags given an empty value, and limits', () => {
  it.each([
    ['clientId', '--client-id'],
    ['tokenUrl', '--token-url'],
    ['profile', '--profile'],
    ['timeout', '--timeout'],
    ['caFile', '--ca-file'],
  ])('%s "" is refused', (key, flag) => {
    expect(() => resolveSettings({ clientId: 'i', clientSecret: 's', [key]: '' }, {}, empty)).toThrowError(`The ${flag} flag was given an empty value.`);
  });
  it('an empty --scope is refused', () => {
    expect(() => resolveSettings({ clientId: 'i', clientSecret: 's', scope: [' '] }, {}, empty)).toThrowError('--scope');
  });
  it('a --timeout beyond what a timer holds is refused', () => {
    expect(() => resolveSettings({ clientId: 'i', clientSecret: 's', timeout: '2147484' }, {}, empty)).toThrowError('from 0.001 to 2147483');
    expect(resolveSettings({ clientId: 'i', clientSecret: 's', timeout: '2147483' }, {}, empty).timeoutMs.value).toBe(2147483000);
  });
});
