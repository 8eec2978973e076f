/**
 * WSGEN_IO errors of the file system, in one shape: the location is the file or folder (`file`, pointer `""`: the
 * whole of it), and the message says what that path is for ("the input", "the config file") and the error code
 * (POSIX errno names, as Node reports them: ENOENT, EACCES…), never the path a second time. The system call is
 * named, with its own path only when that is another one (a parent folder `mkdir` could not create).
 */
import { resolve } from 'node:path';
import { GeneratorErrorCode as E, WsgenError } from './errors.js';

/** What went wrong in a file-system call: the errno code (or the message of an error without one) and the system call, with its path when it is not `path`. */
function cause(err: unknown, path: string): string {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e.code === 'string' ? e.code : err instanceof Error ? err.message : String(err);
  if (typeof e.syscall !== 'string') return code;
  const other = typeof e.path === 'string' && resolve(e.path) !== resolve(path) ? ` ${e.path}` : '';
  return `${code} (${e.syscall}${other})`;
}

/**
 * WSGEN_IO: `verb` (read, write, create) `what` (the role of `path`: "the input", "the output folder") failed with
 * `err`; located at `path` with the empty pointer, with `hint`.
 */
export function ioError(verb: string, what: string, path: string, err: unknown, hint: string): WsgenError {
  return new WsgenError(E.IO, `cannot ${verb} ${what}: ${cause(err, path)}`, { file: path, pointer: '' }, hint);
}
