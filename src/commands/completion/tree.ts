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

function optionOf(o: DeclaredOption): OptionSpec {
  const m = /^(?:(-\w), )?(--[\w-]+)( <[^>]+>)?$/.exec(o.flags)!;
  const value: OptionSpec['value'] =
    o.complete === 'scope' ? GARDIN_SCOPES : o.complete === 'profile' || o.complete === 'file' ? o.complete : (o.choices ?? (Array.isArray(o.complete) ? o.complete : 'any'));
  return { ...(m[1] && { short: m[1] }), long: m[2]!, ...(m[3] && { value }) };
}

/** The command tree as completion scripts need it, read off the commands' own declarations. */
export function completionTree(c: Declared): CommandSpec {
  const arg = c.args?.[0]?.complete;
  return {
    name: c.name,
    options: [...(c.options ?? []), ...UI_OPTIONS].map(optionOf),
    subcommands: (c.subcommands ?? []).map(completionTree),
    ...(arg && arg !== 'commands' && { args: arg }),
  };
}
