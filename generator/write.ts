/**
 * Writing and drift checking. Each target owns one folder (see layout.ts): it
 * is rebuilt beside the old one and swapped in with renames, so an interrupted
 * run never leaves a half-written target, and stale files vanish.
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import { type TargetFolder, foldersUnder } from './layout.js';
import { foreignFiles, foreignFilesError, hasBanner, listCaches, listFiles } from './output-folder.js';
import { makeDirs } from './mkdirs.js';
import { ioError } from './io-errors.js';

/** The files of one target folder, relative to it. */
function entriesOf(folder: TargetFolder, files: ReadonlyMap<string, string>): Array<[string, string]> {
  return [...files].filter(([p]) => p.startsWith(folder.prefix)).map(([p, text]) => [p.slice(folder.prefix.length), text]);
}

/**
 * Writes `files` into their target folders (`out` names the default layout,
 * OUT/ts and OUT/python), replacing each target folder whole: wsgen's own files
 * that the schema no longer produces go; tool caches stay. A file wsgen did not
 * write (output-folder.ts) in any target folder stops the write before anything
 * changes (WSGEN_FOREIGN_FILES, listing every such file). A file-system failure
 * (the output is a file, no permission, a full disk) becomes WSGEN_IO and leaves
 * every target folder as it was.
 */
export function writeOutput(out: string | readonly TargetFolder[], files: ReadonlyMap<string, string>): void {
  const folders = typeof out === 'string' ? foldersUnder(out, files) : out;
  const foreign = folders.flatMap((folder) => withFsErrors(folder.dir, 'read', () => foreignFiles(folder, new Map(entriesOf(folder, files)))));
  if (foreign.length > 0) throw foreignFilesError(foreign);
  for (const folder of folders) {
    withFsErrors(folder.dir, 'write', () => swapTarget(folder.dir, entriesOf(folder, files)));
  }
}

/** Builds one target folder beside the old one, then swaps it in; on failure the old folder stays. */
function swapTarget(final: string, entries: Array<[string, string]>): void {
  const parent = dirname(resolve(final));
  const name = basename(resolve(final));
  makeDirs(parent);
  const staging = join(parent, `.${name}.wsgen-new`);
  const old = join(parent, `.${name}.wsgen-old`);
  rmSync(staging, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  try {
    for (const [rel, text] of entries) {
      const p = join(staging, rel);
      makeDirs(dirname(p));
      writeFileSync(p, text);
    }
    if (existsSync(final)) renameSync(final, old);
    try {
      renameSync(staging, final);
    } catch (err) {
      if (existsSync(old)) renameSync(old, final);
      throw err;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  // Tool caches (__pycache__, node_modules, …) are not wsgen's: they move into the new folder.
  for (const rel of listCaches(old)) {
    makeDirs(dirname(join(final, rel)));
    renameSync(join(old, rel), join(final, rel));
  }
  rmSync(old, { recursive: true, force: true });
}

/** Runs `fn`, turning a Node file-system error into WSGEN_IO about `outDir`. */
function withFsErrors<T>(dir: string, verb: 'read' | 'write', fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code !== 'string' || typeof e.syscall !== 'string') throw err;
    const outDir = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? blockingFile(dir) : dir;
    throw ioError(verb, 'the output folder', outDir, e,
      e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'the output path must be a folder (or not exist yet); pass another --out' : 'check that the output folder is writable and the disk has room');
  }
}

/** The nearest of `dir` and its ancestors that exists and is not a folder (what stops a mkdir), else `dir`. */
function blockingFile(dir: string): string {
  for (let p = dir; p !== dirname(p); p = dirname(p)) {
    try {
      if (!statSync(p).isDirectory()) return p;
    } catch {
      /* missing or unreadable: look further up */
    }
  }
  return dir;
}

/** One difference between the expected output and what is on disk. */
export type Drift =
  /** `hashOnly`: the file differs only in the schema hash it carries (banner, SCHEMA_HASH). */
  | { kind: 'stale'; path: string; diff: string; hashOnly: boolean }
  | { kind: 'missing'; path: string }
  | { kind: 'orphan'; path: string }
  /** A file wsgen did not write (no banner): `generate` stops until it is moved out. */
  | { kind: 'foreign'; path: string };

const HASH_LINE = /Schema hash: sha256:([0-9a-f]{64})/;
const ANY_HASH = /\b[0-9a-f]{64}\b/g;

/**
 * Whether two versions of a generated file differ only in the schema hashes
 * they carry (the full hash of the banner and SCHEMA_FULL_HASH, the semantic
 * SCHEMA_HASH): both carry a banner hash, and they are equal once every
 * 64-digit hex string is blanked.
 */
function sameButHash(actual: string, expected: string): boolean {
  if (!HASH_LINE.test(actual) || !HASH_LINE.test(expected)) return false;
  return actual.replace(ANY_HASH, '#') === expected.replace(ANY_HASH, '#');
}

/**
 * Compares the expected files with the target folders on disk (`out` names the
 * default layout). Drift paths are the owned folder joined with the file's path in it.
 */
export function findDrift(out: string | readonly TargetFolder[], files: ReadonlyMap<string, string>): Drift[] {
  const folders = typeof out === 'string' ? foldersUnder(out, files) : out;
  const drift: Drift[] = [];
  for (const folder of folders) {
    const expected = new Map(entriesOf(folder, files));
    const onDisk = new Set(withFsErrors(folder.dir, 'read', () => listFiles(folder.dir)));
    const shown = (rel: string) => `${folder.dir.replace(/\/+$/, '')}/${rel}`;
    for (const [rel, text] of expected) {
      if (!onDisk.has(rel)) {
        drift.push({ kind: 'missing', path: shown(rel) });
        continue;
      }
      const actual = readFileSync(join(folder.dir, rel), 'utf8');
      if (actual === text) continue;
      const path = shown(rel);
      const diff = createTwoFilesPatch(`${path} (on disk)`, `${path} (from schema)`, actual, text, '', '', { context: 2 });
      drift.push({ kind: 'stale', path, diff, hashOnly: sameButHash(actual, text) });
    }
    for (const rel of [...onDisk].sort()) {
      if (expected.has(rel)) continue;
      const own = hasBanner(readFileSync(join(folder.dir, rel), 'utf8'));
      drift.push({ kind: own ? 'orphan' : 'foreign', path: shown(rel) });
    }
  }
  return drift;
}
