// generator/pattern.ts nonCapturing (used by generator/emit/ts-field-checks.ts): a base field's pattern is compiled with its capturing groups made
// non-capturing, which must leave the language unchanged (and the pattern alone where a group is referred to).
import { describe, expect, it } from 'vitest';
import { nonCapturing } from '../../generator/pattern.js';

const CASES: Array<[string, string]> = [
  ['^[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)*$', '^[^.]*(?:\\.[0-9]{0,6}(?:[^0-9.][^.]*)?)*$'],
  ['^(a|b)+$', '^(?:a|b)+$'],
  ['^[(]x[)]$', '^[(]x[)]$'],
  ['^\\(x\\)$', '^\\(x\\)$'],
  ['^(?:a)(?=b)(?!c)(?<=d)(?<!e)(f)$', '^(?:a)(?=b)(?!c)(?<=d)(?<!e)(?:f)$'],
  ['^[\\](]+(x)$', '^[\\](]+(?:x)$'],
  ['^[](x)$|^(y)$', '^[](?:x)$|^(?:y)$'],
  ['^(a)\\1$', '^(a)\\1$'],
  ['^(?<n>a)\\k<n>$', '^(?<n>a)\\k<n>$'],
  ['^(?<n>a)(b)$', '^(?<n>a)(b)$'],
];
const SAMPLES = ['', 'a', 'b', 'ab', 'aa', 'abab', 'x', '(x)', ']x', '(', ')', 'ba', 'bdf', 'af', '2024-05-01T10:00:00.123Z', '2024-05-01T10:00:00.1234567Z',
  '1.2.3', '.123456', '.1234567', 'x.12y.3', '😀', 'é(', '((x))'];

describe('nonCapturing', () => {
  it.each(CASES)('rewrites %s as %s, with the same verdict on every sample', (pattern, expected) => {
    expect(nonCapturing(pattern)).toBe(expected);
    const a = new RegExp(pattern, 'u');
    const b = new RegExp(nonCapturing(pattern), 'u');
    for (const s of SAMPLES) expect(b.test(s), `${pattern} on ${JSON.stringify(s)}`).toBe(a.test(s));
  });
});
