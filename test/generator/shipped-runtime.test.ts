// The fixed runtime every TypeScript output carries (generator/shipped/ts/runtime.js), tested as a
// module of the generator's tree: the wire formats (RFC 3339 date-time as PROTOCOL.md narrows it,
// RFC 9562 uuid text), exact decimal multipleOf, code-point length (JSON Schema 2020-12
// minLength/maxLength), scalar equality, the ajv error shape, the field-table checks of a shared
// base, and the composed validators of a type that narrows a base. Also: every output gets the
// shipped files unchanged under its banner.
import AjvModule from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shippedFiles } from '../../generator/emit/shipped.js';
import { KEYWORD_MODULE } from '../../generator/emit/ts-checked.js';
import {
  ajvError,
  composed,
  composedAll,
  verdictFirst,
  decimalMultiple,
  equal,
  fieldErrors,
  fieldTable,
  isDateTime,
  isEnumField,
  isJsonObject,
  isNumberField,
  isStringField,
  isUuid,
  ucs2length,
} from '../../generator/shipped/ts/runtime.js';
import { ROOT } from './helpers.js';

const Ajv = AjvModule.default;
type Validator = ((data: unknown, options?: { instancePath: string }) => boolean) & { errors?: Array<{ instancePath: string; keyword: string }> | null };

describe('isDateTime (RFC 3339, narrowed: upper-case T and Z, year 0001-9999, real days, no leap second, 0-9 fraction digits)', () => {
  it.each([
    '2024-02-29T12:00:00Z',
    '2023-12-31T23:59:59.123456789Z',
    '0001-01-01T00:00:00+23:59',
    '2000-02-29T00:00:00-00:00',
    '2024-05-01T10:00:00.5+05:30',
  ])('accepts %s', (s) => expect(isDateTime(s)).toBe(true));
  it.each([
    ['2023-02-29T12:00:00Z', 'not a leap year'],
    ['1900-02-29T12:00:00Z', 'century, not a leap year'],
    ['2024-04-31T12:00:00Z', 'no 31st of April'],
    ['2024-05-01T23:59:60Z', 'leap second'],
    ['2024-05-01t10:00:00Z', 'lower-case t'],
    ['2024-05-01T10:00:00z', 'lower-case z'],
    ['0000-01-01T00:00:00Z', 'year 0'],
    ['2024-05-01T10:00:00.1234567890Z', 'ten fraction digits'],
    ['2024-05-01T10:00:00.Z', 'empty fraction'],
    ['2024-05-01T10:00:00+24:00', 'offset hour 24'],
    ['2024-05-01T10:00:00+05:60', 'offset minute 60'],
    ['2024-05-01T10:00:00', 'no offset'],
    ['2024-05-01T10:00:00Z ', 'trailing space'],
    ['2024-13-01T10:00:00Z', 'month 13'],
    ['2024-05-01T24:00:00Z', 'hour 24'],
    ['2024-05-01 10:00:00Z', 'space for T'],
    ['2024-05-01T1a:00:00Z', 'a letter in the hour'],
  ])('refuses %s (%s)', (s) => expect(isDateTime(s)).toBe(false));
});

/** The wire rule's date-time read another way (fields by a loose grammar, the day by Date's calendar): isDateTime's reference. */
function referenceDateTime(s: string, maxFraction: number): boolean {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|[+-](\d\d):(\d\d))$/.exec(s);
  if (m === null) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const realDay = month >= 1 && month <= 12 && date.getUTCDate() === day && date.getUTCMonth() === month - 1;
  const offsetOk = m[8] === undefined || (Number(m[8]) <= 23 && Number(m[9]) <= 59);
  return year >= 1 && realDay && hour <= 23 && minute <= 59 && second <= 59 && (m[7] ?? '').length <= maxFraction && offsetOk;
}

