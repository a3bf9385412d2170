import { AUTH_METHODS } from '../config/settings.js';
import { OUTPUT_FORMATS } from '../formats/index.js';

/**
 * The options of the default command, as data: commander declares them from here (cli.ts), and
 * the quick parser (quick-parse.ts) reads the same declarations, so the two cannot drift apart.
 */
export interface OptionSpec {
  /** As commander takes them: `-p, --profile <name>`, `--no-cache`. */
  readonly flags: string;
  readonly description: string;
  /** Each use adds a value (commander: a collecting parser; the result is an array). */
  readonly repeatable?: true;
  /** The only values allowed (commander: Option.choices). */
  readonly choices?: readonly string[];
}

/** Whose token: every command that needs one, status included. */
export const IDENTITY_OPTIONS = {
  clientId: { flags: '--client-id <id>', description: 'client ID ("Username" in Gardin\'s docs) [env: GARDIN_CLIENT_ID]' },
  clientSecret: {
    flags: '--client-secret <secret>',
    description: 'client secret; visible to other local users in `ps`: prefer the env var or stdin [env: GARDIN_CLIENT_SECRET]',
  },
  clientSecretStdin: { flags: '--client-secret-stdin', description: 'read the client secret from standard input' },
  clientSecretFile: {
    flags: '--client-secret-file <path>',
    description: 'read the client secret from a file (Docker/Kubernetes secrets) [env: GARDIN_CLIENT_SECRET_FILE]',
  },
  tokenUrl: { flags: '--token-url <url>', description: 'token endpoint [env: GARDIN_TOKEN_URL] (default: https://login.gardin.ag/oauth2/token)' },
  scope: { flags: '--scope <scope>', description: 'scope to request; repeatable or space-separated [env: GARDIN_SCOPE]', repeatable: true },
  authMethod: {
    flags: '--auth-method <method>',
    description:
      'client authentication: HTTP Basic, RFC 6749-encoded (falls back once to the plain join on invalid_client); Basic with the plain join; or the form body',
    choices: AUTH_METHODS,
  },
  profile: { flags: '-p, --profile <name>', description: 'stored profile to use; named here, it beats the GARDIN_* credential variables [env: GARDIN_PROFILE]' },
} as const satisfies Record<string, OptionSpec>;

/** How a token is fetched and cached: the default command, exec, api. */
export const FETCH_OPTIONS = {
  timeout: { flags: '--timeout <seconds>', description: 'bound on the whole fetch, retries included (default: 30)' },
  retries: { flags: '--retries <n>', description: 'retries on connection errors, 429 and 5xx (default: 2)' },
  caFile: { flags: '--ca-file <pem>', description: 'extra trusted CA certificates for the token endpoint [env: GARDIN_CA_FILE]' },
  cache: { flags: '--no-cache', description: 'neither read nor write the token cache' },
  forceRefresh: { flags: '--force-refresh', description: 'fetch a new token even if a cached one is fresh' },
  minTtl: { flags: '--min-ttl <seconds>', description: 'reuse a cached token only while this many seconds remain (default: 60)' },
  cacheUrl: {
    flags: '--cache-url <url>',
    description: 'a token cache shared by many hosts on Redis: redis://[user:password@]host:port[/db] or rediss:// [env: GARDIN_CACHE_URL]',
  },
} as const satisfies Record<string, OptionSpec>;

/** -v and -q, which every command takes. */
export const UI_OPTIONS = {
  verbose: { flags: '-v, --verbose', description: 'a redacted trace on stderr' },
  quiet: { flags: '-q, --quiet', description: 'nothing on stderr but errors' },
} as const satisfies Record<string, OptionSpec>;

/** How the default command prints the token. */
export const OUTPUT_OPTIONS = {
  output: { flags: '-o, --output <format>', description: 'output format', choices: OUTPUT_FORMATS },
  json: { flags: '--json', description: 'shorthand for -o json' },
  export: { flags: '--export', description: 'shorthand for -o export' },
  varName: { flags: '--var-name <NAME>', description: 'variable name for shell formats (default: GARDIN_ACCESS_TOKEN)' },
} as const satisfies Record<string, OptionSpec>;

/** Every option of the default command, in the order of its help. */
export const ROOT_OPTIONS: readonly OptionSpec[] = [
  ...Object.values(IDENTITY_OPTIONS),
  ...Object.values(FETCH_OPTIONS),
  ...Object.values(UI_OPTIONS),
  ...Object.values(OUTPUT_OPTIONS),
];
