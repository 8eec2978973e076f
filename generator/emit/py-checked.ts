/**
 * The Python side of checked subschemas (generator/checked.ts): `_checked.py`, which holds the
 * document and the `checked(key)` validator, and the fixed keyword checker `_keywords.py` (with the
 * modules it imports), copied from generator/shipped/python/ with the "do not edit" banner.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { IR } from '../ir.js';
import { pyLiteral, render, shippedDir } from '../templates.js';

/** The shipped modules of the keyword checker: `_keywords.py` and the `_keyword_*.py` it imports. */
const KEYWORD_MODULE = /^_keywords?(_[a-z]+)?\.py$/;

/** `_checked.py` and the keyword checker's modules (file name to text), or nothing when the IR has no checked subschema. */
export function emitPyChecked(ir: IR, banner: string): Map<string, string> {
  const files = new Map<string, string>();
  if (Object.keys(ir.checked).length === 0) return files;
  files.set('_checked.py', render('python/_checked.py', { banner, document: pyLiteral(JSON.stringify({ $defs: ir.checked })) }));
  const dir = join(shippedDir(), 'python');
  for (const name of readdirSync(dir).filter((n) => KEYWORD_MODULE.test(n)).sort()) {
    files.set(name, `${banner}\n${readFileSync(join(dir, name), 'utf8')}`);
  }
  return files;
}
