import { afterAll, describe, expect, it, vi } from 'vitest';
import { testDeps, tempHome } from '../helpers/deps.js';

// The quick parser must read a call exactly as commander does wherever it answers: both hand the
// default command's options to the same code, which asks fetchForCommand for the token, so a mock
// of that records what each parser made of the same argv. commander is the CLI's own program
// (cli/program.ts), not a copy.
vi.mock('../../src/commands/fetch.js', async (original) => ({
  ...(await original<typeof import('../../src/commands/fetch.js')>()),
  fetchForCommand: vi.fn(async () => ({ accessToken: 'quick-parse-token', tokenType: 'Bearer', expiresAt: undefined, scope: undefined, fromCache: true })),
}));
const { fetchForCommand } = await import('../../src/commands/fetch.js');
const { cliMain } = await import('../../src/cli/program.js');
const { main } = await import('../../src/cli/main.js');
const { quickParse } = await import('../../src/cli/quick-parse.js');
const { UI_OPTIONS } = await import('../../src/commands/options.js');
const { tokenCommand } = await import('../../src/commands/token.js');
const ROOT_OPTIONS = [...tokenCommand.options!, ...UI_OPTIONS];

const home = tempHome();
afterAll(home.cleanup);
const recorded = vi.mocked(fetchForCommand);

/** What a parser hands the default command for these arguments, and the exit code (undefined opts: no token was asked for). */
async function ran(run: typeof cliMain, args: string[]) {
  recorded.mockClear();
  const code = await run(['node', 'gardin-token', ...args], testDeps({ dirs: home }));
  return { code, opts: recorded.mock.calls[0]?.[0] };
}

/** Where the quick parser answers, main (which runs it) and commander end the same way. */
async function expectSameAsCommander(args: string[]) {
  if (quickParse(args, ROOT_OPTIONS) === undefined) return false;
  expect({ args, ...(await ran(main, args)) }).toEqual({ args, ...(await ran(cliMain, args)) });
  return true;
}

describe('quickParse reads the default command as commander does', () => {
  it.each([
    [[]],
    [['-p', 'prod']],
    [['-pprod']],
    [['-p=prod']],
    [['--profile=prod', '--export']],
    [['--client-id', 'c', '--client-secret', 's3cret', '--token-url', 'http://127.0.0.1:1/t']],
    [['--client-id=', '--scope=']],
    [['--client-id=--not-an-option']],
    [['--scope', 'a', '--scope', 'b c', '--scope=d']],
    [['--no-cache', '--force-refresh', '--min-ttl', '0']],
    [['-o', 'json'], ['-ojson']],
    [['--output=dotenv', '--var-name', 'TOKEN']],
    [['--auth-method', 'post', '--timeout', '5', '--retries', '0']],
    [['-q', '-v', '--json', '--export']],
    [['--client-id', 'a', '--client-id', 'b']],
    [['--cache-url', 'redis://127.0.0.1:6379', '--ca-file', '/x.pem']],
    [['--client-secret-stdin', '--client-secret-file', '/run/s']],
  ])('takes %j, and commander agrees', async (...argsList) => {
    for (const args of argsList) expect(await expectSameAsCommander(args)).toBe(true);
  });

  it.each([
    [['status']],
    [['profile', 'list']],
    [['--help']],
    [['-h']],
    [['-V']],
    [['--version']],
    [['--']],
    [['-', 'x']],
    [['-qv']],
    [['--bogus']],
    [['--client-id']],
    [['--min-ttl', '-5']],
    [['--client-id', '--json']],
    [['-o', 'yaml']],
    [['--auth-method', 'digest']],
    [['--json=true']],
    [['--no-json']],
    [['--cache']],
    [['--client\u2013secret', 'x']],
    [['-p', 'prod', 'extra']],
  ])('leaves %j to commander', (args) => {
    expect(quickParse(args, ROOT_OPTIONS)).toBeUndefined();
  });

  it('on 1500 random command lines, wherever it answers, answers as commander does', async () => {
    const words = [
      ...ROOT_OPTIONS.flatMap((o) => o.flags.match(/-{1,2}[\w-]+/g)!),
      'x',
      '',
      '-x',
      'json',
      'export',
      'basic',
      'bogus',
      'a b',
      '--',
      '-',
      '-qv',
      '-vq',
      '-pfoo',
      '-ojson',
      '-oyaml',
      '--client-id=v',
      '--scope=a',
      '--json=1',
      '--no-json',
      '--nope',
      'profile',
      'status',
      '--help',
      '-V',
      '10',
      '-1',
    ];
    // A fixed seed: the same lines on every run (a failure can be replayed).
    let seed = 20261203;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let taken = 0;
    for (let i = 0; i < 1500; i++) {
      const args = Array.from({ length: Math.floor(next() * 6) }, () => words[Math.floor(next() * words.length)]!);
      if (await expectSameAsCommander(args)) taken++;
    }
    // Not a test that passes by declining everything.
    expect(taken).toBeGreaterThan(150);
  });

  it('main runs what the quick parser takes, and the rest through commander', async () => {
    recorded.mockClear();
    expect(await main(['node', 'gardin-token', '-p', 'prod'], testDeps({ dirs: home }))).toBe(0);
    expect(recorded).toHaveBeenCalledTimes(1);
    const deps = testDeps({ dirs: home });
    expect(await main(['node', 'gardin-token', '-o', 'yaml'], deps)).toBe(2);
    expect(deps.err()).toContain("argument 'yaml' is invalid");
  });
});
