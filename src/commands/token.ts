import { appendFileSync } from 'node:fs';
import { builtin } from '../builtin.js';
import { colorEnabled, type Deps } from '../deps.js';
import { formatsConflict, githubEnvUnwritable, invalidSetting, notInGithubActions } from '../errors.js';
import { DEFAULT_VAR_NAME, formatToken, githubEnvLines, OUTPUT_FORMATS, VAR_NAME, type OutputFormat, type Printable } from '../format.js';
import { readProfileStore } from '../profiles.js';
import { Reporter } from '../reporter.js';
import { resolveSettings, type Settings, type TokenInputs } from '../settings.js';
import { obtainToken, type Obtained } from '../token/index.js';

export interface OutputOptions {
  output?: string;
  json?: boolean;
  export?: boolean;
  varName?: string;
}

export interface UiOptions {
  verbose?: boolean;
  quiet?: boolean;
}

export const reporterFor = (opts: UiOptions, deps: Deps): Reporter =>
  new Reporter(deps.io, { verbose: opts.verbose === true, quiet: opts.quiet === true, color: () => colorEnabled(deps.io, deps.env) });

/** `-o`, `--json` and `--export` name one format; two different ones are a usage error. */
export function outputFormat(opts: OutputOptions): OutputFormat {
  const named = [opts.output, opts.json ? 'json' : undefined, opts.export ? 'export' : undefined].filter((f): f is string => f !== undefined);
  const distinct = [...new Set(named)];
  if (distinct.length > 1) throw formatsConflict(distinct);
  const format = distinct[0] ?? 'raw';
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) {
    throw invalidSetting('output format', format, { kind: 'flag', name: '--output' }, OUTPUT_FORMATS.join(', '));
  }
  return format as OutputFormat;
}

export function varNameOf(opts: OutputOptions): string {
  const name = opts.varName ?? DEFAULT_VAR_NAME;
  if (!VAR_NAME.test(name)) throw invalidSetting('variable name', name, { kind: 'flag', name: '--var-name' }, 'letters, digits and _, not starting with a digit');
  return name;
}

export function settingsFrom(opts: TokenInputs, deps: Deps): Settings {
  return resolveSettings(opts, deps.env, readProfileStore(deps.dirs.config));
}

export async function fetchForCommand(opts: TokenInputs & UiOptions, deps: Deps, reporter: Reporter): Promise<Obtained> {
  const settings = settingsFrom(opts, deps);
  // Asked only on a cache miss: probing the terminal loads node:tty.
  return obtainToken(settings, deps, reporter, { spinner: () => !reporter.quiet && !reporter.verbose && deps.io.stderrIsTTY });
}

export const printable = (t: Obtained): Printable => ({
  accessToken: t.accessToken,
  tokenType: t.tokenType,
  expiresAt: t.expiresAt,
  scope: t.scope,
  cached: t.fromCache,
});

/** The default command: resolve settings, get a token, print it in the chosen format. */
export async function tokenCommand(opts: TokenInputs & OutputOptions & UiOptions, deps: Deps, reporter: Reporter): Promise<number> {
  const format = outputFormat(opts);
  const varName = varNameOf(opts);
  const githubEnv = deps.env.GITHUB_ENV;
  if (format === 'github' && (deps.env.GITHUB_ACTIONS !== 'true' || !githubEnv)) throw notInGithubActions();

  const token = await fetchForCommand(opts, deps, reporter);
  const now = deps.now();
  if (format === 'github') {
    const delimiter = `GARDIN_TOKEN_EOF_${builtin<typeof import('node:crypto')>('node:crypto').randomBytes(16).toString('hex')}`;
    try {
      appendFileSync(githubEnv!, githubEnvLines(printable(token), varName, delimiter));
    } catch (err) {
      throw githubEnvUnwritable(githubEnv!, (err as NodeJS.ErrnoException).code ?? String(err));
    }
    // Later steps see the variables only after this step ends, by when the runner has the mask.
    deps.io.stdout.write(`::add-mask::${token.accessToken}\n`);
    reporter.info(`Set ${varName} and ${varName}_EXPIRES_AT for the following steps.`);
    return 0;
  }
  deps.io.stdout.write(formatToken(printable(token), format, now, varName));
  return 0;
}
