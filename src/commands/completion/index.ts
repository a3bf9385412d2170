import type { CommandSpec } from '../command.js';
import { unknownShell } from '../messages.js';
import { bash } from './bash.js';
import { fish } from './fish.js';
import { powershell } from './powershell.js';
import type { CompletionShell } from './shell.js';
import { completionTree } from './tree.js';
import { zsh } from './zsh.js';

/** The shells `completion` writes a script for. */
const SHELLS: readonly CompletionShell[] = [bash, zsh, fish, powershell];
const SHELL_NAMES = SHELLS.map((s) => s.name);

export const completionCommand: CommandSpec = {
  name: 'completion',
  summary: `print a completion script: ${SHELL_NAMES.join(', ')}`,
  args: [{ name: '<shell>', description: SHELL_NAMES.join(' | '), complete: SHELL_NAMES }],
  examples: `
Examples:
  source <(gardin-token completion bash)         # now; add the line to ~/.bashrc to keep it
  source <(gardin-token completion zsh)          # the same in ~/.zshrc, with or without compinit
  gardin-token completion fish > ~/.config/fish/completions/gardin-token.fish
  gardin-token completion powershell | Out-String | Invoke-Expression   # PowerShell; add it to $PROFILE
`,
  run: ([name], _opts, { deps, root }) => {
    const shell = SHELLS.find((s) => s.name === name);
    if (!shell) throw unknownShell(name as string, SHELL_NAMES);
    deps.io.stdout.write(shell.script(completionTree(root)));
    return 0;
  },
};
