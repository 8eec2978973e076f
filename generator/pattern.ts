/**
 * Portable regular expressions. A JSON Schema `pattern` runs as an ECMAScript
 * regex with the `u` flag in ajv and as a Rust `regex` in pydantic-core. The
 * two agree on a common core; constructs they read differently (`\d` is ASCII
 * in JS and Unicode in Rust, `.` excludes different line terminators, lookaround
 * and backreferences exist only in JS) are refused here.
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
    else if (c === '.') fail('"." outside a character class', 'write the set you mean, such as [^\\n] or [ -~]');
    else if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === ':') continue;
      fail('a group modifier "(?"', 'use plain groups or (?: ) only; lookaround and named groups are not portable');
    }
  }
}
