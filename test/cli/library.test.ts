import { describe, expect, it } from 'vitest';
import { useTokenServer } from '../helpers/fixture.js';
import { AuthError, GardinTokenError, NetworkError, UsageError } from '../../src/index.js';
import { getTokenWith as getToken } from '../../src/library/get-token.js';
import { testDeps } from '../helpers/deps.js';
import { issueTokens, json } from '../helpers/token-server.js';

const fx = useTokenServer(() => issueTokens({ scope: 'jobs:read' }));
const NOW = 1_800_000_000_000;

const deps = (env: Record<string, string> = {}) => testDeps({ env, dirs: fx.home, now: () => NOW });

describe('getToken (the library)', () => {
  it('resolves to a typed token and reuses the cache', async () => {
    const opts = { clientId: 'lib', clientSecret: 'lib-secret', tokenUrl: fx.server.tokenUrl, scope: 'jobs:read' };
    const t = await getToken(opts, deps());
    expect(t).toEqual({
      accessToken: expect.stringMatching(/^tok-/),
      tokenType: 'Bearer',
      expiresAt: new Date(NOW + 3600_000),
      expiresIn: 3600,
      scope: 'jobs:read',
      cached: false,
      fromCache: false,
    });
    const again = await getToken(opts, deps());
    expect(again).toMatchObject({ accessToken: t.accessToken, cached: true, fromCache: true });
    expect(await getToken({ ...opts, cache: false }, deps())).toMatchObject({ fromCache: false });
    expect(fx.server.requests).toHaveLength(2);
  });

  it('takes what is left out from env vars, as the CLI does', async () => {
    const t = await getToken({ scope: ['a', 'b'] }, deps({ GARDIN_CLIENT_ID: 'env', GARDIN_CLIENT_SECRET: 's', GARDIN_TOKEN_URL: fx.server.tokenUrl }));
    expect(t.fromCache).toBe(false);
    expect(fx.server.requests[0]!.form.get('scope')).toBe('a b');
  });

  it('rejects with exported error classes carrying code and exitCode', async () => {
    await expect(getToken({}, deps())).rejects.toSatisfy((e) => e instanceof UsageError && e instanceof GardinTokenError && e.code === 'ERR_MISSING_CLIENT_ID' && e.exitCode === 2);
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' });
    await expect(getToken({ clientId: 'x', clientSecret: 'y', tokenUrl: fx.server.tokenUrl }, deps())).rejects.toSatisfy(
      (e) => e instanceof AuthError && e.status === 401 && e.error === 'invalid_client' && e.exitCode === 3,
    );
    await expect(getToken({ clientId: 'x', clientSecret: 'y', tokenUrl: 'http://127.0.0.1:9/t', retries: 0 }, deps())).rejects.toBeInstanceOf(NetworkError);
  });

  it('prints nothing', async () => {
    const d = deps();
    await getToken({ clientId: 'lib', clientSecret: 's', tokenUrl: fx.server.tokenUrl }, d);
    expect(d.out() + d.err()).toBe('');
  });
});
