import { execa } from 'execa';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runBin } from '../../helpers/bin.js';
import { useTokenServer } from '../../helpers/fixture.js';
import { hasKeychain, startKeychain, type KeychainSession } from '../../helpers/keychain.js';
import { issueTokens } from '../../helpers/token-server.js';
import { basicAuthorization } from '../../../src/token/auth/basic.js';

// A profile's secret in the OS keychain, here the Secret Service of a real gnome-keyring
// in a D-Bus session of the test's own.

const SECRET = 'keychain-secret-0123456789';
const fx = useTokenServer(() => issueTokens());
let keychain: KeychainSession;

beforeEach(async () => {
  if (hasKeychain) keychain = await startKeychain(fx.home.root);
});
afterEach(async () => {
  if (hasKeychain) await keychain.stop();
});

/** The CLI with the keychain's session bus (or, with `bus: false`, none: the keychain is gone). */
const gt = (args: string[], options: { input?: string; bus?: boolean } = {}) =>
  runBin(args, fx.home.root, options.bus === false ? {} : { DBUS_SESSION_BUS_ADDRESS: keychain.address }, { input: options.input ?? '' });

const store = () => JSON.parse(readFileSync(join(fx.home.config, 'config.json'), 'utf8'));

const addProd = (extra: string[] = []) =>
  gt(['profile', 'add', 'prod', '--client-id', 'kc-client', '--client-secret-stdin', '--token-url', fx.server.tokenUrl, ...extra], { input: `${SECRET}\n` });

