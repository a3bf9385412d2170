import type { Source } from '../config/source.js';
import { nameOnly, redactUrlCredentials, sanitize } from './text.js';

/**
 * Every failure the tool can report. Each class fixes the process exit code of the contract; each
 * error carries a stable string `code` that scripts and library users can switch on. The sentences
 * users read are built here and nowhere else.
 */

/** Base class of every error gardin-token raises on purpose. */
export class GardinTokenError extends Error {
  /** A stable identifier such as `ERR_MISSING_CLIENT_ID`. */
  readonly code: string;
  /** The CLI's exit code for this failure (see README, Exit codes). */
  readonly exitCode: number;
  /** An optional second sentence: what to do next. */
  readonly hint: string | undefined;

  constructor(code: string, exitCode: number, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Exit 2: a bad flag, missing or invalid settings, an unknown profile, an unreadable config. */
export class UsageError extends GardinTokenError {
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, 2, message, hint, options);
  }
}

/** Exit 3: the token endpoint refused the request (an OAuth error response, or 401/403). */
export class AuthError extends GardinTokenError {
  /** HTTP status of the refusal. */
  readonly status: number;
  /** The OAuth `error` code, when the server sent one. */
  readonly error: string | undefined;
  /** The OAuth `error_description` (or the API's `message`), when the server sent one. */
  readonly errorDescription: string | undefined;

  constructor(message: string, hint: string | undefined, fields: { status: number; error?: string; errorDescription?: string }) {
    super('ERR_TOKEN_REFUSED', 3, message, hint);
    this.status = fields.status;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
  }
}

/** Exit 4: no usable answer from the endpoint (network, DNS, TLS, timeout, redirect, 429/5xx). */
export class NetworkError extends GardinTokenError {
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, 4, message, hint, options);
  }
}

/** Exit 7: the Gardin API answered `gardin-token api` with an HTTP error (its body is on stdout). */
export class ApiError extends GardinTokenError {
  /** The HTTP status of the answer. */
  readonly status: number;
  constructor(status: number, message: string) {
    super('ERR_API_STATUS', 7, message);
    this.status = status;
  }
}

/** Exit 5: a 2xx answer that is not a usable token. */
export class ResponseError extends GardinTokenError {
  constructor(code: string, message: string, hint?: string) {
    super(code, 5, message, hint);
  }
}

export function describeSource(source: Source): string {
  switch (source.kind) {
    case 'flag':
      return `the ${source.name} flag`;
    case 'env':
      return `the ${source.name} environment variable`;
    case 'profile':
      return `profile "${source.name}"`;
    case 'stdin':
      return 'standard input';
    case 'file':
      return `the file ${source.name}`;
    case 'command':
      return `the client-secret command of profile "${source.name}"`;
    case 'keychain':
      return `the OS keychain entry of profile "${source.name}"`;
    case 'default':
      return 'the built-in default';
  }
}

// ---- constructors: every message users can see is written below ----

/** `profiles`: the stored ones, named in the hint when there are any (none is the default then). */
export const missingSetting = (what: 'client ID' | 'client secret', profiles: string[] = []): UsageError => {
  const useProfile =
    profiles.length > 0
      ? `or use a stored profile: -p <name>, or make one the default with gardin-token profile use <name> (stored: ${profiles.join(', ')}).`
      : 'or use a stored profile (gardin-token profile add <name>).';
  return what === 'client ID'
    ? new UsageError('ERR_MISSING_CLIENT_ID', 'No client ID given.', `Pass --client-id, set GARDIN_CLIENT_ID, ${useProfile}`)
    : new UsageError('ERR_MISSING_CLIENT_SECRET', 'No client secret given.', `Pass --client-secret-stdin or --client-secret-file, set GARDIN_CLIENT_SECRET, ${useProfile}`);
};

/** `source` is left out where the name was typed as the command's own argument (`profile show x`). */
export const unknownProfile = (name: string, source: Source | undefined, known: string[]): UsageError =>
  new UsageError(
    'ERR_UNKNOWN_PROFILE',
    `Profile "${name}"${source ? ` (from ${describeSource(source)})` : ''} does not exist.`,
    known.length > 0 ? `Known profiles: ${known.join(', ')}.` : 'Create it with: gardin-token profile add ' + name,
  );

