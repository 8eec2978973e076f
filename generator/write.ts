/**
 * Writing and drift checking. Each target owns one sub-folder of the output
 * folder: it is rebuilt beside the old one and swapped in with renames, so an
 * interrupted run never leaves a half-written target, and stale files vanish.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { GeneratorErrorCode as E, WsgenError } from './errors.js';

/** Files and folders inside a target folder that wsgen does not own (caches of tools). */
const IGNORED = /(^|\/)(__pycache__|\.mypy_cache|\.pytest_cache|node_modules)(\/|$)|\.pyc$/;

function listFiles(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (IGNORED.test(rel)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p, rel));
    else out.push(rel);
  }
  return out;
}

/**
 * Writes `files` (paths like `ts/types.ts`) under `outDir`, replacing each touched
 * target folder whole. A file-system failure (the output is a file, no permission,
 * a full disk) becomes WSGEN_IO and leaves every target folder as it was.
 */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>): void {
  const byTarget = new Map<string, Array<[string, string]>>();
  for (const [path, text] of files) {
    const [target, ...rest] = path.split('/');
    if (!byTarget.has(target!)) byTarget.set(target!, []);
    byTarget.get(target!)!.push([rest.join('/'), text]);
  }
  withFsErrors(outDir, 'write', () => {
    mkdirSync(outDir, { recursive: true });
    for (const [target, entries] of byTarget) swapTarget(outDir, target, entries);
  });
}

/** Builds one target beside the old one, then swaps it in; on failure the old folder stays. */
function swapTarget(outDir: string, target: string, entries: Array<[string, string]>): void {
  const staging = join(outDir, `.${target}.wsgen-new`);
  const old = join(outDir, `.${target}.wsgen-old`);
  const final = join(outDir, target);
  rmSync(staging, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
  try {
    for (const [rel, text] of entries) {
      const p = join(staging, rel);
      mkdirSync(dirname(p), { recursive: true });
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
  rmSync(old, { recursive: true, force: true });
}

/** Runs `fn`, turning a Node file-system error into WSGEN_IO about `outDir`. */
function withFsErrors<T>(outDir: string, verb: 'read' | 'write', fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code !== 'string' || typeof e.syscall !== 'string') throw err;
    throw new WsgenError(E.IO, `cannot ${verb} the output folder ${outDir}: ${e.code} (${e.syscall}${e.path ? ' ' + e.path : ''})`, { file: outDir, pointer: '' },
      e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'the output path must be a folder (or not exist yet); pass another --out' : 'check that the output folder is writable and the disk has room');
  }
}

/** One difference between the expected output and what is on disk. */
export type Drift =
  /** `hashOnly`: the file differs only in the schema hash it carries (banner, SCHEMA_HASH). */
  | { kind: 'stale'; path: string; diff: string; hashOnly: boolean }
  | { kind: 'missing'; path: string }
  | { kind: 'orphan'; path: string };

const HASH_LINE = /Schema hash: sha256:([0-9a-f]{64})/;

/** Whether two versions of a file differ only in the schema hash they carry. */
function sameButHash(actual: string, expected: string): boolean {
  const was = HASH_LINE.exec(actual)?.[1];
  const is = HASH_LINE.exec(expected)?.[1];
  return was !== undefined && is !== undefined && actual.replaceAll(was, is) === expected;
}

/** Compares the expected files with the target folders on disk. */
export function findDrift(outDir: string, files: ReadonlyMap<string, string>): Drift[] {
  const drift: Drift[] = [];
  const targets = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  const onDisk = new Set<string>();
  withFsErrors(outDir, 'read', () => {
    for (const t of targets) for (const rel of listFiles(join(outDir, t))) onDisk.add(`${t}/${rel}`);
  });
  for (const [path, expected] of files) {
    if (!onDisk.has(path)) {
      drift.push({ kind: 'missing', path });
      continue;
    }
    const actual = readFileSync(join(outDir, path), 'utf8');
    if (actual === expected) continue;
    const diff = createTwoFilesPatch(`${path} (on disk)`, `${path} (from schema)`, actual, expected, '', '', { context: 2 });
    drift.push({ kind: 'stale', path, diff, hashOnly: sameButHash(actual, expected) });
  }
  for (const path of [...onDisk].sort()) if (!files.has(path)) drift.push({ kind: 'orphan', path });
  return drift;
}
