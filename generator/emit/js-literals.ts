/**
 * JavaScript source with its literals masked, so that a rewrite of generated code by pattern can only see code:
 * every string literal, template literal, regular expression literal and comment (ECMA-262 §12.9.4, §12.9.6,
 * §12.9.5, §12.4) is replaced by a marker `\0<n>\0` (n decimal), and put back by {@link unmaskLiterals}. A schema's
 * `const`, `enum`, `pattern`, `default` or error text that ajv writes into its standalone code as a string can then
 * never match a rewrite's pattern, whatever it holds. NUL cannot appear in JavaScript code outside a literal, so a
 * marker is never confused with code.
 */

/** Source text with every literal replaced by a marker, and the literals' source texts (quotes included) by index. */
export interface MaskedCode {
  /** The code, each literal replaced by `\0<index>\0`. */
  readonly text: string;
  /** The source text of each literal, by index. */
  readonly literals: readonly string[];
}

/** A marker in masked text; group 1 is the literal's index. */
export const MARKER = '\\0(\\d+)\\0';

/** Keywords after which a `/` starts a regular expression literal (otherwise, after a name, it divides). */
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function fail(what: string, at: number): never {
  throw new Error(`internal: ${what} at offset ${at} of generated JavaScript`);
}

/** The index after the string literal that opens at `start` (its quote). */
function endOfString(code: string, start: number): number {
  const q = code[start];
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === q) return i + 1;
    else if (c === '\n' || c === '\r') break;
  }
  return fail('an unterminated string literal', start);
}

/** The index after the template literal that opens at `start` (its backquote), substitutions and nested literals included. */
function endOfTemplate(code: string, start: number): number {
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === '`') return i + 1;
    else if (c === '$' && code[i + 1] === '{') i = endOfSubstitution(code, i + 2) - 1;
  }
  return fail('an unterminated template literal', start);
}

/** The index after the `}` closing a template substitution whose expression starts at `start`. */
function endOfSubstitution(code: string, start: number): number {
  let depth = 0;
  for (let i = start; i < code.length; i++) {
    const c = code[i]!;
    if (c === '"' || c === "'") i = endOfString(code, i) - 1;
    else if (c === '`') i = endOfTemplate(code, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}' && depth-- === 0) return i + 1;
  }
  return fail('an unterminated template substitution', start);
}

/** The index after the regular expression literal that opens at `start` (its `/`), flags included. */
function endOfRegex(code: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === '\n' || c === '\r') break;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let j = i + 1;
      while (j < code.length && /[a-z]/.test(code[j]!)) j++;
      return j;
    }
  }
  return fail('an unterminated regular expression literal', start);
}

/**
 * Whether a `/` starts a regular expression literal rather than dividing, from the last significant character before
 * it (`last`, at `pos` of `code`; NUL after a string, template or regular expression literal; comments are skipped).
 */
function regexMayStart(code: string, last: string, pos: number): boolean {
  if (last === '') return true;
  if (last === ')' || last === ']' || last === '}' || last === '\0') return false;
  if (!/[\w$]/.test(last)) return true;
  let start = pos;
  while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
  return REGEX_AFTER_WORD.has(code.slice(start, pos + 1));
}

/** Where a literal or comment may open, and a NUL (refused outside a literal): the only characters the scan stops at. */
const OPENING = /["'`/\0]/g;

/**
 * Masks the literals and comments of `code` (see the module comment). The scan jumps from one character that may open
 * a literal to the next ({@link OPENING}); what lies between is code, read back only at a `/` for the last significant
 * character before it (whitespace skipped, as is a comment, which is not a value; a literal before it is a value).
 * @throws {Error} (internal) on an unterminated literal or comment, or a NUL outside a literal.
 */
export function maskLiterals(code: string): MaskedCode {
  const literals: string[] = [];
  const parts: string[] = [];
  let from = 0;
  // The last significant character before `from` (the end of the last literal or comment) and its offset.
  let lastBefore = '';
  let lastBeforeAt = -1;
  /** The last significant character before offset `i` and its offset (nothing but code lies between `from` and `i`). */
  const lastAt = (i: number): [string, number] => {
    let j = i - 1;
    while (j >= from && /\s/.test(code[j]!)) j--;
    return j >= from ? [code[j]!, j] : [lastBefore, lastBeforeAt];
  };
  const opening = new RegExp(OPENING.source, 'g');
  for (let m = opening.exec(code); m !== null; m = opening.exec(code)) {
    const i = m.index;
    const c = code[i]!;
    let end: number;
    let value = true;
    if (c === '"' || c === "'") end = endOfString(code, i);
    else if (c === '`') end = endOfTemplate(code, i);
    else if (c === '\0') return fail('a NUL outside a literal', i);
    else if (code[i + 1] === '/') [end, value] = [code.includes('\n', i) ? code.indexOf('\n', i) : code.length, false];
    else if (code[i + 1] === '*') [end, value] = [code.includes('*/', i + 2) ? code.indexOf('*/', i + 2) + 2 : fail('an unterminated comment', i), false];
    else {
      const [last, at] = lastAt(i);
      if (!regexMayStart(code, last, at)) continue;
      end = endOfRegex(code, i);
    }
    [lastBefore, lastBeforeAt] = value ? ['\0', end - 1] : lastAt(i);
    parts.push(code.slice(from, i), `\0${literals.length}\0`);
    literals.push(code.slice(i, end));
    from = end;
    opening.lastIndex = end;
  }
  parts.push(code.slice(from));
  return { text: parts.join(''), literals };
}

/**
 * Puts the literals back into masked text (text the rewrites added passes through as it is).
 * @throws {Error} (internal) on a NUL that does not open a marker of one of `literals` (a rewrite cut a marker).
 */
export function unmaskLiterals(text: string, literals: readonly string[]): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\0'); i !== -1; i = text.indexOf('\0', from)) {
    const close = text.indexOf('\0', i + 1);
    const index = text.slice(i + 1, close);
    const literal = close === -1 || !/^\d+$/.test(index) ? undefined : literals[Number(index)];
    if (literal === undefined) fail('a cut literal marker', i);
    out += text.slice(from, i) + literal;
    from = close + 1;
  }
  return out + text.slice(from);
}

/** The value of string literal `index` when it is a double-quoted literal as JSON writes it, else undefined. */
export function stringLiteral(literals: readonly string[], index: string | number): string | undefined {
  const lit = literals[Number(index)];
  if (lit === undefined || !lit.startsWith('"')) return undefined;
  try {
    return JSON.parse(lit) as string;
  } catch {
    return undefined;
  }
}