export const profileExists = (name: string): UsageError =>
  new UsageError(
    'ERR_PROFILE_EXISTS',
    `Profile "${name}" already exists.`,
    `Change some of its fields with gardin-token profile set ${name} ..., or replace it whole with --force.`,
  );

export const nothingToSet = (): UsageError =>
  new UsageError('ERR_USAGE', 'Nothing to change: give at least one of --client-id, --client-secret-stdin, --client-secret-command, --token-url, --scope, --auth-method, --base-url.');

/** The sentence after removing the default profile. */
export const noDefaultLeft = (name: string, left: string[]): string =>
  `Removed profile "${name}". It was the default: no default profile remains${left.length > 0 ? `; choose one with gardin-token profile use <name> (${left.join(', ')})` : ''}.`;

/** Exit 2: end of input (Ctrl-D) at a prompt. */
export const promptCancelled = (): UsageError => new UsageError('ERR_CANCELLED', 'Cancelled: end of input at the prompt; nothing was saved.');

/** Exit 8: what the command printed could not be written (a full disk, a closed terminal). */
export const OUTPUT_FAILED = 8;
export const outputFailed = (where: string, reason: string): GardinTokenError =>
  new GardinTokenError('ERR_OUTPUT', OUTPUT_FAILED, `Cannot write to ${where}: ${reason}.`);

/** Exit 130: Ctrl-C, as a shell reports an interrupted command. */
export const interrupted = (): GardinTokenError => new GardinTokenError('ERR_INTERRUPTED', 130, 'Interrupted; nothing was saved.');

export const invalidSetting = (setting: string, value: string, source: Source, expected: string): UsageError =>
  new UsageError('ERR_INVALID_SETTING', `Invalid ${setting} "${value}" from ${describeSource(source)}: expected ${expected}.`);

export const credentialsInUrl = (source: Source, what = 'token URL'): UsageError =>
  new UsageError('ERR_INVALID_URL', `The ${what} from ${describeSource(source)} must not contain credentials; use --client-id and a secret option.`);

export const secretGivenTwice = (ways: string[]): UsageError =>
  new UsageError('ERR_USAGE', `Give the client secret one way only, not with ${ways.join(' and ')}.`);

export const formatsConflict = (formats: string[]): UsageError =>
  new UsageError('ERR_USAGE', `Choose one output format, not ${formats.join(' and ')}.`);

export const unknownShell = (shell: string, shells: readonly string[]): UsageError =>
  new UsageError('ERR_USAGE', `No completion for shell "${shell}"; choose one of ${shells.join(', ')}.`);

export const caFileUnreadable = (file: string, what: string, reason: string): UsageError =>
  new UsageError('ERR_CA_FILE', `Cannot read the CA file ${file} (${what}): ${reason}.`);

/** `profile add` without a client ID or secret and no terminal to ask on. */
export const profileIncomplete = (what: 'client ID' | 'client secret'): UsageError =>
  what === 'client ID'
    ? new UsageError('ERR_MISSING_CLIENT_ID', 'No client ID given: pass --client-id (or run on a terminal to be asked).')
    : new UsageError(
        'ERR_MISSING_CLIENT_SECRET',
        'No client secret given: pass --client-secret-stdin (piping the secret in) or --client-secret-command, or run on a terminal to be asked.',
      );

export const invalidUrl = (value: string, source: Source, what = 'token URL', expected = 'a valid http(s) URL'): UsageError =>
  new UsageError('ERR_INVALID_URL', `The ${what} "${redactUrlCredentials(value)}" from ${describeSource(source)} is not ${expected}.`);

