/**
 * The fixed code every output carries: the modules of `generator/shipped/<target>/`,
 * which are real modules of this repository (linted, type-checked and unit-tested
 * as such) and are copied into each output unchanged, each under the "do not edit"
 * banner with a line naming its source. Only what varies per schema is rendered
 * from templates.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { byCodeUnit } from '../ir.js';
import { generatorFolder } from '../templates.js';

/** The shipped modules: `generator/shipped` in the sources and in the npm package (package.json `files`). */
const SHIPPED_DIR = generatorFolder('shipped');
const cache = new Map<string, ReadonlyArray<readonly [string, string]>>();

/** The shipped files of `target` (such as `python`) as [file name, text], in code-unit order of their names (sub-folders and dot files left out). */
export function shippedFiles(target: string): ReadonlyArray<readonly [string, string]> {
  let files = cache.get(target);
  if (files === undefined) {
    const dir = join(SHIPPED_DIR, target);
    files = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort(byCodeUnit)
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')] as const);
    cache.set(target, files);
  }
  return files;
}

/** The line-comment marker of a shipped file, by its extension (`#` for Python, `//` for JavaScript and TypeScript). */
function commentMarker(target: string, name: string): string {
  if (name.endsWith('.py')) return '#';
  if (/\.(?:js|mjs|cjs|ts|mts|cts)$/.test(name)) return '//';
  throw new Error(`internal: generator/shipped/${target}/${name} has no known comment syntax (add its extension to commentMarker)`);
}

/**
 * Every shipped file of `target` as it goes into an output, by file name (the one path for every target):
 * `banner` (comment lines, no final newline), a line naming the source file, then the file unchanged.
 * A new file in `generator/shipped/<target>/` is shipped by this alone: no list names the files.
 * @throws {Error} (an internal bug, exit 4) for a shipped file whose extension has no known comment syntax.
 */
export function emitShipped(target: string, banner: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, text] of shippedFiles(target)) {
    out.set(name, `${banner}\n${commentMarker(target, name)} Copied from wsgen's generator/shipped/${target}/${name}: the same in every output.\n${text}`);
  }
  return out;
}
