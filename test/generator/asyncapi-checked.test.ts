// wsgen asyncapi, checked values: a checked value's payload schema is its subschema (components.schemas
// "checked.<key>", in the draft-07 words AsyncAPI's default schema format reads), not a marker. The
// document is read clean by @asyncapi/parser, every reference resolves inside it, and a draft-07
// validator of each component judges sample values as the 2020-12 validators of IR.checked do (exactly,
// or more loosely only where x-wsgen-json-schema-2020-12 names a keyword draft-07 has no word for).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { schemaToIR } from '../../generator/index.js';
import { ROOT, captureStdio, tempDir, writeSchema } from './helpers.js';

captureStdio();
type Doc = { [k: string]: any };

/** Values of every JSON kind, shaped to hit the fixture keywords on both sides of their bounds. */
const SAMPLES: unknown[] = [
  null, true, false, 0, 1, 2, 3, 5, 9, 10, -1, 1.5, '', 'a', 'ab', 'abc', 'abcd', 's', 'x',
  [], [1], [1, 2], [1, 1], [2, 1], ['a', 1], ['a', 1, 2], ['a', 'b'], [1, 's', 't'], [1, 's', 2], ['x'], ['x', 'x'], ['x', 'x', 'x'], ['x', 'x', 'x', 'x'], [1, [2, [3]]], [1, ['a']],
  {}, { id: 1 }, { card: 1 }, { card: 1, billing: 2 }, { a: 1 }, { a: 1, b: 's' }, { a: 1, c: 2 }, { b: 1 }, { k: [1, true] }, { a: 1, b: 2, c: 3 }, { n: 1, m: 2 },
];

/** Runs `wsgen asyncapi` into a file and returns the parsed document. */
async function exportDoc(schema: string): Promise<Doc> {
  const out = join(tempDir(), 'asyncapi.json');
  expect(await main(['asyncapi', '--schema', schema, '--out', out])).toBe(ExitCode.OK);
  return JSON.parse(readFileSync(out, 'utf8'));
}

/** No error or warning from @asyncapi/parser (severity 0 or 1). */
async function expectParsedClean(doc: Doc): Promise<void> {
  const r = await new Parser().parse(JSON.stringify(doc));
  expect(r.diagnostics.filter((d) => d.severity <= 1).map((d) => `${d.code} ${d.path.join('/')}: ${d.message}`)).toEqual([]);
  expect(r.document).toBeDefined();
}

/** Every `$ref` in a JSON value, and every `x-wsgen-checked` marker key. */
function walk(v: unknown, refs: string[], markers: string[]): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, refs, markers));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref') refs.push(x as string);
      else if (k === 'x-wsgen-checked') markers.push(k);
      walk(x, refs, markers);
    }
  }
}

/** Asserts the document's checked components judge SAMPLES as the 2020-12 validators do; returns the keys compared exactly. */
function expectSameVerdicts(doc: Doc, checked: Record<string, unknown>): string[] {
  const draft07 = new Ajv({ strict: false, allErrors: true });
  draft07.addSchema({ $id: 'doc.json', components: doc.components });
  const ajv2020 = new Ajv2020({ strict: false, allErrors: true });
  ajv2020.addSchema({ $id: 'checked.json', $defs: checked });
  const exact: string[] = [];
  for (const key of Object.keys(checked)) {
    const component = doc.components.schemas[`checked.${key}`];
    expect(component, key).toBeDefined();
    const loose = typeof component === 'object' && component['x-wsgen-json-schema-2020-12'] !== undefined;
    const ours = draft07.compile({ $ref: `doc.json#/components/schemas/checked.${key}` });
    const theirs = ajv2020.compile({ $ref: `checked.json#/$defs/${key}` });
    for (const v of SAMPLES) {
      const want = theirs(v);
      if (loose) {
        if (want) expect(ours(v), `${key} must accept ${JSON.stringify(v)}`).toBe(true);
      } else expect(ours(v), `${key} on ${JSON.stringify(v)}`).toBe(want);
    }
    if (!loose) exact.push(key);
  }
  return exact;
}

