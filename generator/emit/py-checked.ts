/**
 * The Python side of checked subschemas (generator/checked.ts): `_checked.py`, which holds the
 * document and the `checked(key)` validator. The keyword checker it calls (`_keywords.py` and the
 * `_keyword_*.py` modules it imports) is shipped code (generator/shipped/python/, emit/shipped.ts),
 * copied only into outputs that have a checked subschema.
 */
import type { IR } from '../ir.js';
import { pyLiteral, render } from '../templates.js';

/** The shipped modules of the keyword checker: `_keywords.py` and the `_keyword_*.py` it imports. */
export const KEYWORD_MODULE = /^_keywords?(_[a-z]+)?\.py$/;

/** `_checked.py` (file name to text), or nothing when the IR has no checked subschema. */
export function emitPyChecked(ir: IR, banner: string): Map<string, string> {
  const files = new Map<string, string>();
  if (Object.keys(ir.checked).length === 0) return files;
  files.set('_checked.py', render('python/_checked.py', { banner, document: pyLiteral(JSON.stringify({ $defs: ir.checked })) }));
  return files;
}
