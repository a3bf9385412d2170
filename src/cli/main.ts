import { UI_OPTIONS } from '../commands/options.js';
import { printToken, tokenCommand } from '../commands/token.js';
import { formatNamed } from '../formats/index.js';
import type { Deps } from '../platform/deps.js';
import { systemDeps } from '../platform/system.js';
import { quickParse } from './quick-parse.js';
import { evalFormatIn, guarded, secretsInArgs } from './run-command.js';

/**
 * The CLI as a process: main with the real system, then exit with its code. What the bin
 * (bin/gardin-token.cjs) and the single-file binary (scripts/sea/main.cjs) both run.
 */
export function runAsProcess(argv: readonly string[]): void {
  main(argv, systemDeps()).then(
    // Everything is written (output goes out through writeSync): exit now rather than wait for the
    // event loop to drain; nor can a stray socket or timer hold the shell.
    (code) => process.exit(code),
    // main reports every failure itself; this is a bug in that reporting, said in one line.
    (err: unknown) => {
      process.stderr.write(`error: Internal error (a bug in gardin-token): ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}

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
    if (evalFormat) deps.io.stdout.write(formatNamed(evalFormat)!.onFailure!);
  } catch {
    // stdout is what failed (a full disk): the failure that brought us here keeps its exit code
  }
  return exitCode;
}

async function run(argv: readonly string[], deps: Deps): Promise<number> {
  const opts = quickParse(argv.slice(2), [...tokenCommand.options!, ...UI_OPTIONS]);
  if (opts) return guarded(deps, opts, secretsInArgs(argv, deps.env), (reporter) => printToken(opts, { deps, reporter }));
  const { cliMain } = await import('./program.js');
  return cliMain(argv, deps);
}
