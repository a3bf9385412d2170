import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timing } from '../../src/platform/clock.js';
import type { Deps, Keychain } from '../../src/platform/deps.js';
import { TooLarge } from '../../src/platform/read-bounded.js';
import { OFFLINE } from './bin.js';

export interface TestDeps extends Deps {
  out: () => string;
  err: () => string;
}

/** Commands run in-process with buffers for stdout/stderr, a fixed env and clock, temp dirs. */
export function testDeps(opts: {
  env?: Record<string, string | undefined>;
  stdin?: string;
  tty?: boolean;
  now?: () => number;
  dirs: { config: string; cache: string };
  prompts?: string[];
  timing?: Timing;
  /** The OS keychain the commands see; by default one that cannot be reached, never the machine's. */
  keychain?: Keychain;
}): TestDeps {
  let out = '';
  let err = '';
  const prompts = [...(opts.prompts ?? [])];
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      stdinIsTTY: opts.tty ?? false,
      stdoutIsTTY: false,
      stderrIsTTY: false,
      readStdin: async (maxBytes) => {
        const input = Buffer.from(opts.stdin ?? '');
        if (input.length > maxBytes) throw new TooLarge(maxBytes);
        return input;
      },
      prompt: async (question) => {
        err += question;
        const answer = prompts.shift();
        if (answer === undefined) throw new Error(`unexpected prompt: ${question}`);
        return answer;
      },
    },
    env: { ...OFFLINE, ...opts.env },
    now: opts.now ?? Date.now,
    ...(opts.timing && { timing: opts.timing }),
    dirs: opts.dirs,
    keychain: async () => opts.keychain ?? unreachableKeychain,
    out: () => out,
    err: () => err,
  };
}

/** A temporary home with config and cache folders, removed by the returned cleanup. */
export function tempHome(): { root: string; config: string; cache: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'gardin-token-test-'));
  return { root, config: join(root, 'config', 'gardin-token'), cache: join(root, 'cache', 'gardin-token'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A clock that only moves when slept on: every wait is recorded and none takes real time. */
export function fakeTiming(random = 0.5): Timing & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    monotonic: () => now,
    sleep: async (ms) => {
      waits.push(Math.round(ms));
      now += ms;
    },
    random: () => random,
  };
}

const unreachable = async (): Promise<never> => {
  throw new Error('no keychain in in-process tests');
};
/** A keychain whose every call fails, as on a machine without one. */
export const unreachableKeychain: Keychain = { name: 'the test keychain', get: unreachable, set: unreachable, delete: unreachable };

/** A keychain in memory: what the commands stored, by account. */
export function memoryKeychain(): Keychain & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    name: 'the test keychain',
    entries,
    get: async (account) => entries.get(account),
    set: async (account, secret) => void entries.set(account, secret),
    delete: async (account) => entries.delete(account),
  };
}
