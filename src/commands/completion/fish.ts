import { paths, valueOptions, type CommandSpec } from './tree.js';
import { PROFILES, type CompletionShell } from './shell.js';

/** The fish script: `complete -c` lines, each under a condition on the command path so far. */
function script(spec: CommandSpec): string {
  const all = paths(spec);
  const valueOpts = valueOptions(spec);
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

export const fish: CompletionShell = { name: 'fish', script };
