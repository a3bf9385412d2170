import { invalidSetting } from '../config/messages.js';

/** A token as the formats print it. */
export interface Printable {
  accessToken: string;
  tokenType: 'Bearer';
  /** Epoch ms; undefined when the server stated no lifetime. */
  expiresAt: number | undefined;
  scope: string | undefined;
  cached: boolean;
}

/** What a format is given besides the token. */
export interface FormatContext {
  now: number;
  /** The variable the shell formats set (--var-name). */
  varName: string;
  env: Record<string, string | undefined>;
}

/** What a format makes of a token: stdout's text, and what the command must do besides. */
export interface Rendered {
  stdout: string;
  /** Lines to append to files (GitHub Actions' $GITHUB_ENV and $GITHUB_OUTPUT). */
  append?: ReadonlyArray<{ file: string; text: string; onError: (reason: string) => Error }>;
  /** A line for humans on stderr. */
  notice?: string;
}

/** An output format of `-o`: one file each in this folder, listed in index.ts. */
export interface OutputFormat {
  readonly name: string;
  /** Refuses, before anything is fetched, a format that cannot work here (github outside Actions). */
  check?(env: Record<string, string | undefined>): void;
  render(t: Printable, ctx: FormatContext): Rendered;
  /**
   * For formats made for `eval`: what a failed call prints instead, one statement that fails and
   * does nothing else, so that `eval "$(gardin-token --export)"` fails and `set -e` stops a script.
   */
  readonly onFailure?: string;
}

export const DEFAULT_VAR_NAME = 'GARDIN_ACCESS_TOKEN';
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The --var-name for the shell formats and exec, checked (a name any shell accepts). */
export function checkVarName(name: string = DEFAULT_VAR_NAME): string {
  if (!VAR_NAME.test(name)) throw invalidSetting('variable name', name, { kind: 'flag', name: '--var-name' }, 'letters, digits and _, not starting with a digit');
  return name;
}

export const isoTime = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** The variables the shell formats (and exec) set: the token, then its expiry. */
export function variables(t: Printable, varName: string): Array<[string, string]> {
  return [
    [varName, t.accessToken],
    [`${varName}_EXPIRES_AT`, isoTime(t.expiresAt)],
  ];
}

/**
 * One line per variable, for the shell formats. Values reaching a shell are safe twice over: the
 * token was validated as a b64token, and each format quotes for the shell it targets.
 */
export const lines = (t: Printable, ctx: FormatContext, line: (name: string, value: string) => string): string =>
  variables(t, ctx.varName)
    .map(([n, v]) => line(n, v) + '\n')
    .join('');

/** Single quotes for POSIX shells: ' becomes '\''. */
export const shQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;
