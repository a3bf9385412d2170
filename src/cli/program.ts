import { Command, CommanderError, Option } from 'commander';
import { apiCommand } from '../commands/api.js';
import { cacheCommand } from '../commands/cache.js';
import type { CommandContext, CommandSpec, OptionSpec } from '../commands/command.js';
import { completionCommand } from '../commands/completion/index.js';
import { execCommand } from '../commands/exec.js';
import { helpCommand, ROOT_NOTES } from '../commands/help.js';
import { inspectCommand } from '../commands/inspect.js';
import { UI_OPTIONS } from '../commands/options.js';
import { profileCommand } from '../commands/profile/index.js';
import { proxyCommand } from '../commands/proxy.js';
import { statusCommand } from '../commands/status.js';
import { tokenCommand } from '../commands/token.js';
import { versionCommand } from '../commands/version.js';
import type { Deps } from '../platform/deps.js';
import { Reporter } from '../platform/reporter.js';
import { VERSION } from '../platform/version.js';
import { unknownCommand } from '../commands/messages.js';
import { optionGivenTwice, optionNotApplicable, parseErrorLine } from './messages.js';
import { guarded, secretsInArgs } from './run-command.js';

/** The commands beside the default one, in the order of the help. A new command is a line here. */
export const COMMANDS: readonly CommandSpec[] = [
  profileCommand,
  cacheCommand,
  execCommand,
  inspectCommand,
  statusCommand,
  apiCommand,
  proxyCommand,
  completionCommand,
  helpCommand,
  versionCommand,
];

/** The CLI's tree: the default command, with every other as its subcommand. */
export const ROOT: CommandSpec = { ...tokenCommand, subcommands: COMMANDS };

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** A declared option as commander takes it. */
function optionOf(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) option.argParser(collect);
  return option;
}

/**
 * The first word of argv that is not an option or an option's value, if any: where a command
 * would stand. Read off the root's declarations (which options take a value).
 */
export function firstOperand(argv: readonly string[], options: readonly OptionSpec[]): string | undefined {
  const takesValue = new Set(options.filter((o) => o.flags.includes('<')).flatMap((o) => o.flags.split(/[ ,]+/).filter((f) => f.startsWith('-'))));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return argv[i + 1];
    if (!word.startsWith('-') || word === '-') return word;
    if (takesValue.has(word)) i++;
  }
  return undefined;
}

/** The command a path of names leads to (`['profile', 'add']`), if there is one. */
const commandAt = (root: Command, words: readonly string[]): Command | undefined =>
  words.reduce<Command | undefined>((at, word) => at?.commands.find((c) => c.name() === word), root);

/**
 * The options written before a subcommand (at the root, or after a group such as `profile`),
 * merged into the subcommand's own: each one must be an option of the subcommand too (else exit
 * 2, naming it), and one given on both sides must agree (repeatable ones add up). Never silently
 * ignored.
 */
function withGlobals(sub: Command, opts: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...opts };
  const given = new Set(sub.options.map((o) => o.attributeName()).filter((k) => sub.getOptionValueSource(k) === 'cli'));
  const name = [sub.parent?.parent ? sub.parent.name() : '', sub.name()].filter(Boolean).join(' ');
  for (let outer = sub.parent; outer; outer = outer.parent) {
    for (const option of outer.options) {
      const key = option.attributeName();
      if (outer.getOptionValueSource(key) !== 'cli') continue;
      const flagName = option.long ?? option.flags;
      const value: unknown = outer.getOptionValue(key);
      if (!sub.options.some((o) => o.attributeName() === key)) throw optionNotApplicable(flagName, name);
      if (!given.has(key)) merged[key] = value;
      else if (Array.isArray(value)) merged[key] = [...value, ...(merged[key] as unknown[])];
      else if (merged[key] !== value) throw optionGivenTwice(flagName, name);
      given.add(key);
    }
  }
  return merged;
}

/**
 * The CLI as commander reads it, built from the commands' declarations: every command, help, and
 * the messages for usage errors. main sends here whatever its quick parser does not take; the
 * exit code is returned.
 */
export async function cliMain(argv: readonly string[], deps: Deps): Promise<number> {
  let exitCode = 0;
  const io = deps.io;
  const secrets = secretsInArgs(argv, deps.env);
  const parseErrors = new Reporter(io, { verbose: false, quiet: false });
  parseErrors.addSecrets(secrets);
  const program = new Command();
  const helpOf: CommandContext['helpOf'] = (path) => commandAt(program, path)?.helpInformation();

  /** Declares `spec` on `cmd`: its words, options (with -v and -q, which every command takes), help and action. */
  const declare = (cmd: Command, spec: CommandSpec): Command => {
    cmd.description(spec.summary);
    if (spec.usage) cmd.usage(spec.usage);
    for (const a of spec.args ?? []) cmd.argument(a.name, a.description);
    for (const o of [...(spec.options ?? []), ...UI_OPTIONS]) cmd.addOption(optionOf(o));
    if (spec.passThrough) cmd.passThroughOptions();
    if (spec.examples) cmd.addHelpText('after', spec.examples);
    if (spec.run) {
      const run = spec.run;
      cmd.action(async (...params: unknown[]) => {
        const self = params.at(-1) as Command;
        const opts = params.at(-2) as Record<string, unknown>;
        const args = params.slice(0, -2);
        // Merged first, so that a -q or -v written before the command shapes its reporter too.
        let merged: Record<string, unknown> | undefined;
        let refused: unknown;
        try {
          merged = cmd === program ? opts : withGlobals(self, opts);
        } catch (err) {
          refused = err;
        }
        exitCode = await guarded(deps, merged ?? opts, secrets, (reporter) => {
          if (!merged) throw refused;
          return run(args, merged, { deps, reporter, root: ROOT, helpOf });
        });
      });
    }
    for (const sub of spec.subcommands ?? []) declare(cmd.command(sub.name), sub);
    return cmd;
  };

  // Set before the subcommands are declared: each takes these settings from its parent then.
  program
    .name('gardin-token')
    .version(VERSION, '-V, --version')
    .addHelpText('after', ROOT_NOTES)
    .enablePositionalOptions()
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(parseErrors.scrub(s)),
      outputError: (s, write) => write(parseErrorLine(s)),
    });
  declare(program, ROOT);

  // A mistyped command with arguments after it (`profiles list`, `exce -- ls`) would otherwise be
  // "too many arguments" or an unknown option of the default command.
  const operand = firstOperand(argv.slice(2), [...(ROOT.options ?? []), ...UI_OPTIONS]);
  if (operand !== undefined && !COMMANDS.some((c) => c.name === operand))
    return guarded(deps, {}, secrets, () => {
      throw unknownCommand(
        operand,
        COMMANDS.map((c) => c.name),
      );
    });
  try {
    await program.parseAsync([...argv], { from: 'node' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return guarded(deps, {}, secrets, () => {
      throw err;
    });
  }
  return exitCode;
}
