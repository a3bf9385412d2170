import type { Deps, Keychain } from '../../platform/deps.js';
import { emptySecret, keychainEntryMissing, keychainName, keychainUnavailable, secretCommandFailed, secretCommandTimedOut, secretFileUnreadable, secretTooLarge, stdinUnavailable } from '../messages.js';
import { readFileBounded, TooLarge } from '../../platform/read-bounded.js';
import type { SecretSpec } from '../settings.js';

const dropNewline = (s: string): string => s.replace(/\r?\n$/, '');

/** A client secret is a few dozen bytes; past this, what was read is not one (a wrong file, a runaway command). */
export const MAX_SECRET_BYTES = 64 * 1024;

/** The keychain of `deps`, or the system's (its native module loaded now, on first use). */
export async function keychainOf(deps: Pick<Deps, 'keychain'>): Promise<Keychain> {
  if (deps.keychain) return deps.keychain();
  return (await import('./keychain.js')).systemKeychain();
}

/** Why a keychain call failed, in one line (D-Bus's advice about X11 autolaunch is no help here). */
export const keychainReason = (err: unknown): string => {
  const line = String((err as Error)?.message ?? err).split('\n')[0]!.replace(/^Platform failure: /, '');
  if (/DBUS_SESSION_BUS_ADDRESS/.test(line)) return 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)';
  if (/ServiceUnknown|org\.freedesktop\.secrets/.test(line)) return 'no Secret Service runs in this D-Bus session';
  return line;
};

/** A keychain profile's secret; exit 2 naming the profile and the keychain when it cannot be read. */
export async function readKeychainSecret(profile: string, deps: Pick<Deps, 'keychain'>): Promise<string> {
  let keychain: Keychain | undefined;
  let secret: string | undefined;
  try {
    keychain = await keychainOf(deps);
    secret = await keychain.get(profile);
  } catch (err) {
    throw keychainUnavailable(profile, keychain?.name ?? keychainName(process.platform), keychainReason(err));
  }
  if (secret === undefined) throw keychainEntryMissing(profile, keychain.name);
  return secret;
}

/**
 * Reads the client secret from wherever the settings said it is. A secret command gets
 * `timeoutMs` of its own (the network deadline starts after it), then is stopped.
 */
export async function loadSecret(spec: SecretSpec, deps: Pick<Deps, 'io' | 'env' | 'runSecretCommand' | 'keychain'>, timeoutMs: number): Promise<string> {
  let secret: string;
  switch (spec.kind) {
    case 'value':
      if (Buffer.byteLength(spec.value) > MAX_SECRET_BYTES) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
      return spec.value;
    case 'keychain':
      secret = await readKeychainSecret(spec.profile, deps);
      break;
    case 'stdin':
      if (deps.io.stdinIsTTY) throw stdinUnavailable();
      try {
        secret = dropNewline((await deps.io.readStdin(MAX_SECRET_BYTES)).toString('utf8'));
      } catch (err) {
        if (err instanceof TooLarge) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
        throw err;
      }
      break;
    case 'file':
      try {
        secret = dropNewline(readFileBounded(spec.path, MAX_SECRET_BYTES).toString('utf8'));
      } catch (err) {
        if (err instanceof TooLarge) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
        throw secretFileUnreadable(spec.path, spec.source, (err as NodeJS.ErrnoException).code ?? String(err));
      }
      break;
    case 'command': {
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
        secret = dropNewline(await Promise.race([run(spec.command, deps.env, stop.signal), timedOut]));
        if (Buffer.byteLength(secret) > MAX_SECRET_BYTES) throw new TooLarge(MAX_SECRET_BYTES);
      } catch (err) {
        if (err instanceof TooLarge) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
        if (stop.signal.aborted) throw secretCommandTimedOut(spec.source.name, timeoutMs / 1000);
        throw secretCommandFailed(spec.source.name, err instanceof Error ? err.message : String(err));
      } finally {
        clearTimeout(timer);
      }
      break;
    }
  }
  if (secret === '') throw emptySecret(spec.source);
  return secret;
}

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
