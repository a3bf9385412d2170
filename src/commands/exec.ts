import type { ChildProcess } from 'node:child_process';
import type { TokenInputs } from '../config/settings.js';
import { checkVarName, variables } from '../formats/format.js';
import { builtin } from '../platform/builtin.js';
import type { Spawner } from '../platform/deps.js';
import type { CommandContext, CommandSpec } from './command.js';
import { fetchForCommand, printable, settingsFrom } from './fetch.js';
import { execFailed, noCommand, optionNeedsRefresh } from './messages.js';
import { keepTokenFile, signalNamed } from './token-file.js';
import { FETCH_OPTIONS, IDENTITY_OPTIONS, VAR_NAME_OPTION } from './options.js';

/**
 * The signals a shell job can be sent, all passed on to the command: with a handler here none of
 * them ends this process while the command runs on. A terminal sends the keyboard's (Ctrl-C,
 * Ctrl-\\, Ctrl-Z) and a resize to the whole foreground group, the command included: those are
 * passed on only when this process is not on a terminal, or the command would get them twice.
 */
const FORWARDED = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH', 'SIGTSTP', 'SIGCONT'] as const;
const FROM_TERMINAL = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT', 'SIGTSTP', 'SIGWINCH']);
/** What the command's environment never gets: the means to mint tokens, and the fleet's Redis password. */
const WITHHELD = ['GARDIN_CLIENT_SECRET', 'GARDIN_CLIENT_SECRET_FILE', 'GARDIN_CACHE_URL'];

const defaultSpawn: Spawner = (command, args, env) => builtin<typeof import('node:child_process')>('node:child_process').spawn(command, args, { env, stdio: 'inherit' });

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
  const spawn = deps.spawn ?? defaultSpawn;
  const varName = checkVarName(opts.varName);
  const [file, ...args] = command;
  if (!file) throw noCommand();
  if (opts.refreshSignal !== undefined && !opts.refresh) throw optionNeedsRefresh('--refresh-signal');
  const refreshSignal = opts.refreshSignal === undefined ? undefined : signalNamed(opts.refreshSignal);
  let child: ChildProcess | undefined;
  const kept = opts.refresh ? await keepTokenFile(settingsFrom(opts, deps), deps, reporter, () => refreshSignal && child?.kill(refreshSignal)) : undefined;
  try {
    const token = kept ? kept.first : await fetchForCommand(opts, deps, reporter);
    // The command gets the token, not the means to mint more: the secret (and where it lies) stays with us.
    const inherited = Object.fromEntries(Object.entries(deps.env).filter(([name]) => !WITHHELD.includes(name)));
    const env = { ...inherited, ...Object.fromEntries(variables(printable(token), varName)), ...(kept && { GARDIN_ACCESS_TOKEN_FILE: kept.file, BEARER_TOKEN_FILE: kept.file }) };
    reporter.trace(`exec: ${file} with ${varName}${kept ? ` and a token file kept fresh (${kept.file})` : ''} set`);
    return await supervise(file, args, env, spawn, deps.io.stdinIsTTY, reporter, (c) => (child = c));
  } finally {
    kept?.close();
  }
}

/**
 * Runs the command, passing on the signals a job can be sent, and resolves with its exit status.
 * `started` gets the child as soon as it exists.
 */
async function supervise(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
  spawn: Spawner,
  interactive: boolean,
  reporter: CommandContext['reporter'],
  started: (child: ChildProcess) => void,
): Promise<number> {
  // The handlers come first: a signal sent once the command has started (it may already have
  // printed that it is ready) must find them, however late this process gets the CPU back.
  let child: ChildProcess | undefined;
  const early: NodeJS.Signals[] = [];
  // On a terminal, its Ctrl-C and Ctrl-\ reach the command directly: here they are only waited
  // out, so that this process outlives the command and ends as it ends (its folder removed).
  const waitedOut = (interactive ? ['SIGINT', 'SIGQUIT'] : []).map((sig) => {
    const h = () => undefined;
    process.on(sig, h);
    return [sig as NodeJS.Signals, h] as const;
  });
  const handlers = FORWARDED.filter((sig) => !(interactive && FROM_TERMINAL.has(sig))).map((sig) => {
    const h = () => {
      if (!child) return void early.push(sig);
      child.kill(sig);
      // Stopped alone (not by a terminal), this process stops too, as its shell expects; the
      // SIGCONT that wakes it is passed on.
      if (sig === 'SIGTSTP') process.kill(process.pid, 'SIGSTOP');
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  const proc = spawn(file, args, env);
  child = proc;
  started(proc);
  for (const sig of early.splice(0)) proc.kill(sig);
  try {
    return await new Promise<number>((resolve) => {
      proc.on('error', (err: NodeJS.ErrnoException) => {
        const failure = execFailed(file, err.code, err.message);
        reporter.error(failure);
        resolve(failure.exitCode);
      });
      proc.on('exit', (code, signal) => {
        if (signal) {
          const n = builtin<typeof import('node:os')>('node:os').constants.signals[signal] ?? 0;
          resolve(128 + n);
        } else resolve(code ?? 1);
      });
    });
  } finally {
    for (const [sig, h] of [...handlers, ...waitedOut]) process.off(sig, h);
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
  gardin-token exec --var-name API_TOKEN -- python fetch.py        # in CI: the token lives only in the child
(The child expands the variable: in single quotes, your shell leaves it to the child's sh.)
`,
  run: ([command], opts, ctx) => runWithToken(command as string[], opts as ExecOptions, ctx),
};
