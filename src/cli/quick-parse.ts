import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { OptionSpec } from '../commands/command.js';

/** One option as the parse needs it, read off commander's flags (`-p, --profile <name>`). */
interface Flag {
  long: string;
  short: string | undefined;
  takesValue: boolean;
  /** Where the value lands, as commander names it: --client-id -> clientId, --no-cache -> cache. */
  key: string;
  negate: boolean;
  spec: OptionSpec;
}

const camel = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function flagOf(spec: OptionSpec): Flag {
  const m = /^(?:-(\w), )?--([\w-]+)( <[^>]+>)?$/.exec(spec.flags);
  if (!m) throw new Error(`unsupported flags: ${spec.flags}`);
  const long = m[2]!;
  const negate = long.startsWith('no-');
  return { long, short: m[1], takesValue: m[3] !== undefined, key: camel(negate ? long.slice(3) : long), negate, spec };
}

/**
 * The options of a call that is the default command and nothing else, parsed as commander parses
 * them, with Node's own parser (commander costs a cached call more than the rest of its work).
 * Undefined for anything else, or anything unusual: a command word or any other positional, `--`,
 * help, version, an unknown option, a value not among the choices, a value that looks like an
 * option, a group of short flags. The caller then hands the call to commander, which runs it or
 * says what is wrong; so this parser only has to be right where it answers.
 */
export function quickParse(args: readonly string[], specs: readonly OptionSpec[]): Record<string, unknown> | undefined {
  // With no arguments only the negatable options matter (their default): reading every option's
  // flags costs a cached call ~0.3 ms.
  const flags = (args.length === 0 ? specs.filter((s) => s.flags.startsWith('--no-')) : specs).map(flagOf);
  const valueShorts = new Set(flags.filter((f) => f.takesValue && f.short).map((f) => f.short));
  for (const arg of args) {
    if (arg === '--') return undefined;
    // `-pNAME` is -p with its value, as commander reads it; `-qv` (a group) is left to commander.
    if (/^-[^-]./.test(arg) && !valueShorts.has(arg[1])) return undefined;
  }
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const f of flags) {
    options[f.long] = { type: f.takesValue ? 'string' : 'boolean', ...(f.short && { short: f.short }), ...(f.spec.repeatable && { multiple: true }) };
  }
  let values: Record<string, string | boolean | Array<string | boolean> | undefined> = {};
  // With nothing to read, parseArgs (a module of its own to load) is not asked.
  if (args.length > 0) {
    try {
      // strict: an unknown option, a missing value or one that looks like an option throws.
      ({ values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }));
    } catch {
      return undefined;
    }
  }
  const opts: Record<string, unknown> = {};
  // commander gives a negatable option its default (true) whether or not it is written.
  for (const f of flags) if (f.negate) opts[f.key] = true;
  for (const f of flags) {
    const value = values[f.long];
    if (value === undefined) continue;
    if (f.spec.choices && !f.spec.choices.includes(value as string)) return undefined;
    opts[f.key] = f.negate ? false : value;
  }
  return opts;
}
