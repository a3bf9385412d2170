import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, execBin } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';
import { expiryOf, shortLivedTokens } from '../../helpers/gardin-api.js';
import { json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

// exec --refresh against a token endpoint whose tokens live 4 s: the command reads its token file
// every half second for three lifetimes and must only ever see unexpired tokens.
const LIFETIME_S = 4;
const RUN_MS = 3 * LIFETIME_S * 1000;
let server: TokenServer;
let failing = false;
let home: ReturnType<typeof tempHome>;

beforeEach(async () => {
  home = tempHome();
  failing = false;
  const issue = shortLivedTokens(LIFETIME_S);
  server = await startTokenServer((q, n, res) => (failing ? json(res, 503, { error: 'temporarily_unavailable' }) : issue(q, n, res)));
});
afterEach(async () => {
  await server.close();
  home.cleanup();
});

/** The command: reads the token file every 500 ms for `ms`, counts HUPs, prints what it saw. */
const READER = `
const { readFileSync, statSync } = require('node:fs');
const { dirname } = require('node:path');
const file = process.env.GARDIN_ACCESS_TOKEN_FILE;
const reads = [];
let hups = 0;
process.on('SIGHUP', () => hups++);
const started = Date.now();
const timer = setInterval(() => {
  reads.push({ at: Date.now(), token: readFileSync(file, 'utf8') });
  if (Date.now() - started < Number(process.argv[2])) return;
  clearInterval(timer);
  process.stdout.write(JSON.stringify({ reads, hups, file, bearer: process.env.BEARER_TOKEN_FILE, first: process.env.GARDIN_ACCESS_TOKEN,
    fileMode: statSync(file).mode & 0o777, dirMode: statSync(dirname(file)).mode & 0o777 }));
  process.exit(Number(process.argv[3] ?? 0));
}, 500);
`;

interface Seen {
  reads: Array<{ at: number; token: string }>;
  hups: number;
  file: string;
  bearer: string;
  first: string;
  fileMode: number;
  dirMode: number;
}

const env = () => cleanEnv(home.root, { GARDIN_CLIENT_ID: 'job', GARDIN_CLIENT_SECRET: 'job-secret', GARDIN_TOKEN_URL: server.tokenUrl });
function refreshing(extra: string[] = [], exitCode = 0) {
  const reader = join(home.root, 'reader.cjs');
  writeFileSync(reader, READER);
  return execBin(['exec', '--refresh', '--min-ttl', '1', ...extra, '--', process.execPath, reader, String(RUN_MS), String(exitCode)], {
    env: env(),
    extendEnv: false,
    reject: false,
  });
}

/** Every read saw a token that had not expired (the file may be empty only while none can be had). */
function expectOnlyUnexpired(seen: Seen) {
  for (const { at, token } of seen.reads) if (token !== '') expect(expiryOf(token.trim()), `read at ${at}`).toBeGreaterThan(at);
}

describe('exec --refresh', () => {
  it('keeps GARDIN_ACCESS_TOKEN_FILE fresh for three lifetimes, then removes its folder; the exit status is the command’s', async () => {
    const r = await refreshing([], 3);
    expect(r.exitCode, r.stderr).toBe(3);
    const seen = JSON.parse(r.stdout) as Seen;
    expectOnlyUnexpired(seen);
    expect(seen.reads.every((x) => x.token.endsWith('\n') && x.token.length > 1)).toBe(true);
    expect(new Set(seen.reads.map((x) => x.token)).size).toBeGreaterThanOrEqual(3);
    expect(seen.bearer).toBe(seen.file);
    expect(seen.reads[0]!.token).toBe(`${seen.first}\n`);
    expect([seen.fileMode, seen.dirMode]).toEqual([0o600, 0o700]);
    expect(existsSync(seen.file)).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('--refresh-signal HUP: the command gets a HUP after each rewrite', async () => {
    const r = await refreshing(['--refresh-signal', 'HUP']);
    expect(r.exitCode, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as Seen;
    const tokens = new Set(seen.reads.map((x) => x.token)).size;
    // One HUP per new token; the last may come after the last read.
    expect(seen.hups).toBeGreaterThanOrEqual(tokens - 1);
    expect(seen.hups).toBeLessThanOrEqual(server.requests.length);
  });

  it('eight at once on one machine make one token request per lifetime, as one would', async () => {
    const runs = await Promise.all(Array.from({ length: 8 }, () => refreshing()));
    const tokensSeen = runs.map((r) => {
      expect(r.exitCode, r.stderr).toBe(0);
      const seen = JSON.parse(r.stdout) as Seen;
      expectOnlyUnexpired(seen);
      return new Set(seen.reads.map((read) => read.token).filter(Boolean));
    });
    // Shared, the eight see the same tokens, and each token is one request: all of them together
    // see about as many as any one of them (a late start misses one). Eight that each fetched
    // their own would see eight times as many between them, however long the run took.
    const union = new Set(tokensSeen.flatMap((set) => [...set]));
    expect(union.size).toBeLessThanOrEqual(Math.max(...tokensSeen.map((set) => set.size)) + 2);
    expect(server.requests.length).toBeLessThanOrEqual(union.size + 2);
  });

  it('a token that expires with no successor empties the file, says why, and renewing goes on', async () => {
    const reader = join(home.root, 'reader.cjs');
    writeFileSync(reader, READER);
    const run = execBin(['exec', '--refresh', '--min-ttl', '1', '--', process.execPath, reader, String(RUN_MS)], {
      env: env(),
      extendEnv: false,
      reject: false,
    });
    // The endpoint fails from the first renewal until well after the first token expired.
    await new Promise((r) => setTimeout(r, 1500));
    failing = true;
    await new Promise((r) => setTimeout(r, LIFETIME_S * 1000 + 1000));
    failing = false;
    const r = await run;
    expect(r.exitCode, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as Seen;
    expectOnlyUnexpired(seen);
    expect(seen.reads.some((x) => x.token === '')).toBe(true);
    expect(seen.reads.at(-1)!.token).not.toBe('');
    expect(r.stderr).toMatch(/warning: could not renew the token \(.*503.*\); trying again in 1 s\./);
    expect(r.stderr).toMatch(/warning: the token in \S+ has expired and no new one could be fetched .*: the file is empty until one is; still trying\./);
  });

  it('--refresh-signal without --refresh, or an unknown signal, is exit 2', async () => {
    for (const args of [
      ['--refresh-signal', 'HUP'],
      ['--refresh', '--refresh-signal', 'NOPE'],
    ]) {
      const r = await execBin(['exec', ...args, '--', 'true'], { env: env(), extendEnv: false, reject: false });
      expect(r.exitCode, args.join(' ')).toBe(2);
    }
    expect(server.requests).toHaveLength(0);
  });
});
