import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { readProfileStore } from '../config/profiles.js';
import { checkApiBase, isLoopbackHost, resolveSettings, type TokenInputs } from '../config/settings.js';
import { apiUrlFor } from '../net/api-request.js';
import { API_MAX_BYTES } from '../net/messages.js';
import { builtin } from '../platform/builtin.js';
import { timingOf } from '../platform/clock.js';
import { fsReason } from '../platform/errors.js';
import { writePrivateFile } from '../platform/private-files.js';
import { readFileBounded } from '../platform/read-bounded.js';
import { sanitize } from '../platform/text.js';
import { keepToken } from '../token/keeper.js';
import type { CommandContext, CommandSpec } from './command.js';
import { invalidListen, keyFileUnusable, proxyRefusal, renewFailedNotice } from './messages.js';
import { BASE_URL_OPTION, FETCH_OPTIONS, IDENTITY_OPTIONS } from './options.js';
import { inheritedEnv, supervise } from './supervise.js';

// `gardin-token proxy`: a local endpoint that passes requests on to the Gardin API with a fresh
// token, for tools that take a base URL and a key but cannot run a command for a token.

export interface ProxyOptions extends TokenInputs {
  listen?: string;
  baseUrl?: string;
  keyFile?: string;
}

/** A loopback address to listen on: `127.0.0.1:8080`, `[::1]:0`, `localhost:8080`, or a port alone. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:(\[[0-9a-f:.]+\]|[^:[\]]+):)?(\d{1,5})$/i.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw invalidListen(value, 'not host:port');
  const host = (m[1] ?? '127.0.0.1').toLowerCase();
  // Loopback only: the key is all that stands between the network and the client's token.
  if (!isLoopbackHost(host)) throw invalidListen(value, 'not a loopback address (127.0.0.1, [::1] or localhost)');
  return { host: host === 'localhost' ? '127.0.0.1' : host.replace(/^\[|\]$/g, ''), port };
}

/** The key clients present: read from --key-file (made, 0600, with a new key if missing), or a new one. */
function proxyKey(keyFile: string | undefined): { key: string; generated: boolean } {
  const fresh = () => builtin<typeof import('node:crypto')>('node:crypto').randomBytes(32).toString('base64url');
  if (keyFile === undefined) return { key: fresh(), generated: true };
  let text: string | undefined;
  try {
    text = readFileBounded(keyFile, 4096).toString('utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw keyFileUnusable(keyFile, fsReason(err));
  }
  if (text === undefined) {
    const key = fresh();
    try {
      writePrivateFile(keyFile, `${key}\n`);
    } catch (err) {
      throw keyFileUnusable(keyFile, fsReason(err));
    }
    return { key, generated: false };
  }
  if (!/^[\x21-\x7e]{16,}$/.test(text)) throw keyFileUnusable(keyFile, 'it does not hold a key of at least 16 visible characters');
  return { key: text, generated: false };
}

/** Whether `authorization` presents `key`, compared in constant time. */
function presents(authorization: string | undefined, key: string): boolean {
  const { createHash, timingSafeEqual } = builtin<typeof import('node:crypto')>('node:crypto');
  const given = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(key));
}

/**
 * The request's body, whole if it fits in the bound (so that it can be sent again after a 401),
 * else as a stream of what was read and the rest (sent once).
 */
async function bodyOf(req: IncomingMessage): Promise<Buffer | Readable | undefined> {
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  const it = req[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  for (;;) {
    const next = await it.next();
    if (next.done) return Buffer.concat(chunks, size);
    chunks.push(next.value);
    size += next.value.length;
    if (size > API_MAX_BYTES) {
      const { Readable } = builtin<typeof import('node:stream')>('node:stream');
      return Readable.from(
        (async function* () {
          yield* chunks;
          for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        })(),
      );
    }
  }
}

const reply = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ message }) + '\n');
};