/** A shared-cache URL as a message may show it: no user, password, query or fragment. */
export const redactCacheUrl = (value: string): string => redactUrlCredentials(value).replace(/[?#][\s\S]*$/, '?***');

export const invalidCacheUrl = (value: string, source: Source, why: string): UsageError =>
  new UsageError('ERR_INVALID_URL', `The shared cache URL "${sanitize(redactCacheUrl(value))}" from ${describeSource(source)} cannot be used: ${why}.`);

export const insecureUrl = (url: string, source: Source): UsageError =>
  new UsageError(
    'ERR_INSECURE_URL',
    `Refusing to send credentials over plain http:// to ${url} (from ${describeSource(source)}).`,
    'Use https://; plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1].',
  );

export const configUnreadable = (file: string, reason: string): UsageError =>
  new UsageError('ERR_CONFIG_UNREADABLE', `Cannot read the profile store ${file}: ${reason}.`, 'Fix or remove that file.');

export const stdinUnavailable = (): UsageError =>
  new UsageError(
    'ERR_STDIN',
    '--client-secret-stdin was given but standard input is a terminal.',
    'Pipe the secret in, e.g. printf %s "$SECRET" | gardin-token --client-secret-stdin ...',
  );

export const emptySecret = (source: Source): UsageError =>
  new UsageError('ERR_MISSING_CLIENT_SECRET', `The client secret read from ${describeSource(source)} is empty.`);

export const secretTooLarge = (source: Source, limit: number): UsageError =>
  new UsageError('ERR_SECRET_TOO_LARGE', `The client secret from ${describeSource(source)} is larger than ${limit} bytes, far more than a client secret.`, 'Check that it holds only the secret.');

export const secretFileUnreadable = (file: string, source: Source, reason: string): UsageError =>
  new UsageError('ERR_SECRET_FILE', `Cannot read the client secret file ${file} (from ${describeSource(source)}): ${reason}.`);

export const secretCommandFailed = (profile: string, reason: string): UsageError =>
  new UsageError(
    'ERR_SECRET_COMMAND',
    `The client-secret command of profile "${profile}" failed: ${reason}.`,
    `Check it with: gardin-token profile show ${profile}`,
  );

export const profileNameInvalid = (name: string): UsageError =>
  new UsageError('ERR_INVALID_PROFILE_NAME', `Invalid profile name "${name}": use letters, digits, ".", "_" and "-".`);

export const notInGithubActions = (): UsageError =>
  new UsageError(
    'ERR_NOT_GITHUB_ACTIONS',
    'The github output format works only inside GitHub Actions (GITHUB_ACTIONS=true and GITHUB_ENV set).',
    'Use -o export or -o dotenv elsewhere.',
  );

export const githubEnvUnwritable = (file: string, reason: string): UsageError =>
  new UsageError('ERR_GITHUB_ENV', `Cannot append to $GITHUB_ENV (${file}): ${reason}.`);

export const notAJwt = (reason: string): UsageError =>
  new UsageError('ERR_NOT_A_JWT', `That is not a JWT: ${reason}.`, 'Gardin access tokens are JWTs; opaque tokens cannot be inspected.');

export const noCommand = (): UsageError =>
  new UsageError('ERR_NO_COMMAND', 'No command given to run.', 'Usage: gardin-token exec [options] -- <command> [args...]');

/** Exit 127 (not found) or 126 (not runnable), as shells report a command they cannot start. */
export const execFailed = (file: string, code: string | undefined, reason: string): GardinTokenError =>
  new GardinTokenError('ERR_EXEC', code === 'ENOENT' ? 127 : 126, `Cannot run ${file}: ${code === 'ENOENT' ? 'command not found' : reason}.`);

export const nothingToInspect = (): UsageError =>
  new UsageError(
    'ERR_NOTHING_TO_INSPECT',
    'Nothing to inspect: standard input was empty.',
    'Pass a token, pipe one in (gardin-token | gardin-token inspect), or run on a terminal to inspect the current token.',
  );

export const unsafePath = (path: string, why: string, fix: string): UsageError =>
  new UsageError('ERR_UNSAFE_PATH', `Refusing to use ${path}: it ${why}.`, fix);

export const profileStoreUnwritable = (file: string, reason: string): UsageError =>
  new UsageError('ERR_CONFIG_UNWRITABLE', `Cannot write the profile store ${file}: ${reason}.`, 'Check that the disk is writable and has space.');

export const profileStoreBusy = (file: string): UsageError =>
  new UsageError('ERR_CONFIG_BUSY', `Another gardin-token has been changing the profile store ${file} for over 15 s; giving up.`, 'Try again once it is done.');

/** Words for the errno codes a full or read-only disk gives. */
export const fsReason = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    EACCES: 'permission denied',
    EIO: 'an input/output error (a closed terminal?)',
    EBADF: 'it is closed',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a folder',
  };
  return code ? `${words[code] ?? 'failed'} (${code})` : String(err);
};