describe('isDateTime agrees with a reference on a grid of edge cases (days 28-32 of every month, leap and century years, 0-10 fraction digits, offsets)', () => {
  it('gives the reference verdict for every string of the grid and every fraction limit 0-9', () => {
    const apart: string[] = [];
    let n = 0;
    for (const year of ['0000', '0001', '1900', '2000', '2023', '2024', '9999'])
      for (let month = 0; month <= 13; month++)
        for (const day of ['00', '01', '09', '10', '19', '20', '28', '29', '30', '31', '32', '39'])
          for (const time of ['00:00:00', '23:59:59', '24:00:00', '12:60:00', '12:00:60'])
            for (const fraction of ['', '.', '.1', '.123456', '.1234567', '.123456789', '.1234567890'])
              for (const offset of ['Z', '+00:00', '-23:59', '+24:00', '+05:60', 'z', '']) {
                const s = `${year}-${String(month).padStart(2, '0')}-${day}T${time}${fraction}${offset}`;
                for (let max = 0; max <= 9; max++) {
                  n++;
                  if ((isDateTime as (s: string, max?: number) => boolean)(s, max) !== referenceDateTime(s, max)) apart.push(`${s} (${max})`);
                }
              }
    expect(n).toBeGreaterThan(100_000);
    expect(apart.slice(0, 10)).toEqual([]);
  });
});

describe('isUuid (8-4-4-4-12 hex, any case)', () => {
  it.each(['3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b', '3F2B8C1E-9A4D-4E6F-8B7A-1C2D3E4F5A6B', '00000000-0000-0000-0000-000000000000'])('accepts %s', (s) => expect(isUuid(s)).toBe(true));
  it.each(['{3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b}', 'urn:uuid:3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b', '3f2b8c1e9a4d4e6f8b7a1c2d3e4f5a6b', '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6g', '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b\n'])(
    'refuses %s',
    (s) => expect(isUuid(s)).toBe(false),
  );
});

describe('decimalMultiple (exact decimal multipleOf: x / (digits × 10^exponent) is an integer)', () => {
  it.each([
    [0.3, 1n, -1, true], // 0.3 % 0.1 is not 0 in binary floating point
    [0.35, 1n, -1, false],
    [-0.2, 1n, -1, true],
    [4.02, 3n, -2, true], // 402 / 3
    [4.01, 3n, -2, false],
    [1e21, 1n, 1, true],
    [1e-7, 1n, -8, true],
    [1e-9, 1n, -8, false],
    [0, 7n, 3, true],
    [150, 5n, 1, true],
    [155, 5n, 1, false],
  ])('decimalMultiple(%s, %sn, %s) is %s', (x, d, e, want) => expect(decimalMultiple(x, d, e)).toBe(want));
  it.each([NaN, Infinity, -Infinity])('refuses the non-finite %s', (x) => expect(decimalMultiple(x, 1n, 0)).toBe(false));
});

describe('ucs2length (Unicode code points, as JSON Schema counts minLength/maxLength)', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['😀', 1],
    ['a😀b😀', 4],
    ['é', 1],
    ['\ud800', 1], // a lone high surrogate is one code point
    ['\ud800a', 2],
    ['\udc00\ud800', 2], // a low surrogate before a high one pairs with nothing
  ])('%j has %i', (s, n) => expect(ucs2length(s)).toBe(n));
});

describe('equal (JSON scalars: enum and const values)', () => {
  it.each([
    [1, 1, true],
    ['a', 'a', true],
    [null, null, true],
    [true, true, true],
    [1, '1', false],
    [0, false, false],
    [null, undefined, false],
    ['a', 'A', false],
  ])('equal(%j, %j) is %s', (a, b, want) => expect(equal(a, b)).toBe(want));
});

describe('ajvError', () => {
  it('builds the error with ajv’s keys in ajv’s order', () => {
    const e = ajvError('/a', '#/properties/a/type', 'type', { type: 'string' }, 'must be string');
    expect(e).toEqual({ instancePath: '/a', schemaPath: '#/properties/a/type', keyword: 'type', params: { type: 'string' }, message: 'must be string' });
    expect(Object.keys(e)).toEqual(['instancePath', 'schemaPath', 'keyword', 'params', 'message']);
  });
});

