import { execa } from 'execa';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../../helpers/bin.js';
import { tempHome } from '../../helpers/deps.js';

// Completion as a person meets it: an interactive bash, zsh or fish on a real terminal, the
// script loaded as the help says, a line typed and TAB pressed; what the shell then shows is
// checked. zsh runs twice: with compinit in the user's rc, and without.
const PTY = join(import.meta.dirname, '../../helpers/pty-complete.py');
const has = (cmd: string) => ['/usr/bin', '/bin', '/usr/local/bin'].some((d) => existsSync(join(d, cmd)));
const require_ = process.env.GARDIN_TOKEN_TEST_REQUIRE === '1';

let home: ReturnType<typeof tempHome>;
let env: Record<string, string>;
beforeAll(() => {
  home = tempHome();
  const bin = join(home.root, 'bin');
  mkdirSync(bin);
  symlinkSync(BIN, join(bin, 'gardin-token'));
  mkdirSync(home.config, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(home.config, 'config.json'),
    JSON.stringify({ default: 'prod', profiles: { prod: { clientId: 'a', clientSecret: 's1' }, staging: { clientId: 'b', clientSecret: 's2' } } }),
    { mode: 0o600 },
  );
  env = { ...cleanEnv(home.root), PATH: `${bin}:${process.env.PATH}`, TERM: 'xterm', ZDOTDIR: home.root };
  writeFileSync(join(home.root, '.bashrc'), "PS1='READY> '\nsource <(gardin-token completion bash)\n");
  writeFileSync(join(home.root, 'fish.rc'), "function fish_prompt; echo -n 'READY> '; end\ngardin-token completion fish | source\n");
});
afterAll(() => home.cleanup());

const zshrc = (compinit: boolean) => {
  const dir = join(home.root, compinit ? 'zsh-compinit' : 'zsh-plain');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, '.zshrc'), `${compinit ? 'autoload -Uz compinit && compinit -u\n' : ''}PROMPT='READY> '\nsource <(gardin-token completion zsh)\n`);
  return dir;
};

type Shell = { name: string; available: boolean; command: () => string[]; env?: () => Record<string, string> };
const SHELLS: Shell[] = [
  { name: 'bash', available: true, command: () => ['bash', '--rcfile', join(home.root, '.bashrc'), '--noprofile', '-i'] },
  { name: 'zsh with compinit', available: has('zsh'), command: () => ['zsh', '-i'], env: () => ({ ZDOTDIR: zshrc(true) }) },
  { name: 'zsh without compinit', available: has('zsh'), command: () => ['zsh', '-i'], env: () => ({ ZDOTDIR: zshrc(false) }) },
  { name: 'fish', available: has('fish'), command: () => ['fish', '--no-config', '-i', '-C', `source ${join(home.root, 'fish.rc')}`] },
];

/** What the shell shows after `line` and TAB; the test fails unless every one of `expected` appears. */
async function complete(shell: Shell, line: string, expected: string[]): Promise<string> {
  const r = await execa('python3', [PTY, '20', line, ...expected, '--', ...shell.command()], {
    cwd: home.root,
    env: { ...env, ...shell.env?.() },
    extendEnv: false,
    reject: false,
  });
  expect(r.exitCode, `${shell.name} after "${line}" + TAB showed:\n${r.stdout}\n(expected ${expected.join(', ')})`).toBe(0);
  return r.stdout;
}

// Each case: the line typed, and what TAB must then show (not already in the line).
const CASES: Array<[string, string[]]> = [
  ['gardin-token --out', ['--output']],
  ['gardin-token -o ', ['json', 'powershell', 'dotenv']],
  ['gardin-token pro', ['profile']],
  ['gardin-token profile ', ['add', 'rename', 'remove']],
  ['gardin-token -p ', ['prod', 'staging']],
  ['gardin-token profile show ', ['prod', 'staging']],
  ['gardin-token status --profile st', ['staging']],
  ['gardin-token exec -p st', ['staging']],
  ['gardin-token --scope jobs:w', ['jobs:write']],
  ['gardin-token help ', ['environment', 'exit-codes', 'exec']],
  ['gardin-token api -X ', ['GET', 'POST', 'DELETE']],
];

describe.each(SHELLS)('completion in $name, on a terminal', (shell) => {
  // Where the shell is missing, its cases are skipped (vitest lists them), or fail under .ci/run.
  (shell.available || require_ ? it : it.skip).each(CASES)('"%s" + TAB', async (line, expected) => {
    await complete(shell, line, expected);
  });
});
