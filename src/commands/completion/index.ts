import type { CommandSpec } from '../command.js';
import { completionScript, SHELLS } from './scripts.js';
import { completionTree } from './tree.js';

export const completionCommand: CommandSpec = {
  name: 'completion',
  summary: `print a completion script: ${SHELLS.join(', ')}`,
  args: [{ name: '<shell>', description: SHELLS.join(' | '), complete: SHELLS }],
  examples: `
Examples:
  source <(gardin-token completion bash)         # now; add the line to ~/.bashrc to keep it
  gardin-token completion zsh > "\${fpath[1]}/_gardin-token"   # zsh, for good (or source <(...) in ~/.zshrc)
  gardin-token completion fish > ~/.config/fish/completions/gardin-token.fish
`,
  run: ([shell], _opts, { deps, root }) => {
    deps.io.stdout.write(completionScript(shell as string, completionTree(root)));
    return 0;
  },
};
