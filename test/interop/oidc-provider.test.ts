import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { decodeJwtPart } from '../../src/token/validate.js';
import { runBin } from '../helpers/bin.js';
import { tempHome } from '../helpers/deps.js';
import { startOidcServer } from '../helpers/oidc-server.mjs';

// A certified third-party OAuth2 server, not our own fake: what we send must be what a standard
// server expects, encoding of odd credentials included.
const clients = [
  { id: 'gardin-basic', secret: 'Basic-Secret-1' },
  { id: 'gardin-post', secret: 'Post-Secret-2', authMethod: 'post' },
  // RFC 6749 Appendix A allows only printable ASCII (VSCHAR) in ids and secrets; oidc-provider enforces it.
  { id: 'we:ird%id+', secret: 's:e%c+r t:/=', authMethod: 'basic' },
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

const gt = (args: string[], id: string, secret: string) => runBin(args, home.root, { GARDIN_TOKEN_URL: server.tokenUrl, GARDIN_CLIENT_ID: id, GARDIN_CLIENT_SECRET: secret });

describe('interop with oidc-provider', () => {
  it('gets a JWT with HTTP Basic, and the expiry matches its exp claim', async () => {
    const r = await gt(['--json', '--scope', 'data.indices:query jobs:read'], 'gardin-basic', 'Basic-Secret-1');
    expect(r.exitCode).toBe(0);
    const o = JSON.parse(r.stdout);
    const claims = decodeJwtPart(o.access_token, 1)!;
    expect(claims).toMatchObject({ client_id: 'gardin-basic', scope: 'data.indices:query jobs:read', aud: 'https://api.gardin.ag/' });
    // The expiry is the earlier of expires_in and the JWT's exp, which is exp itself here.
    expect(o.expires_at).toBe(new Date((claims.exp as number) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(o).toMatchObject({ token_type: 'Bearer', scope: 'data.indices:query jobs:read', cached: false });
  });

  it('gets a token with client_secret_post', async () => {
    const r = await gt(['--auth-method', 'post'], 'gardin-post', 'Post-Secret-2');
    expect(r.exitCode).toBe(0);
    expect(decodeJwtPart(r.stdout.trim(), 1)).toMatchObject({ client_id: 'gardin-post' });
  });

  it('an id and secret with ":", "%", "+", "/", "=" and a space survive Basic encoding', async () => {
    const r = await gt([], 'we:ird%id+', 's:e%c+r t:/=');
    expect(r.exitCode).toBe(0);
    expect(decodeJwtPart(r.stdout.trim(), 1)).toMatchObject({ client_id: 'we:ird%id+' });
  });

  it('a wrong secret is 401 invalid_client: exit 3, nothing on stdout, no secret in stderr', async () => {
    const r = await gt(['--verbose'], 'gardin-basic', 'Wrong-Secret-9');
    expect(r).toMatchObject({ exitCode: 3, stdout: '' });
    expect(r.stderr).toContain('HTTP 401, invalid_client');
    expect(r.stderr).not.toContain('Wrong-Secret-9');
    expect(r.stderr).not.toContain(Buffer.from('gardin-basic:Wrong-Secret-9').toString('base64'));
  });

  it('shows the scope the server granted, not the one requested', async () => {
    const r = await gt(['--json', '--scope', 'crops:harvest jobs:read'], 'gardin-basic', 'Basic-Secret-1');
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).scope).toBe('jobs:read');
  });
});
