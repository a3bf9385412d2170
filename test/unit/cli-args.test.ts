import { describe, expect, it } from 'vitest';
import { evalFormatIn, secretsInArgs } from '../../src/cli/run-command.js';

const argv = (...args: string[]) => ['node', 'gardin-token', ...args];

describe('secretsInArgs: values of anything that looks like a secret option', () => {
  it.each([
    [['--client-secret', 'abcd1'], ['abcd1']],
    [['--client-secret=abcd2'], ['abcd2']],
    [["--client-secrett=ab'cd3"], ["ab'cd3"]],
    [['--client\u2010secret=abcd4'], ['abcd4']],
    [['\u2014client\u2013secret=abcd5'], ['abcd5']],
    [['--client-secret:abcd6'], ['abcd6']],
    [['--Client_Secret', 'abcd7'], ['abcd7']],
    [['--client-secret-file', '/run/secret', '--client-secret-stdin', '--client-secret-command', 'pass x'], []],
    // Where the secret is kept is not a secret: "file" must not be scrubbed out of every "profile".
    [['--secret-store', 'file'], []],
    [['--', '--client-secret', 'not-ours'], []],
    [['--client-secret', 'abc'], []],
  ])('%j', (args, found) => {
    expect(secretsInArgs(argv(...args), {})).toEqual(found);
  });
  it('and GARDIN_CLIENT_SECRET', () => {
    expect(secretsInArgs(argv(), { GARDIN_CLIENT_SECRET: 'env-secret' })).toEqual(['env-secret']);
  });
});

describe('evalFormatIn: the eval format asked for, even when parsing fails', () => {
  it.each([
    [['--export'], 'export'],
    [['-o', 'fish'], 'fish'],
    [['-opowershell'], 'powershell'],
    [['--output=export', '--bogus'], 'export'],
    [['-o', 'json'], undefined],
    [['--export', '-o', 'raw'], 'export'],
    [['exec', '--', 'x', '--export'], undefined],
  ])('%j', (args, format) => {
    expect(evalFormatIn(argv(...args))).toBe(format);
  });
});
