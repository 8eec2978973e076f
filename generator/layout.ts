/**
 * Where each target's files go. A target owns exactly one folder: `ts` its
 * output folder, `python` the package folder inside its output folder. wsgen
 * rebuilds an owned folder whole and checks it for drift; it never writes
 * outside it.
 */
import { join, relative, resolve, sep } from 'node:path';
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import { PY_PACKAGE } from './emit/python.js';

/** A target name (the keys of TARGETS in index.ts). */
export type TargetName = 'ts' | 'python';

/** The folder one target owns, and the prefix its files carry in `GenerateResult.files`. */
export interface TargetFolder {
  target: TargetName;
  /** The owned folder, as given (relative to the working directory, or absolute). */
  dir: string;
  /** Key prefix of the target's files in the generated map, with a trailing `/` (`ts/`, `python/wsgen_protocol/`). */
  prefix: string;
}

/** Output settings of one target, from the config file or flags. */
export interface TargetSettings {
  /** `ts`: the folder that receives the files; `python`: the folder that receives the package folder. */
  out: string;
  /** Python package (folder) name; default `wsgen_protocol`. */
  package?: string;
}

/** The default settings of every target under one output folder: `OUT/ts`, `OUT/python` (package `wsgen_protocol`). */
export function defaultSettings(out: string): Record<TargetName, TargetSettings> {
  return { ts: { out: join(out, 'ts') }, python: { out: join(out, 'python'), package: PY_PACKAGE } };
}

/** The owned folder and file prefix of a target. */
export function targetFolder(target: TargetName, s: TargetSettings): TargetFolder {
  if (target === 'python') {
    const pkg = s.package ?? PY_PACKAGE;
    return { target, dir: join(s.out, pkg), prefix: `python/${pkg}/` };
  }
  return { target, dir: s.out, prefix: 'ts/' };
}

/**
 * The folders of a layout. Throws WSGEN_CONFIG when one owned folder lies
 * inside (or is) another: rebuilding the outer one would delete the inner one.
 */
export function targetFolders(settings: Partial<Record<TargetName, TargetSettings>>, targets: readonly TargetName[], where = { file: '', pointer: '' }): TargetFolder[] {
  const folders = targets.map((t) => targetFolder(t, settings[t]!));
  for (const a of folders) {
    for (const b of folders) {
      if (a === b) continue;
      const rel = relative(resolve(a.dir), resolve(b.dir));
      if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))) {
        throw new WsgenError(E.CONFIG, `the ${b.target} output folder ${b.dir} lies inside the ${a.target} output folder ${a.dir}`, where,
          'give each target a folder of its own, outside the others (wsgen rebuilds each one whole)');
      }
    }
  }
  return folders;
}

/** The folders of the default layout under `out`, for the targets `files` holds. */
export function foldersUnder(out: string, files: ReadonlyMap<string, string>): TargetFolder[] {
  const defaults = defaultSettings(out);
  const present = new Set([...files.keys()].map((k) => k.split('/')[0]));
  const folders: TargetFolder[] = [];
  if (present.has('ts')) folders.push(targetFolder('ts', defaults.ts));
  if (present.has('python')) {
    const pkg = [...files.keys()].find((k) => k.startsWith('python/'))!.split('/')[1]!;
    folders.push(targetFolder('python', { out: defaults.python.out, package: pkg }));
  }
  return folders;
}
