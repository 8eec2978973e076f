/**
 * A `pattern` that only caps a `date-time`'s fraction digits is checked by the format's checker
 * (`isDateTime(s, N)`, generator/emit/ts-format-narrowing.ts) instead of a second scan of the
 * string: the fast verdict is the same as the pattern and the format checked apart, on every N
 * from 0 to 9 and on strings near and far from a date-time; any other pattern keeps its
 * regular expression.
 */
import { describe, expect, it } from 'vitest';
import { fieldChecks } from '../../generator/emit/ts-field-checks.js';
import { dateTimeFractionLimit } from '../../generator/emit/ts-format-narrowing.js';
// @ts-expect-error plain ESM shipped verbatim into every output (types in runtime.d.ts)
import { isDateTime } from '../../generator/shipped/ts/wire-formats.js';

const checkDateTime = isDateTime as (s: string, maxFraction?: number) => boolean;

/** The bundled Timestamp's pattern with cap `n` (schema/envelope.schema.json has n = 6). */
const capPattern = (n: number): string => `^[^.]*(\\.[0-9]{0,${n}}([^0-9.][^.]*)?)*$`;
const nonCapturing = (p: string): string => p.replace(/\((?!\?)/g, '(?:');

/** Date-times with 0 to 10 fraction digits and each offset form, and strings near them. */
function samples(): string[] {
  const out: string[] = [];
  for (let k = 0; k <= 10; k++) {
    const fraction = k === 0 ? '' : '.' + '1234567890'.slice(0, k);
    for (const offset of ['Z', '+05:30', '-00:00', 'z', '+5:30', '']) out.push(`2024-02-29T23:59:59${fraction}${offset}`);
    out.push(`2023-02-29T10:00:00${fraction}Z`, `2024-05-01T10:00:00${fraction}Z.1`, `2024-05-01T10:00:00.${fraction}Z`);
  }
  out.push('2024-05-01T10:00:00.Z', '2024-05-01T10:00:00..1Z', '', '.', '1.2345678', 'not a date', '2024-05-01 10:00:00Z');
  // Random mutations of a date-time over the characters both checks look at.
  const alphabet = '0123456789.-:TZ+z ';
  let seed = 7;
  const next = (m: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % m);
  for (let i = 0; i < 4000; i++) {
    const s = [...'2024-05-01T10:00:00.1234567Z'.slice(0, 20 + next(9))];
    for (let j = next(3); j > 0; j--) s[next(s.length)] = alphabet[next(alphabet.length)]!;
    out.push(s.join('') + (next(2) ? 'Z' : '+01:00'));
  }
  return out;
}

describe('a pattern capping the fraction digits of a date-time', () => {
  it('is recognised with capturing or non-capturing groups, N capped at the format\'s 9', () => {
    for (let n = 0; n <= 12; n++) {
      expect(dateTimeFractionLimit(capPattern(n))).toBe(Math.min(n, 9));
      expect(dateTimeFractionLimit(nonCapturing(capPattern(n)))).toBe(Math.min(n, 9));
    }
  });

  it('is not recognised when it says anything else', () => {
    for (const p of [
      '^[^.]*(\\.[0-9]{1,6}([^0-9.][^.]*)?)*$',
      '^[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)*',
      '[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)*$',
      '^[^.]*(\\.[0-9]{0,6}([^0-9][^.]*)?)*$',
      '^[^.]*(\\.[0-9]{0,6})*$',
      '^[^.]*(\\.[0-8]{0,6}([^0-9.][^.]*)?)*$',
      '^[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)+$',
      '^[^.]*(\\.[0-9]{0,6}([^0-9.][^.]*)?)*$|x',
      '^[0-9]{4}-',
    ]) expect(dateTimeFractionLimit(p), p).toBeUndefined();
  });

  it('gives isDateTime(s, N) the verdict of the pattern and the format checked apart, for every N from 0 to 9', () => {
    const strings = samples();
    for (let n = 0; n <= 9; n++) {
      for (const p of [capPattern(n), nonCapturing(capPattern(n))]) {
        const re = new RegExp(p, 'u');
        const cap = dateTimeFractionLimit(p)!;
        const apart = strings.filter((s) => checkDateTime(s) && re.test(s));
        const together = strings.filter((s) => checkDateTime(s, cap));
        expect(together).toEqual(apart);
      }
    }
    // The samples reach both verdicts at each cap: some date-times pass, some fail only on their digits.
    expect(strings.filter((s) => checkDateTime(s, 6)).length).toBeGreaterThan(20);
    expect(strings.filter((s) => checkDateTime(s) && !checkDateTime(s, 6)).length).toBeGreaterThan(10);
  });

  it('makes the field check one call of the format checker, with no regular expression', () => {
    const checks = fieldChecks('Envelope', [['timestamp', { type: 'string', format: 'date-time', pattern: capPattern(6) }]]);
    const code = checks.code.join('\n');
    expect(code).toContain("return typeof x === 'string' && isDateTime(x, 6);");
    expect(code).not.toContain('RegExp');
    expect([...checks.runtime]).toContain('isDateTime');
  });

  it('leaves any other pattern beside date-time to its regular expression and the format checker', () => {
    const pattern = '^[^.]*(\\.[0-9]{1,6}([^0-9.][^.]*)?)*$';
    const code = fieldChecks('Envelope', [['timestamp', { type: 'string', format: 'date-time', pattern }]]).code.join('\n');
    expect(code).toContain('EnvelopeTimestampPattern.test(x) && isDateTime(x)');
    expect(code).toContain('new RegExp(');
    // The cap pattern beside another format is that format's pattern, checked as a pattern.
    const other = fieldChecks('Envelope', [['at', { type: 'string', format: 'uuid', pattern: capPattern(6) }]]).code.join('\n');
    expect(other).toContain('EnvelopeAtPattern.test(x) && isUuid(x)');
  });
});
