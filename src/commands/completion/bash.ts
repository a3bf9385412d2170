import { flagsOf, paths, valueOptions, type CommandSpec } from './tree.js';
import { NAME_RE, PROFILES, type CompletionShell } from './shell.js';

/** The bash script: a `complete -F` function over the words of the line. */
function script(spec: CommandSpec): string {
  const all = paths(spec);
  const valueCases = new Map<string, string>();
  for (const [, c] of all) {
    for (const o of c.options) {
      if (!o.value) continue;
      const reply =
        o.value === 'profile'
          ? 'COMPREPLY=(); _gardin_token_profiles'
          : o.value === 'file'
            ? 'COMPREPLY=( $(compgen -f -- "$cur") )'
            : o.value === 'any'
              ? 'COMPREPLY=()'
              : `COMPREPLY=( $(compgen -W "${o.value.join(' ')}" -- "$cur") )`;
      valueCases.set(flagsOf(o).join('|'), reply);
    }
  }
  const pathCases = all.map(([path, c]) => {
    const words = [...c.subcommands.map((s) => s.name), ...c.options.flatMap(flagsOf), '--help'].join(' ');
    let args = '';
    if (c.args === 'profile') args = '; COMPREPLY=( $(compgen -W "$words" -- "$cur") ); _gardin_token_profiles; return';
    else if (Array.isArray(c.args)) args = `; words="$words ${c.args.join(' ')}"`;
    else if (c.args === 'command') args = '; [ "$dashdash" = 1 ] && { COMPREPLY=( $(compgen -c -- "$cur") ); return; }';
    return `    "${path}") words="${words}"${args} ;;`;
  });
  // Profile names come from a file: they are matched as plain strings and kept only when they
  // fit the documented character set, never passed through compgen -W (which expands $(...)).
  return `# bash completion for gardin-token; load with: source <(gardin-token completion bash)
_gardin_token_profiles() {
  local p
  while IFS= read -r p; do
    p="\${p:2}"
    [[ $p =~ ${NAME_RE} && $p == "$cur"* ]] && COMPREPLY+=("$p")
  done < <(${PROFILES})
}
_gardin_token() {
  local cur prev words cmdpath="" dashdash=0 i w skip=0
  local -a ws
  # bash splits COMP_WORDS at COMP_WORDBREAKS, which holds ":", and every Gardin scope has one
  # (jobs:read): the words are taken from the line itself, split at blanks only.
  read -ra ws <<< "\${COMP_LINE:0:COMP_POINT}"
  [[ "\${COMP_LINE:0:COMP_POINT}" =~ [[:space:]]$ || \${#ws[@]} -eq 0 ]] && ws+=("")
  cur="\${ws[\${#ws[@]}-1]}"
  prev="\${ws[\${#ws[@]}-2]}"
  _gardin_token_reply
  # bash replaces only what follows the last ":" of the word: the matches must too.
  if [[ "$cur" == *:* && "\${COMP_WORDBREAKS-}" == *:* ]]; then
    local prefix="\${cur%"\${cur##*:}"}"
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]="\${COMPREPLY[i]#"$prefix"}"; done
  fi
}
_gardin_token_reply() {
  for ((i = 1; i < \${#ws[@]} - 1; i++)); do
    w="\${ws[i]}"
    if [ "$skip" = 1 ]; then skip=0; continue; fi
    case "$w" in
      --) dashdash=1 ;;
      ${valueOptions(spec).join('|')}) skip=1 ;;
      -*) ;;
      *) case " $(_gardin_token_subcommands "$cmdpath") " in *" $w "*) cmdpath="\${cmdpath:+$cmdpath }$w" ;; esac ;;
    esac
  done
  case "$prev" in
${[...valueCases].map(([flags, reply]) => `    ${flags}) ${reply}; return ;;`).join('\n')}
  esac
  case "$cmdpath" in
${pathCases.join('\n')}
  esac
  COMPREPLY=( $(compgen -W "$words" -- "$cur") )
}
_gardin_token_subcommands() {
  case "$1" in
${all.map(([path, c]) => `    "${path}") echo "${c.subcommands.map((s) => s.name).join(' ')}" ;;`).join('\n')}
  esac
}
complete -o default -F _gardin_token gardin-token
`;
}

export const bash: CompletionShell = { name: 'bash', script };
