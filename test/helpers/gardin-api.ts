import type { ServerResponse } from 'node:http';
import { json, startTokenServer, type Recorded, type TokenServer } from './token-server.js';

export interface FakeApi {
  url: string;
  /** Every request, with the bearer token it carried. */
  requests: Array<Recorded & { token: string | undefined }>;
  /** Tokens the API treats as expired (401), as a real API does once a token's time is up. */
  expired: Set<string>;
  close(): Promise<void>;
}

/**
 * A fake Gardin API on 127.0.0.1: it accepts only bearer tokens that the test token server
 * issued (and not marked expired), answering 401 {"message": ...} otherwise, as the Gardin API
 * does; `route` answers the rest.
 */
export async function startGardinApi(tokens: TokenServer, route: (req: Recorded, n: number, res: ServerResponse) => void): Promise<FakeApi> {
  const requests: FakeApi['requests'] = [];
  const expired = new Set<string>();
  const issued = (token: string) => tokens.issued.includes(token);
  const server = await startTokenServer((q, n, res) => {
    const token = /^Bearer (\S+)$/.exec(q.headers.authorization ?? '')?.[1];
    requests.push({ ...q, token });
    if (!token || !issued(token) || expired.has(token) || expiryOf(token) <= Date.now()) return json(res, 401, { message: 'The incoming token has expired' });
    route(q, n, res);
  });
  return { url: server.url, requests, expired, close: server.close };
}

let shortCount = 0;
/** A token endpoint handler issuing tokens that live `lifetimeS`; each token carries its expiry (epoch ms). */
export const shortLivedTokens =
  (lifetimeS: number) =>
  (_q: Recorded, _n: number, res: ServerResponse): void =>
    json(res, 200, { access_token: `short-${process.pid}-${++shortCount}-${Date.now() + lifetimeS * 1000}`, token_type: 'Bearer', expires_in: lifetimeS });

/** The expiry a short-lived token carries (epoch ms); Infinity for any other token. */
export const expiryOf = (token: string): number => {
  const m = /^short-\d+-\d+-(\d+)$/.exec(token);
  return m ? Number(m[1]) : Infinity;
};
