/**
 * Creating a folder and its missing ancestors, one level at a time.
 *
 * Node's `mkdirSync(p, { recursive: true })` loops forever when `mkdir(2)`
 * answers ENOENT for a path whose parent exists (a pseudo file system such as
 * `/proc` or `/sys`, where no folder can be created): it retries the parent,
 * gets EEXIST, and tries the child again. Walking down from the nearest existing
 * ancestor with plain `mkdirSync` turns every such case into an error instead.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Makes `dir` and its missing ancestors. A folder that already exists is fine.
 * @throws the `mkdir(2)` or `stat(2)` error (a `NodeJS.ErrnoException`: ENOENT on a pseudo file system, EACCES,
 *   ENOTDIR when an ancestor is a file, EEXIST when `dir` itself is a file), never hangs.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    try {
      if (statSync(p).isDirectory()) break;
      const err = new Error(`EEXIST: file already exists, mkdir '${p}'`) as NodeJS.ErrnoException;
      Object.assign(err, { code: 'EEXIST', syscall: 'mkdir', path: p });
      throw err;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.push(p);
    const parent = dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]!);
}
