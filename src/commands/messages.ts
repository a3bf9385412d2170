import { GardinTokenError, UsageError } from '../platform/errors.js';
import { nameOnly, sanitize } from '../platform/text.js';
import { closest } from './closest.js';

// What the commands say, beyond what the areas they call say.

export const formatsConflict = (formats: string[]): UsageError => new UsageError('ERR_USAGE', `Choose one output format, not ${formats.join(' and ')}.`);

export const unknownShell = (shell: string, shells: readonly string[]): UsageError =>
  new UsageError('ERR_USAGE', `No completion for shell "${shell}"; choose one of ${shells.join(', ')}.`);

export const notAJwt = (reason: string): UsageError =>
  new UsageError('ERR_NOT_A_JWT', `That is not a JWT: ${reason}.`, 'Gardin access tokens are JWTs; opaque tokens cannot be inspected.');

export const noCommand = (): UsageError => new UsageError('ERR_NO_COMMAND', 'No command given to run.', 'Usage: gardin-token exec [options] -- <command> [args...]');

/** Exit 127 (not found) or 126 (not runnable), as shells report a command they cannot start. */
export const execFailed = (file: string, code: string | undefined, reason: string): GardinTokenError =>
  new GardinTokenError('ERR_EXEC', code === 'ENOENT' ? 127 : 126, `Cannot run ${file}: ${code === 'ENOENT' ? 'command not found' : reason}.`);

export const nothingToInspect = (): UsageError =>
  new UsageError(
    'ERR_NOTHING_TO_INSPECT',
    'Nothing to inspect: standard input was empty.',
    'Pass a token, pipe one in (gardin-token | gardin-token inspect), or run on a terminal to inspect the current token.',
  );

export const noSharedCache = (): UsageError => new UsageError('ERR_USAGE', 'No shared cache is set: give --cache-url, GARDIN_CACHE_URL or a profile with one.');

export const optionNeedsShared = (option: string): UsageError =>
  new UsageError('ERR_USAGE', `${option} applies to cache clear only with --shared; without it, cache clear takes -p/--profile.`);

export const NO_VALID_TOKEN = 6;

export const noValidCachedToken = (minTtlS: number): string => `No token with at least ${minTtlS} s left is cached for these settings (exit 6).`;

export const tokenExpiredNotice = (): string => 'The token has expired (exit 6).';

export const unknownHelpTopic = (topic: string, topics: string[]): UsageError => new UsageError('ERR_USAGE', `No help on "${topic}"; try one of ${topics.join(', ')}.`);

/** A word where a command would stand that names none: the nearest command, if one is near. */
export const unknownCommand = (word: string, commands: readonly string[]): UsageError => {
  const suggestion = closest(word, commands);
  return new UsageError(
    'ERR_UNKNOWN_COMMAND',
    `unknown command '${nameOnly(word)}'.${suggestion ? ` Did you mean '${suggestion}'?` : ''}`,
    'Run gardin-token help for the commands.',
  );
};

// What the profile and cache commands report on success (stderr; not with -q).
export const profileSaved = (name: string, replacing: boolean, isDefault: boolean, file: string): string =>
  `${replacing ? 'Replaced' : 'Saved'} profile "${name}"${isDefault ? ' (the default)' : ''} in ${file}.`;
export const noProfilesStored = (): string => 'No profiles stored; add one with: gardin-token profile add <name>';
export const profileRenamed = (from: string, to: string, wasDefault: boolean): string => `Renamed profile "${from}" to "${to}"${wasDefault ? ' (still the default)' : ''}.`;
export const profileUpdated = (name: string, fields: string[], isDefault: boolean): string =>
  `Updated profile "${name}"${fields.length > 0 ? ` (${fields.join(', ')})` : ''}${isDefault ? '; it is the default' : ''}.`;
export const profileNowDefault = (name: string): string => `Profile "${name}" is now the default.`;
export const keychainEntryNotDeleted = (name: string, reason: string): string =>
  `could not delete the keychain entry of profile "${name}" (service "gardin-token", account "${name}"): ${reason}`;
export const cacheCleared = (removed: number, profile: string | undefined, dir: string): string =>
  `Removed ${removed} cached token${removed === 1 ? '' : 's'}${profile ? ` of profile "${profile}"` : ''} from ${dir}.`;
/** `cache clear --shared`: what went here and on Redis (`shared` undefined: Redis could not be asked). */
export const sharedCacheCleared = (local: boolean, shared: number | undefined, url: string): string => {
  const here = local ? 'Removed the cached token here' : 'No cached token here';
  if (shared === undefined) return `${here}; the shared entry on ${url} could not be removed.`;
  return `${here}; ${shared > 0 ? 'removed the shared entry' : 'no shared entry'} on ${url}.`;
};

// exec --refresh: the token file.
export const optionNeedsRefresh = (option: string): UsageError => new UsageError('ERR_USAGE', `${option} applies only with --refresh.`);
export const unknownSignal = (name: string): UsageError =>
  new UsageError('ERR_USAGE', `Unknown signal "${nameOnly(name)}" for --refresh-signal.`, 'Give a signal the command can catch, such as HUP, USR1 or USR2.');
export const renewFailedNotice = (reason: string, retryInMs: number): string =>
  `could not renew the token (${reason.replace(/\.$/, '')}); trying again in ${Math.round(retryInMs / 1000)} s.`;
export const tokenFileEmptied = (file: string, reason: string): string =>
  `the token in ${file} has expired and no new one could be fetched (${reason.replace(/\.$/, '')}): the file is empty until one is; still trying.`;
export const noLifetimeToKeep = (): string => 'the token endpoint stated no lifetime for this token: the token file keeps this one, and is not renewed.';

// proxy.
export const invalidListen = (value: string, why: string): UsageError => new UsageError('ERR_USAGE', `Cannot listen on "${sanitize(value)}": ${why}.`);
export const keyFileUnusable = (file: string, why: string): UsageError => new UsageError('ERR_USAGE', `Cannot use the key file ${file}: ${why}.`);
/** What the proxy answers a request it does not pass on (in its JSON body). */
export const proxyRefusal = (why: 'absolute' | 'host' | 'key' | 'token' | 'api', reason?: string): string =>
  ({
    absolute: 'gardin-token proxy is not an open proxy: send paths under the API base URL only.',
    host: 'The Host header does not name this proxy: it answers only requests addressed to its own address.',
    key: "Present the proxy's key: Authorization: Bearer $GARDIN_PROXY_KEY.",
    token: `gardin-token could not get a token: ${reason}`,
    api: `gardin-token could not reach the Gardin API: ${reason}.`,
  })[why];
