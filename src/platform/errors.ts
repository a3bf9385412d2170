/**
 * The errors gardin-token raises on purpose, and the one mapping from anything thrown to what the
 * CLI reports. Each class fixes the process exit code of the contract; each error carries a
 * stable string `code` that scripts and library users can switch on. The sentences users read
 * live with the area that raises them (config/messages.ts, net/messages.ts, ...); here only those
 * of the process itself.
 */

/** Base class of every error gardin-token raises on purpose. */
export class GardinTokenError extends Error {
  /** A stable identifier such as `ERR_MISSING_CLIENT_ID`. */
  readonly code: string;
  /** The CLI's exit code for this failure (see README, Exit codes). */
  readonly exitCode: number;
  /** An optional second sentence: what to do next. */
  readonly hint: string | undefined;

  constructor(code: string, exitCode: number, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Exit 2: a bad flag, missing or invalid settings, an unknown profile, an unreadable config. */
export class UsageError extends GardinTokenError {
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, 2, message, hint, options);
  }
}

/** Exit 3: the token endpoint refused the request (an OAuth error response, or 401/403). */
export class AuthError extends GardinTokenError {
  /** HTTP status of the refusal. */
  readonly status: number;
  /** The OAuth `error` code, when the server sent one. */
  readonly error: string | undefined;
  /** The OAuth `error_description` (or the API's `message`), when the server sent one. */
  readonly errorDescription: string | undefined;

  constructor(message: string, hint: string | undefined, fields: { status: number; error?: string; errorDescription?: string }) {
    super('ERR_TOKEN_REFUSED', 3, message, hint);
    this.status = fields.status;
    this.error = fields.error;
    this.errorDescription = fields.errorDescription;
  }
}

/** Exit 4: no usable answer from the endpoint (network, DNS, TLS, timeout, redirect, 429/5xx). */
export class NetworkError extends GardinTokenError {
  constructor(code: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, 4, message, hint, options);
  }
}

/** Exit 7: the Gardin API answered `gardin-token api` with an HTTP error (its body is on stdout). */
export class ApiError extends GardinTokenError {
  /** The HTTP status of the answer. */
  readonly status: number;
  constructor(status: number, message: string) {
    super('ERR_API_STATUS', 7, message);
    this.status = status;
  }
}

/** Exit 5: a 2xx answer that is not a usable token. */
export class ResponseError extends GardinTokenError {
  constructor(code: string, message: string, hint?: string) {
    super(code, 5, message, hint);
  }
}

/** Exit 2: end of input (Ctrl-D) at a prompt. */
export const promptCancelled = (): UsageError => new UsageError('ERR_CANCELLED', 'Cancelled: end of input at the prompt; nothing was saved.');

/** Exit 8: what the command printed could not be written (a full disk, a closed terminal). */
export const OUTPUT_FAILED = 8;

export const outputFailed = (where: string, reason: string): GardinTokenError => new GardinTokenError('ERR_OUTPUT', OUTPUT_FAILED, `Cannot write to ${where}: ${reason}.`);

/** Exit 130: Ctrl-C, as a shell reports an interrupted command. */
export const interrupted = (): GardinTokenError => new GardinTokenError('ERR_INTERRUPTED', 130, 'Interrupted; nothing was saved.');

export const unsafePath = (path: string, why: string, fix: string): UsageError => new UsageError('ERR_UNSAFE_PATH', `Refusing to use ${path}: it ${why}.`, fix);

/** A file operation's failure in words (the errno code only when it has none). */
export const fsReason = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException)?.code;
  const words: Record<string, string> = {
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    EDQUOT: 'the disk quota is exhausted',
    ENOENT: 'no such file or folder',
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EIO: 'an input/output error (a closed terminal?)',
    EBADF: 'it is closed',
    EPERM: 'operation not permitted',
    ENOTDIR: 'a part of the path is not a folder',
    EEXIST: 'something else is in the way',
    ELOOP: 'too many symbolic links',
    ENAMETOOLONG: 'the name is too long',
    EMFILE: 'too many open files',
  };
  // The code only where there are no words for it: a user reads words, a search engine the code.
  return code ? (words[code] ?? `failed (${code})`) : String(err);
};

/** Exit 1: an error nobody planned for. */
export const internal = (err: unknown): GardinTokenError =>
  new GardinTokenError(
    'ERR_INTERNAL',
    1,
    `Internal error (a bug in gardin-token): ${err instanceof Error ? err.message : String(err)}.`,
    'Please report it, with the output of the same command run with --verbose.',
    { cause: err },
  );

/** Duck-typed, so that an error from another copy of the package (two versions installed) is still recognised. */
export function isGardinTokenError(err: unknown): err is GardinTokenError {
  return err instanceof GardinTokenError || (err instanceof Error && typeof (err as GardinTokenError).code === 'string' && typeof (err as GardinTokenError).exitCode === 'number');
}

/** Turns anything thrown into the message lines and the exit code the CLI reports. */
export function toReport(err: unknown): { message: string; hint: string | undefined; exitCode: number; error: GardinTokenError } {
  const e = isGardinTokenError(err) ? err : internal(err);
  return { message: e.message, hint: e.hint, exitCode: e.exitCode, error: e };
}
