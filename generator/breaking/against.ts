/**
 * What `wsgen breaking --against X` compares with: a schema folder or file on
 * disk, or the same schema path at a git ref (its `*.json` files read with
 * `git ls-tree` and `git show` into a private temporary folder).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { GeneratorErrorCode as E, WsgenError } from '../errors.js';

/** The old schema, ready for schemaToIR, and how to remove what was extracted. */
export interface Against {
  /** Schema folder or root file. */
  schema: string;
  /** How the CLI names it: the path, or `ref:path`. */
  label: string;
  /** Removes the temporary folder (git refs only). */
  cleanup(): void;
}

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Resolves `against`: an existing path is used as it is; anything else must be
 * a git ref of the repository holding `schema`, at which the same schema path
 * is read. Throws WSGEN_AGAINST when it is neither.
 */
export function resolveAgainst(against: string, schema: string): Against {
  if (existsSync(against)) return { schema: against, label: against, cleanup: () => {} };
  const abs = resolve(schema);
  const isFile = existsSync(abs) ? !statSync(abs).isDirectory() : abs.endsWith('.json');
  const folder = isFile ? dirname(abs) : abs;
  const fail = (why: string) =>
    new WsgenError(E.AGAINST, `--against ${against}: ${why}`, { file: against, pointer: '' }, 'pass a schema folder, a schema file, or a git ref (a branch, tag or commit, such as main or HEAD~1) of the repository that holds the schema');
  let top: string;
  try {
    top = git(existsSync(folder) ? folder : process.cwd(), ['rev-parse', '--show-toplevel']).trim();
    git(top, ['rev-parse', '--verify', '--quiet', `${against}^{commit}`]);
  } catch {
    throw fail('not a path, and not a git ref here');
  }
  const rel = relative(top, folder).split('\\').join('/');
  const files = git(top, ['ls-tree', '-r', '-z', '--name-only', against, '--', rel || '.']).split('\0').filter((f) => f.endsWith('.json'));
  if (files.length === 0) throw fail(`the ref has no *.json file under ${rel || '.'}`);
  const dir = mkdtempSync(join(tmpdir(), 'wsgen-against-'));
  try {
    for (const f of files) {
      const target = join(dir, f);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, execFileSync('git', ['show', `${against}:${f}`], { cwd: top, maxBuffer: 64 * 1024 * 1024 }));
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const extracted = join(dir, rel);
  return { schema: isFile ? join(extracted, basename(abs)) : extracted, label: `${against}:${rel || '.'}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
