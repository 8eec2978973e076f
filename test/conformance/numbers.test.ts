// Numbers read and reported alike by both targets (PROTOCOL.md "numbers", README "Numbers").
// A fixture schema (test/fixtures/numbers) holds bounds that JavaScript and Python print
// differently (0.000025, 1e21, 1e-7, 123456789012345678901234, -0.0, ...), unbounded integer
// fields and an open field; both targets are generated from it, and for every vector the
// verdict and the first issue (path, keyword, message, params) must be equal.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from '../generator/helpers.js';
import { runPython } from './python.js';

const dir = tempDir();
const { files } = await generate({ schema: join(ROOT, 'test/fixtures/numbers'), out: join(dir, 'gen') });
writeOutput(join(dir, 'gen'), files);
const { parseMessage } = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');

const MAX = 9007199254740991;
const probe = (fields: string) => `{"type":"probe",${fields}}`;

/** [name, message text, expected first issue (undefined: valid)]. */
type Case = [string, string, { path: string; keyword: string; message: string; params: Record<string, unknown> } | undefined];
const bound = (path: string, keyword: string, comparison: string, limit: number, text: string) => ({ path, keyword, message: `must be ${comparison} ${text}`, params: { comparison, limit } });
const unsafe = (path: string) => ({ path, keyword: 'number', message: `must hold only numbers from -${MAX} to ${MAX}`, params: { limit: MAX } });
const type = (path: string, t: string) => ({ path, keyword: 'type', message: `must be ${t}`, params: { type: t } });

const CASES: Case[] = [
  // Bounds as ECMAScript's Number::toString writes them, in messages and params (item 18).
  ['maximum 0.000025', probe('"tiny":0.00003'), bound('/tiny', 'maximum', '<=', 0.000025, '0.000025')],
  ['maximum 0.000025, at the bound', probe('"tiny":0.000025'), undefined],
  ['minimum 1e21', probe('"huge":1e20'), bound('/huge', 'minimum', '>=', 1e21, '1e+21')],
  ['maximum 1e21', probe('"below_huge":1e22'), bound('/below_huge', 'maximum', '<=', 1e21, '1e+21')],
  ['exclusiveMaximum 1e-7', probe('"small":1e-7'), bound('/small', 'exclusiveMaximum', '<', 1e-7, '1e-7')],
  ['maximum 1e-7', probe('"at_most_small":0.001'), bound('/at_most_small', 'maximum', '<=', 1e-7, '1e-7')],
  ['maximum 123456789012345678901234', probe('"long":1e24'), bound('/long', 'maximum', '<=', 123456789012345678901234, '1.2345678901234569e+23')],
  ['minimum 123456789012345678901234', probe('"long_min":0'), bound('/long_min', 'minimum', '>=', 123456789012345678901234, '1.2345678901234569e+23')],
  ['minimum -0.0', probe('"neg_zero":-1'), bound('/neg_zero', 'minimum', '>=', 0, '0')],
  ['minimum -0.0, value -0.0', probe('"neg_zero":-0.0'), undefined],
  ['minimum 1.5e300', probe('"vast":1'), bound('/vast', 'minimum', '>=', 1.5e300, '1.5e+300')],
  ['exclusiveMinimum 0.1', probe('"tenth":0.1'), bound('/tenth', 'exclusiveMinimum', '>', 0.1, '0.1')],
  ['maximum 5e-324', probe('"denormal":1e-323'), bound('/denormal', 'maximum', '<=', 5e-324, '5e-324')],
  ['integer minimum 0.5', probe('"half":0'), bound('/half', 'minimum', '>=', 0.5, '0.5')],
  ['integer exclusiveMaximum 1e-7', probe('"below_tiny":1'), bound('/below_tiny', 'exclusiveMaximum', '<', 1e-7, '1e-7')],
  // Integer fields, bounded or not, hold ±(2^53 − 1) (item 12).
  ['unbounded integer 2^53 − 1', probe(`"count":${MAX}`), undefined],
  ['unbounded integer −(2^53 − 1)', probe(`"count":-${MAX}`), undefined],
  ['unbounded integer 2^53 + 1', probe('"count":9007199254740993'), bound('/count', 'maximum', '<=', MAX, String(MAX))],
  ['unbounded integer 2^53', probe('"count":9007199254740992'), bound('/count', 'maximum', '<=', MAX, String(MAX))],
  ['unbounded integer −(2^53 + 1)', probe('"count":-9007199254740993'), bound('/count', 'minimum', '>=', -MAX, String(-MAX))],
  ['unbounded integer 1e20', probe('"count":1e20'), bound('/count', 'maximum', '<=', MAX, String(MAX))],
  ['unbounded integer 1E400', probe('"count":1E400'), type('/count', 'integer')],
  ['unbounded integer, 400 digits', probe(`"count":1${'0'.repeat(400)}`), type('/count', 'integer')],
  ['unbounded integer, 4,301 digits', probe(`"count":-1${'0'.repeat(4300)}`), type('/count', 'integer')],
  ['minimum 0, no maximum: 2^53', probe('"low":9007199254740992'), bound('/low', 'maximum', '<=', MAX, String(MAX))],
  ['maximum 10, no minimum: −1e20', probe('"high":-1e20'), bound('/high', 'minimum', '>=', -MAX, String(-MAX))],
  ['integer array item 2^53 + 1', probe('"counts":[1,9007199254740993]'), bound('/counts/1', 'maximum', '<=', MAX, String(MAX))],
  ['integer const 7, 7.0', probe('"seven":7.0'), undefined],
  ['integer const 7, 2^53 + 7', probe('"seven":9007199254741000'), { path: '/seven', keyword: 'const', message: 'must be equal to constant', params: { allowedValue: 7 } }],
  ['integer enum, its top member', probe(`"level":${MAX}`), undefined],
  ['integer enum, 2^53 + 1', probe('"level":9007199254740993'), { path: '/level', keyword: 'enum', message: 'must be equal to one of the allowed values', params: { allowedValues: [1, MAX] } }],
  ['number field, 2^53 + 1 (a double, alike on both sides)', probe('"any_number":9007199254740993'), undefined],
  ['number field, 400 digits', probe(`"any_number":1${'0'.repeat(400)}`), type('/any_number', 'number')],
  // The open field (item 11).
  ['open field, 2^53 + 1', probe('"extra":9007199254740993'), unsafe('/extra')],
  ['open field, 1e20 nested', probe('"extra":{"a":[1e20]}'), unsafe('/extra')],
  ['open field, 4,301 digits', probe(`"extra":[1${'0'.repeat(4300)}]`), unsafe('/extra')],
  ['open field, 2^53 − 1 and 1e-300', probe(`"extra":[${MAX},1e-300,-0]`), undefined],
];

