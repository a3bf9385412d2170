import { TooLarge } from '../../platform/read-bounded.js';
import { secretTooLarge, stdinUnavailable } from '../messages.js';
import { dropNewline, MAX_SECRET_BYTES, type SecretReader } from './reader.js';

/** --client-secret-stdin: standard input, piped (a terminal is refused: nothing would come). */
export const stdin: SecretReader<'stdin'> = {
  kind: 'stdin',
  read: async (spec, deps) => {
    if (deps.io.stdinIsTTY) throw stdinUnavailable();
    try {
      return dropNewline((await deps.io.readStdin(MAX_SECRET_BYTES)).toString('utf8'));
    } catch (err) {
      if (err instanceof TooLarge) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
      throw err;
    }
  },
};
