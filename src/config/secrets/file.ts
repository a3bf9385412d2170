import { fsReason } from '../../platform/errors.js';
import { readFileBounded, TooLarge } from '../../platform/read-bounded.js';
import { secretFileUnreadable, secretTooLarge } from '../messages.js';
import { dropNewline, MAX_SECRET_BYTES, type SecretReader } from './reader.js';

/**
 * A file (Docker and Kubernetes secrets, a private key), read whole up to the bound: by size, not
 * by stat, so that a process substitution (`<(pass show x)`) works too.
 */
export const file: SecretReader<'file'> = {
  kind: 'file',
  read: async (spec) => {
    try {
      return dropNewline(readFileBounded(spec.path, MAX_SECRET_BYTES).toString('utf8'));
    } catch (err) {
      if (err instanceof TooLarge) throw secretTooLarge(spec.source, MAX_SECRET_BYTES);
      throw secretFileUnreadable(spec.path, spec.source, fsReason(err));
    }
  },
};
