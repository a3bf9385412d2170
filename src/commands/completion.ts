import type { Command } from '@commander-js/extra-typings';
import { unknownShell } from '../errors.js';
import { GARDIN_SCOPES } from '../settings.js';

/** What completion needs to know of an option: its spellings and what its value is. */
export interface OptionSpec {
  short?: string;
  long: string;
  /** undefined: a switch; 'profile', 'file', 'any', or a fixed list of choices. */
  value?: 'profile' | 'file' | 'any' | readonly string[];
}

export interface CommandSpec {
  name: string;
  options: OptionSpec[];
  subcommands: CommandSpec[];
  /** What the positional arguments are. */
  args?: 'profile' | 'command' | readonly string[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const PROFILES = 'gardin-token profile list 2>/dev/null';
/** The documented profile-name character set (profiles.ts PROFILE_NAME), as a shell pattern. */
const NAME_RE = '^[A-Za-z0-9][A-Za-z0-9._-]*$';

const FILE_OPTIONS = new Set(['--client-secret-file', '--ca-file']);
const PROFILE_ARGS = new Set(['profile show', 'profile remove', 'profile use']);

/** The command tree as completion scripts need it, read off the commander program itself. */
export function completionSpec(cmd: Command<any, any, any>, path: string): CommandSpec {
  const options: OptionSpec[] = cmd.options.map((o) => {
    const long = o.long ?? o.flags;
    const value: OptionSpec['value'] =
      long === '--profile' ? 'profile' : long === '--scope' ? GARDIN_SCOPES : FILE_OPTIONS.has(long) ? 'file' : o.argChoices ?? 'any';
    return { ...(o.short && { short: o.short }), long, ...((o.required || o.optional) && { value }) };
  });
  return {
    name: cmd.name(),
    options,
    subcommands: cmd.commands.map((c) => completionSpec(c, path ? `${path} ${c.name()}` : c.name())),
    ...(PROFILE_ARGS.has(path) && { args: 'profile' as const }),
    ...(path === 'completion' && { args: SHELLS }),
    ...(path === 'exec' && { args: 'command' as const }),
  };
}

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
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
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
# Load with: source <(gardin-token completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(spec).replace(/^# bash completion.*\n/, '')}`;
}

function fish(spec: CommandSpec): string {
  const lines = ['# fish completion for gardin-token; load with: gardin-token completion fish | source', 'complete -c gardin-token -f'];
  // Double quotes: this sits inside a single-quoted -a argument.
  const profiles = `(${PROFILES} | string sub -s 3 | string match -rv "[^A-Za-z0-9._-]")`;
  for (const [path, c] of paths(spec)) {
    const words = path ? path.split(' ') : [];
    const cond = words.length === 0 ? '__fish_use_subcommand' : `__fish_seen_subcommand_from ${words.at(-1)}`;
    const subs = c.subcommands.map((s) => s.name);
    if (subs.length > 0) lines.push(`complete -c gardin-token -n '${cond}' -a '${subs.join(' ')}'`);
    if (c.args === 'profile') lines.push(`complete -c gardin-token -n '${cond}' -a '${profiles}'`);
    else if (Array.isArray(c.args)) lines.push(`complete -c gardin-token -n '${cond}' -a '${c.args.join(' ')}'`);
    for (const o of c.options) {
      let line = `complete -c gardin-token -n '${cond}' -l ${o.long.replace(/^--/, '')}`;
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
