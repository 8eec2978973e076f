/**
 * `null` beside an inline enum or type list (generator/hoist.ts `withoutNull`): the place admits `null` only when
 * every keyword there does (JSON Schema 2020-12 §6.1.1 `type`, §6.1.2 `enum`), and TS, Python and ajv on the raw
 * schema give the same verdicts. The new-user trial found `{"type": "string", "enum": ["red", "blue", null]}`
 * accepting `null` on both targets, where ajv says "must be string".
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { type Generated, generateBoth, judge, typeCheck } from './differential.js';
import { writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** Each field, and whether it admits `null`. */
const FIELDS: Record<string, [schema: unknown, admitsNull: boolean]> = {
  typeRejects: [{ type: 'string', enum: ['red', 'blue', null] }, false],
  enumRejects: [{ type: ['string', 'null'], enum: ['red', 'blue'] }, false],
  both: [{ type: ['null', 'string'], enum: ['red', null, 'blue'] }, true],
  enumOnly: [{ enum: ['red', 'blue', null] }, true],
  constRejects: [{ type: ['string', 'null'], enum: ['red', 'blue', null], const: 'red' }, false],
};

/** Siblings the hoist leaves inline (numbers, `const`, a type list alone), judged by their verdicts only. */
const INLINE: Record<string, unknown> = {
  intTypeRejects: { type: 'integer', enum: [1, 2, null] },
  intEnumRejects: { type: ['integer', 'null'], enum: [1, 2] },
  intBoth: { type: ['integer', 'null'], enum: [1, null] },
  constNull: { type: ['string', 'null'], const: null },
  constTypeRejects: { type: 'string', const: null },
  typeListAlone: { type: ['string', 'null'], minLength: 2 },
};

/** The same fields as array items and record values. */
const PLACES = Object.fromEntries(
  [...Object.entries(FIELDS).map(([k, [s]]) => [k, s] as const), ...Object.entries(INLINE)].flatMap(([k, s]) => [
    [k, s],
    [k + 'List', { type: 'array', items: s }],
    [k + 'Map', { type: 'object', additionalProperties: s }],
  ]),
);

let schema: string;
let g: Generated;
beforeAll(async () => {
  schema = writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { M: { type: 'object', properties: { type: { const: 'm' }, ...PLACES }, required: ['type'], additionalProperties: false } },
    }),
  });
  g = await generateBoth(schema);
}, 120_000);

describe('null beside an inline enum', () => {
  it('makes the place nullable only when type, enum and const all admit null', () => {
    const m = schemaToIR(schema).objects.find((o) => o.name === 'M')!;
    for (const [k, [, admitsNull]] of Object.entries(FIELDS)) {
      const p = m.properties.find((x) => x.name === k)!;
      expect([k, p.type.kind === 'nullable']).toEqual([k, admitsNull]);
    }
  });

  it('gives the verdicts of ajv on the raw schema on both targets, as a field, an item and a record value', async () => {
    const texts: string[] = [];
    for (const k of [...Object.keys(FIELDS), ...Object.keys(INLINE)]) {
      for (const v of [null, 'red', 'blue', 'green', 1, 2, 3, 'ab', 'a']) {
        texts.push(JSON.stringify({ type: 'm', [k]: v }), JSON.stringify({ type: 'm', [k + 'List']: ['red', v] }), JSON.stringify({ type: 'm', [k + 'Map']: { a: v } }));
      }
    }
    const v = await judge(g, schema, 'protocol.schema.json', texts);
    expect(v.ts).toEqual(v.oracle);
    expect(v.py).toEqual(v.oracle);
    // The oracle itself: null is refused exactly where a keyword rejects it.
    for (const [k, [, admitsNull]] of Object.entries(FIELDS)) expect([k, v.oracle[texts.indexOf(JSON.stringify({ type: 'm', [k]: null }))]]).toEqual([k, admitsNull]);
  });

  it('type-checks (tsc strict, mypy --strict, ruff)', () => {
    typeCheck(g);
  }, 120_000);
});
