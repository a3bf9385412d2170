import type { Deps } from '../platform/deps.js';
import type { Reporter } from '../platform/reporter.js';

/** An option, declared once, in the file of the command that takes it (or in options.ts, shared). */
export interface OptionSpec {
  /** As commander takes them: `-p, --profile <name>`, `--no-cache`. */
  readonly flags: string;
  readonly description: string;
  /** Each use adds a value (the result is an array). */
  readonly repeatable?: true;
  /** The only values allowed. */
  readonly choices?: readonly string[];
  /** What shell completion offers for the value, beyond `choices`: a kind of value, or a list. */
  readonly complete?: 'profile' | 'file' | 'scope' | readonly string[];
}

/** A positional argument. */
export interface ArgSpec {
  /** `<name>`, `[name]`, `<name...>` as commander takes them. */
  readonly name: string;
  readonly description?: string;
  /** What shell completion offers for it: a kind, a list, or a list read off the CLI's tree. */
  readonly complete?: 'profile' | 'command' | 'commands' | readonly string[] | ((root: CommandSpec) => readonly string[]);
}

/** What a command's action gets besides its arguments and options. */
export interface CommandContext {
  deps: Deps;
  reporter: Reporter;
  /** The CLI's tree (the default command, every other as its subcommand), for the commands about the CLI itself (help, completion). */
  root: CommandSpec;
  /** The help text of the command at this path (`['profile', 'add']`), as --help prints it. */
  helpOf(path: readonly string[]): string | undefined;
}

/**
 * A command, declared once in its own file: its words, options, examples and action. The CLI
 * (cli/program.ts) lists the commands and builds its parser, its help and its completion from
 * these declarations.
 */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage?: string;
  readonly args?: readonly ArgSpec[];
  readonly options?: readonly OptionSpec[];
  /** Shown after the options in --help. */
  readonly examples?: string;
  /** Options after the first argument are the argument's (exec -- cmd --its-own-flag). */
  readonly passThrough?: true;
  readonly subcommands?: readonly CommandSpec[];
  /** Absent for a group (profile, cache), whose subcommands act. */
  run?(args: unknown[], opts: Record<string, unknown>, ctx: CommandContext): number | Promise<number>;
}