export const emptyFlag = (flag: string): UsageError =>
  new UsageError('ERR_EMPTY_VALUE', `The ${flag} flag was given an empty value.`, `Give ${flag} a value, or leave the flag out.`);

export const emptyVar = (name: string): UsageError =>
  new UsageError('ERR_EMPTY_VALUE', `The environment variable ${name} is set but empty.`, `Give it a value, or unset it (unset ${name}).`);

export const optionNotApplicable = (option: string, command: string): UsageError =>
  new UsageError(
    'ERR_USAGE',
    `The option ${option}, written before '${command}', does not apply to '${command}'.`,
    `Run gardin-token ${command} --help for its options.`,
  );

export const optionGivenTwice = (option: string, command: string): UsageError =>
  new UsageError('ERR_USAGE', `The option ${option} was given both before and after '${command}' with different values; give it once.`);

/** The stderr notice when a -p profile sets GARDIN_* variables aside (not an error). */
export const envSetAsideNotice = (vars: string[], profile: string): string =>
  `${vars.join(', ')} ${vars.length === 1 ? 'is' : 'are'} set but not used: profile "${profile}" named by --profile takes precedence over the environment.`;

export const expiredOnArrival = (detail: string): ResponseError =>
  new ResponseError(
    'ERR_TOKEN_EXPIRED',
    `The token endpoint answered with a token that has already expired (${detail}).`,
    "If this machine's clock is ahead (clock skew), set it right (NTP); otherwise report it to the service owner.",
  );

export const proxyAuthRequired = (proxy: string | undefined): NetworkError =>
  new NetworkError(
    'ERR_PROXY_AUTH',
    `The proxy${proxy ? ` ${proxy}` : ''} requires authentication (HTTP 407).`,
    'Put the credentials in the proxy URL (https_proxy=http://user:password@host:port), or exempt the host with NO_PROXY.',
  );

export const invalidProxy = (variable: string, value: string, what: string): UsageError =>
  new UsageError('ERR_INVALID_PROXY', `The proxy URL in ${variable} ("${sanitize(value)}") is ${what}.`, `Fix or unset ${variable}.`);

export const caFileNotPem = (file: string, what: string, reason: string): UsageError =>
  new UsageError('ERR_CA_FILE', `The CA file ${file} (${what}) ${reason}.`, 'Give a file of PEM certificates (-----BEGIN CERTIFICATE-----).');

export const secretCommandTimedOut = (profile: string, seconds: number): UsageError =>
  new UsageError(
    'ERR_SECRET_COMMAND',
    `The client-secret command of profile "${profile}" did not finish within ${seconds} s; it was stopped.`,
    `Check it with: gardin-token profile show ${profile} (it gets --timeout seconds of its own).`,
  );

/** Exit 6 of `status` and `inspect`: what they found is printed; this is the one line on stderr. */
// ---- the shared cache (Redis): never an error, one warning and on without it ----

/** Why the shared cache could not be used, in words: from a Redis error, or a missed budget. */
export const sharedCacheReason = (why: { what: string; timeoutMs?: number; error?: unknown }): string => {
  if (why.timeoutMs !== undefined) return `no answer to ${why.what} within ${why.timeoutMs} ms`;
  const err = why.error as { code?: string; message?: string } | undefined;
  const message = sanitize(String(err?.message ?? err ?? 'unknown error').split('\n')[0]!);
  const known: Array<[RegExp, string]> = [
    [/^WRONGPASS/, 'wrong user name or password'],
    [/^NOAUTH/, 'it asks for a password (add it to the URL: redis://:PASSWORD@host)'],
    [/^NOPERM/, 'the user may not run the commands this needs (GET, SET, EXISTS, EVAL, DEL)'],
    [/^OOM/, 'it is full (maxmemory)'],
    [/^READONLY/, 'it is a read-only replica'],
    [/ECONNREFUSED/, 'connection refused'],
    [/ENOTFOUND|EAI_AGAIN/, 'its host name does not resolve'],
  ];
  const found = known.find(([re]) => re.test(message));
  return `${why.what} failed: ${found ? found[1] : redactUrlCredentials(message)}`;
};

