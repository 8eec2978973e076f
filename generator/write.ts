/**
 * Writing and drift checking. Each target owns one sub-folder of the output
 * folder: it is rebuilt beside the old one and swapped in with renames, so an
 * interrupted run never leaves a half-written target, and stale files vanish.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createTwoFilesPatch } from 'diff';

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

/** Writes `files` (paths like `ts/types.ts`) under `outDir`, replacing each touched target folder whole. */
export function writeOutput(outDir: string, files: ReadonlyMap<string, string>): void {
  const byTarget = new Map<string, Array<[string, string]>>();
  for (const [path, text] of files) {
    const [target, ...rest] = path.split('/');
    if (!byTarget.has(target!)) byTarget.set(target!, []);
    byTarget.get(target!)!.push([rest.join('/'), text]);
  }
  mkdirSync(outDir, { recursive: true });
  for (const [target, entries] of byTarget) {
    const staging = join(outDir, `.${target}.wsgen-new`);
    const old = join(outDir, `.${target}.wsgen-old`);
    rmSync(staging, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
    for (const [rel, text] of entries) {
      const p = join(staging, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, text);
    }
    const final = join(outDir, target);
    if (existsSync(final)) renameSync(final, old);
    renameSync(staging, final);
    rmSync(old, { recursive: true, force: true });
  }
}

/** One difference between the expected output and what is on disk. */
export type Drift =
  | { kind: 'stale'; path: string; diff: string }
  | { kind: 'missing'; path: string }
  | { kind: 'orphan'; path: string };

/** Compares the expected files with the target folders on disk. */
export function findDrift(outDir: string, files: ReadonlyMap<string, string>): Drift[] {
  const drift: Drift[] = [];
  const targets = new Set([...files.keys()].map((p) => p.split('/')[0]!));
  const onDisk = new Set<string>();
  for (const t of targets) for (const rel of listFiles(join(outDir, t))) onDisk.add(`${t}/${rel}`);
  for (const [path, expected] of files) {
    if (!onDisk.has(path)) {
      drift.push({ kind: 'missing', path });
      continue;
    }
    const actual = readFileSync(join(outDir, path), 'utf8');
    if (actual !== expected) drift.push({ kind: 'stale', path, diff: createTwoFilesPatch(`${path} (on disk)`, `${path} (from schema)`, actual, expected, '', '', { context: 2 }) });
  }
  for (const path of [...onDisk].sort()) if (!files.has(path)) drift.push({ kind: 'orphan', path });
  return drift;
}
