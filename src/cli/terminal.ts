import { styleText } from 'node:util';
import { colorEnabled, type Deps } from '../platform/deps.js';
import { PLAIN, Reporter, type Style } from '../platform/reporter.js';

export interface UiOptions {
  verbose?: boolean;
  quiet?: boolean;
}

// Node's own styleText, not chalk: it is already loaded, where chalk cost every call its module.
// Whether to colour is decided here (stderr, NO_COLOR, TERM), so styleText must not check a
// stream of its own (Node 22+ would check stdout).
const paint = (format: 'red' | 'yellow' | 'dim') => (text: string) => styleText(format, text, { validateStream: false });
const COLOURS: Style = { red: paint('red'), yellow: paint('yellow'), dim: paint('dim') };

/** Colours on a terminal without NO_COLOR; plain text otherwise. */
const terminalStyle = (deps: Deps): Style => (colorEnabled(deps.io, deps.env) ? COLOURS : PLAIN);

/** The CLI's reporter for a command: its -v/-q, and colour decided only when something is printed. */
export const reporterFor = (opts: UiOptions, deps: Deps): Reporter =>
  new Reporter(deps.io, { verbose: opts.verbose === true, quiet: opts.quiet === true, style: () => terminalStyle(deps) });