describe('the field table of a shared base', () => {
  const [s, n, i, e, c] = fieldTable(
    [
      ['s', { type: 'string', minLength: 2, maxLength: 3, pattern: '^[a-z😀]+$', format: 'lower' }],
      ['n', { type: 'number', exclusiveMinimum: 0, maximum: 10 }],
      ['i', { type: 'integer', minimum: -5, exclusiveMaximum: 5 }],
      ['e', { enum: ['x', 1, null] }],
      ['c', { const: 'k' }],
    ],
    { lower: (x: string) => x === x.toLowerCase() },
  );

  it('isStringField: code-point lengths, the pattern as a u regular expression, the format checker', () => {
    expect(isStringField(s!, 'ab')).toBe(true);
    expect(isStringField(s!, '😀😀😀')).toBe(true); // 6 code units, 3 code points
    expect(isStringField(s!, '😀')).toBe(false); // 2 code units, 1 code point
    expect(isStringField(s!, 'abcd')).toBe(false);
    expect(isStringField(s!, 'a1')).toBe(false);
    expect(isStringField(s!, 1)).toBe(false);
  });

  it('isNumberField: finite, integral for an integer, within inclusive and exclusive bounds', () => {
    expect(isNumberField(n!, 10)).toBe(true);
    expect(isNumberField(n!, 0.5)).toBe(true);
    expect(isNumberField(n!, 0)).toBe(false);
    expect(isNumberField(n!, 10.5)).toBe(false);
    expect(isNumberField(n!, Infinity)).toBe(false);
    expect(isNumberField(n!, '1')).toBe(false);
    expect(isNumberField(i!, -5)).toBe(true);
    expect(isNumberField(i!, 4)).toBe(true);
    expect(isNumberField(i!, 5)).toBe(false);
    expect(isNumberField(i!, 1.5)).toBe(false);
    expect(isNumberField(i!, NaN)).toBe(false);
  });

  it('isEnumField: one of the values, compared with ===', () => {
    expect(isEnumField(e!, 'x')).toBe(true);
    expect(isEnumField(e!, null)).toBe(true);
    expect(isEnumField(e!, '1')).toBe(false);
    expect(isEnumField(c!, 'k')).toBe(true);
    expect(isEnumField(c!, 'K')).toBe(false);
  });

  it('isJsonObject: objects only, not null or arrays', () => {
    expect(isJsonObject({})).toBe(true);
    expect(isJsonObject(Object.create(null))).toBe(true);
    expect(isJsonObject([])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject('{}')).toBe(false);
  });

  it('fieldErrors: the first error in schema order, or every one; pointers escaped (RFC 6901); own properties only when asked', () => {
    const table = fieldTable(
      [
        ['a/b~c', { type: 'string', maxLength: 1 }],
        ['n', { type: 'integer', minimum: 0, maximum: 3 }],
      ],
      {},
    );
    const v = ((data: unknown) => v(data)) as Validator;
    expect(fieldErrors(v, table, { 'a/b~c': 'xy', n: 1.5 }, undefined, false, false)).toBe(false);
    expect(v.errors).toEqual([
      { instancePath: '/a~1b~0c', schemaPath: '#/properties/a~1b~0c/maxLength', keyword: 'maxLength', params: { limit: 1 }, message: 'must NOT have more than 1 characters' },
    ]);
    // every error: an integer's limits are checked on any finite number, as ajv's allErrors does
    expect(fieldErrors(v, table, { 'a/b~c': 'xy', n: 4.5 }, { instancePath: '/m' }, true, false)).toBe(false);
    expect(v.errors!.map((x) => [x.instancePath, x.keyword])).toEqual([
      ['/m/a~1b~0c', 'maxLength'],
      ['/m/n', 'type'],
      ['/m/n', 'maximum'],
    ]);
    expect(fieldErrors(v, table, [], undefined, false, false)).toBe(false);
    expect(v.errors).toEqual([{ instancePath: '', schemaPath: '#/type', keyword: 'type', params: { type: 'object' }, message: 'must be object' }]);
    const inherited = Object.create({ n: -1 }) as object;
    expect(fieldErrors(v, table, inherited, undefined, false, false)).toBe(false);
    expect(fieldErrors(v, table, inherited, undefined, false, true)).toBe(true);
    expect(v.errors).toBeNull();
  });
});

