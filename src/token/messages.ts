import { type Source, describeSource } from '../config/source.js';
import { attemptsText, type AttemptRecord } from '../net/messages.js';
import { AuthError, NetworkError, ResponseError, UsageError } from '../platform/errors.js';
import { redactUrlCredentials, sanitize } from '../platform/text.js';

// What the token endpoint's answers mean, in words.

export const expiredOnArrival = (detail: string): ResponseError =>
  new ResponseError(
    'ERR_TOKEN_EXPIRED',
    `The token endpoint answered with a token that has already expired (${detail}).`,
    "If this machine's clock is ahead (clock skew), set it right (NTP); otherwise report it to the service owner.",
  );

/** A one-line account of the credentials, for messages about refusals. */
export interface CredentialContext {
  clientId: string;
  clientIdSource: Source;
  secretSource: Source;
  tokenUrl: string;
  tokenUrlSource: Source;
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

export const tokenRefused = (fields: { status: number; error?: string; errorDescription?: string }, ctx: CredentialContext): AuthError => {
  const what = fields.error ? `${fields.error}${fields.errorDescription ? ` (${fields.errorDescription})` : ''}` : (fields.errorDescription ?? 'no reason given');
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
  return new AuthError(`The token endpoint ${ctx.tokenUrl} (from ${describeSource(ctx.tokenUrlSource)}) refused the request: HTTP ${fields.status}, ${what}.`, hint, fields);
};

export const httpStatusFailure = (status: number, detail: string | undefined, url: string, attempts: AttemptRecord[]): NetworkError =>
  new NetworkError(
    'ERR_HTTP_STATUS',
    `The token endpoint ${url} answered HTTP ${status}${detail ? ` (${detail})` : ''}${attemptsText(attempts)}.`,
    status === 429 || status >= 500 ? 'The service may be overloaded or down; try again later.' : 'Check the token URL.',
  );

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

/** --auth-method (or a profile's) names no method this tool has. */
export const unknownAuthMethod = (name: string, source: Source, names: readonly string[]): UsageError =>
  new UsageError(
    'ERR_INVALID_SETTING',
    `Invalid client authentication method "${sanitize(name)}" from ${describeSource(source)}: expected ${names.map((n) => `"${n}"`).join(', ')}.`,
  );

/** The method needs a secret or a key that the identity in use does not give. */
export const missingCredential = (method: string, credential: 'secret' | 'private-key', clientId: Source, naming: 'flags' | 'options', profiles: string[]): UsageError => {
  const secret = credential === 'secret';
  const given =
    naming === 'flags'
      ? secret
        ? 'pass --client-secret-stdin or --client-secret-file'
        : 'pass --private-key-file'
      : `give the ${secret ? 'clientSecret' : 'privateKeyFile'} option`;
  // A profile's identity takes nothing from the environment: its credential is stored or given.
  const ways =
    clientId.kind === 'profile'
      ? `${given}, or store it in the profile: gardin-token profile set ${clientId.name} ${secret ? '--client-secret-stdin' : '--private-key-file <path>'}`
      : `${given}, or set ${secret ? 'GARDIN_CLIENT_SECRET' : 'GARDIN_PRIVATE_KEY_FILE'}${profiles.length > 0 ? '; or use a stored profile whole, without the client ID' : ''}`;
  return new UsageError(
    secret ? 'ERR_MISSING_CLIENT_SECRET' : 'ERR_MISSING_PRIVATE_KEY',
    `No ${secret ? 'client secret' : 'private key'} given for the client ID from ${describeSource(clientId)}${method === 'basic' ? '' : ` (client authentication ${method})`}.`,
    `${ways.charAt(0).toUpperCase()}${ways.slice(1)}.`,
  );
};

/** A private_key_jwt key that node:crypto cannot read as a private key. */
export const privateKeyUnusable = (source: string, reason: string): UsageError =>
  new UsageError(
    'ERR_PRIVATE_KEY',
    `The private key from ${source} cannot be used: ${sanitize(reason)}.`,
    'Give a private key in PEM (PKCS#8, PKCS#1 or SEC1) or as a JWK with its "d".',
  );

export const cacheUnwritable = (dir: string, reason: string): string => `could not write the token cache in ${dir}: ${reason}`;

export const shorterThanMinTtl = (lifetimeS: number, minTtlS: number): string =>
  `the token lives ${lifetimeS} s, less than --min-ttl (${minTtlS} s): no call can reuse it, so each fetches a new one. Lower --min-ttl below ${lifetimeS}.`;
