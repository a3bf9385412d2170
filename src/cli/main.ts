import { evalFormatIn, guarded, secretsInArgs } from './run-command.js';
import { tokenCommand, type OutputOptions } from '../commands/token.js';
import type { Deps } from '../platform/deps.js';
import { EVAL_FAILURE } from '../formats/index.js';
import { ROOT_OPTIONS } from '../commands/options.js';
import { quickParse } from './quick-parse.js';
import type { TokenInputs } from '../config/settings.js';
import type { UiOptions } from './terminal.js';

export { systemDeps } from '../platform/system.js';

/**
 * The CLI. Parses `argv` (as process.argv: node, script, args...), runs the command with `deps`
 * and returns the exit code; never calls process.exit, so tests can run it in-process.
 *
 * The default command with plain options, which is nearly every call, is read by the quick parser
 * and run here; anything else (a subcommand, help, a usage error) goes to commander, loaded then.
 */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  const exitCode = await run(argv, deps);
  // `eval "$(gardin-token --export)"` of an empty output succeeds and a `set -e` script runs on:
  // a failure in an eval format prints one statement that fails, and does nothing else.
  const evalFormat = exitCode === 0 ? undefined : evalFormatIn(argv);
  try {
    if (evalFormat) deps.io.stdout.write(EVAL_FAILURE[evalFormat]!);
  } catch {
    // stdout is what failed (a full disk): the failure that brought us here keeps its exit code
  }
  return exitCode;
}

async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const opts = quickParse(argv.slice(2), ROOT_OPTIONS) as (TokenInputs & OutputOptions & UiOptions) | undefined;
  if (opts) return guarded(deps, opts, secretsInArgs(argv, deps.env), (r) => tokenCommand(opts, deps, r));
  const { cliMain } = await import('./program.js');
  return cliMain(argv, deps);
}