describe('composed / composedAll (a type narrowing a shared base, against the flat schema)', () => {
  const base = { a: { type: 'string' }, b: { type: 'integer' }, c: { type: 'boolean' } };
  // The flat schema lists the base's properties first and the type's added ones (t) after them.
  const own = { type: 'object', required: ['t', 'a', 'b'], additionalProperties: false, properties: { a: {}, b: { type: 'integer', maximum: 3 }, c: {}, t: { const: 'x' } } };
  const flat = { type: 'object', required: ['t', 'a', 'b'], additionalProperties: false, properties: { a: { type: 'string' }, b: { type: 'integer', maximum: 3 }, c: { type: 'boolean' }, t: { const: 'x' } } };
  const make = (allErrors: boolean) => {
    const ajv = new Ajv({ allErrors, strictTypes: false });
    const ownV = ajv.compile(own) as unknown as Validator;
    const fieldsV = ajv.compile({ type: 'object', properties: base }) as unknown as Validator;
    const flatV = ajv.compile(flat) as unknown as Validator;
    const v = (allErrors ? composedAll : composed)(ownV as never, fieldsV as never, ['a', 'b', 'c'], ['t', 'b']) as unknown as Validator;
    return { v, flatV };
  };
  const messages: unknown[] = [
    { t: 'x', a: 's', b: 1 },
    { t: 'x', a: 1, b: 9 }, // base error at a before own's at b
    { t: 'x', a: 's', b: 9, c: 'no' }, // own's at b before the base's at c
    { t: 'y', a: 1, b: 1 },
    { t: 'x', a: 1, b: 1, d: 0 }, // additional property first
    { t: 'x', b: 'no' }, // required first
    'not an object',
  ];
  for (const allErrors of [false, true]) {
    it.each(messages.map((m) => [JSON.stringify(m), m]))(`reports what the flat schema reports for %s (allErrors ${allErrors})`, (_label, m) => {
      const { v, flatV } = make(allErrors);
      expect(v(m)).toBe(flatV(m));
      const strip = (es: Validator['errors']) => (es ?? []).map((e) => [e.instancePath, e.keyword]);
      expect(strip(v.errors)).toEqual(allErrors ? strip(flatV.errors) : strip(flatV.errors).slice(0, 1));
    });
  }
});

describe('verdictFirst (a fast verdict, errors only for a refused value)', () => {
  it('accepts with errors null without running errorsOf; refuses with errorsOf\'s errors', () => {
    let ran = 0;
    const errorsOf = ((data: unknown) => {
      ran++;
      errorsOf.errors = data === 1 ? null : [ajvError('', '#/const', 'const', { allowedValue: 1 }, 'must be equal to constant')];
      return data === 1;
    }) as Validator;
    const v = verdictFirst((data) => data === 1, errorsOf as never) as unknown as Validator;
    expect(v(1)).toBe(true);
    expect(v.errors).toBeNull();
    expect(ran).toBe(0);
    expect(v(2)).toBe(false);
    expect(ran).toBe(1);
    expect(v.errors).toEqual([{ instancePath: '', schemaPath: '#/const', keyword: 'const', params: { allowedValue: 1 }, message: 'must be equal to constant' }]);
  });
});

describe('the shipped folder in outputs', () => {
  it('ships runtime.js (re-exporting one module per concern), the open-field and JSON-text modules and their .d.ts, each into the output under the banner and its source line, otherwise unchanged; fill.js only where a default applies, the keyword checker only where used', () => {
    expect(shippedFiles('ts').map(([name]) => name)).toEqual(['composition.js', 'field-checks.js', 'fill.d.ts', 'fill.js', 'json-syntax.d.ts', 'json-syntax.js', 'json-text.d.ts', 'json-text.js', 'json-values.js', 'keyword-applicators.js', 'keyword-checks.js', 'keywords.d.ts', 'keywords.js', 'open-fields.d.ts', 'open-fields.js', 'runtime.d.ts', 'runtime.js', 'wire-formats.js']);
    // The bundled schema has no default (test/generator/default.test.ts) and no checked value ajv judges apart from the standard (test/generator/keyword-checked.test.ts).
    const onlyWhereUsed = (name: string) => name.startsWith('fill.') || KEYWORD_MODULE.test(name);
    for (const [name] of shippedFiles('ts').filter(([name]) => onlyWhereUsed(name))) expect(existsSync(join(ROOT, 'generated/ts', name))).toBe(false);
    for (const [name, text] of shippedFiles('ts').filter(([name]) => !onlyWhereUsed(name))) {
      const out = readFileSync(join(ROOT, 'generated/ts', name), 'utf8');
      expect(out.startsWith('// Generated by wsgen from ')).toBe(true);
      expect(out.split('\n').slice(3).join('\n')).toBe(text);
    }
  });
});
