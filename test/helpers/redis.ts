import { Redis } from 'ioredis';
import { execa, type ResultPromise } from 'execa';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * A real redis-server (Debian's) per test: on a free loopback port, persistence off, in a temp
 * folder, stopped by `stop()`. Without redis-server the tests that need it skip, unless
 * GARDIN_TOKEN_TEST_REQUIRE (set by .ci/run) makes a missing server a failure.
 */
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
export const redisRequired = Boolean(process.env.GARDIN_TOKEN_TEST_REQUIRE);
if (!hasRedis && redisRequired) throw new Error('redis-server is not installed, and GARDIN_TOKEN_TEST_REQUIRE is set');

export const TLS_DIR = resolve(import.meta.dirname, '../fixtures/tls');

export interface RedisOptions {
  /** `requirepass`: the default user's password. */
  password?: string;
  /** ACL rules, one `user` line each (`fleet on >pw ~gardin-token:* +@all`). */
  users?: string[];
  /** Listen with TLS only (the test CA's server.pem for 127.0.0.1). */
  tls?: boolean;
}

const adminClient = (url: string, password: string | undefined, tls: boolean) =>
  new Redis(url, { lazyConnect: true, ...(password && { password }), ...(tls && { tls: { ca: [readFileSync(join(TLS_DIR, 'ca.pem'), 'utf8')] } }) });

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:port` or `rediss://...`, without credentials. */
  url: string;
  /** A client for the test's own look at the data (authenticated as the default user). */
  admin(): Promise<ReturnType<typeof adminClient>>;
  /** Every key and its value. */
  dump(): Promise<Array<[string, string]>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'gardin-token-redis-'));
    const args = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--enable-debug-command', 'yes', '--protected-mode', 'no'];
    if (options.tls) {
      args.push('--port', '0', '--tls-port', String(port), '--tls-cert-file', join(TLS_DIR, 'server.pem'), '--tls-key-file', join(TLS_DIR, 'server-key.pem'));
      args.push('--tls-ca-cert-file', join(TLS_DIR, 'ca.pem'), '--tls-auth-clients', 'no');
    } else args.push('--port', String(port));
    if (options.password) args.push('--requirepass', options.password);
    for (const user of options.users ?? []) args.push('--user', ...user.split(' '));
    const proc: ResultPromise = execa('redis-server', args, { reject: false, stdin: 'ignore', cleanup: true });
    let log = '';
    const ready = await new Promise<boolean>((resolveReady) => {
      proc.stdout!.on('data', (c: Buffer) => {
        log += c.toString();
        if (log.includes('Ready to accept connections')) resolveReady(true);
      });
      void proc.then(() => resolveReady(false));
    });
    if (!ready) {
      rmSync(dir, { recursive: true, force: true });
      // Another process took the port between our probe and redis-server's bind: try another.
      if (attempt < 5 && /in use/i.test(log)) continue;
      throw new Error(`redis-server did not start:\n${log}`);
    }
    const url = `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
    const admin = async () => {
      const client = adminClient(url, options.password, Boolean(options.tls));
      client.on('error', () => undefined);
      await client.connect();
      return client;
    };
    return {
      port,
      url,
      admin,
      dump: async () => {
        const c = await admin();
        try {
          const keys = await c.keys('*');
          const out: Array<[string, string]> = [];
          for (const k of keys) out.push([k, (await c.get(k)) ?? '']);
          return out;
        } finally {
          c.disconnect();
        }
      },
      stop: async () => {
        proc.kill('SIGKILL');
        await proc;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
