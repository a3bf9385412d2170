import type { IO } from './deps.js';
import type { GardinTokenError } from './errors.js';

/** How the reporter marks its lines; the CLI passes colours for a terminal, the library none. */
export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

const plain = (text: string): string => text;
export const PLAIN: Style = { red: plain, yellow: plain, dim: plain };

/**
 * Everything meant for humans goes through here to stderr: the verbose trace, notices, errors.
 * Whatever it prints is scrubbed of every known form of the secret first, so a slip elsewhere
 * cannot leak it.
 */
export class Reporter {
  readonly verbose: boolean;
  readonly quiet: boolean;
  private chosen: Style | undefined;
  private readonly secrets: string[] = [];
  /** Secrets whose forms are worked out only when something is printed (most calls print nothing). */
  private pending: Array<() => readonly string[]> = [];

  /** `style` is asked only when something is printed: a silent run never probes the terminal. */
  constructor(
    private readonly io: Pick<IO, 'stderr'>,
    private readonly opts: { verbose: boolean; quiet: boolean; style?: () => Style },
  ) {
    this.verbose = opts.verbose;
    this.quiet = opts.quiet && !opts.verbose;
  }

  private get style(): Style {
    this.chosen ??= this.opts.style?.() ?? PLAIN;
    return this.chosen;
  }

  /** Registers strings that must never be printed, or a function that works them out when needed. */
  addSecrets(forms: readonly string[] | (() => readonly string[])): void {
    if (typeof forms === 'function') {
      this.pending.push(forms);
      return;
    }
    for (const f of forms) if (f && !this.secrets.includes(f)) this.secrets.push(f);
    // Longest first, so a secret's encoded form is replaced whole rather than partly.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    for (const work of this.pending.splice(0)) this.addSecrets(work());
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  private write(text: string): void {
    try {
      this.io.stderr.write(this.scrub(text));
    } catch {
      // stderr itself cannot be written: there is nowhere left to say anything, the exit code says it
    }
  }

  /** A line of the `--verbose` trace. */
  trace(line: string): void {
    if (this.verbose) this.write(this.style.dim(`gardin-token: ${line}`) + '\n');
  }

  /** A notice for humans; silenced by --quiet. */
  info(line: string): void {
    if (!this.quiet) this.write(line + '\n');
  }

  warn(line: string): void {
    if (!this.quiet) this.write(this.style.yellow('warning: ') + line + '\n');
  }

  /** The one place failures are printed: message and hint; with --verbose, a bug's stack. */
  error(err: GardinTokenError): void {
    // One line: what failed, then what to do about it.
    this.write(this.style.red('error: ') + err.message + (err.hint ? ' ' + this.style.dim(err.hint) : '') + '\n');
    // An expected failure is said in full above; only a bug (exit 1) has a stack worth reading.
    if (this.verbose && err.exitCode === 1) {
      const detail = err.cause instanceof Error ? err.cause : err;
      if (detail.stack) this.write(this.style.dim(detail.stack) + '\n');
    }
  }
}

/** The first few characters of a token, enough to tell tokens apart in a log. */
export const tokenPreview = (token: string): string => `${token.slice(0, 8)}... (${token.length} chars)`;
