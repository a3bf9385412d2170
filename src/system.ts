import { homedir } from 'node:os';
import type { Deps, IO } from './deps.js';
import { appDirs } from './dirs.js';

function readAll(stream: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/** Reads a line from the terminal; with `hidden`, nothing typed is echoed. */
async function prompt(question: string, hidden: boolean): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    // readline echoes through _writeToOutput; muting it after the question hides what is typed.
    const r = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let muted = false;
    r._writeToOutput = (s: string) => {
      if (!muted || s.includes('\n')) r.output.write(muted ? '\n' : s);
    };
    const answer = new Promise<string>((resolve) => rl.question(question, resolve));
    muted = true;
    const value = await answer;
    rl.close();
    return value;
  }
  const value = await new Promise<string>((resolve) => rl.question(question, resolve));
  rl.close();
  return value;
}

export function systemIO(): IO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    readStdin: () => readAll(process.stdin),
    prompt,
  };
}

/** The real process: its streams, environment, clock and the user's folders. */
export function systemDeps(): Deps {
  return {
    io: systemIO(),
    env: process.env,
    now: Date.now,
    dirs: appDirs(process.env, process.platform, homedir()),
  };
}
