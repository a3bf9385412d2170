import { invalidSetting } from '../config/messages.js';
import { EVAL_FAILED } from './messages.js';
import { expiresInSeconds } from '../cache/entry.js';

/** The named output formats of `-o`. */
export const OUTPUT_FORMATS = ['raw', 'json', 'export', 'header', 'dotenv', 'fish', 'powershell', 'cmd', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export const DEFAULT_VAR_NAME = 'GARDIN_ACCESS_TOKEN';
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The --var-name for the shell formats and exec, checked (a name any shell accepts). */
export function checkVarName(name: string = DEFAULT_VAR_NAME): string {
  if (!VAR_NAME.test(name)) throw invalidSetting('variable name', name, { kind: 'flag', name: '--var-name' }, 'letters, digits and _, not starting with a digit');
  return name;
}

export interface Printable {
  accessToken: string;
  tokenType: 'Bearer';
  /** Epoch ms; undefined when the server stated no lifetime. */
  expiresAt: number | undefined;
  scope: string | undefined;
  cached: boolean;
}


export const isoTime = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/**
 * What the formats made for `eval` print when the call fails: one statement that fails and does
 * nothing else, so that `eval "$(gardin-token --export)"` fails too and `set -e` stops the script.
 */
export const EVAL_FAILURE: Record<string, string> = {
  export: 'false\n',
  fish: 'false\n',
  powershell: `throw '${EVAL_FAILED}'\n`,
};

/** Single-quotes for POSIX shells, fish and PowerShell alike: ' becomes the shell's own escape. */
const quote = {
  sh: (s: string) => `'${s.replaceAll("'", `'\\''`)}'`,
  fish: (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
  ps: (s: string) => `'${s.replaceAll("'", "''")}'`,
};

/** The variables a shell format sets: the token, then its expiry. */
export function variables(t: Printable, varName: string): Array<[string, string]> {
  return [
    [varName, t.accessToken],
    [`${varName}_EXPIRES_AT`, isoTime(t.expiresAt)],
  ];
}

/**
 * The text for stdout in each format. Values reaching a shell are safe twice over: the token was
 * validated as a b64token, and each value is quoted for the shell it targets (dotenv: whenever
 * a shell would change it).
 */
export function formatToken(t: Printable, format: Exclude<OutputFormat, 'github'>, now: number, varName = DEFAULT_VAR_NAME): string {
  const lines = (f: (name: string, value: string) => string) =>
    variables(t, varName)
      .map(([n, v]) => f(n, v) + '\n')
      .join('');
  switch (format) {
    case 'raw':
      return `${t.accessToken}\n`;
    case 'json': {
      const o: Record<string, unknown> = {
        access_token: t.accessToken,
        token_type: t.tokenType,
        expires_in: expiresInSeconds(t.expiresAt, now) ?? null,
        expires_at: t.expiresAt === undefined ? null : isoTime(t.expiresAt),
      };
      if (t.scope !== undefined) o.scope = t.scope;
      o.cached = t.cached;
      return JSON.stringify(o) + '\n';
    }
    case 'export':
      return lines((n, v) => `export ${n}=${quote.sh(v)}`);
    case 'header':
      return `Authorization: Bearer ${t.accessToken}\n`;
    case 'dotenv':
      // docker --env-file takes values verbatim (quotes would become part of the value), so a
      // value is bare unless `sh` would change it: b64token allows a leading `~`, which
      // `. ./file` would expand to a home folder. Such a value is single-quoted.
      return lines((n, v) => `${n}=${/^(?!~)[A-Za-z0-9._~+/=:-]*$/.test(v) ? v : quote.sh(v)}`);
    case 'fish':
      return lines((n, v) => `set -gx ${n} ${quote.fish(v)}`);
    case 'powershell':
      return lines((n, v) => `$Env:${n} = ${quote.ps(v)}`);
    case 'cmd':
      return lines((n, v) => `set "${n}=${v}"`);
  }
}

/**
 * The lines appended to $GITHUB_ENV: the heredoc-like delimiter form, with a random delimiter
 * that cannot occur in the value, so a value can never define another variable.
 */
export function githubEnvLines(t: Printable, varName: string, delimiter: string): string {
  return variables(t, varName)
    .map(([n, v]) => `${n}<<${delimiter}\n${v}\n${delimiter}\n`)
    .join('');
}
