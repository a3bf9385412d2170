import type { ChildProcess } from 'node:child_process';
import { builtin } from '../builtin.js';
import type { Deps } from '../deps.js';
import { execFailed, noCommand } from '../errors.js';
import { checkVarName, variables } from '../format.js';
import type { Reporter } from '../reporter.js';
import type { TokenInputs } from '../settings.js';
import { fetchForCommand, printable } from './fetch.js';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

/** Starts a process; injectable so tests can run exec in-process. */
export type Spawner = (command: string, args: string[], env: Record<string, string | undefined>) => ChildProcess;

const defaultSpawn: Spawner = (command, args, env) =>
  builtin<typeof import('node:child_process')>('node:child_process').spawn(command, args, { env, stdio: 'inherit' });

/**
 * `exec -- cmd args...`: runs the command with the token in its environment and returns its exit
 * code (128 + n when killed by signal n, as shells report it; 127 when it cannot be started).
 */
export async function execCommand(
  command: string[],
  opts: TokenInputs & { varName?: string },
  deps: Deps,
  reporter: Reporter,
  spawn: Spawner = defaultSpawn,
): Promise<number> {
  const varName = checkVarName(opts.varName);
  const [file, ...args] = command;
  if (!file) throw noCommand();
  const token = await fetchForCommand(opts, deps, reporter);
  // The command gets the token, not the means to mint more: the secret (and where it lies) stays with us.
  const { GARDIN_CLIENT_SECRET: _secret, GARDIN_CLIENT_SECRET_FILE: _secretFile, ...inherited } = deps.env;
  const env = { ...inherited, ...Object.fromEntries(variables(printable(token), varName)) };
  reporter.trace(`exec: ${file} with ${varName} set`);

  // The handlers come first: a signal sent once the command has started (it may already have
  // printed that it is ready) must find them, however late this process gets the CPU back.
  // A terminal's Ctrl-C already reaches the child (same process group); forwarding it too would
  // deliver it twice. Signals sent to this process alone are passed on.
  const interactive = deps.io.stdinIsTTY;
  let child: ChildProcess | undefined;
  const early: NodeJS.Signals[] = [];
  const handlers = FORWARDED.map((sig) => {
    const h = () => {
      if (sig === 'SIGINT' && interactive) return;
      if (child) child.kill(sig);
      else early.push(sig);
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
