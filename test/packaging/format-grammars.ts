// Which format grammars a bundle holds, for the bundle tests: formats.js's checkers hold each grammar as an
// anchored RegExp literal; a grammar's text inside another expression (the one-regex wire date-time check holds
// the date grammar's text) is no checker of that format.
import { FORMAT_GRAMMARS } from '../../generator/formats.js';
import { grammarLiteral } from '../../generator/emit/ts-format-checkers.js';

/** A grammar format's name. */
export type Grammar = keyof typeof FORMAT_GRAMMARS;

/** Every grammar format, in formats.ts order. */
export const GRAMMARS = Object.keys(FORMAT_GRAMMARS) as Grammar[];

/** A grammar's expression as a bundle may hold it: formats.js's RegExp literal (anchored), or a whole string literal of its text. */
function forms(f: Grammar): string[] {
  const text = FORMAT_GRAMMARS[f].replace(/\\/g, '\\\\');
  return [grammarLiteral(FORMAT_GRAMMARS[f]), `"${text}"`, `'${text}'`, `\`${text}\``];
}

/** The grammar formats whose whole expression `code` holds, in formats.ts order. */
export function grammarsIn(code: string): Grammar[] {
  return GRAMMARS.filter((f) => forms(f).some((text) => code.includes(text)));
}
