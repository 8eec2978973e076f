// Both targets describe a rejected message alike: for every invalid vector, the
// first error of TS parseMessage and of Python parse_message has the same path,
// keyword, message and params, text that is not JSON included (`json` with its
// line and column). The exceptions are where the two JSON parsers speak first,
// listed in PROTOCOL.md: NaN and Infinity (JSON.parse refuses the text; Python refuses
// the number at a number field). Nesting past the depth limit is refused by Python's
// parser, which cannot say where; Python then reads the text as a value and names the
// open or recursive field that holds the nesting, as TypeScript does (both say "" when
// the message is refused for another reason too).
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../generated/ts/index.js';
import { runPython } from './python.js';
import { loadVectors, vectorText } from './vectors.js';

const invalid = loadVectors().filter((v) => !v.valid);
const texts = invalid.map(vectorText);
const python = runPython('judge.py', texts, ['--first-error']).map((l) => JSON.parse(l) as Record<string, unknown> | null);

/** Where the parsers, not the validators, answer first. */
function parserSpeaksFirst(text: string): boolean {
  return /\b(NaN|-?Infinity)\b/.test(text);
}

describe('TS and Python report the same first error', () => {
  it.each(invalid.map((v, i) => [v.file, v.name, i] as const))('%s: %s', (_file, _name, i) => {
    const r = parseMessage(texts[i]!);
    expect(r.ok).toBe(false);
    const ts = r.ok ? undefined : r.errors[0]!;
    const py = python[i]!;
    expect(py).not.toBeNull();
    if (parserSpeaksFirst(texts[i]!)) {
      expect(['json', 'type']).toContain(py.keyword);
    } else {
      expect(py).toEqual(ts);
    }
  });
});
