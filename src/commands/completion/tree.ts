import { GARDIN_SCOPES } from '../../config/settings.js';
import type { CommandSpec as Declared, OptionSpec as DeclaredOption } from '../command.js';
import { UI_OPTIONS } from '../options.js';

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

/** Every command path ("", "profile", "profile add", ...) with its spec, the root first. */
export function paths(spec: CommandSpec, prefix = ''): Array<[string, CommandSpec]> {
  return [[prefix, spec], ...spec.subcommands.flatMap((c) => paths(c, prefix ? `${prefix} ${c.name}` : c.name))];
}

/** An option's spellings: `-p`, `--profile`. */
export const flagsOf = (o: OptionSpec): string[] => [o.short, o.long].filter((f): f is string => Boolean(f));

/** The options of the whole tree that take a value (the word after them is that value). */
export const valueOptions = (spec: CommandSpec): string[] => [...new Set(paths(spec).flatMap(([, c]) => c.options.filter((o) => o.value).flatMap(flagsOf)))];

function optionOf(o: DeclaredOption): OptionSpec {
  const m = /^(?:(-\w), )?(--[\w-]+)( <[^>]+>)?$/.exec(o.flags)!;
  const value: OptionSpec['value'] =
    o.complete === 'scope' ? GARDIN_SCOPES : o.complete === 'profile' || o.complete === 'file' ? o.complete : (o.choices ?? (Array.isArray(o.complete) ? o.complete : 'any'));
  return { ...(m[1] && { short: m[1] }), long: m[2]!, ...(m[3] && { value }) };
}

/** The command tree as completion scripts need it, read off the commands' own declarations. */
export function completionTree(c: Declared, root: Declared = c): CommandSpec {
  const arg = c.args?.[0]?.complete;
  const args = typeof arg === 'function' ? arg(root) : arg;
  return {
    name: c.name,
    options: [...(c.options ?? []), ...UI_OPTIONS].map(optionOf),
    subcommands: (c.subcommands ?? []).map((s) => completionTree(s, root)),
    // The root's own argument is a command word: its subcommands say those.
    ...(args && args !== 'commands' && { args }),
  };
}
