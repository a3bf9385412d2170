import { chmodSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { unsafePath } from './errors.js';

// The config and cache folders are held as OpenSSH holds ~/.ssh with StrictModes: ours alone,
// no symlinks followed. Windows has neither uids nor these mode bits (process.getuid is undefined
// there): what holds is what Windows has, the folders under %APPDATA% and %LOCALAPPDATA% being
// the user's own by their ACLs, and the checks that need no uid: no symlink or junction followed
// (lstat), a folder is a folder, files written by exclusive create and rename.
const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = constants;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
// A FIFO planted where a file should be would block a plain open() forever.
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
const myUid = (): number | undefined => process.getuid?.();
const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Why a file or folder could have been planted or changed by another user: not ours, or (`strict`)
 * writable by others. `me`: our uid, undefined where there are none (Windows): nothing to check.
 */
export function ownerProblem(st: Pick<Stats, 'uid' | 'mode' | 'isDirectory'>, me: number | undefined, strict: boolean): { why: string; fix: string } | undefined {
  if (me === undefined) return undefined;
  if (st.uid !== me) return { why: `is owned by another user (uid ${st.uid}, not ${me})`, fix: `If it is yours, run: chown ${me} '%s'` };
  if (strict && st.mode & 0o022) {
    return {
      why: `is writable by group or others (mode ${octal(st.mode)}) and may have been changed by them`,
      fix: `Check it, then run: chmod ${st.isDirectory() ? 700 : 600} '%s'`,
    };
  }
  return undefined;
}

/** Refuses what another user could have planted or changed. */
function checkOwner(path: string, st: Stats, strict: boolean): void {
  const problem = ownerProblem(st, myUid(), strict);
  if (problem) throw unsafePath(path, problem.why, problem.fix.replace('%s', path));
}

/**
 * mkdir -p, each new folder 0700. Not mkdirSync's `recursive`, which on a read-only file system
 * reports the missing parent (ENOENT) instead of the cause (EROFS).
 */
function makeDirs(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw err;
    makeDirs(parent);
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (again) {
      // Another process made it meanwhile (parallel first runs): then it is there, as wanted.
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}

/**
 * Makes sure `dir` is a real folder of ours and tightens it to 0700. With `strict` (the config
 * folder) one writable by others is refused, as OpenSSH refuses it; the cache folder is tightened
 * instead, since what others may have put inside is caught file by file (owner, mode, no
 * symlinks). Returns false when it does not exist and `create` is off.
 */
export function securePrivateDir(dir: string, opts: { create: boolean; strict: boolean }): boolean {
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    if (!opts.create) return false;
    makeDirs(dir);
    st = lstatSync(dir);
  }
  if (st.isSymbolicLink()) throw unsafePath(dir, 'is a symbolic link', 'Replace it with a real folder.');
  if (!st.isDirectory()) throw unsafePath(dir, 'is not a folder', 'Move it out of the way.');
  checkOwner(dir, st, opts.strict);
  if (myUid() !== undefined && st.mode & 0o077) chmodSync(dir, 0o700);
  return true;
}

/**
 * Reads a file of ours without following a symlink, refusing one that another user owns or could
 * write, and one larger than `maxBytes`; tightens it to 0600. Undefined when it does not exist.
 */
export function readPrivateFile(file: string, maxBytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw unsafePath(file, 'is a symbolic link', 'Replace it with a real file.');
    throw err;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw unsafePath(file, 'is not a regular file', 'Move it out of the way.');
    checkOwner(file, st, true);
    if (myUid() !== undefined && st.mode & 0o077) fchmodSync(fd, 0o600);
    if (st.size > maxBytes) throw unsafePath(file, `is larger than ${maxBytes} bytes`, 'Move it out of the way.');
    // Read to the end, not to st.size: the size may change, and the cap holds either way. Buffers
    // are sized by the file, not the cap: this runs on every call through a profile.
    const chunkSize = Math.min(maxBytes + 1, Math.max(st.size + 1, 4096));
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkSize);
      const n = readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) throw unsafePath(file, `is larger than ${maxBytes} bytes`, 'Move it out of the way.');
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const TEMP_SUFFIX = '.tmp';
/** Whether a file name is one of writePrivateFile's temporary files (left by an interrupted write). */
export const isTempName = (name: string): boolean => /\.\d+\.[a-z0-9]+\.tmp$/.test(name);

/**
 * Replaces `file` atomically with a new 0600 file: written beside it under a fresh name (never
 * through a symlink), then renamed over it. A symlink planted at `file` is replaced, not followed.
 */
export function writePrivateFile(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 10)}${TEMP_SUFFIX}`;
  const fd = openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    try {
      const buf = Buffer.from(data, 'utf8');
      for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw err;
  }
}
