/**
 * Portable regular expressions. A JSON Schema `pattern` runs as an ECMAScript
 * regex with the `u` flag in ajv and as a Rust `regex` in pydantic-core. The
 * two agree on a common core; constructs they read differently (`\d` is ASCII
 * in JS and Unicode in Rust, lookaround and backreferences exist only in JS) are
 * refused here. `.` is translated: without the `s` flag ECMAScript's `.` matches
 * any code point but the LineTerminators `\n`, `\r`, U+2028 and U+2029
 * (ECMA-262 §22.2.2.7.1 CharacterClassEscape, §12.3), Rust's any but `\n`, so the
 * Python target reads it as `[^\n\r\u2028\u2029]` ({@link enginePattern}).
 */
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import type { SchemaLocation } from './types.js';

const CLASS_ESCAPES: Record<string, string> = {
  d: '[0-9]', D: '[^0-9]', w: '[A-Za-z0-9_]', W: '[^A-Za-z0-9_]', s: '[ \\t\\r\\n]', S: '[^ \\t\\r\\n]', b: '(no portable equivalent)', B: '(no portable equivalent)',
};

/** Throws WSGEN_PATTERN when `pattern` is not in the portable subset, naming the construct. */
export function checkPortablePattern(pattern: string, loc: SchemaLocation): void {
  const fail = (what: string, hint: string): never => {
    throw new WsgenError(E.PATTERN, `pattern ${JSON.stringify(pattern)} uses ${what}, which JavaScript and Python read differently`, loc, hint);
  };
  try {
    new RegExp(pattern, 'u');
  } catch (err) {
    throw new WsgenError(E.PATTERN, `pattern ${JSON.stringify(pattern)} is not a valid regular expression: ${(err as Error).message}`, loc, 'fix the regular expression');
  }
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const n = pattern[i + 1] ?? '';
      if (n in CLASS_ESCAPES) fail(`\\${n}`, `write ${CLASS_ESCAPES[n]} instead`);
      if (/[1-9k]/.test(n)) fail('a backreference', 'rewrite without backreferences');
      if (/[pPux]/.test(n)) fail(`\\${n} escapes`, 'write the characters, or ranges of them, literally');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === ':') continue;
      fail('a group modifier "(?"', 'use plain groups or (?: ) only; lookaround and named groups are not portable');
    }
  }
}

/** What ECMAScript's `.` (u flag, no s flag) matches, written for pydantic-core's Rust regex and Python's `re` alike. */
export const JS_DOT = '[^\\n\\r\\u2028\\u2029]';

/**
 * `pattern` with each character outside a character class that is not escaped replaced by `replace(c, i)`
 * (`i` its index in `pattern`); escapes and classes are copied as they are.
 */
function rewriteOutsideClasses(pattern: string, replace: (c: string, i: number) => string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      inClass = c !== ']';
      out += c;
    } else {
      inClass = c === '[';
      out += inClass ? c : replace(c, i);
    }
  }
  return out;
}

/**
 * A pattern of the portable subset ({@link checkPortablePattern}) as pydantic-core's regex engine must read it
 * to match exactly the strings `new RegExp(pattern, 'u')` matches: each `.` outside a character class becomes
 * {@link JS_DOT}; everything else is the same text. Returns `pattern` itself when nothing changes.
 */
export function enginePattern(pattern: string): string {
  return rewriteOutsideClasses(pattern, (c) => (c === '.' ? JS_DOT : c));
}

/**
 * `pattern` (ECMAScript regular expression source, `u` flag) with each capturing group `(` made non-capturing
 * `(?:`: the same language (a test never reads a capture), which the engine matches without recording captures
 * (the bundled Timestamp pattern: about 20% faster). Unchanged when the pattern refers to a group (`\1`, `\k<`)
 * or names one (`(?<name>`, whose number a backreference would need).
 */
export function nonCapturing(pattern: string): string {
  if (/\\[1-9k]|\(\?<[^=!]/.test(pattern)) return pattern;
  return rewriteOutsideClasses(pattern, (c, i) => (c === '(' && pattern[i + 1] !== '?' ? '(?:' : c));
}
