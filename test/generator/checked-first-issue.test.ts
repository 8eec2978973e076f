// A checked value with several faults gets the same first issue on both targets (TRIAL9 finding 6): TypeScript
// reports ajv's first error, and the Python checker (and keywords.js, its port) checks keywords in ajv's order
// (type first or at its group's place, $ref, const, enum, not, anyOf, oneOf, allOf, if, then each type's keywords
// in ajv's vocabulary order), so its first error is ajv's. The trial's case: a tagged union inside a tuple, where
// TypeScript said `required` and Python `const`, neither naming the fault: a oneOf with a discriminator (ajv's rules,
// generator/checked.ts) now picks its branch by the tag on both checkers, as ajv's discriminator does.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generateBoth, judge, pythonIssues } from './differential.js';
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
  { type: 'tree', pair: ['a', {}] },
  { type: 'tree', pair: ['a', { kind: 5 }] },
  { type: 'tree', pair: ['a', 5] },
  { type: 'tree', pair: ['a', { kind: 'group', children: [{ kind: 'leaf', y: 2 }] }] },
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
  let dir: string;
  beforeAll(async () => {
    dir = writeSchema({ 'p.json': JSON.stringify(SCHEMA) });
    g = await generateBoth(dir);
  }, 300_000);

  it('keeps JSON Schema\'s verdicts (ajv 2020-12 on the raw schema, no discriminator) on both targets', async () => {
    const texts = [...MESSAGES, { type: 'tree', pair: ['a', { kind: 'leaf' }] }, { type: 'tree', pair: ['a', { kind: 'group', children: [] }] }].map((m) => JSON.stringify(m));
    const v = await judge(g, dir, 'p.json', texts);
    expect(v.ts).toEqual(v.oracle);
    expect(v.py).toEqual(v.oracle);
    expect(v.oracle.filter(Boolean)).toHaveLength(2);
  });

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
    // The trial's tuple: the tag picks the branch (ajv's discriminator), so the issue names the fault in it, or the tag.
    expect(rows.slice(0, 6).map((r) => r[1])).toEqual([
      ['/pair/1', 'discriminator', { error: 'mapping', tag: 'kind', tagValue: 'nope' }],
      ['/pair/1', 'additionalProperties', { additionalProperty: 'x' }],
      ['/pair/1', 'required', { missingProperty: 'kind' }],
      ['/pair/1', 'discriminator', { error: 'tag', tag: 'kind', tagValue: 5 }],
      ['/pair/1', 'type', { type: 'object' }],
      ['/pair/1/children/0', 'additionalProperties', { additionalProperty: 'y' }],
    ]);
  });
});