async function runProxy(command: string[], opts: ProxyOptions, { deps, reporter }: CommandContext): Promise<number> {
  const settings = resolveSettings(opts, deps.env, readProfileStore(deps.dirs.config));
  const base = checkApiBase(settings.apiUrl.value, settings.apiUrl.source);
  const listen = parseListen(opts.listen ?? '127.0.0.1:0');
  const { key, generated } = proxyKey(opts.keyFile);
  reporter.addSecrets([key]);
  const keeper = keepToken(settings, deps, reporter, {
    background: true,
    events: {
      onRenewFailed: (err, streak, retryInMs) => {
        const line = renewFailedNotice(err instanceof Error ? err.message : String(err), retryInMs);
        if (streak === 1) reporter.warn(line);
        else reporter.trace(line);
      },
    },
  });
  // The first token before serving: bad credentials fail here, with their own exit code.
  reporter.addSecrets([(await keeper.current()).accessToken]);
  const http = await import('../net/http.js');
  const { forward, forwardedHeaders } = await import('../net/forward.js');
  const timeoutMs = settings.timeoutMs.value;
  const dispatcher = deps.dispatcher ?? http.buildDispatcher(base, deps.env, settings.caFile?.value, timeoutMs);
  const timing = timingOf(deps);

  const server: Server = builtin<typeof import('node:http')>('node:http').createServer();
  let hosts = new Set<string>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = timing.monotonic();
    const path = req.url ?? '/';
    const traced = (status: number | string) =>
      reporter.trace(`proxy: ${req.method} ${sanitize(path.split('?')[0]!)} -> ${status} in ${Math.round(timing.monotonic() - started)} ms`);
    const refuse = (status: number, why: Parameters<typeof proxyRefusal>[0], headers?: Record<string, string>) => {
      traced(status);
      reply(res, status, proxyRefusal(why), headers);
    };
    // Not an open proxy: only paths under the API base URL, only for requests addressed to us
    // (a foreign Host is a page that rebound its DNS name to 127.0.0.1), only with the key.
    if (!path.startsWith('/')) return refuse(403, 'absolute');
    if (!hosts.has(String(req.headers.host).toLowerCase())) return refuse(403, 'host');
    if (!presents(req.headers.authorization, key)) return refuse(401, 'key', { 'www-authenticate': 'Bearer realm="gardin-token proxy"' });
    try {
      const url = new URL(apiUrlFor(base, path));
      const body = await bodyOf(req);
      const headers = forwardedHeaders(req.headers);
      const send = async (holdUnauthorized: boolean, token: string) => {
        reporter.addSecrets([token]);
        return forward(dispatcher, { url, method: req.method ?? 'GET', headers: { ...headers, authorization: `Bearer ${token}` }, body, timeoutMs, holdUnauthorized }, res);
      };
      const token = (await keeper.current()).accessToken;
      // A 401 may mean the token was revoked or expired early: one new token, one more try, for a
      // body held whole (a streamed one cannot be sent twice).
      let status = await send(Buffer.isBuffer(body) || body === undefined, token);
      if (status === 'unauthorized') {
        reporter.trace('proxy: the API answered 401; a new token, and one more try');
        status = await send(false, (await keeper.renew(token)).accessToken);
      }
      traced(status);
    } catch (err) {
      const isToken = (err as { exitCode?: number }).exitCode !== undefined;
      const reason = isToken ? (err as Error).message : http.describeNetworkError(err).reason;
      traced(isToken ? 503 : 502);
      reply(res, isToken ? 503 : 502, proxyRefusal(isToken ? 'token' : 'api', reason));
    }
  };
  server.on('request', (req, res) => void handle(req, res));
  // CONNECT and upgrades: a tunnel to anywhere is exactly what this must not be.
  const refuseTunnel = (_req: IncomingMessage, socket: import('node:stream').Duplex) => socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  server.on('connect', refuseTunnel);
  server.on('upgrade', refuseTunnel);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(invalidListen(opts.listen ?? '127.0.0.1:0', err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EACCES' ? 'permission denied' : err.message)),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shown = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  hosts = new Set([`${shown}:${port}`, `localhost:${port}`]);
  const url = `http://${shown}:${port}`;
  reporter.trace(`proxy: serving ${base.href} on ${url}`);

  /** Stops taking requests; those in flight get --timeout to finish. */
  const close = () =>
    new Promise<void>((resolve) => {
      const cut = setTimeout(() => server.closeAllConnections(), timeoutMs);
      cut.unref();
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      server.closeIdleConnections();
      keeper.stop();
    });

  if (command.length > 0) {
    const [file, ...args] = command;
    try {
      return await supervise(file!, args, { ...inheritedEnv(deps.env), GARDIN_API_URL: url, GARDIN_PROXY_KEY: key }, deps, reporter);
    } finally {
      await close();
    }
  }
  // Serves until SIGTERM (exit 0) or Ctrl-C (130). The handlers are in place before the URL is
  // announced: whoever reads it may signal at once.
  const code = await new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      reporter.trace(`proxy: ${signal}; stopping`);
      resolve(signal === 'SIGINT' ? 130 : 0);
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
    deps.io.stdout.write(`GARDIN_PROXY_URL=${url}\n${generated ? `GARDIN_PROXY_KEY=${key}\n` : ''}`);
  });
  await close();
  return code;
}

export const proxyCommand: CommandSpec = {
  name: 'proxy',
  summary: 'a local endpoint that passes requests on to the Gardin API with a fresh token',
  usage: '[options] [-- <command> [args...]]',
  passThrough: true,
  args: [{ name: '[command...]', description: 'run this with GARDIN_API_URL and GARDIN_PROXY_KEY set, and stop with it', complete: 'command' }],
  options: [
    ...IDENTITY_OPTIONS,
    ...FETCH_OPTIONS,
    BASE_URL_OPTION,
    { flags: '--listen <address>', description: 'where to listen: a loopback host:port (default: 127.0.0.1:0, any free port)' },
    { flags: '--key-file <path>', description: 'the key clients must present (made, 0600, if missing); without it, a new key is printed', complete: 'file' },
  ],
  examples: `
Examples:
  gardin-token proxy -- sh -c 'curl -fsS -H "Authorization: Bearer $GARDIN_PROXY_KEY" "$GARDIN_API_URL/devices"'
  gardin-token proxy --listen 127.0.0.1:8750 --key-file ~/.config/gardin-token/proxy.key   # for a dashboard: until SIGTERM
(Clients send Authorization: Bearer <the proxy's key>; the proxy sends the API a fresh token.)
`,
  run: ([command], opts, ctx) => runProxy((command as string[] | undefined) ?? [], opts as ProxyOptions, ctx),
};
