import type { ChildProcess } from 'node:child_process';
import type { TokenInputs } from '../config/settings.js';
import { checkVarName, variables } from '../formats/format.js';
import { builtin } from '../platform/builtin.js';
import type { Spawner } from '../platform/deps.js';
import type { CommandContext, CommandSpec } from './command.js';
import { fetchForCommand, printable } from './fetch.js';
import { execFailed, noCommand } from './messages.js';
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

/**
 * `exec -- cmd args...`: runs the command with the token in its environment and returns its exit
 * code (128 + n when killed by signal n, as shells report it; 127 when it cannot be started).
 */
async function runWithToken(command: string[], opts: TokenInputs & { varName?: string }, { deps, reporter }: CommandContext): Promise<number> {
  const spawn = deps.spawn ?? defaultSpawn;
  const varName = checkVarName(opts.varName);
  const [file, ...args] = command;
  if (!file) throw noCommand();
  const token = await fetchForCommand(opts, deps, reporter);
  // The command gets the token, not the means to mint more: the secret (and where it lies) stays with us.
  const inherited = Object.fromEntries(Object.entries(deps.env).filter(([name]) => !WITHHELD.includes(name)));
  const env = { ...inherited, ...Object.fromEntries(variables(printable(token), varName)) };
  reporter.trace(`exec: ${file} with ${varName} set`);

  // The handlers come first: a signal sent once the command has started (it may already have
  // printed that it is ready) must find them, however late this process gets the CPU back.
  const interactive = deps.io.stdinIsTTY;
  let child: ChildProcess | undefined;
  const early: NodeJS.Signals[] = [];
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
  const started = spawn(file, args, env);
  child = started;
  for (const sig of early.splice(0)) started.kill(sig);
  try {
    return await new Promise<number>((resolve) => {
      started.on('error', (err: NodeJS.ErrnoException) => {
        const failure = execFailed(file, err.code, err.message);
        reporter.error(failure);
        resolve(failure.exitCode);
      });
      started.on('exit', (code, signal) => {
        if (signal) {
          const n = builtin<typeof import('node:os')>('node:os').constants.signals[signal] ?? 0;
          resolve(128 + n);
        } else resolve(code ?? 1);
      });
    });
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}

export const execCommand: CommandSpec = {
  name: 'exec',
  summary: 'run a command with GARDIN_ACCESS_TOKEN (and its expiry) in its environment',
  usage: '[options] -- <command> [args...]',
  passThrough: true,
  args: [{ name: '<command...>', description: 'the command and its arguments, after --', complete: 'command' }],
  options: [...IDENTITY_OPTIONS, ...FETCH_OPTIONS, VAR_NAME_OPTION],
  examples: `
Examples:
  gardin-token exec -- ./sync-sensors.sh --since yesterday
  gardin-token -p prod exec -- sh -c 'curl -fsS -H "Authorization: Bearer $GARDIN_ACCESS_TOKEN" https://api.gardin.ag/v1/devices'
  gardin-token exec --var-name API_TOKEN -- python fetch.py        # in CI: the token lives only in the child
(The child expands the variable: in single quotes, your shell leaves it to the child's sh.)
`,
  run: ([command], opts, ctx) => runWithToken(command as string[], opts, ctx),
};