export const noSharedCache = (): UsageError =>
  new UsageError('ERR_USAGE', 'No shared cache is set: give --cache-url, GARDIN_CACHE_URL or a profile with one.');

export const optionNeedsShared = (option: string): UsageError =>
  new UsageError('ERR_USAGE', `${option} applies to cache clear only with --shared; without it, cache clear takes -p/--profile.`);

export const sharedCacheSpent = (ms: number): string => `its share of --timeout (${ms} ms, a third) is spent`;

/** Another host holds the fleet's lock but stored nothing while this one could wait. */
export const sharedLockStuck = (seconds: number): string =>
  `another host has held the lock on this token for ${seconds} s without storing one (it may have died; the lock runs out with its --timeout); fetching here`;

export const sharedCacheUnusable = (url: string, reason: string): string =>
  `not using the shared cache ${url}: ${reason}; going on without it.`;

// ---- the OS keychain ----

const KEYCHAIN_NAMES: Record<string, string> = {
  darwin: 'the macOS Keychain',
  win32: 'the Windows Credential Manager',
};
/** The OS keychain of a platform (`process.platform`), in words. */
export const keychainName = (platform: string): string => KEYCHAIN_NAMES[platform] ?? 'the Secret Service (OS keychain)';

/** A keychain profile whose secret cannot be read (or written) because the keychain is not there. */
export const keychainUnavailable = (profile: string, store: string, reason: string): UsageError =>
  new UsageError(
    'ERR_KEYCHAIN',
    `The client secret of profile "${profile}" is kept in ${store}, which cannot be reached: ${sanitize(reason)}.`,
    `Unlock or start it (on Linux a Secret Service such as gnome-keyring, in a D-Bus session), or store the secret in the file: gardin-token profile set ${profile} --secret-store file --client-secret-stdin`,
  );

export const keychainEntryMissing = (profile: string, store: string): UsageError =>
  new UsageError(
    'ERR_KEYCHAIN',
    `The client secret of profile "${profile}" is not in ${store} (service "gardin-token", account "${profile}").`,
    `Store it again: gardin-token profile set ${profile} --client-secret-stdin`,
  );

/** `--secret-store` given for a profile whose secret is a command's output. */
export const secretStoreNotApplicable = (profile: string | undefined): UsageError =>
  new UsageError(
    'ERR_USAGE',
    `${profile === undefined ? 'A secret from --client-secret-command' : `Profile "${profile}" reads its secret from a command; it`} is not stored: --secret-store applies to a stored secret.`,
  );

export const keychainFallbackNotice = (store: string, reason: string, file: string): string =>
  `No OS keychain could be reached (${store}: ${sanitize(reason)}); the secret is stored in ${file} (mode 0600).`;

export const NO_VALID_TOKEN = 6;
export const noValidCachedToken = (minTtlS: number): string => `No token with at least ${minTtlS} s left is cached for these settings (exit 6).`;
export const tokenExpiredNotice = (): string => 'The token has expired (exit 6).';

export const GARDIN_API = 'the Gardin API';

export const apiStatus = (status: number, statusText: string, reason: string | undefined): ApiError =>
  new ApiError(status, `HTTP ${status}${statusText ? ` ${statusText}` : ''}${reason ? `: ${sanitize(reason)}` : ''}`);

export const apiOriginRefused = (origin: string, base: string): UsageError =>
  new UsageError(
    'ERR_API_ORIGIN',
    `Refusing to send the token to ${redactUrlCredentials(origin)}: it is not the API's origin (${base}).`,
    'Pass a path, or --base-url (GARDIN_API_URL) for another API you trust.',
  );

