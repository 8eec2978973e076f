/**
 * `.` outside a character class (generator/pattern.ts): ECMAScript's `.` with the u flag matches every
 * code point but the LineTerminators \n, \r, U+2028 and U+2029 (ECMA-262 §22.2.2.7.1), pydantic-core's
 * Rust regex every code point but \n. The Python target reads it as `[^\n\r\u2028\u2029]`, so both
 * targets give ajv's verdict on strings holding each line terminator, other controls and astral
 * characters, in a typed string, a date-time's pattern, patternProperties keys and a checked value.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { enginePattern } from '../../generator/pattern.js';
import { type Generated, generateBoth, judge, pythonIssues } from './differential.js';
import { writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const SCHEMA = {
  $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
  $defs: {
    M: {
      type: 'object',
      properties: {
        type: { const: 'm' },
        s: { type: 'string', pattern: '^a.b$' },
        n: { type: 'string', minLength: 3, pattern: '^a.b$' },
        at: { type: 'string', format: 'date-time', pattern: '^2.*Z$' },
        keys: { type: 'object', patternProperties: { '^k.$': { type: 'integer' } }, additionalProperties: false },
        c: { not: { pattern: '^a.b$' } },
        cls: { type: 'string', pattern: '^[.]$' },
      },
      required: ['type'],
      additionalProperties: false,
    },
  },
};

/** The characters `.` is tried on, as JSON string escapes (kept escaped: the Python probe reads one text per line). */
const CHARS = ['x', '\\n', '\\r', '\\u2028', '\\u2029', '\\u0085', '\\t', '\\u0000', '\\u00e9', '\\ud83d\\ude00', '\\uffff', '.'];

let g: Generated;
let dir: string;
beforeAll(async () => {
  dir = writeSchema({ 'protocol.schema.json': JSON.stringify(SCHEMA) });
  g = await generateBoth(dir);
}, 120_000);

describe('enginePattern', () => {
  it('translates "." outside a class only, leaving escapes and classes as written', () => {
    expect(enginePattern('^a.b$')).toBe('^a[^\\n\\r\\u2028\\u2029]b$');
    expect(enginePattern('f.*o')).toBe('f[^\\n\\r\\u2028\\u2029]*o');
    expect(enginePattern('^[.]\\.$')).toBe('^[.]\\.$');
    expect(enginePattern('[\\].].')).toBe('[\\].][^\\n\\r\\u2028\\u2029]');
    expect(enginePattern('^[a-z]+$')).toBe('^[a-z]+$');
  });
});

describe('"." in patterns on both targets', () => {
  it('gives ajv\'s verdict on each line terminator, control and astral character', async () => {
    const texts = CHARS.flatMap((c) => [
      `{"type":"m","s":"a${c}b"}`,
      `{"type":"m","n":"a${c}b"}`,
      `{"type":"m","at":"2024-01-01T00:00:00${c === 'x' ? '' : '.1'}Z"}`,
      `{"type":"m","keys":{"k${c}":1}}`,
      `{"type":"m","c":"a${c}b"}`,
      `{"type":"m","cls":"${c}"}`,
    ]);
    const v = await judge(g, dir, 'protocol.schema.json', texts);
    expect(v.ts).toEqual(v.oracle);
    expect(v.py).toEqual(v.oracle);
    // The four line terminators are what "." excludes; \u0085, tab, NUL, é, an astral character and U+FFFF match it.
    const at = (c: string) => v.oracle[CHARS.indexOf(c) * 6];
    expect(['\\n', '\\r', '\\u2028', '\\u2029'].map(at)).toEqual([false, false, false, false]);
    expect(['x', '\\u0085', '\\t', '\\u0000', '\\u00e9', '\\ud83d\\ude00', '\\uffff'].map(at)).toEqual([true, true, true, true, true, true, true]);
  });

  it('refuses a lone surrogate escape on both targets, as every string', async () => {
    const texts = ['{"type":"m","s":"a\\ud800b"}', '{"type":"m","keys":{"k\\udc00":1}}', '{"type":"m","c":"a\\ud83db"}'];
    const v = await judge(g, dir, 'protocol.schema.json', texts);
    expect(v.ts).toEqual([false, false, false]);
    expect(v.py).toEqual([false, false, false]);
  });

  it('names the schema\'s own pattern in the issue, after the length checks', () => {
    const issues = pythonIssues(g, ['{"type":"m","s":"a\\nb"}', '{"type":"m","n":"a\\n"}', '{"type":"m","n":"a\\nc"}']);
    expect(issues[0]).toMatchObject([{ keyword: 'pattern', message: 'must match pattern "^a.b$"', params: { pattern: '^a.b$' } }]);
    expect(issues[1]).toMatchObject([{ keyword: 'minLength' }]);
    expect(issues[2]).toMatchObject([{ keyword: 'pattern', message: 'must match pattern "^a.b$"' }]);
    expect(g.files.get('python/wsgen_protocol/models.py') ?? [...g.files].find(([k, t]) => k.endsWith('.py') && t.includes('TextPattern('))?.[1]).toContain('TextPattern("^a.b$", "^a[^\\\\n\\\\r\\\\u2028\\\\u2029]b$")');
  });
});
