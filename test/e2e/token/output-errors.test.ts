import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN_SH, cleanEnv } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { issueTokens, json } from '../../helpers/token-server.js';

// Output that cannot be written is one line on stderr and exit 8, never "Internal error" or a
// stack; a call that failed anyway keeps its own exit code. (A closed stdout is not among the
// cases: Node opens /dev/null in its place at start-up.)
const fx = useTokenServer(() => issueTokens());
const env = () => cleanEnv(fx.home.root, { GARDIN_CLIENT_ID: 'out-client', GARDIN_CLIENT_SECRET: 'out-Secret-8b', GARDIN_TOKEN_URL: fx.server.tokenUrl });
const sh = (line: string) => execa('sh', ['-c', line], { env: env(), extendEnv: false, reject: false, stripFinalNewline: false });
const bin = `${BIN_SH}`;

describe('output that cannot be written', () => {
  it.each([
    ['--json', '>/dev/full', 'the disk is full'],
    ['--export', '>/dev/full', 'the disk is full'],
    ['-o dotenv', '>/dev/full', 'the disk is full'],
  ])('%s %s: exit 8, one line naming the cause', async (args, redirect, cause) => {
    const r = await sh(`${bin} ${args} ${redirect}`);
    expect(r.exitCode).toBe(8);
    expect(r.stderr).toBe(`error: Cannot write to standard output: ${cause}.\n`);
  });

  it('a fetch that failed keeps its exit code, with no stack after it', async () => {
    fx.reply = (_q, _n, res) => json(res, 401, { error: 'invalid_client' });
    const r = await sh(`${bin} --export >/dev/full`);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error: The token endpoint \S+ \(from the GARDIN_TOKEN_URL environment variable\) refused the request: HTTP 401, invalid_client\. [^\n]*\n$/);
  });

  it('help exit-codes lists 8', async () => {
    const r = await sh(`${bin} help exit-codes`);
    expect(r.stdout).toMatch(/^ {2}8 {4}output could not be written/m);
  });
});
