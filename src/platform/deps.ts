import type { Dispatcher } from 'undici';
import type { Timing } from './clock.js';

/** A place to write text: process.stdout, process.stderr, or a buffer in tests. */
export interface Sink {
  write(chunk: string | Uint8Array): unknown;
}

export interface IO {
  stdout: Sink;
  stderr: Sink;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Reads all of standard input; rejects with TooLarge past `maxBytes`, having read no more. */
  readStdin(maxBytes: number): Promise<Buffer>;
  /** Asks a question on the terminal; `hidden` echoes nothing (for secrets). */
  prompt(question: string, hidden: boolean): Promise<string>;
}

export interface Dirs {
  config: string;
  cache: string;
}

/** Where stored profile secrets can live outside config.json; each call may reject with the keychain's own reason. */
export interface Keychain {
  /** The keychain in words, for messages ("the macOS Keychain"). */
  readonly name: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** Whether there was an entry to delete. */
  delete(account: string): Promise<boolean>;
}

/** Starts a process with inherited stdio (exec's command); injectable so tests can run exec in-process. */
export type Spawner = (command: string, args: string[], env: Record<string, string | undefined>) => import('node:child_process').ChildProcess;

/** Everything a command touches outside itself, so tests can run commands in-process. */
export interface Deps {
  io: IO;
  env: Record<string, string | undefined>;
  /** Milliseconds since the epoch. */
  now(): number;
  /** The clock, sleep and randomness of retries and deadlines; by default the real ones. */
  timing?: Timing;
  dirs: Dirs;
  /** Overrides the HTTP dispatcher (tests); by default one is built from env and settings. */
  dispatcher?: Dispatcher;
  /** The OS keychain (tests pass an in-memory one); by default the platform's, loaded on first use. */
  keychain?(): Promise<Keychain>;
  /** Starts exec's command; by default child_process.spawn. */
  spawn?: Spawner;
  /** Runs a shell command and returns its stdout (profile client-secret commands); stops it on `signal`. */
  runSecretCommand?(command: string, env: Record<string, string | undefined>, signal: AbortSignal): Promise<string>;
}

export function colorEnabled(io: IO, env: Deps['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return io.stderrIsTTY && env.TERM !== 'dumb';
}
