import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../config/settings.js';
import { builtin } from '../platform/builtin.js';
import type { Deps } from '../platform/deps.js';
import { onInterrupt } from '../platform/interrupts.js';
import { writePrivateFile } from '../platform/private-files.js';
import type { Reporter } from '../platform/reporter.js';
import { keepToken } from '../token/keeper.js';
import type { Obtained } from '../token/types.js';
import { noLifetimeToKeep, renewFailedNotice, tokenFileEmptied, unknownSignal } from './messages.js';

/** A token file kept fresh for a command (exec --refresh), in a folder of its own. */
export interface TokenFile {
  /** The token the command starts with (also in the file). */
  first: Obtained;
  file: string;
  /** Stops the renewals and removes the folder. */
  close(): void;
}

/** A signal by name (`HUP`, `SIGHUP`), or exit 2. */
export function signalNamed(name: string): NodeJS.Signals {
  const full = (/^SIG/i.test(name) ? name : `SIG${name}`).toUpperCase();
  const signals = builtin<typeof import('node:os')>('node:os').constants.signals;
  if (!Object.hasOwn(signals, full) || full === 'SIGKILL' || full === 'SIGSTOP') throw unknownSignal(name);
  return full as NodeJS.Signals;
}

/**
 * Where the folder goes: $XDG_RUNTIME_DIR (the user's own, in memory, emptied at logout) where
 * there is one, else the system's temporary folder. The folder is made 0700 by mkdtemp.
 */
function privateFolder(env: Deps['env']): string {
  const runtime = env.XDG_RUNTIME_DIR;
  let base = tmpdir();
  try {
    if (runtime && statSync(runtime).isDirectory()) base = runtime;
  } catch {
    // not there: the temporary folder
  }
  return mkdtempSync(join(base, 'gardin-token-'));
}

/**
 * Fetches the first token and writes it to a new file (0600, in a 0700 folder), then rewrites the
 * file (write, then rename: a reader never sees half a token) before each token runs low, and
 * calls `renewed` after each rewrite. A token that expires with no successor empties the file.
 */
export async function keepTokenFile(settings: Settings, deps: Deps, reporter: Reporter, renewed: () => void): Promise<TokenFile> {
  const dir = privateFolder(deps.env);
  const file = join(dir, 'token');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  // Until the command runs (and its supervision takes the signals), a signal must still remove it.
  const undoOnInterrupt = onInterrupt(remove);
  const keeper = keepToken(settings, deps, reporter, {
    background: true,
    events: {
      onToken: (token) => {
        writePrivateFile(file, `${token.accessToken}\n`);
        reporter.trace(`token file: a new token, ${Math.floor(((token.expiresAt ?? deps.now()) - deps.now()) / 1000)} s left`);
        renewed();
      },
      onRenewFailed: (err, streak, retryInMs) => {
        const line = renewFailedNotice(err instanceof Error ? err.message : String(err), retryInMs);
        if (streak === 1) reporter.warn(line);
        else reporter.trace(line);
      },
      onExpired: (err) => {
        writePrivateFile(file, '');
        reporter.warn(tokenFileEmptied(file, err instanceof Error ? err.message : String(err)));
      },
    },
  });
  try {
    const first = await keeper.current();
    writePrivateFile(file, `${first.accessToken}\n`);
    if (first.expiresAt === undefined) reporter.warn(noLifetimeToKeep());
    return {
      first,
      file,
      close: () => {
        keeper.stop();
        remove();
      },
    };
  } catch (err) {
    keeper.stop();
    remove();
    throw err;
  } finally {
    // From here the command's supervision passes signals on, and close() removes the folder.
    undoOnInterrupt();
  }
}
