import { closeSync, openSync, readSync } from 'node:fs';

/** Thrown when input is larger than its bound; the caller says in words what was read. */
export class TooLarge extends Error {
  constructor(readonly limit: number) {
    super(`larger than ${limit} bytes`);
  }
}

/**
 * Reads a file to its end, refusing more than `maxBytes`: by size, not by stat, so a FIFO or a
 * process substitution (`--client-secret-file <(pass show x)`) is read and bounded alike.
 */
export function readFileBounded(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - length));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) return Buffer.concat(chunks, length);
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) throw new TooLarge(maxBytes);
    }
  } finally {
    closeSync(fd);
  }
}
