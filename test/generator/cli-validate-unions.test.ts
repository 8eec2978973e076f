// `wsgen validate` shows one error per fault for nullable values and unions (README "wsgen validate"): ajv's
// internal `anyOf` / `must be null` errors of the composition a schema normalises to never reach the user.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { oneErrorPerFault } from '../../generator/cli/validate-errors.js';
import { captureStdio, writeSchema } from './helpers.js';

const io = captureStdio();

/** Every form of `X | null` and of a union of branches the generator accepts, as fields of one message. */
const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'NullEvent',
  'x-wsgen-version': '1.0.0',
  discriminator: { propertyName: 'kind' },
  oneOf: [{ $ref: '#/$defs/Assign' }],
  $defs: {
    Color: { title: 'Color', type: 'string', enum: ['red', 'green'] },
    Point: { title: 'Point', type: 'object', properties: { x: { type: 'integer' } }, required: ['x'], additionalProperties: false },
    Assign: {
      type: 'object',
      properties: {
        kind: { const: 'set' },
        nullableEnum: { type: ['string', 'null'], enum: ['x', 'y', null] },
        nullableRefEnum: { anyOf: [{ $ref: '#/$defs/Color' }, { type: 'null' }] },
        nullableRefObject: { oneOf: [{ $ref: '#/$defs/Point' }, { type: 'null' }] },
        typeArray: { type: ['integer', 'null'], minimum: 0 },
        hoistedObject: { anyOf: [{ type: 'object', properties: { y: { type: 'string' } }, required: ['y'], additionalProperties: false }, { type: 'null' }] },
        nullableItems: { type: 'array', items: { anyOf: [{ $ref: '#/$defs/Color' }, { type: 'null' }] } },
        union: { anyOf: [{ type: 'string', maxLength: 2 }, { type: 'integer' }, { type: 'null' }] },
      },
      required: ['kind'],
      additionalProperties: false,
    },
  },
};

/** The `invalid …` lines `wsgen validate` prints for each message (one run, one line of NDJSON each). */
async function report(messages: unknown[], json = false): Promise<string[]> {
  const dir = writeSchema({ 's.schema.json': JSON.stringify(SCHEMA), 'm.ndjson': messages.map((m) => JSON.stringify(m)).join('\n') + '\n' });
  expect(await main(['validate', ...(json ? ['--json'] : []), '--schema', join(dir, 's.schema.json'), join(dir, 'm.ndjson')])).toBe(ExitCode.FAILED);
  return io.out().trim().split('\n');
}

const CASES: Array<[string, unknown, string]> = [
  ['a nullable enum (type array)', 'z', '[enum] must be equal to one of the allowed values: "x", "y"'],
  ['a nullable $ref to an enum', 'blue', '[enum] must be equal to one of the allowed values: "red", "green"'],
  ['a nullable $ref to an object (oneOf), inner fault', { x: '1' }, '[type] must be integer'],
  ['a nullable $ref to an object, wrong type', 5, '[type] must be object or null'],
  ['an integer | null type array', -1, '[minimum] must be >= 0'],
  ['a hoisted inline nullable object', { y: 1 }, '[type] must be string'],
  ['nullable array items', ['red', 'blue'], '[enum] must be equal to one of the allowed values: "red", "green"'],
  ['a string | integer | null union, a string too long', 'long', '[maxLength] must NOT have more than 2 characters'],
  ['a string | integer | null union, a type no branch has', true, '[type] must be string, integer or null'],
];
const FIELDS = ['nullableEnum', 'nullableRefEnum', 'nullableRefObject', 'nullableRefObject', 'typeArray', 'hoistedObject', 'nullableItems', 'union', 'union'];

describe('wsgen validate: one error per fault in nullable values and unions', () => {
  it.each(CASES.map((c, i) => [c[0], FIELDS[i]!, c[1], c[2]] as const))('%s: one line, no anyOf and no "must be null"', async (_name, field, value, line) => {
    const lines = (await report([{ kind: 'set', [field]: value }])).filter((l) => l.startsWith('invalid'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
    expect(lines[0]).not.toMatch(/anyOf|oneOf|must be null$/);
  });

  it('--json gives the same single error', async () => {
    const [line] = await report([{ kind: 'set', nullableEnum: 'z' }], true);
    expect(JSON.parse(line!)).toMatchObject({ valid: false, errors: [{ path: '/nullableEnum', keyword: 'enum', params: { allowedValues: ['x', 'y'] } }] });
    expect((JSON.parse(line!) as { errors: unknown[] }).errors).toHaveLength(1);
  });

  it('keeps every fault of a message: two faulty fields give two lines', async () => {
    const lines = (await report([{ kind: 'set', nullableEnum: 'z', typeArray: 'x' }])).filter((l) => l.startsWith('invalid'));
    expect(lines).toEqual([expect.stringContaining('at "/nullableEnum" [enum]'), expect.stringContaining('at "/typeArray" [type] must be integer or null')]);
  });
});

describe('oneErrorPerFault', () => {
  it('keeps a oneOf error that several matching branches caused (passingSchemas), and errors of other keywords as they are', () => {
    const several = { path: '/u', keyword: 'oneOf', message: 'must match exactly one schema in oneOf', params: { passingSchemas: [0, 1] } };
    const other = { path: '/v', keyword: 'minLength', message: 'must NOT have fewer than 1 characters', params: { limit: 1 } };
    expect(oneErrorPerFault({ u: 1, v: '' }, [other, several])).toEqual([other, several]);
  });

  it('does not take the errors of a sibling property whose name starts with the union\'s', () => {
    const sibling = { path: '/ab', keyword: 'type', message: 'must be null', params: { type: 'null' } };
    const branch = { path: '/a', keyword: 'type', message: 'must be null', params: { type: 'null' } };
    const comp = { path: '/a', keyword: 'anyOf', message: 'must match a schema in anyOf', params: {} };
    expect(oneErrorPerFault({ a: 1, ab: 1 }, [sibling, branch, comp])).toEqual([sibling, { path: '/a', keyword: 'type', message: 'must be null', params: { type: ['null'] } }]);
  });
});
