import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../src/cli/program.js';
import type { CommandSpec } from '../../../src/commands/command.js';
import { execBin } from '../../helpers/bin.js';
import { sandbox, startDocsServer, type DocsServer } from '../../helpers/docs-sandbox.js';

// Every example that --help and `help <topic>` print runs here, as written, on a sandboxed
// machine whose Gardin URLs lead to a local server (test/helpers/docs-sandbox.ts): the user's
// scripts are stand-ins, the rest is real. Documentation that lies is a bug.

/** The few that cannot run here, and why (each is run for real by the test named). */
const NOT_RUN: Record<string, string> = {
  'gardin-token profile add prod': 'asks on a terminal (test/e2e/shells/terminal.test.ts answers its prompts)',
  'gardin-token inspect': 'decodes the current token on a terminal only (test/e2e/commands/commands.test.ts)',
  'gardin-token profile set prod --secret-store keychain': 'needs an OS keychain (test/e2e/profiles/keychain.test.ts starts one)',
  'gardin-token completion powershell | Out-String | Invoke-Expression': "PowerShell cannot be installed here; CI's Windows job loads it (.github/workflows/ci.yml)",
};

/** Examples that run, but not to exit 0 here, or that need more than a shell line. */
const EXPECT: Record<string, { exit?: number; env?: Record<string, string>; serve?: true; shell?: string }> = {
  // No host named redis here: the fleet's entry cannot be reached, which is exit 4.
  'gardin-token cache clear --shared --cache-url redis://redis:6379': { exit: 4 },
  'gardin-token -o github': { env: { GITHUB_ACTIONS: 'true', GITHUB_ENV: 'github.env' } },
  'gardin-token proxy --listen 127.0.0.1:8750 --key-file ~/.config/gardin-token/proxy.key': { serve: true },
  'source <(gardin-token completion zsh)': { shell: 'zsh' },
};

const paths = (spec: CommandSpec, prefix: string[] = []): string[][] => [prefix, ...(spec.subcommands ?? []).flatMap((c) => paths(c, [...prefix, c.name]))];

/** The example lines of a help text: those under "Examples:", and the root notes' indented command lines. */
function examplesIn(text: string): string[] {
  const lines = text.split('\n');
  const at = lines.indexOf('Examples:');
  const section = at < 0 ? [] : lines.slice(at + 1).filter((l) => l.startsWith('  '));
  const notes = lines.filter((l) => /^ {2}set -e;/.test(l));
  return [...section, ...notes].map((l) => l.trim().replace(/\s+#\s.*$/, ''));
}

const help = (args: string[]) => execBin([...args], { env: { PATH: process.env.PATH!, HOME: '/nonexistent' }, extendEnv: false }).then((r) => r.stdout);

let server: DocsServer;
let examples: Array<[string, string]>;
beforeAll(async () => {
  server = await startDocsServer();
  const found = new Map<string, string>();
  for (const path of paths(ROOT)) for (const e of examplesIn(await help([...path, '--help']))) found.set(e, path.join(' ') || 'gardin-token');
  for (const topic of ['environment', 'exit-codes']) for (const e of examplesIn(await help(['help', topic]))) found.set(e, `help ${topic}`);
  examples = [...found];
}, 120_000);
afterAll(() => server?.close());

describe('the examples of --help', () => {
  it('are found: every command that acts has some', () => {
    expect(examples.length).toBeGreaterThan(30);
    const from = new Set(examples.map(([, where]) => where.split(' ')[0]));
    for (const c of ['gardin-token', 'profile', 'cache', 'exec', 'inspect', 'status', 'api', 'proxy', 'completion']) expect(from, c).toContain(c);
  });

  it('run as written', async () => {
    const failures: string[] = [];
    for (const [example, where] of examples) {
      if (NOT_RUN[example]) continue;
      const expected = EXPECT[example] ?? {};
      if (expected.shell && !existsSync(`/usr/bin/${expected.shell}`) && !existsSync(`/bin/${expected.shell}`)) continue;
      const box = sandbox(server, { profiles: true });
      try {
        const env = { ...box.env, ...expected.env };
        // Something is cached, as on a machine where gardin-token has run before.
        await execBin([], { cwd: box.cwd, env, extendEnv: false });
        const shell = expected.shell ?? 'bash';
        const run = execa(shell, ['-c', `${shell === 'bash' ? 'set -eo pipefail; ' : ''}${example}`], { cwd: box.cwd, env, extendEnv: false, reject: false, input: '', timeout: 60_000 });
        if (expected.serve) {
          await new Promise<void>((ready) => run.stdout!.on('data', (d: Buffer) => String(d).includes('GARDIN_PROXY_URL=') && ready()));
          run.kill('SIGTERM');
        }
        const r = await run;
        if (r.exitCode !== (expected.exit ?? 0)) failures.push(`${where}: ${example}\n  exit ${r.exitCode}, expected ${expected.exit ?? 0}\n  ${String(r.stderr).trim()}`);
        if (expected.env?.GITHUB_ENV) expect(readFileSync(join(box.cwd, 'github.env'), 'utf8')).toContain('GARDIN_ACCESS_TOKEN<<');
      } finally {
        box.cleanup();
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  }, 600_000);

  it('that are not run say why, and still exist', () => {
    for (const example of Object.keys(NOT_RUN)) expect(examples.map(([e]) => e)).toContain(example);
  });
});
