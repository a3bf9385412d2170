import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { BIN_ARGV, BIN_SH, cleanEnv } from '../../helpers/bin.js';
import { scriptOnPty } from '../../helpers/pty.js';
import { tempHome } from '../../helpers/deps.js';
import { issueTokens, json, startTokenServer, type TokenServer } from '../../helpers/token-server.js';

// stderr on a real pseudo-terminal (util-linux `script`), stdout captured to a file as in
// TOKEN=$(gardin-token): the spinner and colour belong to the terminal, never to stdout.
let server: TokenServer;
let home: ReturnType<typeof tempHome>;
let refuse = false;

beforeAll(async () => {
  const issue = issueTokens({}, 700);
  server = await startTokenServer((q, n, res) => (refuse ? json(res, 401, { error: 'invalid_client' }) : issue(q, n, res)));
});
afterAll(() => server.close());
beforeEach(() => {
  home = tempHome();
  refuse = false;
});
afterEach(() => home.cleanup());

async function onTerminal(args: string, env: Record<string, string> = {}, columns = 100) {
  const out = join(home.root, 'stdout.txt');
  const cmd = `stty cols ${columns} rows 30; ${BIN_SH} ${args} > "${out}"`;
  const r = await execa(...scriptOnPty(cmd), {
    env: cleanEnv(home.root, { GARDIN_CLIENT_ID: 'tty', GARDIN_CLIENT_SECRET: 'tty-secret', GARDIN_TOKEN_URL: server.tokenUrl, TERM: 'xterm-256color', ...env }),
    extendEnv: false,
    reject: false,
  });
  return { exitCode: r.exitCode, terminal: String(r.stdout), stdout: readFileSync(out, 'utf8') };
}

const PTY = join(import.meta.dirname, '../../helpers/pty-answer.py');
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;

describe('on a terminal', () => {
  it('shows a spinner on stderr while fetching; stdout gets only the token', async () => {
    const r = await onTerminal('--no-cache');
    expect(r.exitCode).toBe(0);
    expect(r.terminal).toMatch(SPINNER);
    expect(r.terminal).toContain('Fetching a Gardin access token');
    expect(r.stdout).toMatch(/^tok-[\w-]+\n$/);
  });

  it('no spinner with --quiet, nor for a cached token', async () => {
    expect((await onTerminal('--no-cache --quiet')).terminal).not.toMatch(SPINNER);
    await onTerminal('');
    const cached = await onTerminal('');
    expect(cached.stdout).toMatch(/^tok-/);
    expect(cached.terminal).not.toMatch(SPINNER);
  });

  it('the spinner is uncoloured under NO_COLOR, and absent on a dumb terminal (it cannot redraw a line)', async () => {
    const plain = await onTerminal('--no-cache', { NO_COLOR: '1' });
    expect(plain.terminal).toMatch(SPINNER);
    expect(plain.terminal).not.toMatch(/\u001b\[3\dm/);
    const dumb = await onTerminal('--no-cache', { TERM: 'dumb' });
    expect(dumb.exitCode).toBe(0);
    expect(dumb.terminal).not.toMatch(SPINNER);
    expect(dumb.terminal).not.toContain('Fetching a Gardin access token');
    expect(dumb.stdout).toMatch(/^tok-/);
  });

  it('a terminal that reports zero columns gets no spinner (and no endless clearing)', async () => {
    const r = await onTerminal('--no-cache', {}, 0);
    expect(r.exitCode).toBe(0);
    expect(r.terminal).not.toMatch(SPINNER);
    expect(r.stdout).toMatch(/^tok-/);
  });

  it('colours errors on the terminal, not with NO_COLOR', async () => {
    refuse = true;
    const coloured = await onTerminal('--no-cache --quiet');
    expect(coloured.exitCode).toBe(3);
    expect(coloured.terminal).toContain('\u001b[31merror: \u001b[39m');
    expect(coloured.stdout).toBe('');
    const plain = await onTerminal('--no-cache --quiet', { NO_COLOR: '1' });
    expect(plain.terminal).toMatch(/error: The token endpoint \S+ \(from the GARDIN_TOKEN_URL environment variable\) refused/);
    expect(plain.terminal).not.toContain('\u001b[');
  });

  it('profile add asks for what is missing, and does not echo the secret', async () => {
    // Each answer is typed once its prompt is on the screen, as a person would: no timing involved.
    const answers = ['Client ID: ', 'typed-id', 'Client secret (hidden): ', 'Typed-Secret-42', 'Token URL', '', 'Scopes', 'jobs:read'];
    const r = await execa('python3', [PTY, '60', ...answers, '--', ...BIN_ARGV, 'profile', 'add', 'typed'], {
      env: cleanEnv(home.root),
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain('Client secret (hidden):');
    expect(r.stdout).toContain('typed-id');
    expect(r.stdout).not.toContain('Typed-Secret-42');
    expect(r.stdout).toContain('Saved profile "typed"');
    const store = JSON.parse(readFileSync(join(home.config, 'config.json'), 'utf8'));
    expect(store.profiles.typed).toEqual({ clientId: 'typed-id', clientSecret: 'Typed-Secret-42', scope: 'jobs:read' });
  });
});
