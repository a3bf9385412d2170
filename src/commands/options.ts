import { AUTH_METHOD_NAMES, AUTH_METHODS } from '../token/auth/index.js';
import { FORMAT_NAMES } from '../formats/index.js';
import type { OptionSpec } from './command.js';

// The options several commands share. A command's own options are declared in its file.

/** Whose token: every command that needs one, status included. */
export const IDENTITY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--client-id <id>', description: 'client ID ("Username" in Gardin\'s docs) [env: GARDIN_CLIENT_ID]' },
  { flags: '--client-secret <secret>', description: 'client secret; visible to other local users in `ps`: prefer the env var or stdin [env: GARDIN_CLIENT_SECRET]' },
  { flags: '--client-secret-stdin', description: 'read the client secret from standard input' },
  { flags: '--client-secret-file <path>', description: 'read the client secret from a file (Docker/Kubernetes secrets) [env: GARDIN_CLIENT_SECRET_FILE]', complete: 'file' },
  { flags: '--private-key-file <path>', description: 'the private key (PEM or JWK) of private_key_jwt [env: GARDIN_PRIVATE_KEY_FILE]', complete: 'file' },
  { flags: '--key-id <kid>', description: 'the key id to put in a private_key_jwt assertion' },
  { flags: '--token-url <url>', description: 'token endpoint [env: GARDIN_TOKEN_URL] (default: https://login.gardin.ag/oauth2/token)' },
  { flags: '--scope <scope>', description: 'scope to request; repeatable or space-separated [env: GARDIN_SCOPE]', repeatable: true, complete: 'scope' },
  {
    flags: '--auth-method <method>',
    description: `client authentication: ${AUTH_METHODS.map((m) => `${m.name}, ${m.summary}`).join('; ')}`,
    choices: AUTH_METHOD_NAMES,
  },
  { flags: '-p, --profile <name>', description: 'stored profile: its whole identity (flags may change single fields) [env: GARDIN_PROFILE]', complete: 'profile' },
];

/** How a token is fetched and cached: the default command, exec, api. */
export const FETCH_OPTIONS: readonly OptionSpec[] = [
  { flags: '--timeout <seconds>', description: 'bound on the whole fetch, retries included (default: 30)' },
  { flags: '--retries <n>', description: 'retries on connection errors, 429 and 5xx (default: 2)' },
  { flags: '--ca-file <pem>', description: 'extra trusted CA certificates for the token endpoint [env: GARDIN_CA_FILE]', complete: 'file' },
  { flags: '--no-cache', description: 'neither read nor write the token cache' },
  { flags: '--force-refresh', description: 'fetch a new token even if a cached one is fresh' },
  { flags: '--min-ttl <seconds>', description: 'reuse a cached token only while this many seconds remain (default: 60)' },
  { flags: '--cache-url <url>', description: 'a token cache shared by many hosts on Redis: redis://[user:password@]host:port[/db] or rediss:// [env: GARDIN_CACHE_URL]' },
];

/** Where the Gardin API is: api and proxy. */
export const BASE_URL_OPTION: OptionSpec = { flags: '--base-url <url>', description: 'the API base URL [env: GARDIN_API_URL] (default: https://api.gardin.ag/v1)' };

/** The shell formats' variable, which exec names too. */
export const VAR_NAME_OPTION: OptionSpec = { flags: '--var-name <NAME>', description: 'variable name for the shell formats and exec (default: GARDIN_ACCESS_TOKEN)' };

/** How the default command prints the token. */
export const OUTPUT_OPTIONS: readonly OptionSpec[] = [
  { flags: '-o, --output <format>', description: 'output format', choices: FORMAT_NAMES },
  { flags: '--json', description: 'shorthand for -o json' },
  { flags: '--export', description: 'shorthand for -o export' },
  VAR_NAME_OPTION,
];

/** -v and -q, which every command takes, in any position. */
export const UI_OPTIONS: readonly OptionSpec[] = [
  { flags: '-v, --verbose', description: 'a redacted trace on stderr' },
  { flags: '-q, --quiet', description: 'nothing on stderr but errors' },
];

/** --json, for the commands that can print JSON (snake_case keys, as everywhere). */
export const JSON_OPTION: OptionSpec = { flags: '--json', description: 'print JSON' };
