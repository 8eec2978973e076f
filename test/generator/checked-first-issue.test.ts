// A checked value with several faults gets the same first issue on both targets (TRIAL9 finding 6): TypeScript
// reports ajv's first error, and the Python checker (and keywords.js, its port) checks keywords in ajv's order
// (type first or at its group's place, $ref, const, enum, not, anyOf, oneOf, allOf, if, then each type's keywords
// in ajv's vocabulary order), so its first error is ajv's. The trial's case: a tagged union inside a tuple, where
// TypeScript said `required` and Python `const`.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generateBoth, pythonIssues } from './differential.js';
import { writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

const SCHEMA = {
  $schema: S,
  discriminator: { propertyName: 'type' },
  oneOf: [{ $ref: '#/$defs/Tree' }],
  $defs: {
    Group: { type: 'object', properties: { kind: { const: 'group' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }, required: ['kind', 'children'], additionalProperties: false },
    Leaf: { type: 'object', properties: { kind: { const: 'leaf' } }, required: ['kind'], additionalProperties: false },
    Node: { discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/$defs/Group' }, { $ref: '#/$defs/Leaf' }] },
    Tree: {
      type: 'object',
      properties: {
        type: { const: 'tree' },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { $ref: '#/$defs/Node' }], items: false },
        box: { allOf: [{ type: 'object', properties: { a: { type: 'integer', minimum: 1 } }, patternProperties: { '^p': { type: 'string' } }, required: ['c'], additionalProperties: false, maxProperties: 3 }] },
        list: { type: 'array', items: { type: 'integer' }, maxItems: 2, uniqueItems: true, contains: { const: 5 } },
        word: { type: 'string', const: 'x', enum: ['x', 'y'], maxLength: 1, minLength: 1, not: { pattern: 'z' } },
        either: { anyOf: [{ type: 'string' }, { type: 'integer' }], not: { type: 'boolean' }, allOf: [{ const: 1 }] },
      },
      required: ['type'],
      additionalProperties: false,
    },
  },
};

const MESSAGES = [
  { type: 'tree', pair: ['a', { kind: 'nope' }] },
  { type: 'tree', pair: ['a', { kind: 'leaf', x: 1 }] },
  { type: 'tree', box: { a: 0, x: 1, p1: 2 } },
  { type: 'tree', box: { a: 0, c: 1, p: 1, q: 2 } },
  { type: 'tree', box: 'not an object' },
  { type: 'tree', list: [1, 1, 'a'] },
  { type: 'tree', list: [1, 'a'] },
  { type: 'tree', word: 'zz' },
  { type: 'tree', word: 3 },
  { type: 'tree', either: true },
  { type: 'tree', either: 2.5 },
];

describe('the first issue of a checked value with several faults', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(writeSchema({ 'p.json': JSON.stringify(SCHEMA) }));
  }, 300_000);

  it('is the same on TypeScript (ajv) and Python', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const texts = MESSAGES.map((m) => JSON.stringify(m));
    const py = pythonIssues(g, texts);
    const rows = texts.map((t, i) => {
      const r = parse.parseMessage(t);
      const ts = r.ok ? null : r.errors[0]!;
      const first = (py[i] ?? [null])[0] as { path: string; keyword: string; params: unknown } | null;
      return [t, ts && [ts.path, ts.keyword, ts.params], first && [first.path, first.keyword, first.params]];
    });
    for (const [text, ts, python] of rows) expect([text, python]).toEqual([text, ts]);
    // The trial's tuple: the first branch's first fault in ajv's order (required before properties), on both.
    expect(rows[1]![1]).toEqual(['/pair/1', 'required', { missingProperty: 'children' }]);
  });
});
