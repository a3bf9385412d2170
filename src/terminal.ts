import { Chalk } from 'chalk';
import { colorEnabled, type Deps } from './deps.js';
import { Reporter, type Style } from './reporter.js';

export interface UiOptions {
  verbose?: boolean;
  quiet?: boolean;
}

/** chalk's colours, on a terminal without NO_COLOR; plain text otherwise. */
function terminalStyle(deps: Deps): Style {
  const chalk = new Chalk({ level: colorEnabled(deps.io, deps.env) ? 1 : 0 });
  return { red: (t) => chalk.red(t), yellow: (t) => chalk.yellow(t), dim: (t) => chalk.dim(t) };
}

/** The CLI's reporter for a command: its -v/-q, and colour decided only when something is printed. */
export const reporterFor = (opts: UiOptions, deps: Deps): Reporter =>
  new Reporter(deps.io, { verbose: opts.verbose === true, quiet: opts.quiet === true, style: () => terminalStyle(deps) });
