import { execa } from 'execa';
import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, startDocsServer, type DocsServer } from '../../helpers/docs-sandbox.js';

// The shell blocks of the README and of docs/ run here, top to bottom, each file on a machine of
// its own where Gardin's URLs lead to a local server (test/helpers/docs-sandbox.ts). A block that
// cannot run says so just before it: <!-- not run: why -->.
const root = resolve(import.meta.dirname, '../../..');

/** The ```sh blocks of a Markdown file, each with whether it is to run. */
export function shellBlocks(markdown: string): Array<{ code: string; run: boolean; line: number }> {
  const blocks: Array<{ code: string; run: boolean; line: number }> = [];
  const re = /(<!-- not run: [^>]+ -->\n)?```sh\n([\s\S]*?)```/g;
  for (let m = re.exec(markdown); m; m = re.exec(markdown)) blocks.push({ code: m[2]!, run: !m[1], line: markdown.slice(0, m.index).split('\n').length });
  return blocks;
}

let server: DocsServer;
beforeAll(async () => {
  server = await startDocsServer();
}, 60_000);
afterAll(() => server?.close());

describe.each([
  // The README starts on a machine that has never run gardin-token; the reference, with profiles.
  ['README.md', false],
  ['docs/reference.md', false],
  ['docs/fleet.md', true],
  ['docs/troubleshooting.md', true],
] as const)('the shell blocks of %s', (file, profiles) => {
  it('run top to bottom, as written', async () => {
    const blocks = shellBlocks(readFileSync(join(root, file), 'utf8'));
    const box = sandbox(server, { profiles });
    // The stand-ins a README block names beyond those of the sandbox.
    const script = (name: string, text: string) => {
      writeFileSync(join(box.cwd, name), text);
      chmodSync(join(box.cwd, name), 0o755);
    };
    script('sync-daemon.sh', '#!/bin/sh\ntest -s "$GARDIN_ACCESS_TOKEN_FILE"\n');
    try {
      for (const block of blocks.filter((b) => b.run)) {
        const r = await execa('bash', ['-c', `set -eo pipefail\n${block.code}`], { cwd: box.cwd, env: box.env, extendEnv: false, reject: false, input: '', timeout: 120_000 });
        expect(r.exitCode, `${file}:${block.line}\n${block.code}\n${String(r.stderr)}`).toBe(0);
      }
    } finally {
      box.cleanup();
    }
  }, 300_000);
});

describe('the README', () => {
  it('has at most 350 lines, and its blocks that do not run say why', () => {
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    expect(text.split('\n').length).toBeLessThanOrEqual(350);
    expect(shellBlocks(text).filter((b) => b.run).length).toBeGreaterThanOrEqual(4);
  });
});
