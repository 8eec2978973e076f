/**
 * A `$ref` cycle that never descends into the value (JSON Schema 2020-12 §9.4.1: its behaviour is undefined; ajv's
 * standalone code overflowed the stack on it) is refused with WSGEN_REF at the `$ref` that closes it, every such
 * cycle in one run; a cycle through `items` or `properties` is a recursive type and still generates.
 */
import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { generateBoth, judge } from './differential.js';
import { catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** A protocol of one message type `a` whose properties refer to `refs` (names of `defs`), with `defs` beside it. */
function protocol(defs: Record<string, unknown>, refs: string[], extra: Record<string, unknown> = {}): string {
  const properties = Object.fromEntries([['type', { const: 'a' }], ...refs.map((r) => [r.toLowerCase(), { $ref: `#/$defs/${r}` }])]);
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'M', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/A' }], ...extra,
      $defs: { ...defs, A: { type: 'object', properties, required: ['type'], additionalProperties: false } },
    }),
  });
}

/** The code, pointer and message of every error of one run. */
async function refusals(dir: string): Promise<Array<[string, string, string]>> {
  const e = await catchWsgen(() => schemaToIR(dir));
  return e.all().map((x) => [x.code, x.location.pointer, x.message]);
}

describe('$ref cycles that never descend into the value', () => {
  it('refuses two definitions that hold each other through anyOf, at the $ref that closes the cycle, with a hint', async () => {
    const dir = protocol({
      X: { anyOf: [{ $ref: '#/$defs/Y' }, { type: 'string' }], not: { const: 'x' } },
      Y: { anyOf: [{ $ref: '#/$defs/X' }, { type: 'number' }], not: { const: 1 } },
    }, ['X', 'Y']);
    const e = await catchWsgen(() => schemaToIR(dir));
    expect([e.code, e.location.file, e.location.pointer, e.all().length]).toEqual(['WSGEN_REF', 'protocol.schema.json', '/$defs/Y/anyOf/0/$ref', 1]);
    expect(e.message).toContain('(#/$defs/X → #/$defs/Y → #/$defs/X)');
    expect(e.hint).toContain('property or an array item');
  });

  it('refuses a self-reference beside other keywords, and a root that applies itself through allOf', async () => {
    const dir = protocol({ Z: { $ref: '#/$defs/Z', minLength: 1 } }, ['Z'], { allOf: [{ $ref: '#' }] });
    expect((await refusals(dir)).map(([c, p, m]) => [c, p, m.slice(m.indexOf('('), m.indexOf(')') + 1)])).toEqual([
      ['WSGEN_REF', '/allOf/0/$ref', '(# → #)'],
      ['WSGEN_REF', '/$defs/Z/$ref', '(#/$defs/Z → #/$defs/Z)'],
    ]);
  });

  it('refuses a cycle of three through if, dependentSchemas and oneOf, reported beside a cycle through then and not', async () => {
    const dir = protocol({
      P: { if: { $ref: '#/$defs/Q' }, then: { minProperties: 1 } },
      Q: { dependentSchemas: { k: { $ref: '#/$defs/R' } } },
      R: { oneOf: [{ $ref: '#/$defs/P' }, { type: 'null' }] },
      U: { if: { type: 'object' }, then: { not: { $ref: '#/$defs/V' } } },
      V: { else: { $ref: '#/$defs/U' }, if: false },
    }, ['P', 'U']);
    expect((await refusals(dir)).map(([c, p]) => [c, p])).toEqual([
      ['WSGEN_REF', '/$defs/R/oneOf/0/$ref'],
      ['WSGEN_REF', '/$defs/V/else/$ref'],
    ]);
  });

  it('refuses two object definitions that include each other through allOf', async () => {
    const dir = protocol({
      Z: { type: 'object', properties: { n: { type: 'string' } }, allOf: [{ $ref: '#/$defs/W' }] },
      W: { type: 'object', properties: { m: { type: 'string' } }, allOf: [{ $ref: '#/$defs/Z' }] },
    }, ['Z']);
    expect((await refusals(dir)).map(([c, p, m]) => [c, p, m.slice(m.indexOf('('), m.indexOf(')') + 1)])).toEqual([['WSGEN_REF', '/$defs/W/allOf/0/$ref', '(#/$defs/Z → #/$defs/W → #/$defs/Z)']]);
  });

  it('refuses a cycle across two files, naming the places of the other file with their file', async () => {
    const dir = writeSchema({
      'protocol.schema.json': JSON.stringify({
        $schema: S, title: 'M', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/A' }],
        $defs: {
          X: { anyOf: [{ $ref: 'other.json#/$defs/Y' }, { type: 'string' }], not: { const: 'x' } },
          A: { type: 'object', properties: { type: { const: 'a' }, x: { $ref: '#/$defs/X' } }, required: ['type'], additionalProperties: false },
        },
      }),
      'other.json': JSON.stringify({ $schema: S, $defs: { Y: { anyOf: [{ $ref: 'protocol.schema.json#/$defs/X' }, { type: 'number' }], not: { const: 1 } } } }),
    });
    const e = await catchWsgen(() => schemaToIR(dir));
    expect([e.code, e.location.file, e.location.pointer, e.all().length]).toEqual(['WSGEN_REF', 'protocol.schema.json', '/$defs/X/anyOf/0/$ref', 1]);
    expect(e.message).toContain('(other.json#/$defs/Y → #/$defs/X → other.json#/$defs/Y)');
  });

  it('reports a cycle beside the errors later stages find in the same run', async () => {
    const dir = writeSchema({
      'protocol.schema.json': JSON.stringify({
        $schema: S, title: 'M', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/A' }],
        $defs: {
          X: { anyOf: [{ $ref: '#/$defs/Y' }, { type: 'string' }], not: { const: 'x' } },
          Y: { anyOf: [{ $ref: '#/$defs/X' }, { type: 'number' }], not: { const: 1 } },
          A: { type: 'object', properties: { type: { const: 'a' }, x: { $ref: '#/$defs/X' } }, required: ['type', 'missing'], additionalProperties: false },
        },
      }),
    });
    expect((await refusals(dir)).map(([c, p]) => [c, p])).toEqual([
      ['WSGEN_REF', '/$defs/Y/anyOf/0/$ref'],
      ['WSGEN_REQUIRED', '/$defs/A/required/1'],
    ]);
  });

  describe('an allOf cycle of any shape is listed once, at its closing $ref, beside the later errors', () => {
    // Normalize's own check ("includes itself through allOf") is reached only in the pass that lists a refused schema's
    // later errors, where it stops the recursion; it listed the cycle a second time, and flattening around the cycle
    // gave errors that only follow from it (a required name or a tag the cycle's other half defines).
    const r = (n: string) => ({ $ref: `#/$defs/${n}` });
    const tagged = (t: string, extra: object = {}) => ({ properties: { type: { const: t } }, required: ['type'], ...extra });
    const other = { type: 'object', properties: { type: { const: 'c' } }, required: ['type', 'missing'], additionalProperties: false };
    it.each<[string, Record<string, unknown>, string]>([
      ['itself', { A: { allOf: [r('A')], ...tagged('a') } }, '/$defs/A/allOf/0/$ref'],
      ['a pair', { A: { allOf: [r('B')], ...tagged('a') }, B: { type: 'object', allOf: [r('A')] } }, '/$defs/B/allOf/0/$ref'],
      ['three, each with properties (nested allOf)', { A: { allOf: [r('B')], ...tagged('a'), unevaluatedProperties: false }, B: { allOf: [r('D')], properties: { b: { type: 'string' } } }, D: { allOf: [r('A')], properties: { d: { type: 'string' } } } }, '/$defs/D/allOf/0/$ref'],
      ['the second $ref of two', { A: { allOf: [r('M'), r('B')], ...tagged('a') }, M: { type: 'object', properties: { m: { type: 'string' } } }, B: { allOf: [r('M'), r('A')] } }, '/$defs/B/allOf/1/$ref'],
      ['an $anchor', { A: { allOf: [{ $ref: '#bee' }], ...tagged('a') }, B: { $anchor: 'bee', allOf: [r('A')] } }, '/$defs/B/allOf/0/$ref'],
      ['an embedded $id', { A: { allOf: [{ $ref: 'e.json' }], ...tagged('a') }, E: { $id: 'e.json', type: 'object', allOf: [{ $ref: 'p.json#/$defs/A' }] } }, '/$defs/E/allOf/0/$ref'],
      ['the $defs of an embedded $id', { A: { allOf: [{ $ref: 'e.json#/$defs/In' }], ...tagged('a') }, E: { $id: 'e.json', $defs: { In: { allOf: [{ $ref: 'p.json#/$defs/A' }] } } } }, '/$defs/E/$defs/In/allOf/0/$ref'],
      ['a base that includes itself', { A: { allOf: [r('B')], ...tagged('a') }, B: { allOf: [r('B')] } }, '/$defs/B/allOf/0/$ref'],
      ['the half written first defines a required name', { B: { allOf: [r('A')], properties: { x: { type: 'string' } } }, A: { allOf: [r('B')], ...tagged('a', { required: ['type', 'x'] }), unevaluatedProperties: false } }, '/$defs/B/allOf/0/$ref'],
      ['the other half holds the tag', { B: { allOf: [r('A')], ...tagged('a') }, A: { allOf: [r('B')], unevaluatedProperties: false } }, '/$defs/B/allOf/0/$ref'],
    ])('through %s', async (_name, defs, closing) => {
      const dir = writeSchema({
        'p.json': JSON.stringify({ $schema: S, $id: 'https://example.com/p.json', title: 'M', discriminator: { propertyName: 'type' }, oneOf: [r('A'), r('C')], $defs: { ...defs, C: other } }),
      });
      expect((await refusals(dir)).map(([c, p]) => [c, p])).toEqual([['WSGEN_REF', closing], ['WSGEN_REQUIRED', '/$defs/C/required/1']]);
    });
  });

  it('still generates a cycle through items and properties, and both targets judge nested values as ajv does', async () => {
    const dir = protocol({
      J: { anyOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#/$defs/J' } }], not: { const: 'x' } },
      K: { anyOf: [{ type: 'number' }, { type: 'object', properties: { k: { $ref: '#/$defs/L' } } }], not: { const: 1 } },
      L: { allOf: [{ $ref: '#/$defs/K' }] },
    }, ['J', 'K']);
    const g = await generateBoth(dir);
    const texts = ['{"type":"a","j":["y",["z"]],"k":{"k":{"k":2}}}', '{"type":"a","j":["y",["x"]]}', '{"type":"a","k":{"k":{"k":1}}}', '{"type":"a","j":[true]}'];
    const v = await judge(g, dir, 'protocol.schema.json', texts);
    expect(v.oracle).toEqual([true, false, false, false]);
    expect(v.ts).toEqual(v.oracle);
    expect(v.py).toEqual(v.oracle);
  }, 60_000);
});
