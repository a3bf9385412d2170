import { execa, type Options } from 'execa';
import { join, resolve } from 'node:path';

/** The built bin; GARDIN_TOKEN_TEST_BIN runs the tests against another build (an older one, to see a test fail). */
export const BIN = process.env.GARDIN_TOKEN_TEST_BIN ?? resolve(import.meta.dirname, '../../bin/gardin-token.cjs');

/** Whether BIN is a script for node; else it is the single-file binary (dist/sea), which runs itself. */
export const BIN_IS_SCRIPT = /\.[cm]?js$/.test(BIN);
/** The bin as a command. */
export const BIN_ARGV: readonly string[] = BIN_IS_SCRIPT ? [process.execPath, BIN] : [BIN];
/** ... and as words for a shell line. */
export const BIN_SH = BIN_ARGV.map((a) => `"${a}"`).join(' ');
/** The bin run with these arguments. */
export const execBin = <O extends Options = Options>(args: readonly string[], options?: O) => execa(BIN_ARGV[0]!, [...BIN_ARGV.slice(1), ...args], options ?? ({} as O));

/**
 * A safety net: a request to any host but loopback goes to a proxy address where nothing listens,
 * so no test can reach another machine even by mistake (a test that sets its own proxy wins).
 */
export const OFFLINE = { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9', NO_PROXY: '127.0.0.1,localhost,::1' };

/**
 * The environment of the built CLI in tests: only what it needs, no proxy variables or GARDIN_*
 * from the machine, and config/cache in the given temp root.
 */
export function cleanEnv(root: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_CACHE_HOME: join(root, 'cache'),
    ...OFFLINE,
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/**
 * How long a run with this --timeout may take before the test calls it a hang: three times the
 * timeout plus a quarter of a minute, so a busy machine never trips it and a hang still fails.
 */
export const hangBoundMs = (timeoutS: number): number => timeoutS * 3000 + 15_000;

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built bin as a process (stdin closed unless given). */
export async function runBin(args: string[], root: string, env: Record<string, string | undefined> = {}, options: Options = {}): Promise<RunResult> {
  const started = performance.now();
  const r = await execBin(args, {
    env: cleanEnv(root, env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    input: '',
    timeout: hangBoundMs(30),
    ...options,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: performance.now() - started };
}
