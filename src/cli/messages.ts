import { UsageError } from '../platform/errors.js';
import { nameOnly } from '../platform/text.js';

// What the command line's parsing says.

export const optionNotApplicable = (option: string, command: string): UsageError =>
  new UsageError('ERR_USAGE', `The option ${option}, written before '${command}', does not apply to '${command}'.`, `Run gardin-token ${command} --help for its options.`);

export const optionGivenTwice = (option: string, command: string): UsageError =>
  new UsageError('ERR_USAGE', `The option ${option} was given both before and after '${command}' with different values; give it once.`);

/**
 * Commander's parse error as one line, like every other error. Commander echoes what was typed,
 * and a mistyped --client-secrett=... carries the secret: option values are masked (the secrets
 * found on the command line are scrubbed besides, by the reporter).
 */
export const parseErrorLine = (commanderText: string): string =>
  commanderText
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/^(error: unknown option )'([\s\S]*?)'(?=( \(Did you mean [^)]*\))?$)/, (_all, lead: string, option: string) => `${lead}'${nameOnly(option)}'`) +
  ' Run gardin-token --help for usage.\n';
