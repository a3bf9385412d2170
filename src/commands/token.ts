import { appendFileSync } from 'node:fs';
import { builtin } from '../platform/builtin.js';
import type { Deps } from '../platform/deps.js';
import { formatsConflict, githubEnvUnwritable, notInGithubActions } from './messages.js';
import { invalidSetting } from '../config/messages.js';
import { checkVarName, formatToken, githubEnvLines, OUTPUT_FORMATS, type OutputFormat } from '../formats/index.js';
import type { Reporter } from '../platform/reporter.js';
import type { TokenInputs } from '../config/settings.js';
import { fetchForCommand, printable } from './fetch.js';

export interface OutputOptions {
  output?: string;
  json?: boolean;
  export?: boolean;
  varName?: string;
}

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

/** The default command: resolve settings, get a token, print it in the chosen format. */
export async function tokenCommand(opts: TokenInputs & OutputOptions, deps: Deps, reporter: Reporter): Promise<number> {
  const format = outputFormat(opts);
  const varName = checkVarName(opts.varName);
  const githubEnv = deps.env.GITHUB_ENV;
  if (format === 'github' && (deps.env.GITHUB_ACTIONS !== 'true' || !githubEnv)) throw notInGithubActions();

  const token = await fetchForCommand(opts, deps, reporter);
  const now = deps.now();
  if (format === 'github') {
    const delimiter = `GARDIN_TOKEN_EOF_${builtin<typeof import('node:crypto')>('node:crypto').randomBytes(16).toString('hex')}`;
    try {
      // 0600 if this makes the file (the runner makes it; a missing one is made for our eyes only).
      appendFileSync(githubEnv!, githubEnvLines(printable(token), varName, delimiter), { mode: 0o600 });
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
