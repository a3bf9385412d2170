import { NAME_RE, PROFILES, type CompletionShell } from './shell.js';
import { flagsOf, paths, valueOptions, type CommandSpec, type OptionSpec } from './tree.js';

// zsh's own completion system (compadd, _files, _normal), not its bash layer: the bash script's
// ${var:offset:length} with a variable and its `local path` (zsh ties $path to $PATH) break there.

const words = (list: readonly string[]) => list.join(' ');

function valueAction(value: NonNullable<OptionSpec['value']>): string {
  if (value === 'profile') return '_gardin_token_profiles';
  if (value === 'file') return '_files';
  if (value === 'any') return "_message 'a value'";
  return `compadd -- ${words(value)}`;
}

function script(spec: CommandSpec): string {
  const all = paths(spec);
  const valueCases = new Map<string, string>();
  for (const [, c] of all) for (const o of c.options) if (o.value) valueCases.set(flagsOf(o).join('|'), valueAction(o.value));
  const pathCases = all.map(([path, c]) => {
    const offered = [...c.subcommands.map((s) => s.name), ...c.options.flatMap(flagsOf), '--help'];
    const args = c.args === 'profile' ? '; _gardin_token_profiles' : Array.isArray(c.args) ? `; compadd -- ${words(c.args)}` : '';
    return `    ('${path}') compadd -- ${words(offered)}${args} ;;`;
  });
  return `#compdef gardin-token
# zsh completion for gardin-token. Load it with: source <(gardin-token completion zsh) in ~/.zshrc
# (compinit is run for you if it has not been), or save it as _gardin-token in a folder of $fpath.
_gardin_token_profiles() {
  local p
  for p in \${(f)"$(${PROFILES})"}; do
    p=\${p:2}
    [[ $p =~ '${NAME_RE}' ]] && compadd -- "$p"
  done
}
_gardin_token_subcommands() {
  case $1 in
${all.map(([path, c]) => `    ('${path}') print -r -- '${words(c.subcommands.map((s) => s.name))}' ;;`).join('\n')}
  esac
}
_gardin-token() {
  local cmdpath='' w
  local -i i skip=0 dashdash=0
  for (( i = 2; i < CURRENT; i++ )); do
    w=\${words[i]}
    if (( skip )); then skip=0; continue; fi
    case $w in
      (--) dashdash=$i; break ;;
      (${valueOptions(spec).join('|')}) skip=1 ;;
      (-*) ;;
      (*) [[ " $(_gardin_token_subcommands "$cmdpath") " == *" $w "* ]] && cmdpath=\${cmdpath:+$cmdpath }$w ;;
    esac
  done
  # After --, a command line of its own (exec -- curl ...): complete it as zsh would.
  if (( dashdash )); then
    shift dashdash words
    (( CURRENT -= dashdash ))
    _normal
    return
  fi
  case \${words[CURRENT-1]} in
${[...valueCases].map(([flags, action]) => `    (${flags}) ${action}; return ;;`).join('\n')}
  esac
  case $cmdpath in
${pathCases.join('\n')}
  esac
}
if [[ \${funcstack[1]-} == _gardin-token ]]; then
  _gardin-token "$@"
else
  (( \${+functions[compdef]} )) || { autoload -Uz compinit && compinit -u; }
  compdef _gardin-token gardin-token
fi
`;
}

export const zsh: CompletionShell = { name: 'zsh', script };
