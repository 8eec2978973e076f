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

/**
 * Every shipped file of `target` as it goes into an output: `banner` (comment lines, no
 * final newline), a line naming the source file, then the file unchanged.
 * `comment`: the line-comment marker of the target (`#`, `//`).
 */
export function emitShipped(target: string, banner: string, comment: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, text] of shippedFiles(target)) {
    out.set(name, `${banner}\n${comment} Copied from wsgen's generator/shipped/${target}/${name}: the same in every output.\n${text}`);
  }
  return out;
}
