import { writeSync } from 'node:fs';
import type { Deps, IO, Sink } from './deps.js';
import { builtin } from './builtin.js';
import { appDirs, homeDir } from './dirs.js';
import { fsReason, interrupted, outputFailed, promptCancelled } from './errors.js';
import { TooLarge } from './read-bounded.js';

const isatty = (fd: number): boolean => builtin<typeof import('node:tty')>('node:tty').isatty(fd);

/**
 * Writes straight to a file descriptor. process.stdout/stderr would build stream objects and
 * load net and stream modules, a cost on every cached call for a few hundred bytes of output.
 */
function fdSink(fd: number, name: string): Sink {
  return {
    write(chunk: string | Uint8Array) {
      let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      while (buf.length > 0) {
        try {
          buf = buf.subarray(writeSync(fd, buf));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue; // a non-blocking pipe that is full: try again
          if (code === 'EPIPE') return; // the reader went away (`| head`): nothing more to do
          throw outputFailed(name, fsReason(err));
        }
      }
    },
  };
}

function readAll(maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (c: Buffer) => {
      length += c.length;
      if (length <= maxBytes) return void chunks.push(c);
      process.stdin.off('data', onData);
      process.stdin.pause();
      reject(new TooLarge(maxBytes));
    };
    process.stdin.on('data', onData);
    process.stdin.on('end', () => resolve(Buffer.concat(chunks, length)));
    process.stdin.on('error', reject);
  });
}

/**
 * Reads a line from the terminal; with `hidden`, nothing typed is echoed. readline echoes what is
 * typed to its output, so a hidden answer is read through an output stream that is muted once
 * the question is out (the documented way; no private readline method is replaced).
 */
async function prompt(question: string, hidden: boolean): Promise<string> {
  const { createInterface } = await import('node:readline');
  const { Writable } = await import('node:stream');
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: hidden ? output : process.stderr, terminal: true });
  let answered = false;
  const answer = new Promise<string>((resolve, reject) => {
    rl.question(question, (value) => {
      answered = true;
      resolve(value);
    });
    // Ctrl-C: exit 130 as a shell reports it, the cursor first put on a line of its own.
    rl.on('SIGINT', () => {
      answered = true;
      process.stderr.write('\n');
      reject(interrupted());
      rl.close();
    });
    // Ctrl-D (end of input) before an answer: cancelled, exit 2.
    rl.on('close', () => {
      if (!answered) {
        answered = true;
        process.stderr.write('\n');
        reject(promptCancelled());
      }
    });
  });
  muted = hidden;
  const value = await answer;
  rl.close();
  if (hidden) process.stderr.write('\n');
  return value;
}

function systemIO(): IO {
  return {
    stdout: fdSink(1, 'standard output'),
    stderr: fdSink(2, 'standard error'),
    get stdinIsTTY() {
      return isatty(0);
    },
    get stdoutIsTTY() {
      return isatty(1);
    },
    get stderrIsTTY() {
      return isatty(2);
    },
    readStdin: readAll,
    prompt,
  };
}

/** The real process: its streams, environment, clock and the user's folders. */
export function systemDeps(): Deps {
  return {
    io: systemIO(),
    env: process.env,
    now: Date.now,
    dirs: appDirs(process.env, process.platform, homeDir(process.env)),
  };
}
