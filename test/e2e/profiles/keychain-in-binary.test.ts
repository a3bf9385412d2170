import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_IS_SCRIPT, runBin } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';

// The single-file binary cannot carry the keychain's native module: asked for the keychain, it
// says so and what to do, and saves nothing; by default the secret goes to the profile store, as
// on a machine without a keychain. Runs when the suite runs against the binary (.ci/run).
let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.cleanup());

const add = (store?: string) =>
  runBin(['profile', 'add', 'prod', '--client-id', 'id', '--client-secret-stdin', ...(store ? ['--secret-store', store] : [])], home.root, {}, { input: 'the-secret' });

describe.skipIf(BIN_IS_SCRIPT)('the keychain, from the single-file binary', () => {
  it('--secret-store keychain: exit 2, why and what to do, nothing saved', async () => {
    const r = await add('keychain');
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*the single-file binary cannot carry the native keychain module\. Install the npm package for the keychain/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(home.config, 'config.json'))).toBe(false);
  });

  it('by default: the secret is kept in the profile store (0600), and the note says why', async () => {
    const r = await add();
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('the single-file binary cannot carry the native keychain module');
    expect(JSON.parse(readFileSync(join(home.config, 'config.json'), 'utf8')).profiles.prod.clientSecret).toBe('the-secret');
  });
});
