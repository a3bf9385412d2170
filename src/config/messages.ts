import { type Source, describeSource } from './source.js';
import { UsageError } from '../platform/errors.js';
import { redactUrlCredentials, sanitize } from '../platform/text.js';

// What the settings, the profile store and the secret stores say when something is wrong.

/** No identity at all: `profiles` are the stored ones (none is the default then), named in the hint. */
export const missingClientId = (profiles: string[], naming: 'flags' | 'options'): UsageError => {
  const useProfile =
    profiles.length > 0
      ? `or use a stored profile: ${naming === 'flags' ? '-p <name>' : 'the profile option'}, or make one the default with gardin-token profile use <name> (stored: ${profiles.join(', ')}).`
      : 'or use a stored profile (gardin-token profile add <name>).';
  return new UsageError(
    'ERR_MISSING_CLIENT_ID',
    'No client ID given.',
    `${naming === 'flags' ? 'Pass --client-id' : 'Give the clientId option'}, set GARDIN_CLIENT_ID, ${useProfile}`,
  );
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

export const nothingToSet = (flags: readonly string[]): UsageError => new UsageError('ERR_USAGE', `Nothing to change: give at least one of ${flags.join(', ')}.`);

/** The sentence after removing the default profile. */
export const noDefaultLeft = (name: string, left: string[]): string =>
  `Removed profile "${name}". It was the default: no default profile remains${left.length > 0 ? `; choose one with gardin-token profile use <name> (${left.join(', ')})` : ''}.`;

export const invalidSetting = (setting: string, value: string, source: Source, expected: string): UsageError =>
  new UsageError('ERR_INVALID_SETTING', `Invalid ${setting} "${value}" from ${describeSource(source)}: expected ${expected}.`);

export const credentialsInUrl = (source: Source): UsageError =>
  new UsageError('ERR_INVALID_URL', `The token URL from ${describeSource(source)} must not contain credentials; give the client ID and secret on their own.`);

export const apiUrlCredentials = (source: Source): UsageError =>
  new UsageError('ERR_INVALID_URL', `The API base URL from ${describeSource(source)} must not contain credentials: the token is what authenticates.`);

/** `ways`, in words: the flags or options that each gave a secret. */
export const secretGivenTwice = (ways: string[]): UsageError => new UsageError('ERR_USAGE', `Give the client secret one way only, not with ${ways.join(' and ')}.`);

/** `profile add` without a client ID, secret or private key, and no terminal to ask on. */
export const profileIncomplete = (what: 'client ID' | 'client secret' | 'private key'): UsageError =>
  what === 'client ID'
    ? new UsageError('ERR_MISSING_CLIENT_ID', 'No client ID given: pass --client-id (or run on a terminal to be asked).')
    : what === 'private key'
      ? new UsageError('ERR_MISSING_PRIVATE_KEY', 'No private key given: private_key_jwt needs --private-key-file (or run on a terminal to be asked).')
      : new UsageError(
          'ERR_MISSING_CLIENT_SECRET',
          'No client secret given: pass --client-secret-stdin (piping the secret in) or --client-secret-command, or run on a terminal to be asked.',
        );

export const invalidUrl = (value: string, source: Source, what: string): UsageError =>
  new UsageError('ERR_INVALID_URL', `The ${what} "${sanitize(redactUrlCredentials(value))}" from ${describeSource(source)} is not a valid http(s) URL.`);

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

export const emptySecret = (source: Source): UsageError => new UsageError('ERR_MISSING_CLIENT_SECRET', `The client secret read from ${describeSource(source)} is empty.`);

export const secretTooLarge = (source: Source, limit: number): UsageError =>
  new UsageError(
    'ERR_SECRET_TOO_LARGE',
    `The client secret from ${describeSource(source)} is larger than ${limit} bytes, far more than a client secret.`,
    'Check that it holds only the secret.',
  );

export const secretFileUnreadable = (file: string, source: Source, reason: string): UsageError =>
  new UsageError('ERR_SECRET_FILE', `Cannot read the client secret file ${file} (from ${describeSource(source)}): ${reason}.`);

export const secretCommandFailed = (profile: string, reason: string): UsageError =>
  new UsageError('ERR_SECRET_COMMAND', `The client-secret command of profile "${profile}" failed: ${reason}.`, `Check it with: gardin-token profile show ${profile}`);

export const profileNameInvalid = (name: string): UsageError =>
  new UsageError('ERR_INVALID_PROFILE_NAME', `Invalid profile name "${name}": use letters, digits, ".", "_" and "-".`);

export const profileStoreUnwritable = (file: string, reason: string): UsageError =>
  new UsageError('ERR_CONFIG_UNWRITABLE', `Cannot write the profile store ${file}: ${reason}.`, 'Check that the disk is writable and has space.');

export const profileStoreBusy = (file: string): UsageError =>
  new UsageError('ERR_CONFIG_BUSY', `Another gardin-token has been changing the profile store ${file} for over 15 s; giving up.`, 'Try again once it is done.');

export const emptyValue = (source: Source): UsageError =>
  new UsageError('ERR_EMPTY_VALUE', `${describeSource(source).replace(/^the /, 'The ')} was given an empty value.`, `Give it a value, or leave it out.`);

export const emptyVar = (name: string): UsageError =>
  new UsageError('ERR_EMPTY_VALUE', `The environment variable ${name} is set but empty.`, `Give it a value, or unset it (unset ${name}).`);

/** The stderr notice when a -p profile sets GARDIN_* variables aside (not an error). */
/** The stderr notice when a profile gives the identity and GARDIN_* variables are set aside (not an error). */
export const envSetAsideNotice = (vars: string[], profile: { value: string; source: Source }): string =>
  `${vars.join(', ')} ${vars.length === 1 ? 'is' : 'are'} set but not used: profile "${profile.value}" (from ${describeSource(profile.source)}) gives the whole identity, and the environment changes none of it.`;

export const secretCommandTimedOut = (profile: string, seconds: number): UsageError =>
  new UsageError(
    'ERR_SECRET_COMMAND',
    `The client-secret command of profile "${profile}" did not finish within ${seconds} s; it was stopped.`,
    `Check it with: gardin-token profile show ${profile} (it gets --timeout seconds of its own).`,
  );

const KEYCHAIN_NAMES: Record<string, string> = {
  darwin: 'the macOS Keychain',
  win32: 'the Windows Credential Manager',
};

/** The OS keychain of a platform (`process.platform`), in words. */
export const keychainName = (platform: string): string => KEYCHAIN_NAMES[platform] ?? 'the Secret Service (OS keychain)';

/** Why the keychain could not be used, and what is missing: its native module (or the single-file binary cannot carry it), the service, or neither (locked, refused). */
export interface KeychainReason {
  missing: 'module' | 'binary' | 'service' | undefined;
  text: string;
}

/**
 * The keychain cannot be reached for a profile's secret. `saved`: the profile exists (its secret
 * is read, or it is renamed); else it is being added, and nothing was saved.
 */
export const keychainUnavailable = (profile: string, store: string, reason: KeychainReason, saved = true): UsageError => {
  const fix = {
    module: 'Reinstall gardin-token with its optional dependencies (npm install -g gardin-token --include=optional)',
    binary: 'Install the npm package for the keychain (npm install -g gardin-token)',
    service: 'Start a Secret Service (gnome-keyring, KeePassXC) in a D-Bus session',
    other: `Unlock ${store}`,
  }[reason.missing ?? 'other'];
  const instead = saved
    ? `gardin-token profile set ${profile} --secret-store file --client-secret-stdin`
    : `gardin-token profile add ${profile} --secret-store file ... (nothing was saved)`;
  return new UsageError(
    'ERR_KEYCHAIN',
    `${saved ? `The client secret of profile "${profile}" is kept in ${store}` : `The client secret of profile "${profile}" was to go to ${store}`}, which cannot be used: ${sanitize(reason.text).replace(/\.$/, '')}.`,
    `${fix}, or keep the secret in the profile store instead: ${instead}`,
  );
};

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

export const keychainFallbackNotice = (store: string, reason: KeychainReason, file: string): string =>
  `No OS keychain could be used (${store}: ${sanitize(reason.text)}); the secret is stored in ${file} (mode 0600).`;
