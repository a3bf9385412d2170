import type { ChildProcess } from 'node:child_process';
import type { TokenInputs } from '../config/settings.js';
import { checkVarName, variables } from '../formats/format.js';
import type { CommandContext, CommandSpec } from './command.js';
import { fetchForCommand, printable, settingsFrom } from './fetch.js';
import { noCommand, optionNeedsRefresh } from './messages.js';
import { inheritedEnv, supervise } from './supervise.js';
import { keepTokenFile, signalNamed } from './token-file.js';
import { FETCH_OPTIONS, IDENTITY_OPTIONS, VAR_NAME_OPTION } from './options.js';

export interface ExecOptions extends TokenInputs {
  varName?: string;
  refresh?: boolean;
  refreshSignal?: string;
}

/**
 * `exec -- cmd args...`: runs the command with the token in its environment and returns its exit
 * code (128 + n when killed by signal n, as shells report it; 127 when it cannot be started).
 * With --refresh, the command also gets a token file kept fresh for as long as it runs.
 */
async function runWithToken(command: string[], opts: ExecOptions, { deps, reporter }: CommandContext): Promise<number> {
  const varName = checkVarName(opts.varName);
  const [file, ...args] = command;
  if (!file) throw noCommand();
  if (opts.refreshSignal !== undefined && !opts.refresh) throw optionNeedsRefresh('--refresh-signal');
  const refreshSignal = opts.refreshSignal === undefined ? undefined : signalNamed(opts.refreshSignal);
  let child: ChildProcess | undefined;
  const kept = opts.refresh ? await keepTokenFile(settingsFrom(opts, deps), deps, reporter, () => refreshSignal && child?.kill(refreshSignal)) : undefined;
  try {
    const token = kept ? kept.first : await fetchForCommand(opts, deps, reporter);
    const env = {
      ...inheritedEnv(deps.env),
      ...Object.fromEntries(variables(printable(token), varName)),
      ...(kept && { GARDIN_ACCESS_TOKEN_FILE: kept.file, BEARER_TOKEN_FILE: kept.file }),
    };
    reporter.trace(`exec: ${file} with ${varName}${kept ? ` and a token file kept fresh (${kept.file})` : ''} set`);
    return await supervise(file, args, env, deps, reporter, (c) => (child = c));
  } finally {
    kept?.close();
  }
}

export const execCommand: CommandSpec = {
  name: 'exec',
  summary: 'run a command with GARDIN_ACCESS_TOKEN (and its expiry) in its environment',
  usage: '[options] -- <command> [args...]',
  passThrough: true,
  args: [{ name: '<command...>', description: 'the command and its arguments, after --', complete: 'command' }],
  options: [
    ...IDENTITY_OPTIONS,
    ...FETCH_OPTIONS,
    VAR_NAME_OPTION,
    { flags: '--refresh', description: 'also give the command GARDIN_ACCESS_TOKEN_FILE (and BEARER_TOKEN_FILE): a file kept fresh while it runs' },
    { flags: '--refresh-signal <signal>', description: 'with --refresh: send the command this signal (HUP, USR1...) after each new token' },
  ],
  examples: `
Examples:
  gardin-token exec -- ./sync-sensors.sh --since yesterday
  gardin-token exec --refresh -- ./backfill.sh         # runs for hours: reads "$GARDIN_ACCESS_TOKEN_FILE" before each call
  gardin-token -p prod exec -- sh -c 'curl -fsS -H "Authorization: Bearer $GARDIN_ACCESS_TOKEN" https://api.gardin.ag/v1/devices'
  gardin-token exec --var-name API_TOKEN -- node fetch.mjs          # in CI: the token lives only in the child
(The child expands the variable: in single quotes, your shell leaves it to the child's sh.)
`,
  run: ([command], opts, ctx) => runWithToken(command as string[], opts as ExecOptions, ctx),
};
