import { builtin } from './builtin.js';

/**
 * What a Ctrl-C, SIGTERM or SIGHUP must undo before the process ends (a held lock), and the exit
 * code a shell gives a command stopped that way (128 + the signal's number). Node's own default
 * for these signals ends the process at once, with no 'exit' event: a lock would stay behind and
 * the next call wait for it to go stale. The handlers are there only while something is to undo.
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const pending = new Set<() => void>();

function stop(signal: NodeJS.Signals): void {
  for (const undo of [...pending]) {
    try {
      undo();
    } catch {
      // the others still run
    }
  }
  process.exit(128 + (builtin<typeof import('node:os')>('node:os').constants.signals[signal] ?? 0));
}

/** Runs `undo` if the process is stopped by a signal; the returned function takes that back. */
export function onInterrupt(undo: () => void): () => void {
  if (pending.size === 0) for (const s of SIGNALS) process.on(s, stop);
  pending.add(undo);
  return () => {
    if (!pending.delete(undo) || pending.size > 0) return;
    for (const s of SIGNALS) process.off(s, stop);
  };
}
