import { Chalk, type ChalkInstance } from 'chalk';
import type { IO } from './deps.js';
import type { GardinTokenError } from './errors.js';

/**
 * Everything meant for humans goes through here to stderr: the verbose trace, notices, errors.
 * Whatever it prints is scrubbed of every known form of the secret first, so a slip elsewhere
 * cannot leak it.
 */
export class Reporter {
  readonly verbose: boolean;
  readonly quiet: boolean;
  private chalk: ChalkInstance | undefined;
  private readonly secrets: string[] = [];

  /** `color` is asked only when something is printed: a silent run never probes the terminal. */
  constructor(
    private readonly io: IO,
    private readonly opts: { verbose: boolean; quiet: boolean; color: () => boolean },
  ) {
    this.verbose = opts.verbose;
    this.quiet = opts.quiet && !opts.verbose;
  }

  get color(): ChalkInstance {
    this.chalk ??= new Chalk({ level: this.opts.color() ? 1 : 0 });
    return this.chalk;
  }

  /** Registers strings that must never be printed. */
  addSecrets(forms: readonly string[]): void {
    for (const f of forms) if (f && !this.secrets.includes(f)) this.secrets.push(f);
    // Longest first, so a secret's encoded form is replaced whole rather than partly.
    this.secrets.sort((a, b) => b.length - a.length);
  }

  scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join('***');
    return out;
  }

  private write(text: string): void {
    this.io.stderr.write(this.scrub(text));
  }

  /** A line of the `--verbose` trace. */
  trace(line: string): void {
    if (this.verbose) this.write(this.color.dim(`gardin-token: ${line}`) + '\n');
  }

  /** A notice for humans; silenced by --quiet. */
  info(line: string): void {
    if (!this.quiet) this.write(line + '\n');
  }

  warn(line: string): void {
    if (!this.quiet) this.write(this.color.yellow('warning: ') + line + '\n');
  }

  /** The one place failures are printed: message, hint, and the stack only with --verbose. */
  error(err: GardinTokenError): void {
    // One line: what failed, then what to do about it.
    this.write(this.color.red('error: ') + err.message + (err.hint ? ' ' + this.color.dim(err.hint) : '') + '\n');
    if (this.verbose) {
      const detail = err.cause instanceof Error ? err.cause : err.exitCode === 1 ? err : undefined;
      if (detail?.stack) this.write(this.color.dim(detail.stack) + '\n');
    }
  }
}

/** The first few characters of a token, enough to tell tokens apart in a log. */
export const tokenPreview = (token: string): string => `${token.slice(0, 8)}... (${token.length} chars)`;
