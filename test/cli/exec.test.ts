import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { execCommand } from '../../src/commands/exec.js';
import type { Spawner } from '../../src/platform/deps.js';
import { Reporter } from '../../src/platform/reporter.js';
import { testDeps } from '../helpers/deps.js';
import { useTokenServer } from '../helpers/fixture.js';
import { issueTokens } from '../helpers/token-server.js';

const fx = useTokenServer(() => issueTokens());

/**
 * A child process stand-in: records what it was started with and the signals it got. `whileStarting`
 * runs inside spawn, before it returns: a signal there is one that came while the child was starting.
 */
function fakeChild(whileStarting: () => void = () => undefined) {
  const child = Object.assign(new EventEmitter(), { signals: [] as string[], kill: (sig: string) => (child.signals.push(sig), true) });
  let started!: (s: { command: string; args: string[]; env: Record<string, string | undefined> }) => void;
  const spawned = new Promise<Parameters<typeof started>[0]>((resolve) => (started = resolve));
  const spawn: Spawner = (command, args, env) => {
    started({ command, args, env });
    whileStarting();
    return child as unknown as ChildProcess;
  };
  return { child, spawn, spawned };
}

/** Runs exec with a fake child; `during` runs once the child has been started. */
async function exec(command: string[], child: ReturnType<typeof fakeChild>, tty: boolean, during: () => void) {
  const deps = testDeps({
    env: { GARDIN_CLIENT_ID: 'x', GARDIN_CLIENT_SECRET: 'exec-secret', GARDIN_TOKEN_URL: fx.server.tokenUrl, OTHER: 'kept' },
    dirs: fx.home,
    tty,
  });
  const reporter = new Reporter(deps.io, { verbose: false, quiet: false });
  const running = execCommand.run!([command], {}, { deps: { ...deps, spawn: child.spawn }, reporter, root: execCommand, helpOf: () => undefined });
  await child.spawned;
  during();
  return { code: await running, err: deps.err() };
}

describe('exec in-process', () => {
  it('starts the command with the token variables, without the secret, and returns its exit code', async () => {
    const c = fakeChild();
    const r = await exec(['tool', '--flag'], c, false, () => c.child.emit('exit', 3, null));
    expect(r.code).toBe(3);
    const { command, args, env } = await c.spawned;
    expect([command, args]).toEqual(['tool', ['--flag']]);
    expect(env.GARDIN_ACCESS_TOKEN).toMatch(/^tok-/);
    expect(env.GARDIN_ACCESS_TOKEN_EXPIRES_AT).toMatch(/^\d{4}-/);
    expect(env.OTHER).toBe('kept');
    expect(env).not.toHaveProperty('GARDIN_CLIENT_SECRET');
  });

  it('a child killed by SIGTERM is 143; one that cannot start is 127', async () => {
    const killed = fakeChild();
    expect((await exec(['tool'], killed, false, () => killed.child.emit('exit', null, 'SIGTERM'))).code).toBe(143);
    const missing = fakeChild();
    const r = await exec(['nope'], missing, false, () => missing.child.emit('error', Object.assign(new Error('spawn nope ENOENT'), { code: 'ENOENT' })));
    expect(r.code).toBe(127);
    expect(r.err).toContain('Cannot run nope: command not found');
  });

  it.each([
    [false, ['SIGINT', 'SIGTERM']],
    [true, ['SIGTERM']],
  ])('stdin a terminal: %s -> forwards %j (a terminal already sends Ctrl-C to the child)', async (tty, expected) => {
    const c = fakeChild();
    await exec(['tool'], c, tty, () => {
      process.emit('SIGINT');
      process.emit('SIGTERM');
      c.child.emit('exit', 0, null);
    });
    expect(c.child.signals).toEqual(expected);
  });

  it('a signal that comes while the command is starting is passed on once it has started', async () => {
    const c = fakeChild(() => process.emit('SIGTERM'));
    await exec(['tool'], c, false, () => c.child.emit('exit', null, 'SIGTERM'));
    expect(c.child.signals).toEqual(['SIGTERM']);
  });
});
