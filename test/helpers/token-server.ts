import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  form: URLSearchParams;
}

/** What the server does with request number n (0-based); it may write the response itself. */
export type Handler = (req: Recorded, n: number, res: ServerResponse) => void | Promise<void>;

export interface TokenServer {
  url: string;
  tokenUrl: string;
  requests: Recorded[];
  /** Every access_token this server handed out. */
  issued: string[];
  close(): Promise<void>;
  server: Server;
}

/** A fault-injecting token endpoint on 127.0.0.1, port 0. */
export async function startTokenServer(handler: Handler, options: { server?: Server } = {}): Promise<TokenServer> {
  const server = options.server ?? createServer();
  const requests: Recorded[] = [];
  const issued: string[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const end = res.end.bind(res) as (chunk?: unknown) => ServerResponse;
    res.end = ((chunk?: unknown) => {
      try {
        const token = JSON.parse(String(chunk ?? '')).access_token;
        if (typeof token === 'string') issued.push(token);
      } catch {
        // not a token answer
      }
      return end(chunk);
    }) as ServerResponse['end'];
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const rec: Recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, form: new URLSearchParams(body) };
      const n = requests.push(rec) - 1;
      Promise.resolve(handler(rec, n, res)).catch((err) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A server passed in is an https.Server (the TLS tests); the default is plain http.
  const url = `${options.server ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    tokenUrl: `${url}/oauth2/token`,
    requests,
    issued,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A JWT-shaped token (unsigned; the tool never verifies signatures). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc({ alg: 'ES256', typ: 'at+jwt' })}.${enc(claims)}.c2lnbmF0dXJl`;
}

let counter = 0;
/** A handler that answers every request with a new, distinct token. */
export const issueTokens =
  (extra: Record<string, unknown> = {}, delayMs = 0): Handler =>
  async (_req, _n, res) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    counter++;
    json(res, 200, { access_token: `tok-${process.pid}-${counter}-${'x'.repeat(8)}`, token_type: 'Bearer', expires_in: 3600, ...extra });
  };
