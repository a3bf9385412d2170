import { unknownShell } from '../messages.js';
import type { CommandSpec, OptionSpec } from './tree.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const PROFILES = 'gardin-token profile list 2>/dev/null';
/** The documented profile-name character set (config/profiles.ts PROFILE_NAME), as a shell pattern. */
const NAME_RE = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

/** Every command path ("", "profile", "profile add", ...) with its spec. */
function paths(spec: CommandSpec, prefix = ''): Array<[string, CommandSpec]> {
  return [[prefix, spec], ...spec.subcommands.flatMap((c) => paths(c, prefix ? `${prefix} ${c.name}` : c.name))];
}

const flagsOf = (o: OptionSpec) => [o.short, o.long].filter((f): f is string => Boolean(f));

function bash(spec: CommandSpec): string {
  const all = paths(spec);
  const valueOpts = new Set(all.flatMap(([, c]) => c.options.filter((o) => o.value).flatMap(flagsOf)));
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
  local cur prev words path="" dashdash=0 i w skip=0
  local -a ws
  # bash splits COMP_WORDS at COMP_WORDBREAKS, which holds ":", and every Gardin scope has one
  # (jobs:read): the words are taken from the line itself, split at blanks only. (zsh's
  # bash layer has no such split; it keeps COMP_WORDS.)
  if [ -n "\${BASH_VERSION-}" ] && [ -n "\${COMP_LINE-}" ]; then
    read -ra ws <<< "\${COMP_LINE:0:COMP_POINT}"
    [[ "\${COMP_LINE:0:COMP_POINT}" =~ [[:space:]]$ || \${#ws[@]} -eq 0 ]] && ws+=("")
  else
    ws=("\${COMP_WORDS[@]:0:COMP_CWORD+1}")
  fi
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
      ${[...valueOpts].join('|')}) skip=1 ;;
      -*) ;;
      *) case " $(_gardin_token_subcommands "$path") " in *" $w "*) path="\${path:+$path }$w" ;; esac ;;
    esac
  done
  case "$prev" in
${[...valueCases].map(([flags, reply]) => `    ${flags}) ${reply}; return ;;`).join('\n')}
  esac
  case "$path" in
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

function zsh(spec: CommandSpec): string {
  return `#compdef gardin-token
# zsh completion for gardin-token, through zsh's bash-completion layer.
# Load with: source <(gardin-token completion zsh), with or without compinit run before.
(( \${+functions[compdef]} )) || { autoload -Uz compinit && compinit -u; }
autoload -U +X bashcompinit && bashcompinit
${bash(spec).replace(/^# bash completion.*\n/, '')}`;
}

function fish(spec: CommandSpec): string {
  const all = paths(spec);
  const valueOpts = [...new Set(all.flatMap(([, c]) => c.options.filter((o) => o.value).flatMap(flagsOf)))];
  // Which command the line is in, read off the words so far as the bash script does: a word that
  // names a subcommand of the path so far extends it, an option's value is skipped.
  const lines = [
    '# fish completion for gardin-token; load with: gardin-token completion fish | source',
    'function __gardin_token_subcommands',
    '  switch "$argv[1]"',
    ...all.map(([path, c]) => `    case '${path}'\n      echo ${c.subcommands.map((s) => s.name).join(' ')}`),
    '  end',
    'end',
    'function __gardin_token_path',
    "  set -l path ''",
    '  set -l skip 0',
    '  for w in (commandline -opc)[2..-1]',
    '    if test $skip = 1; set skip 0; continue; end',
    '    switch $w',
    "      case '--'",
    '        echo -- "$path --"; return',
    `      case ${valueOpts.map((o) => `'${o}'`).join(' ')}`,
    '        set skip 1',
    "      case '-*'",
    "      case '*'",
    '        if contains -- $w (string split " " -- (__gardin_token_subcommands "$path"))',
    '          set path (string trim -- "$path $w")',
    '        end',
    '    end',
    '  end',
    '  echo -- $path',
    'end',
    'complete -c gardin-token -f',
  ];
  // Double quotes: this sits inside a single-quoted -a argument.
  const profiles = `(${PROFILES} | string sub -s 3 | string match -rv "[^A-Za-z0-9._-]")`;
  for (const [path, c] of all) {
    const cond = `test (__gardin_token_path) = '${path}'`;
    const subs = c.subcommands.map((s) => s.name);
    if (subs.length > 0) lines.push(`complete -c gardin-token -n "${cond}" -a '${subs.join(' ')}'`);
    if (c.args === 'profile') lines.push(`complete -c gardin-token -n "${cond}" -a '${profiles}'`);
    else if (Array.isArray(c.args)) lines.push(`complete -c gardin-token -n "${cond}" -a '${c.args.join(' ')}'`);
    else if (c.args === 'command') lines.push(`complete -c gardin-token -n "test (__gardin_token_path) = '${path} --'" -a '(__fish_complete_command)'`);
    for (const o of c.options) {
      let line = `complete -c gardin-token -n "${cond}" -l ${o.long.replace(/^--/, '')}`;
      if (o.short) line += ` -s ${o.short.replace(/^-/, '')}`;
      if (o.value === 'profile') line += ` -x -a '${profiles}'`;
      else if (o.value === 'file') line += ' -r -F';
      else if (o.value === 'any') line += ' -x';
      else if (Array.isArray(o.value)) line += ` -x -a '${o.value.join(' ')}'`;
      lines.push(line);
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(shell: string, spec: CommandSpec): string {
  switch (shell) {
    case 'bash':
      return bash(spec);
    case 'zsh':
      return zsh(spec);
    case 'fish':
      return fish(spec);
    default:
      throw unknownShell(shell, SHELLS);
  }
}