describe('wsgen asyncapi: checked values are their subschemas', () => {
  it('checked fixture: parser reads it clean; each checked property refers to its component; verdicts match the validators', async () => {
    const dir = join(ROOT, 'test', 'fixtures', 'checked');
    const ir = schemaToIR(dir);
    const doc = await exportDoc(dir);
    await expectParsedClean(doc);
    const refs: string[] = [];
    const markers: string[] = [];
    walk(doc, refs, markers);
    expect(markers).toEqual([]);
    for (const r of refs) {
      expect(r.startsWith('#/'), r).toBe(true);
      const target = r.slice(2).split('/').reduce<any>((at, t) => at?.[t.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, r).toBeDefined();
    }
    expect(doc.components.schemas.Arrays.properties.pair).toEqual({ $ref: '#/components/schemas/checked.Arrays.properties.pair' });
    expect(doc.components.schemas['checked.Arrays.properties.pair']).toEqual({ type: 'array', items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false });
    expect(doc.components.schemas['checked.Keywords.properties.deps']).toEqual({ type: 'object', dependencies: { card: { required: ['billing'] } } });
    expect(doc.components.schemas['checked.Refs.properties.byPointer']).toEqual({ maximum: 9, allOf: [{ $ref: '#/components/schemas/checked.Refs.properties.count' }] });
    expect(doc.components.schemas['checked.Arrays.properties.bag']['x-wsgen-json-schema-2020-12']).toEqual(['minContains', 'maxContains']);
    expect(doc.components.schemas['checked.Keywords.properties.sealed']['x-wsgen-json-schema-2020-12']).toEqual(['unevaluatedProperties']);
    const exact = expectSameVerdicts(doc, ir.checked);
    expect(exact).toEqual(expect.arrayContaining(['Arrays.properties.pair', 'Keywords.properties.deps', 'Refs.properties.byPointer', 'Refs.properties.tree', 'Keywords.properties.cond', 'Values.properties.pick']));
  });

  it('dependentRequired beside dependentSchemas of one property, minContains 0, a $ref with siblings beside allOf: same verdicts', async () => {
    const dir = writeSchema({
      'p.json': JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Edge',
        discriminator: { propertyName: 'kind' },
        oneOf: [{ $ref: '#/$defs/Edge' }],
        $defs: {
          Small: { type: 'integer', minimum: 1 },
          Edge: {
            type: 'object',
            properties: {
              kind: { const: 'edge' },
              deps: { type: 'object', dependentRequired: { a: ['b'] }, dependentSchemas: { a: { required: ['c'] }, n: { maxProperties: 1 } } },
              some: { type: 'array', contains: { const: 'x' }, minContains: 0, maxContains: 2 },
              capped: { $ref: '#/$defs/Small', allOf: [{ maximum: 5 }], not: { const: 3 } },
            },
            required: ['kind'],
            additionalProperties: false,
          },
        },
      }),
    });
    const ir = schemaToIR(dir);
    const doc = await exportDoc(dir);
    await expectParsedClean(doc);
    const s = doc.components.schemas;
    expect(s['checked.Edge.properties.deps'].dependencies).toEqual({ a: { required: ['b'], allOf: [{ required: ['c'] }] }, n: { maxProperties: 1 } });
    expect(s['checked.Edge.properties.some'].anyOf).toEqual([{ not: { contains: { const: 'x' } } }, { contains: { const: 'x' }, minContains: 0, maxContains: 2 }]);
    expect(s['checked.Edge.properties.capped'].allOf[0]).toEqual({ $ref: '#/components/schemas/checked.Small' });
    const exact = expectSameVerdicts(doc, ir.checked);
    expect(exact).toEqual(expect.arrayContaining(['Edge.properties.deps', 'Edge.properties.capped']));
  });
});
