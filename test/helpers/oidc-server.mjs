// A real, certified OAuth2 server (oidc-provider) on 127.0.0.1, issuing JWT access tokens through
// the client-credentials grant. Used by `npm run demo` and the interop tests.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
// The scopes Gardin documents, from the built core bundle (npm test and npm run demo build first);
// it holds each module's exports under the module's path.
import core from '../../dist/core.cjs';

const { GARDIN_SCOPES } = core['config/settings.ts'];

/** Our --auth-method names, as oidc-provider's token_endpoint_auth_method names them. */
const AUTH_METHODS = {
  basic: 'client_secret_basic',
  post: 'client_secret_post',
  client_secret_jwt: 'client_secret_jwt',
  private_key_jwt: 'private_key_jwt',
};

/**
 * Starts oidc-provider with the given clients (id, secret or public JWK set, auth method) and
 * resolves to its token URL and a close() function.
 */
export async function startOidcServer(clients) {
  quietOidcProvider();
  const { default: Provider } = await import('oidc-provider');
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'demo', use: 'sig', alg: 'ES256' };
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.id,
      ...(c.secret !== undefined && { client_secret: c.secret }),
      ...(c.jwks !== undefined && { jwks: c.jwks }),
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      id_token_signed_response_alg: 'ES256',
      token_endpoint_auth_method: AUTH_METHODS[c.authMethod ?? 'basic'],
    })),
    jwks: { keys: [jwk] },
    ttl: { ClientCredentials: 3600 },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => 'https://api.gardin.ag/',
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: GARDIN_SCOPES.join(' '),
          audience: 'https://api.gardin.ag/',
          accessTokenFormat: 'jwt',
          accessTokenTTL: 3600,
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    tokenUrl: `${issuer}/token`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** oidc-provider prints development notices (in-memory adapter, Node version) on console; drop them. */
function quietOidcProvider() {
  for (const level of ['warn', 'info']) {
    const original = console[level];
    if (original.quieted) continue;
    const filtered = (...args) => {
      if (typeof args[0] === 'string' && args[0].includes('oidc-provider')) return;
      original(...args);
    };
    filtered.quieted = true;
    console[level] = filtered;
  }
}
