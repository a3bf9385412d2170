import { describe, expect, it } from 'vitest';
import { useTokenServer } from '../../helpers/fixture.js';
import { BIN_IS_SCRIPT, runBin } from '../../helpers/bin.js';
import { issueTokens } from '../../helpers/token-server.js';

// The single-file binary needs no Node.js: with none on PATH it gets, caches and prints a token,
// loading its lazy chunks (the fetch path, the profile store) from inside itself. Runs when the
// suite runs against the binary (.ci/run).
const fx = useTokenServer(() => issueTokens());

describe.skipIf(BIN_IS_SCRIPT)('the single-file binary, with no node on PATH', () => {
  it('gets a token, then answers from the cache; stores a profile', async () => {
    const env = { PATH: '/nonexistent', GARDIN_CLIENT_ID: 'no-node', GARDIN_CLIENT_SECRET: 'no-node-secret', GARDIN_TOKEN_URL: fx.server.tokenUrl };
    const first = await runBin(['--json'], fx.home.root, env);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ access_token: fx.server.issued[0], cached: false });
    const again = await runBin(['--json'], fx.home.root, env);
    expect(JSON.parse(again.stdout)).toMatchObject({ access_token: fx.server.issued[0], cached: true });
    const add = await runBin(
      ['profile', 'add', 'p', '--client-id', 'x', '--client-secret-stdin', '--secret-store', 'file'],
      fx.home.root,
      { PATH: '/nonexistent' },
      { input: 's' },
    );
    expect(add.exitCode, add.stderr).toBe(0);
  });
});
