import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_URL, checkTokenUrl, resolveSettings, splitScopes, type ProfileStore } from '../../src/config/settings.js';

const store: ProfileStore = {
  default: 'prod',
  profiles: {
    prod: { clientId: 'prod-id', clientSecret: 'prod-secret', tokenUrl: 'https://prod.example/token', scope: 'jobs:read jobs:write', authMethod: 'post' },
    cmd: { clientId: 'cmd-id', clientSecretCommand: 'pass show gardin' },
  },
};
const empty: ProfileStore = { profiles: {} };

describe('resolveSettings precedence (flag > env > profile > default)', () => {
  const cases: Array<{ name: string; flags: object; env: Record<string, string>; store: ProfileStore; expect: Record<string, unknown> }> = [
    {
      name: 'flags beat env and profile',
      flags: { clientId: 'flag-id', clientSecret: 'flag-secret', tokenUrl: 'https://flag.example/t', scope: ['a'] },
      env: { GARDIN_CLIENT_ID: 'env-id', GARDIN_CLIENT_SECRET: 'env-secret', GARDIN_TOKEN_URL: 'https://env.example/t', GARDIN_SCOPE: 'b' },
      store,
      expect: { clientId: ['flag-id', 'flag'], secret: ['flag-secret', 'flag'], tokenUrl: ['https://flag.example/t', 'flag'], scopes: [['a'], 'flag'] },
    },
    {
      name: 'env beats profile',
      flags: {},
      env: { GARDIN_CLIENT_ID: 'env-id', GARDIN_CLIENT_SECRET: 'env-secret', GARDIN_SCOPE: 'b  c b' },
      store,
      expect: { clientId: ['env-id', 'env'], secret: ['env-secret', 'env'], tokenUrl: ['https://prod.example/token', 'profile'], scopes: [['b', 'c'], 'env'] },
    },
    {
      name: 'the default profile fills what is missing',
      flags: {},
      env: {},
      store,
      expect: { clientId: ['prod-id', 'profile'], secret: ['prod-secret', 'profile'], tokenUrl: ['https://prod.example/token', 'profile'], scopes: [['jobs:read', 'jobs:write'], 'profile'] },
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
      if (e.secret) expect([s.secret.kind === 'value' ? s.secret.value : undefined, s.secret.source.kind]).toEqual(e.secret);
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
    expect(resolveSettings({ authMethod: 'basic' }, {}, store).authMethod.value).toBe('basic');
    expect(resolveSettings({ clientId: 'i', clientSecret: 's' }, {}, empty).authMethod.value).toBe('basic');
  });

  it('secret sources: stdin, file flag, file env var, profile command', () => {
    expect(resolveSettings({ clientId: 'i', clientSecretStdin: true }, {}, empty).secret.kind).toBe('stdin');
    expect(resolveSettings({ clientId: 'i', clientSecretFile: '/run/s' }, {}, empty).secret).toMatchObject({ kind: 'file', path: '/run/s' });
    expect(resolveSettings({ clientId: 'i' }, { GARDIN_CLIENT_SECRET_FILE: '/run/e' }, empty).secret).toMatchObject({ kind: 'file', path: '/run/e' });
    expect(resolveSettings({ profile: 'cmd' }, {}, store).secret).toMatchObject({ kind: 'command', command: 'pass show gardin' });
  });

  it.each([
    [{}, {}, empty, 'ERR_MISSING_CLIENT_ID'],
    [{ clientId: 'i' }, {}, empty, 'ERR_MISSING_CLIENT_SECRET'],
    [{ profile: 'nope' }, {}, store, 'ERR_UNKNOWN_PROFILE'],
    [{}, { GARDIN_PROFILE: 'nope' }, store, 'ERR_UNKNOWN_PROFILE'],
    [{ clientId: 'i', clientSecret: 's', tokenUrl: 'not a url' }, {}, empty, 'ERR_INVALID_URL'],
    [{ clientId: 'i', clientSecret: 's', tokenUrl: 'ftp://x/y' }, {}, empty, 'ERR_INVALID_URL'],
    [{ clientId: 'i', clientSecret: 's' }, { GARDIN_TOKEN_URL: 'http://login.gardin.ag/oauth2/token' }, empty, 'ERR_INSECURE_URL'],
    [{ clientId: 'i', clientSecret: 's', timeout: 'soon' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', minTtl: '-1' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', retries: '1.5' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', authMethod: 'digest' }, {}, empty, 'ERR_INVALID_SETTING'],
    [{ clientId: 'i', clientSecret: 's', clientSecretStdin: true }, {}, empty, 'ERR_USAGE'],
  ])('%j %j -> %s (exit 2)', (flags, env, st, code) => {
    expect(() => resolveSettings(flags, env, st)).toThrowError(expect.objectContaining({ code, exitCode: 2 }));
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

describe('a profile named by --profile beats the GARDIN_* credential variables', () => {
  const env = { GARDIN_CLIENT_ID: 'env-id', GARDIN_CLIENT_SECRET: 'env-secret', GARDIN_TOKEN_URL: 'https://env.example/t', GARDIN_SCOPE: 'b', GARDIN_CA_FILE: '/ca.pem' };

  it('takes every credential field from the profile and reports the variables it set aside', () => {
    const s = resolveSettings({ profile: 'prod' }, env, store);
    expect([s.clientId.value, s.tokenUrl.value, s.scopes.value]).toEqual(['prod-id', 'https://prod.example/token', ['jobs:read', 'jobs:write']]);
    expect(s.secret).toMatchObject({ kind: 'value', value: 'prod-secret' });
    expect(s.setAside).toEqual(['GARDIN_CLIENT_ID', 'GARDIN_CLIENT_SECRET', 'GARDIN_TOKEN_URL', 'GARDIN_SCOPE']);
    // Not a credential: still from the environment.
    expect(s.caFile?.value).toBe('/ca.pem');
  });

  it('a field the profile leaves out is the built-in default, not the variable', () => {
    const s = resolveSettings({ profile: 'cmd' }, env, store);
    expect([s.tokenUrl.value, s.scopes.value]).toEqual([DEFAULT_TOKEN_URL, []]);
  });

  it('flags beat it, and a variable a flag overrides anyway is not reported', () => {
    const s = resolveSettings({ profile: 'prod', clientId: 'flag-id' }, env, store);
    expect(s.clientId.value).toBe('flag-id');
    expect(s.setAside).not.toContain('GARDIN_CLIENT_ID');
  });

  it('GARDIN_PROFILE and the default profile stay below the environment', () => {
    for (const s of [resolveSettings({}, { ...env, GARDIN_PROFILE: 'prod' }, store), resolveSettings({}, env, store)]) {
      expect(s.clientId.value).toBe('env-id');
      expect(s.setAside).toEqual([]);
    }
  });
});

describe('flags given an empty value, and limits', () => {
  it.each([['clientId', '--client-id'], ['tokenUrl', '--token-url'], ['profile', '--profile'], ['timeout', '--timeout'], ['caFile', '--ca-file']])('%s "" is refused', (key, flag) => {
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
