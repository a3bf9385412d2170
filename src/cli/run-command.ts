import type { Deps } from '../platform/deps.js';
import { toReport } from '../platform/errors.js';
import { OUTPUT_FORMATS } from '../formats/index.js';
import type { Reporter } from '../platform/reporter.js';
import { reporterFor, type UiOptions } from './terminal.js';

// What running any command shares, whichever parser read its options: the secrets to scrub from
// the start, the error-to-exit-code mapping, and the eval format asked for (whose failing
// statement main prints).

/** Dashes a document may put where a command line has "-" (hyphen, en and em dash, minus...). */
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
/**
 * What may stand between an option and its value in one argument, by intent or by a paste: "=",
 * ":", their full-width forms, and any blank (a quoted "$FLAGS", a YAML `args:` line, a no-break
 * space).
 */
const JOINER = '=:\\s\\u00a0\\ufe13\\ufe55\\ufe66\\uff1a\\uff1d';
const SECRET_OPTION = new RegExp(`^-{1,2}([^${JOINER}]*secret[^${JOINER}]*)(?:[${JOINER}]([\\s\\S]*))?$`, 'i');

/**
 * Secrets known before parsing: GARDIN_CLIENT_SECRET and the value of any option whose name looks
 * like a secret option, however mistyped (--client-secrett=..., a pasted en dash, --client-secret:...).
 */
export function secretsInArgs(argv: readonly string[], env: Deps['env']): string[] {
  const found: string[] = [];
  const args = argv.slice(2);
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const arg = args[i]!;
    // Each dash is one UTF-16 unit, so offsets in the normalised text hold in the original.
    const m = SECRET_OPTION.exec(arg.replace(DASHES, '-'));
    if (!m) continue;
    if (m[2] !== undefined) found.push(arg.slice(arg.length - m[2].length));
    else if (!/stdin|file|command|store/i.test(m[1]!)) found.push(args[i + 1] ?? '');
  }
  return [...found, env.GARDIN_CLIENT_SECRET ?? ''].filter((s) => s.length >= 4);
}

/**
 * The eval format asked for on the command line, read off argv so it is known even when parsing
 * fails. Any eval format named counts, even beside a conflicting one: that call fails anyway.
 */
export function evalFormatIn(argv: readonly string[]): string | undefined {
  const named: Array<string | undefined> = [];
  const args = argv.slice(2);
  for (let i = 0; i < args.length && args[i] !== '--'; i++) {
    const arg = args[i]!;
    if (arg === '--export') named.push('export');
    else if (arg === '-o' || arg === '--output') named.push(args[++i]);
    else if (arg.startsWith('--output=')) named.push(arg.slice('--output='.length));
    else if (/^-o./.test(arg)) named.push(arg.slice(2));
  }
  return named.find((f): f is string => OUTPUT_FORMATS.some((o) => o.name === f && o.onFailure !== undefined));
}

/**
 * Runs one command with its own reporter, mapping whatever it throws to a message on stderr and
 * the documented exit code.
 */
export async function guarded(deps: Deps, ui: UiOptions, secrets: readonly string[], action: (reporter: Reporter) => number | Promise<number>): Promise<number> {
  const reporter = reporterFor(ui, deps);
  reporter.addSecrets(secrets);
  try {
    return await action(reporter);
  } catch (err) {
    const report = toReport(err);
    reporter.error(report.error);
    return report.exitCode;
  }
}
