import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, GardinTokenError, NetworkError, UsageError } from '../../src/index.js';
import { getTokenWith as getToken } from '../../src/token/index.js';
import { testDeps, tempHome } from '../helpers/deps.js';
import { issueTokens, json, startTokenServer, type TokenServer } from '../helpers/token-server.js';

let server: TokenServer;
let reply: Parameters<typeof startTokenServer>[0];
let home: ReturnType<typeof tempHome>;
const NOW = 1_800_000_000_000;

beforeAll(async () => {
  server = await startTokenServer((q, n, res) => reply(q, n, res));
});
afterAll(() => server.close());
beforeEach(() => {
  home = tempHome();
  server.requests.length = 0;
  reply = issueTokens({ scope: 'jobs:read' });
});
afterEach(() => home.cleanup());

const deps = (env: Record<string, string> = {}) => testDeps({ env, dirs: home, now: () => NOW });

describe('getToken (the library)', () => {
  it('resolves to a typed token and reuses the cache', async () => {
    const opts = { clientId: 'lib', clientSecret: 'lib-secret', tokenUrl: server.tokenUrl, scope: 'jobs:read' };
    const t = await getToken(opts, deps());
    expect(t).toEqual({ accessToken: expect.stringMatching(/^tok-/), tokenType: 'Bearer', expiresAt: new Date(NOW + 3600_000), expiresIn: 3600, scope: 'jobs:read', fromCache: false });
    const again = await getToken(opts, deps());
    expect(again).toMatchObject({ accessToken: t.accessToken, fromCache: true });
    expect(await getToken({ ...opts, cache: false }, deps())).toMatchObject({ fromCache: false });
    expect(server.requests).toHaveLength(2);
  });

  it('takes what is left out from env vars, as the CLI does', async () => {
    const t = await getToken({ scope: ['a', 'b'] }, deps({ GARDIN_CLIENT_ID: 'env', GARDIN_CLIENT_SECRET: 's', GARDIN_TOKEN_URL: server.tokenUrl }));
    expect(t.fromCache).toBe(false);
    expect(server.requests[0]!.form.get('scope')).toBe('a b');
  });

  it('rejects with exported error classes carrying code and exitCode', async () => {
    await expect(getToken({}, deps())).rejects.toSatisfy((e) => e instanceof UsageError && e instanceof GardinTokenError && e.code === 'ERR_MISSING_CLIENT_ID' && e.exitCode === 2);
    reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' });
    await expect(getToken({ clientId: 'x', clientSecret: 'y', tokenUrl: server.tokenUrl }, deps())).rejects.toSatisfy(
      (e) => e instanceof AuthError && e.status === 401 && e.error === 'invalid_client' && e.exitCode === 3,
    );
    await expect(getToken({ clientId: 'x', clientSecret: 'y', tokenUrl: 'http://127.0.0.1:9/t', retries: 0 }, deps())).rejects.toBeInstanceOf(NetworkError);
  });

  it('prints nothing', async () => {
    const d = deps();
    await getToken({ clientId: 'lib', clientSecret: 's', tokenUrl: server.tokenUrl }, d);
    expect(d.out() + d.err()).toBe('');
  });
});
