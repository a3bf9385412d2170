import { appendFileSync } from 'node:fs';
import type { TokenInputs } from '../config/settings.js';
import { invalidSetting } from '../config/messages.js';
import { checkVarName } from '../formats/format.js';
import { FORMAT_NAMES, formatNamed } from '../formats/index.js';
import type { OutputFormat } from '../formats/format.js';
import { fsReason } from '../platform/errors.js';
import type { CommandContext, CommandSpec } from './command.js';
import { fetchForCommand, printable } from './fetch.js';
import { formatsConflict } from './messages.js';
import { FETCH_OPTIONS, IDENTITY_OPTIONS, OUTPUT_OPTIONS } from './options.js';

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
  const name = distinct[0] ?? FORMAT_NAMES[0]!;
  const format = formatNamed(name);
  if (!format) throw invalidSetting('output format', name, { kind: 'flag', name: '--output' }, FORMAT_NAMES.join(', '));
  return format;
}

/** The default command: resolve settings, get a token, print it in the chosen format. */
export async function printToken(opts: TokenInputs & OutputOptions, { deps, reporter }: Pick<CommandContext, 'deps' | 'reporter'>): Promise<number> {
  const format = outputFormat(opts);
  const varName = checkVarName(opts.varName);
  format.check?.(deps.env);
  const token = await fetchForCommand(opts, deps, reporter);
  const out = format.render(printable(token), { now: deps.now(), varName, env: deps.env });
  for (const { file, text, onError } of out.append ?? []) {
    try {
      // 0600 if this makes the file (the runner makes it; a missing one is made for our eyes only).
      appendFileSync(file, text, { mode: 0o600 });
    } catch (err) {
      throw onError(fsReason(err));
    }
  }
  deps.io.stdout.write(out.stdout);
  if (out.notice) reporter.info(out.notice);
  return 0;
}

export const tokenCommand: CommandSpec = {
  name: 'gardin-token',
  summary: 'Get an OAuth2 client-credentials access token for the Gardin API and print it.',
  usage: '[options] [command]',
  // A word where a command would stand is a mistyped command (cli/program.ts says so before
  // parsing); declared so that commander's help shows where commands go.
  args: [{ name: '[command]', complete: 'commands' }],
  options: [...IDENTITY_OPTIONS, ...FETCH_OPTIONS, ...OUTPUT_OPTIONS],
  examples: `
Examples:
  gardin-token                                   # a token: the default profile's, or GARDIN_*'s
  gardin-token api /devices --paginate           # call the Gardin API with the token attached
  gardin-token -p prod exec -- ./sync.sh         # run a command with prod's token in its environment
  eval "$(gardin-token --export)"                # set GARDIN_ACCESS_TOKEN in a shell script (with set -e)
  gardin-token -o github                         # in GitHub Actions: mask it, export it to later steps
`,
  run: (_args, opts, ctx) => printToken(opts, ctx),
};
