import { execa } from 'execa';
import { spawn, spawnSync } from 'node:child_process';

/**
 * A real Secret Service for the keychain tests: Debian's gnome-keyring in a D-Bus session of its
 * own (dbus-run-session), unlocked with a throwaway password, its keyring files in the test's
 * HOME. Without these programs the tests skip, unless GARDIN_TOKEN_TEST_REQUIRE (set by .ci/run)
 * makes that a failure.
 */
export const hasKeychain = ['dbus-run-session', 'gnome-keyring-daemon', 'secret-tool'].every((cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0);
if (!hasKeychain && process.env.GARDIN_TOKEN_TEST_REQUIRE)
  throw new Error('dbus-run-session, gnome-keyring-daemon or secret-tool is missing, and GARDIN_TOKEN_TEST_REQUIRE is set');

export interface KeychainSession {
  /** The session bus: give it to the CLI as DBUS_SESSION_BUS_ADDRESS. */
  address: string;
  /** The secret stored for a profile (service gardin-token, account the profile), via secret-tool. */
  lookup(profile: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startKeychain(home: string): Promise<KeychainSession> {
  const script = 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; echo "$DBUS_SESSION_BUS_ADDRESS"; exec sleep 100000';
  const child = spawn('dbus-run-session', ['--', 'sh', '-c', script], { env: { PATH: process.env.PATH, HOME: home }, detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!.trim());
    });
    child.once('exit', (code) => reject(new Error(`dbus-run-session exited with ${code} before starting`)));
  });
  const env = { PATH: process.env.PATH ?? '', HOME: home, DBUS_SESSION_BUS_ADDRESS: address };
  return {
    address,
    lookup: async (profile) => {
      const r = await execa('secret-tool', ['lookup', 'service', 'gardin-token', 'username', profile], { env, extendEnv: false, reject: false });
      return r.exitCode === 0 ? String(r.stdout) : undefined;
    },
    stop: async () => {
      // The whole group: dbus-run-session, its bus and the keyring daemon with it.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        // already gone
      }
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    },
  };
}