export const apiRedirectRefused = (status: number, url: string, location: string): NetworkError =>
  new NetworkError(
    'ERR_REDIRECT',
    `${GARDIN_API} ${url} answered with a redirect (HTTP ${status}) to another origin, ${redactUrlCredentials(location)}; the token is never sent to another origin.`,
    'If you trust it, call it with --base-url set to its origin.',
  );

export const tooManyRedirects = (url: string): NetworkError =>
  new NetworkError('ERR_REDIRECT', `${GARDIN_API} ${url} redirected more than 5 times; giving up.`);

export const unknownCommand = (name: string, suggestion: string | undefined): UsageError =>
  new UsageError('ERR_UNKNOWN_COMMAND', `unknown command '${nameOnly(name)}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`, 'Run gardin-token help for the commands.');

export const unknownHelpTopic = (topic: string, topics: string[]): UsageError =>
  new UsageError('ERR_USAGE', `No help on "${topic}"; try one of ${topics.join(', ')}.`);

export const badField = (raw: string, flag: string): UsageError =>
  new UsageError('ERR_USAGE', `${flag} takes key=value, not "${raw}".`, `For example: ${flag} name=value`);

export const badHeader = (raw: string): UsageError =>
  new UsageError('ERR_USAGE', `-H takes 'Name: value', not "${raw}".`);

export const authorizationHeaderGiven = (): UsageError =>
  new UsageError('ERR_USAGE', 'The Authorization header is set by gardin-token: the token goes there; leave -H Authorization out.');

export const headerNotCarried = (raw: string, why: string): UsageError =>
  new UsageError('ERR_USAGE', `Refusing the header ${sanitize(JSON.stringify(raw))}: ${why}.`, 'Nothing was sent.');

export const methodNotCarried = (method: string, why: string): UsageError =>
  new UsageError('ERR_USAGE', `Refusing the method ${sanitize(JSON.stringify(method))}: ${why}.`, 'Nothing was sent.');

export const fieldClash = (raw: string, flag: string, key: string): UsageError =>
  new UsageError('ERR_USAGE', `${flag} ${sanitize(JSON.stringify(raw))} gives "${sanitize(key)}" a second value, or a value of another kind.`, 'Give each key once; repeat key[]=value to make an array.');

/** The most bytes `api` keeps in memory: one body, the pages of --paginate together, --input or an @file. */
export const API_MAX_BYTES = 100 * 1024 * 1024;

export const paginationLoop = (url: string, pages: number): ResponseError =>
  new ResponseError('ERR_PAGINATION', `${GARDIN_API} sent a next link back to ${redactUrlCredentials(url)}, a page already fetched (after ${pages} pages); stopping rather than loop.`, 'Nothing was printed.');

export const tooManyPages = (max: number): ResponseError =>
  new ResponseError('ERR_PAGINATION', `${GARDIN_API} has more than ${max} pages for this request; stopping.`, 'Nothing was printed. Raise --max-pages, or narrow the request.');

export const pagesTooLarge = (pages: number): ResponseError =>
  new ResponseError('ERR_BODY_TOO_LARGE', `The pages of ${GARDIN_API} hold more than ${API_MAX_BYTES} bytes together (at page ${pages}); stopping.`, 'Nothing was printed. Narrow the request.');

export const inputTooLarge = (what: string, limit: number): UsageError =>
  new UsageError('ERR_INPUT', `${what} is larger than ${limit} bytes; refusing to read it whole.`);

export const apiInputUnreadable = (file: string, reason: string): UsageError =>
  new UsageError('ERR_INPUT', `Cannot read ${file === '-' ? 'standard input' : file}: ${reason}.`);

export const inputTwice = (): UsageError =>
  new UsageError('ERR_USAGE', 'Standard input can be read once: give @- or --input - for one value only.');

