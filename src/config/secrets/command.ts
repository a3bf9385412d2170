import { TooLarge } from '../../platform/read-bounded.js';
import { secretCommandFailed, secretCommandTimedOut, secretTooLarge } from '../messages.js';
import { dropNewline, MAX_SECRET_BYTES, type SecretReader } from './reader.js';

/**
 * A profile's --client-secret-command, run through the shell at fetch time only (the command
 * stands for its output in the cache key, so a cached call never waits for a password manager).
 * It gets `timeoutMs` of its own (the network deadline starts after it), then is stopped.
 */
export const command: SecretReader<'command'> = {
  kind: 'command',
  standsFor: (spec) => `command:${spec.command}`,
  read: async (spec, deps, timeoutMs) => {
    const run = deps.runSecretCommand ?? runShellCommand;
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        stop.abort();
        reject(secretCommandTimedOut(spec.source.name, timeoutMs / 1000));
      }, timeoutMs);
    });
    try {
      const secret = dropNewline(await Promise.race([run(spec.command, deps.env, stop.signal), timedOut]));
      if (Buffer.byteLength(secret) > MAX_SECRET_BYTES) throw new TooLarge(MAX_SECRET_BYTES);
      return secret;
    } catch (err) {
      if (err instanceof TooLarge) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
      if (stop.signal.aborted) throw secretCommandTimedOut(spec.source.name, timeoutMs / 1000);
      throw secretCommandFailed(spec.source.name, err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
  },
};

/**
 * Runs a profile's secret command through the shell; its stderr and stdin stay the user's (for
 * pinentry prompts). On `signal` it is stopped with everything it started. Off a terminal it runs
 * in its own process group, so a child the shell left behind (a hung `vault`, a `sleep`) goes too
 * and cannot hold a pipe of the caller's open; on a terminal it stays in ours, where a prompt
 * can still read the terminal, and only the shell is stopped.
 */
export async function runShellCommand(command: string, env: Record<string, string | undefined>, signal?: AbortSignal): Promise<string> {
  const { spawn } = await import('node:child_process');
  const { isatty } = await import('node:tty');
  const ownGroup = !isatty(0) && process.platform !== 'win32';
  return new Promise((resolve, reject) => {
    const child = spawn(command, { shell: true, env, stdio: ['inherit', 'pipe', 'inherit'], detached: ownGroup });
    const stopChild = () => {
      try {
        if (ownGroup && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        // already gone
      }
      child.stdout.destroy();
      child.unref();
    };
    signal?.addEventListener('abort', () => {
      stopChild();
      reject(new Error('stopped'));
    });
    const chunks: Buffer[] = [];
    let length = 0;
    child.stdout.on('data', (c: Buffer) => {
      length += c.length;
      if (length <= MAX_SECRET_BYTES) return void chunks.push(c);
      stopChild();
      reject(new TooLarge(MAX_SECRET_BYTES));
    });
    child.on('error', (err) => reject(new Error(err.message)));
    child.on('close', (code, sig) => {
      if (code === 0) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new Error(sig ? `it was killed by ${sig}` : `it exited with code ${code}`));
    });
  });
}
