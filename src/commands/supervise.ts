import type { ChildProcess } from 'node:child_process';
import { builtin } from '../platform/builtin.js';
import type { Deps, Spawner } from '../platform/deps.js';
import type { Reporter } from '../platform/reporter.js';
import { execFailed } from './messages.js';

// Running a command under gardin-token (exec, proxy -- cmd): its environment, the signals passed
// on, and its exit status as a shell reports it.

/** The signals a shell job can be sent (POSIX). */
const JOB_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH', 'SIGTSTP', 'SIGCONT'] as const;
const FROM_TERMINAL = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT', 'SIGTSTP', 'SIGWINCH']);

/**
 * What this process does with signals while the command runs (pure: the platform is passed in).
 * POSIX: every signal a job can be sent is passed on, so none ends this process while the command
 * runs on; a terminal sends the keyboard's (Ctrl-C, Ctrl-\\, Ctrl-Z) and a resize to the whole
 * foreground group, the command included, so on one those are not sent twice, and Ctrl-C and
 * Ctrl-\\ are only waited out. Windows has no signals to pass on: Ctrl-C and Ctrl-Break reach
 * every process of the console, the command included, and are waited out here, so that
 * gardin-token ends as the command ends, with its exit code.
 */
export function signalPlan(platform: NodeJS.Platform, interactive: boolean): { forward: NodeJS.Signals[]; waitOut: NodeJS.Signals[] } {
  if (platform === 'win32') return { forward: [], waitOut: ['SIGINT', 'SIGBREAK'] };
  return { forward: JOB_SIGNALS.filter((sig) => !(interactive && FROM_TERMINAL.has(sig))), waitOut: interactive ? ['SIGINT', 'SIGQUIT'] : [] };
}
/** What the command's environment never gets: the means to mint tokens, and the fleet's Redis password. */
const WITHHELD = ['GARDIN_CLIENT_SECRET', 'GARDIN_CLIENT_SECRET_FILE', 'GARDIN_CACHE_URL'];

/** The environment a command started by gardin-token gets: this one, less the means to mint tokens. */
export const inheritedEnv = (env: Deps['env']): Record<string, string | undefined> => Object.fromEntries(Object.entries(env).filter(([name]) => !WITHHELD.includes(name)));

const defaultSpawn: Spawner = (command, args, env) => builtin<typeof import('node:child_process')>('node:child_process').spawn(command, args, { env, stdio: 'inherit' });

/**
 * Runs the command, passing on the signals a job can be sent, and resolves with its exit status.
 * `started` gets the child as soon as it exists.
 */
export async function supervise(
  file: string,
  args: string[],
  env: Record<string, string | undefined>,
  deps: Pick<Deps, 'spawn' | 'io'>,
  reporter: Reporter,
  started: (child: ChildProcess) => void = () => undefined,
): Promise<number> {
  const spawn = deps.spawn ?? defaultSpawn;
  const interactive = deps.io.stdinIsTTY;
  // The handlers come first: a signal sent once the command has started (it may already have
  // printed that it is ready) must find them, however late this process gets the CPU back.
  let child: ChildProcess | undefined;
  const early: NodeJS.Signals[] = [];
  const plan = signalPlan(process.platform, interactive);
  const waitedOut = plan.waitOut.map((sig) => {
    const h = () => undefined;
    process.on(sig, h);
    return [sig, h] as const;
  });
  const handlers = plan.forward.map((sig) => {
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