/** A one-line account of the credentials, for messages about refusals. */
export interface CredentialContext {
  clientId: string;
  clientIdSource: Source;
  secretSource: Source;
  tokenUrl: string;
  /** The scopes sent, and where they came from. */
  scopes: readonly string[];
  scopesSource: Source;
  /** Whitespace at the secret's edges, which a server refuses and a user cannot see (never the secret). */
  secretWhitespace: 'start' | 'end' | 'both' | undefined;
}

const WHITESPACE_AT: Record<'start' | 'end' | 'both', string> = {
  start: 'starts with whitespace',
  end: 'ends with whitespace (a newline?)',
  both: 'starts and ends with whitespace',
};

export const tokenRefused = (
  fields: { status: number; error?: string; errorDescription?: string },
  ctx: CredentialContext,
): AuthError => {
  const what = fields.error
    ? `${fields.error}${fields.errorDescription ? ` (${fields.errorDescription})` : ''}`
    : fields.errorDescription ?? 'no reason given';
  const from =
    ctx.clientIdSource.kind === ctx.secretSource.kind && ctx.clientIdSource.kind === 'profile'
      ? `from ${describeSource(ctx.clientIdSource)}`
      : `client ID from ${describeSource(ctx.clientIdSource)}, secret from ${describeSource(ctx.secretSource)}`;
  let hint: string | undefined;
  if (fields.error === 'invalid_client' || fields.status === 401) {
    hint = ctx.secretWhitespace
      ? `The secret from ${describeSource(ctx.secretSource)} ${WHITESPACE_AT[ctx.secretWhitespace]}: if that is not part of it, remove it (it is sent as given). Else check the client ID "${ctx.clientId}" and its secret.`
      : `Check the client ID "${ctx.clientId}" and its secret (${from}).`;
  } else if (fields.error === 'invalid_scope') {
    const sent = ctx.scopes.length > 0 ? `"${ctx.scopes.join(' ')}" (from ${describeSource(ctx.scopesSource)})` : 'none';
    const comma = ctx.scopes.some((s) => s.includes(',')) ? ' Scopes are separated by spaces or given by repeated --scope flags, not by commas.' : '';
    hint = `The scopes sent: ${sent}; check them against what this client may request.${comma}`;
  } else if (fields.error === 'unauthorized_client') {
    hint = `Client "${ctx.clientId}" is not allowed the client-credentials grant (${from}).`;
  } else if (fields.status === 403) {
    hint = `Client "${ctx.clientId}" is not allowed to get this token (${from}).`;
  }
  return new AuthError(`The token endpoint refused the request: HTTP ${fields.status}, ${what}.`, hint, fields);
};

export interface AttemptRecord {
  /** What the attempt got: "HTTP 503" or an error description. */
  outcome: string;
  ms: number;
}

const attemptsText = (attempts: AttemptRecord[]): string =>
  attempts.length <= 1
    ? ''
    : ` after ${attempts.length} attempts (${attempts.map((a) => a.outcome).join(', ')})`;

export const httpStatusFailure = (status: number, detail: string | undefined, url: string, attempts: AttemptRecord[]): NetworkError =>
  new NetworkError(
    'ERR_HTTP_STATUS',
    `The token endpoint ${url} answered HTTP ${status}${detail ? ` (${detail})` : ''}${attemptsText(attempts)}.`,
    status === 429 || status >= 500 ? 'The service may be overloaded or down; try again later.' : 'Check the token URL.',
  );

/** Which URL setting a peer comes from, for hints. */
const urlSetting = (peer: string): string => (peer === TOKEN_ENDPOINT ? 'the token URL' : 'the URL');

export const TOKEN_ENDPOINT = 'the token endpoint';

export const connectionFailure = (reason: string, url: string, attempts: AttemptRecord[], cause: unknown, peer: string): NetworkError =>
  new NetworkError(
    'ERR_CONNECT',
    `Could not reach ${peer} ${url}: ${reason}${attemptsText(attempts)}.`,
    `Check ${urlSetting(peer)} and your network or proxy settings (HTTPS_PROXY, NO_PROXY).`,
    { cause },
  );

