import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN_IS_SCRIPT, runBin } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { hasKeychain, startKeychain, type KeychainSession } from '../../helpers/keychain.js';

// Writes to the profile store are serialised: parallel profile commands queue on its lock and
// each reads the store afresh under it, so none of their writes is lost.
let home: ReturnType<typeof tempHome>;
beforeEach(() => {
  home = tempHome();
});
afterEach(() => home.cleanup());

const store = () => JSON.parse(readFileSync(join(home.config, 'config.json'), 'utf8')) as { default?: string; profiles: Record<string, { clientId: string; scope?: string }> };
const add = (name: string, env: Record<string, string> = {}, store = 'file') =>
  runBin(
    ['profile', 'add', name, '--client-id', `id-${name}`, '--client-secret-stdin', '--secret-store', store, '--token-url', 'https://login.example/oauth2/token'],
    home.root,
    env,
    { input: `secret-of-${name}` },
  );

describe('profile writes', () => {
  it('20 profile add run in parallel keep 20 profiles', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const runs = await Promise.all(names.map((n) => add(n)));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    expect(Object.keys(store().profiles).sort()).toEqual([...names].sort());
    expect(names).toContain(store().default);
    expect(
      Object.values(store().profiles)
        .map((p) => p.clientId)
        .sort(),
    ).toEqual(names.map((n) => `id-${n}`).sort());
  });

  it('rename and set racing end in one consistent store: never both names', async () => {
    for (let round = 0; round < 5; round++) {
      home.cleanup();
      home = tempHome();
      expect((await add('r1')).exitCode).toBe(0);
      const [rename, set] = await Promise.all([runBin(['profile', 'rename', 'r1', 'r2'], home.root), runBin(['profile', 'set', 'r1', '--scope', 'jobs:read'], home.root)]);
      expect(rename.exitCode, rename.stderr).toBe(0);
      const names = Object.keys(store().profiles);
      expect(names).toEqual(['r2']);
      // set ran first (and its scope moved with the rename), or after (and found no r1).
      if (set.exitCode === 0) expect(store().profiles.r2!.scope).toBe('jobs:read');
      else expect(set.stderr).toContain('Profile "r1" does not exist');
    }
  });
});

// The single-file binary cannot carry the keychain (profiles/keychain-in-binary.test.ts).
describe.skipIf(!hasKeychain || !BIN_IS_SCRIPT)('profile writes with the keychain', () => {
  let keychain: KeychainSession;
  beforeEach(async () => {
    keychain = await startKeychain(home.root);
  });
  afterEach(() => keychain.stop());

  it('parallel adds, renames and removes leave no keychain secret without its profile', async () => {
    const env = { DBUS_SESSION_BUS_ADDRESS: keychain.address };
    const names = Array.from({ length: 8 }, (_, i) => `k${i}`);
    const runs = await Promise.all(names.map((n) => add(n, env, 'keychain')));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    const more = await Promise.all([
      runBin(['profile', 'rename', 'k0', 'k0b'], home.root, env),
      runBin(['profile', 'remove', 'k1'], home.root, env),
      runBin(['profile', 'rename', 'k2', 'k2b'], home.root, env),
      runBin(['profile', 'remove', 'k3'], home.root, env),
    ]);
    for (const r of more) expect(r.exitCode, r.stderr).toBe(0);
    const kept = Object.keys(store().profiles).sort();
    expect(kept).toEqual(['k0b', 'k2b', 'k4', 'k5', 'k6', 'k7']);
    for (const name of [...names, 'k0b', 'k2b']) {
      const secret = await keychain.lookup(name);
      if (kept.includes(name)) expect(secret, name).toBe(`secret-of-${name.replace(/b$/, '')}`);
      else expect(secret, name).toBeUndefined();
    }
  });
});