describe.skipIf(!hasKeychain)('secrets in the OS keychain (gnome-keyring over D-Bus)', () => {
  it('profile add keeps the secret in the keychain by default; config.json holds none; a fetch reads it', async () => {
    const add = await addProd();
    expect(add.exitCode, add.stderr).toBe(0);
    expect(await keychain.lookup('prod')).toBe(SECRET);
    expect(store().profiles.prod).toEqual({ clientId: 'kc-client', tokenUrl: fx.server.tokenUrl, secretStore: 'keychain' });
    expect(readFileSync(join(fx.home.config, 'config.json'), 'utf8')).not.toContain(SECRET);

    const show = await gt(['profile', 'show', 'prod', '--json']);
    expect(JSON.parse(show.stdout)).toMatchObject({ secret_store: 'keychain', client_secret: '(in the OS keychain: service "gardin-token", account "prod")' });

    const run = await gt(['-p', 'prod']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(fx.server.requests[0]!.headers.authorization).toBe(basicAuthorization('kc-client', SECRET));
  });

  it('a cached call never touches the keychain; a miss with the keychain gone is exit 2 naming the profile and the store', async () => {
    expect((await addProd()).exitCode).toBe(0);
    expect((await gt(['-p', 'prod'])).exitCode).toBe(0);
    // No session bus now: the cached token is still there, the keychain is not needed for it.
    const cached = await gt(['-p', 'prod', '--json'], { bus: false });
    expect(cached.exitCode, cached.stderr).toBe(0);
    expect(JSON.parse(cached.stdout).cached).toBe(true);

    const miss = await gt(['-p', 'prod', '--force-refresh', '--export'], { bus: false });
    expect(miss.exitCode).toBe(2);
    expect(miss.stdout).toBe('false\n');
    expect(miss.stderr).toContain('The client secret of profile "prod" is kept in the Secret Service (OS keychain), which cannot be used: no D-Bus session');
    expect(miss.stderr.trim().split('\n')).toHaveLength(1);

    // The keychain daemon stopped (the bus address is stale): the same, never a hang or a crash.
    await keychain.stop();
    const stale = await gt(['-p', 'prod', '--force-refresh']);
    expect(stale.exitCode).toBe(2);
    expect(stale.stderr).toContain('The client secret of profile "prod" is kept in the Secret Service (OS keychain), which cannot be used');
    expect(fx.server.requests).toHaveLength(1);
  });

  it('rename moves the keychain entry; remove deletes it', async () => {
    expect((await addProd()).exitCode).toBe(0);
    const rename = await gt(['profile', 'rename', 'prod', 'live']);
    expect(rename.exitCode, rename.stderr).toBe(0);
    expect(await keychain.lookup('prod')).toBeUndefined();
    expect(await keychain.lookup('live')).toBe(SECRET);
    const run = await gt(['-p', 'live', '--no-cache']);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(fx.server.requests.at(-1)!.headers.authorization).toBe(basicAuthorization('kc-client', SECRET));

    const remove = await gt(['profile', 'remove', 'live']);
    expect(remove.exitCode, remove.stderr).toBe(0);
    expect(await keychain.lookup('live')).toBeUndefined();
  });

  it('profile set moves the secret between the keychain and the file, and a new secret stays where the old one was', async () => {
    expect((await addProd()).exitCode).toBe(0);
    const toFile = await gt(['profile', 'set', 'prod', '--secret-store', 'file']);
    expect(toFile.exitCode, toFile.stderr).toBe(0);
    expect(toFile.stderr).toContain('secret moved to the file');
    expect(store().profiles.prod.clientSecret).toBe(SECRET);
    expect(await keychain.lookup('prod')).toBeUndefined();

    const back = await gt(['profile', 'set', 'prod', '--secret-store', 'keychain']);
    expect(back.exitCode, back.stderr).toBe(0);
    expect(store().profiles.prod).not.toHaveProperty('clientSecret');
    expect(await keychain.lookup('prod')).toBe(SECRET);

    const rotated = await gt(['profile', 'set', 'prod', '--client-secret-stdin'], { input: 'rotated-secret-9876543210' });
    expect(rotated.exitCode, rotated.stderr).toBe(0);
    expect(await keychain.lookup('prod')).toBe('rotated-secret-9876543210');
    expect(readFileSync(join(fx.home.config, 'config.json'), 'utf8')).not.toContain('rotated-secret');

    const command = await gt(['profile', 'set', 'prod', '--client-secret-command', 'echo from-a-command']);
    expect(command.exitCode, command.stderr).toBe(0);
    expect(await keychain.lookup('prod')).toBeUndefined();
    const refused = await gt(['profile', 'set', 'prod', '--secret-store', 'keychain']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('reads its secret from a command');
  });

  it('--secret-store keychain without a keychain is exit 2 and saves nothing; without the flag, the file and a note', async () => {
    const refused = await gt(['profile', 'add', 'prod', '--client-id', 'kc-client', '--client-secret-stdin', '--secret-store', 'keychain'], { input: SECRET, bus: false });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('was to go to the Secret Service (OS keychain), which cannot be used: no D-Bus session');
    // What is missing is the service, and the profile was never saved: no `profile set` to suggest.
    expect(refused.stderr).toContain('Start a Secret Service');
    expect(refused.stderr).toContain('gardin-token profile add prod --secret-store file ... (nothing was saved)');
    expect(refused.stderr).not.toContain('profile set');
    expect(refused.stderr).not.toContain(SECRET);
    expect((await gt(['profile', 'list'])).stdout).toBe('');

    const fallback = await gt(['profile', 'add', 'prod', '--client-id', 'kc-client', '--client-secret-stdin'], { input: SECRET, bus: false });
    expect(fallback.exitCode, fallback.stderr).toBe(0);
    expect(fallback.stderr).toContain(
      'No OS keychain could be used (the Secret Service (OS keychain): no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)); the secret is stored in',
    );
    expect(store().profiles.prod).toEqual({ clientId: 'kc-client', clientSecret: SECRET });
  });
});

describe('an install without the native keychain module (npm skipped the optional dependency)', () => {
  let installed: string;
  beforeEach(() => {
    // The bundles need nothing from node_modules but @napi-rs/keyring: a copy of bin/ and dist/ alone.
    installed = join(fx.home.root, 'installed');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(import.meta.dirname, '../../..', part), join(installed, part), { recursive: true });
  });
  const run = (args: string[], input = '') =>
    execa(process.execPath, [join(installed, 'bin/gardin-token.cjs'), ...args], { env: cleanEnv(fx.home.root), extendEnv: false, reject: false, input });

  it('says the module is missing and how to get it, for a profile being added and for a saved one', async () => {
    const add = await run(['profile', 'add', 'prod', '--client-id', 'a', '--client-secret-stdin', '--secret-store', 'keychain'], SECRET);
    expect(add.exitCode).toBe(2);
    expect(add.stderr).toMatch(/the native keychain module \(@napi-rs\/keyring\) for \w+-\w+ is missing/);
    expect(add.stderr).toContain('Reinstall gardin-token with its optional dependencies');
    expect(add.stderr).not.toMatch(/Unlock|profile set|not installed for this platform/);

    mkdirSync(fx.home.config, { recursive: true, mode: 0o700 });
    writeFileSync(
      join(fx.home.config, 'config.json'),
      JSON.stringify({ default: 'prod', profiles: { prod: { clientId: 'a', tokenUrl: fx.server.tokenUrl, secretStore: 'keychain' } } }),
      { mode: 0o600 },
    );
    const fetch = await run([]);
    expect(fetch).toMatchObject({ exitCode: 2, stdout: '' });
    expect(fetch.stderr).toContain('Reinstall gardin-token with its optional dependencies');
    expect(fetch.stderr).toContain('gardin-token profile set prod --secret-store file --client-secret-stdin');
  });
});
