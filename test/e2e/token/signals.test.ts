import { execa, type ResultPromise } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, execBin } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { issueTokens, type Handler } from '../../helpers/token-server.js';

// Signals: a fetch stopped by Ctrl-C, SIGTERM or SIGHUP lets go of its lock first; SIGUSR1 opens
// no inspector; exec passes on every signal a shell job can get and never dies leaving its
// command running.
const fx = useTokenServer(() => issueTokens());
const env = () => cleanEnv(fx.home.root, { GARDIN_CLIENT_ID: 'sig-client', GARDIN_CLIENT_SECRET: 'sig-Secret-31', GARDIN_TOKEN_URL: fx.server.tokenUrl });

/** A handler that holds its answer until `release` is called, and says when a request is in. */
function held(): { handler: Handler; arrived: Promise<void>; release: () => void } {
  let arrive!: () => void;
  let release!: () => void;
  const arrived = new Promise<void>((r) => (arrive = r));
  const go = new Promise<void>((r) => (release = r));
  const answer = issueTokens();
  return {
    arrived,
    release,
    handler: async (q, n, res) => {
      arrive();
      await go;
      await answer(q, n, res);
    },
  };
}

const start = (args: string[], options: { input?: string } = {}): ResultPromise =>
  execBin([...args], { env: env(), extendEnv: false, reject: false, input: options.input ?? '', timeout: 60_000, stripFinalNewline: false });

const locks = () => {
  const dir = join(fx.home.root, 'cache', 'gardin-token');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.lock')) : [];
};

describe('a fetch stopped by a signal', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s: exit %i, and the lock is let go first', async (signal, code) => {
    const h = held();
    fx.reply = h.handler;
    const run = start([]);
    await h.arrived;
    expect(locks()).toHaveLength(1);
    run.kill(signal);
    const r = await run;
    h.release();
    expect(r.exitCode).toBe(code);
    expect(r.stdout).toBe('');
    expect(locks()).toEqual([]);
  });

  it('SIGUSR1 opens no inspector: the call goes on and prints its token', async () => {
    const h = held();
    fx.reply = h.handler;
    const run = start([]);
    await h.arrived;
    run.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 300));
    h.release();
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${fx.server.issued[0]}\n`);
  });
});

describe('exec passes signals on', () => {
  const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGWINCH'] as const;

  it.each(SIGNALS)('%s sent to gardin-token reaches the command, and gardin-token waits for it', async (signal) => {
    const log = join(fx.home.root, 'log');
    const name = signal.slice(3);
    // The command records the signal and exits 0; killed by it, it would be 128+n.
    const script = `trap 'echo ${name} >> "${log}"; exit 0' ${name}; echo ready; while :; do sleep 0.05; done`;
    const run = start(['exec', '--', 'sh', '-c', script]);
    await new Promise<void>((resolve) => run.stdout!.on('data', (c: Buffer) => String(c).includes('ready') && resolve()));
    run.kill(signal);
    const r = await run;
    expect(readFileSync(log, 'utf8')).toBe(`${name}\n`);
    expect(r.exitCode).toBe(0);
  });

  it('SIGTSTP sent to gardin-token alone stops the command and gardin-token; SIGCONT wakes both', async () => {
    const log = join(fx.home.root, 'log');
    const script = `trap 'echo TSTP >> "${log}"' TSTP; trap 'echo CONT >> "${log}"' CONT; trap 'exit 0' TERM; echo ready; while :; do sleep 0.05; done`;
    const run = start(['exec', '--', 'sh', '-c', script]);
    await new Promise<void>((resolve) => run.stdout!.on('data', (c: Buffer) => String(c).includes('ready') && resolve()));
    run.kill('SIGTSTP');
    const state = async () => (await execa('ps', ['-o', 'stat=', '-p', String(run.pid)], { reject: false })).stdout.trim();
    for (let i = 0; i < 100 && !(await state()).startsWith('T'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(await state()).toMatch(/^T/);
    run.kill('SIGCONT');
    const logged = () => (existsSync(log) ? readFileSync(log, 'utf8') : '');
    for (let i = 0; i < 100 && !logged().includes('CONT'); i++) await new Promise((r) => setTimeout(r, 50));
    run.kill('SIGTERM');
    const r = await run;
    // sh runs traps that came during one `sleep` in signal-number order (CONT before TSTP).
    expect(logged().trim().split('\n').sort()).toEqual(['CONT', 'TSTP']);
    expect(r.exitCode).toBe(0);
  });
});