export const timeoutFailure = (seconds: number, url: string, attempts: AttemptRecord[], proxy: string | undefined, peer: string): NetworkError =>
  new NetworkError(
    'ERR_TIMEOUT',
    `No answer from ${peer} ${url} within ${seconds} s${attemptsText(attempts)}.`,
    proxy
      ? `A proxy is configured (${proxy}); check that it is reachable and lets this host through, or exempt the host with NO_PROXY.`
      : 'Raise --timeout, or check your network.',
  );

export const tlsFailure = (reason: string, url: string, code: string | undefined, peer: string): NetworkError => {
  let hint = 'If your network inspects TLS, trust its CA with --ca-file <pem> or GARDIN_CA_FILE (or NODE_EXTRA_CA_CERTS).';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') hint = `The certificate does not name this host: check ${urlSetting(peer)}.`;
  if (code === 'CERT_HAS_EXPIRED') hint = 'The server certificate has expired (or this machine\'s clock is wrong).';
  if (code === 'NOT_TLS') hint = `Is ${urlSetting(peer)} meant to be http:// (allowed for loopback hosts only)?`;
  return new NetworkError('ERR_TLS', `TLS with ${peer} ${url} failed: ${reason}.`, hint);
};

export const redirectRefused = (status: number, url: string, location: string | undefined): NetworkError =>
  new NetworkError(
    'ERR_REDIRECT',
    `The token endpoint ${url} answered with a redirect (HTTP ${status}) to ${location ? redactUrlCredentials(location) : 'an unnamed location'}; credentials are never sent to another origin.`,
    location ? `If that is the right endpoint, pass --token-url ${redactUrlCredentials(location)}` : undefined,
  );

export const badResponse = (code: string, what: string): ResponseError =>
  new ResponseError(code, `The token endpoint answered 2xx but ${what}.`, 'This is a server-side problem; report it to the service owner.');

export const htmlNotToken = (excerpt: string | undefined): ResponseError =>
  new ResponseError(
    'ERR_NOT_JSON',
    `The token endpoint answered 2xx with an HTML page, not a token${excerpt ? `: "${excerpt}"` : ''}.`,
    'The URL may not be a token endpoint (a captive portal, a sign-in page, a wrong path): check the token URL (--token-url, GARDIN_TOKEN_URL or the profile).',
  );

export const bodyTooLarge = (limit: number, peer: string): ResponseError =>
  new ResponseError('ERR_BODY_TOO_LARGE', `The answer of ${peer} is larger than ${limit} bytes; refusing it.`);

/**
 * Commander's parse error as one line, like every other error. Commander echoes what was typed,
 * and a mistyped --client-secrett=... carries the secret: option values are masked (the secrets
 * found on the command line are scrubbed besides, by the reporter).
 */
export const parseErrorLine = (commanderText: string): string =>
  commanderText
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/^(error: unknown option )'([\s\S]*?)'(?=( \(Did you mean [^)]*\))?$)/, (_all, lead: string, option: string) => `${lead}'${nameOnly(option)}'`) + ' Run gardin-token --help for usage.\n';

/** What a PowerShell eval of a failed call stops with (the error itself is on stderr). */
export const EVAL_FAILED = 'gardin-token failed; see its error above';

/** Exit 1: an error nobody planned for. */
export const internal = (err: unknown): GardinTokenError =>
  new GardinTokenError(
    'ERR_INTERNAL',
    1,
    `Internal error (a bug in gardin-token): ${err instanceof Error ? err.message : String(err)}.`,
    'Please report it, with the output of the same command run with --verbose.',
    { cause: err },
  );

/** Duck-typed, so that an error from another copy of the package (two versions installed) is still recognised. */
export function isGardinTokenError(err: unknown): err is GardinTokenError {
  return (
    err instanceof GardinTokenError ||
    (err instanceof Error && typeof (err as GardinTokenError).code === 'string' && typeof (err as GardinTokenError).exitCode === 'number')
  );
}

/** Turns anything thrown into the message lines and the exit code the CLI reports. */
export function toReport(err: unknown): { message: string; hint: string | undefined; exitCode: number; error: GardinTokenError } {
  const e = isGardinTokenError(err) ? err : internal(err);
  return { message: e.message, hint: e.hint, exitCode: e.exitCode, error: e };
}