describe('numbers: TS and Python read and report them alike (fixture test/fixtures/numbers)', () => {
  const python = runPython('judge.py', CASES.map((c) => c[1]), ['--first-error', '--path', join(dir, 'gen/python')]).map((l) => JSON.parse(l) as unknown);

  it.each(CASES.map((c, i) => [c[0], c, i] as const))('%s', (_name, [, text, expected], i) => {
    const r = parseMessage(text);
    expect(r.ok ? undefined : r.errors[0]).toEqual(expected);
    expect(python[i] ?? undefined).toEqual(expected);
  });
});

describe('Python writes numbers in messages as ECMAScript Number::toString does', () => {
  const samples = [
    0.000025, 1e21, 1e-7, 123456789012345678901234, -0, 0, 1, -1, 0.1, 0.2 + 0.1, 1e-6, 1.5e-6, 1e-5, 999999999999999900000, 1e20, 123e18, 1.7976931348623157e308,
    5e-324, 2.2250738585072014e-308, MAX, 2 ** 53, 2 ** 64, 1 / 3, -1e-7, 100, 1234.5678, 4.35, 0.000001, 1e300,
    ...fc.sample(fc.double({ noNaN: true, noDefaultInfinity: true }), { numRuns: 3000, seed: 20261129 }),
    ...fc.sample(fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1024), { numRuns: 200, seed: 7 }),
  ];
  it(`matches String(x) for ${samples.length} doubles`, () => {
    const texts = runPython('number_text.py', samples.map((x) => JSON.stringify(x)));
    const differ = samples.map((x, i) => [String(x), texts[i]]).filter(([js, py]) => js !== py);
    expect(differ.slice(0, 10)).toEqual([]);
  });
});

describe('validateMessage and the guards hold JavaScript values in open fields to the same range', async () => {
  const bundled = await import('../../generated/ts/index.js');
  it.each([
    [MAX, true], [-MAX, true], [0.5, true], [-0, true], ['9007199254740993', true],
    [2 ** 53, false], [-(2 ** 53), false], [1e20, false], [Infinity, false], [-Infinity, false], [NaN, false], [[1, { a: [1e300] }], false],
  ] as const)('metadata.v = %s: valid %s', (v, ok) => {
    const msg = { type: 'ping', timestamp: '2024-05-01T10:00:00Z', metadata: { v } };
    const r = bundled.validateMessage(msg);
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.errors[0]).toEqual(unsafe('/metadata'));
    expect(bundled.isWebSocketMessage(msg)).toBe(ok);
  });
});
