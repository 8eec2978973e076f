/**
 * oneOf and anyOf below the root (issue 9 row 1): what the IR makes of them
 * (tagged, exclusive, counted), what each target emits, what stays refused,
 * and that both targets word a union's issues alike. Verdicts against ajv's
 * 2020-12 validator are in fixtures-oracle.test.ts (test/fixtures/unions).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import type { TypeIR } from '../../generator/ir.js';
import { type Generated, generateBoth, pythonIssues } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** A protocol of one message type `m` whose field `v` has schema `v`, beside the given `$defs`. */
function protocol(v: unknown, defs: Record<string, unknown> = {}): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S,
      title: 'Message',
      discriminator: { propertyName: 'type' },
      oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { ...defs, M: { type: 'object', properties: { type: { const: 'm' }, v }, required: ['type'], additionalProperties: false } },
    }),
  });
}

const obj = (props: Record<string, unknown>, required: string[]) => ({ type: 'object', properties: props, required, additionalProperties: false });
const SHAPES = {
  Circle: obj({ kind: { const: 'circle' }, r: { type: 'number' } }, ['kind']),
  Square: obj({ kind: { const: 'square' }, side: { type: 'number' } }, ['kind']),
};

function fieldType(dir: string): TypeIR {
  return schemaToIR(dir).objects.find((o) => o.name === 'M')!.properties.find((p) => p.name === 'v')!.type;
}

describe('the IR of a union', () => {
  it('finds the tag property of named objects without a discriminator keyword', () => {
    const t = fieldType(protocol({ oneOf: [{ $ref: '#/$defs/Circle' }, { $ref: '#/$defs/Square' }] }, SHAPES));
    expect(t).toEqual({ kind: 'union', mode: 'oneOf', variants: [{ kind: 'object', name: 'Circle' }, { kind: 'object', name: 'Square' }], discriminator: 'kind', exclusive: true });
  });

  it('branches of disjoint JSON types are exclusive; overlapping ones are not', () => {
    expect(fieldType(protocol({ oneOf: [{ type: 'string' }, { type: 'integer' }, { type: 'null' }] }))).toMatchObject({ exclusive: true });
    expect(fieldType(protocol({ oneOf: [{ type: 'integer' }, { type: 'number' }] }))).toMatchObject({ exclusive: false });
    expect(fieldType(protocol({ anyOf: [{ type: 'string' }, true] }))).toMatchObject({ mode: 'anyOf', exclusive: false });
  });

  it('a oneOf or anyOf of one branch is that branch', () => {
    expect(fieldType(protocol({ oneOf: [{ anyOf: [{ type: 'null' }] }] }))).toEqual({ kind: 'null' });
    expect(fieldType(protocol({ anyOf: [{ type: 'string', maxLength: 2 }] }))).toEqual({ kind: 'string', maxLength: 2 });
  });

  it('two objects tagged alike are not a tagged union (a value matching one matches both)', () => {
    const t = fieldType(protocol({ oneOf: [{ $ref: '#/$defs/Circle' }, { $ref: '#/$defs/Circle' }] }, SHAPES));
    expect(t).toMatchObject({ kind: 'union', exclusive: false });
    expect(t).not.toHaveProperty('discriminator');
  });
});

describe('refused around a union', () => {
  it('a discriminator whose branch does not require the property with a string const', async () => {
    const e = await catchWsgen(() => schemaToIR(protocol({ oneOf: [{ $ref: '#/$defs/Circle' }, { type: 'string' }], discriminator: { propertyName: 'kind' } }, SHAPES)));
    expect([e.code, e.location.pointer]).toEqual(['WSGEN_DISCRIMINATOR', '/$defs/M/properties/v/oneOf/1']);
  });

  it('a discriminator with a mapping', async () => {
    const e = await catchWsgen(() => schemaToIR(protocol({ oneOf: [{ $ref: '#/$defs/Circle' }, { $ref: '#/$defs/Square' }], discriminator: { propertyName: 'kind', mapping: {} } }, SHAPES)));
    expect([e.code, e.location.pointer]).toEqual(['WSGEN_DISCRIMINATOR', '/$defs/M/properties/v/discriminator']);
  });

  it('a keyword that would narrow the union, or a type the branches do not all have: a checked value (the subschema as written decides)', () => {
    for (const v of [
      { oneOf: [{ type: 'string' }, { type: 'integer' }], minLength: 1 },
      { type: 'string', oneOf: [{ type: 'string' }, { type: 'integer' }] },
      { type: 'integer', anyOf: [{ type: 'number' }, { type: 'null' }] },
    ]) {
      const ir = schemaToIR(protocol(v));
      expect(ir.objects.find((o) => o.name === 'M')!.properties.find((p) => p.name === 'v')!.type).toEqual({ kind: 'checked', key: 'M.properties.v' });
      expect(ir.checked['M.properties.v']).toEqual(v);
    }
  });

  it('accepts a type every branch already has', () => {
    expect(fieldType(protocol({ type: 'object', oneOf: [{ $ref: '#/$defs/Circle' }, { $ref: '#/$defs/Square' }] }, SHAPES))).toMatchObject({ discriminator: 'kind' });
  });
});

describe('what the targets emit for a union, and its issues on both', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(join(ROOT, 'test/fixtures/unions'));
  }, 60_000);
  const py = (name: string) => g.files.get(`python/wsgen_protocol/models/${name}.py`)!;

  it('TypeScript: a union type; Python: a tagged union, a smart union, OneOf only where branches overlap', () => {
    expect(g.files.get('ts/enums.ts')).toContain('export type Shape = Circle | Square | Path;');
    expect(py('draw')).toContain('shapes: list[Annotated[Circle | Square | Path, Field(discriminator="kind")]]');
    expect(py('post')).toContain('Annotated[Join | Leave, Field(discriminator="class_")]');
    expect(py('post')).toContain('OneOf(Named, Labeled)');
    expect(py('choose')).toMatch(/value: str \| Annotated\[int, Integral\([^)]*\)\] \| None \| list\[bool\] = None/);
    expect(py('choose')).toContain('OneOf(float, Any)');
  });

  it('a nested tag, a missing tag, a field inside a tagged branch and an overlap read alike on both targets', async () => {
    const texts = [
      { type: 'draw', shapes: [{ kind: 'hexagon' }] },
      { type: 'draw', shapes: [{ r: 1 }] },
      { type: 'draw', shapes: [{ kind: 'square', side: 1 }, { kind: 'circle', r: 'x' }] },
      { type: 'post', event: { class: 'kick' } },
      { type: 'post', amount: 5 },
      { type: 'post', who: {} },
    ].map((m) => JSON.stringify(m));
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const ts = texts.map((t) => parse.parseMessage(t));
    const pyIssues = pythonIssues(g, texts);
    expect(pyIssues).toEqual(ts.map((r) => (r.ok ? null : r.errors)));
    expect(pyIssues[0]).toEqual([{ path: '/shapes/0', keyword: 'discriminator', message: 'value of tag "kind" must be in oneOf', params: { error: 'mapping', tag: 'kind', tagValue: 'hexagon' } }]);
    expect(pyIssues[4]).toEqual([{ path: '/amount', keyword: 'oneOf', message: 'must match exactly one schema in oneOf', params: { passingSchemas: [0, 1] } }]);
  }, 60_000);
});
