import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { tempHome } from './deps.js';
import { startTokenServer, type Handler, type TokenServer } from './token-server.js';

export interface TokenServerFixture {
  server: TokenServer;
  /** What the server answers; reset to the default before each test. */
  reply: Handler;
  /** A fresh temporary home (config and cache folders) for each test. */
  home: ReturnType<typeof tempHome>;
}

/** One local token server for the file, a fresh home and a cleared request log for each test. */
export function useTokenServer(defaultReply: () => Handler): TokenServerFixture {
  const fx = {} as TokenServerFixture;
  beforeAll(async () => {
    fx.server = await startTokenServer((q, n, res) => fx.reply(q, n, res));
  });
  afterAll(() => fx.server.close());
  beforeEach(() => {
    fx.home = tempHome();
    fx.server.requests.length = 0;
    fx.server.issued.length = 0;
    fx.reply = defaultReply();
  });
  afterEach(() => fx.home.cleanup());
  return fx;
}
