/**
 * A `type` beside a `$ref` (generator/ref-type-null.ts, build-ir.ts refType). JSON Schema 2020-12 applies both,
 * so a `null` in that `type` is dead when the target refuses null: refused with the `anyOf` form as the hint, every
 * one in one run. A `type` that only restates the target's type is typed as the target (it was a checked unknown).
 */
import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import type { TypeIR } from '../../generator/ir.js';
import { catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

const DEFS = {
  Point: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'], additionalProperties: false },
  Color: { type: 'string', enum: ['red', 'green'] },
  Level: { enum: [1, 2, 3] },
  MaybeColor: { type: ['string', 'null'], enum: ['red', 'green', null] },
  Name: { type: 'string', maxLength: 8 },
  MaybeName: { type: ['string', 'null'], maxLength: 8 },
  Shape: { oneOf: [{ $ref: '#/$defs/Point' }, { $ref: '#/$defs/Color' }] },
};

function protocol(props: Record<string, unknown>): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { ...DEFS, M: { type: 'object', properties: { type: { const: 'm' }, ...props }, required: ['type'], additionalProperties: false } },
    }),
  });
}

/** The IR type of each property of message M. */
function propertyTypes(props: Record<string, unknown>): Record<string, TypeIR> {
  const ir = schemaToIR(protocol(props));
  return Object.fromEntries(ir.objects.find((o) => o.name === 'M')!.properties.filter((p) => p.name !== 'type').map((p) => [p.name, p.type]));
}

describe('a "type" with null beside a $ref whose target refuses null', () => {
  it('is refused at its pointer with the anyOf form as the hint, every one in one run (object, enum, integer enum, alias, union, nested)', async () => {
    const e = await catchWsgen(() =>
      schemaToIR(protocol({
        point: { $ref: '#/$defs/Point', type: ['object', 'null'] },
        color: { $ref: '#/$defs/Color', type: ['string', 'null'] },
        level: { $ref: '#/$defs/Level', type: ['integer', 'null'] },
        name: { $ref: '#/$defs/Name', type: ['string', 'null'] },
        shape: { $ref: '#/$defs/Shape', type: ['object', 'string', 'null'] },
        list: { type: 'array', items: { $ref: '#/$defs/Point', type: ['object', 'null'] } },
      })),
    );
    expect(e.all().map((x) => [x.code, x.location.pointer])).toEqual([
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/point/type'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/color/type'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/level/type'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/name/type'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/shape/type'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/list/items/type'],
    ]);
    expect(e.all()[0]!.message).toContain('null is refused here');
    expect(e.all()[0]!.hint).toBe('for the target or null, write {"anyOf": [{"$ref": "#/$defs/Point"}, {"type": "null"}]}; to refuse null, drop "type" (the target fixes it)');
  });

  it('is accepted when the target admits null (a nullable enum): X | null, typed', () => {
    expect(propertyTypes({ c: { $ref: '#/$defs/MaybeColor', type: ['string', 'null'] } })['c']).toEqual({ kind: 'nullable', inner: { kind: 'enum', name: 'MaybeColor' } });
  });
});

describe('a "type" without null that restates the target\'s type', () => {
  it('is typed as the target, not as a checked unknown (object, enum, integer enum under "number", several listed types, alias)', () => {
    const t = propertyTypes({
      point: { $ref: '#/$defs/Point', type: 'object' },
      color: { $ref: '#/$defs/Color', type: ['string', 'integer'] },
      level: { $ref: '#/$defs/Level', type: 'number' },
      name: { $ref: '#/$defs/Name', type: 'string' },
      maybeName: { $ref: '#/$defs/MaybeName', type: ['string', 'null'] },
    });
    expect(t).toEqual({
      point: { kind: 'object', name: 'Point' },
      color: { kind: 'enum', name: 'Color' },
      level: { kind: 'alias', name: 'Level' },
      name: { kind: 'alias', name: 'Name' },
      maybeName: { kind: 'alias', name: 'MaybeName' },
    });
  });

  it('is not the target when the target admits null and the type does not (an alias has no non-null form): the intersection decides', async () => {
    expect((await catchWsgen(() => propertyTypes({ n: { $ref: '#/$defs/MaybeName', type: 'string' } }))).code).toBe('WSGEN_MERGE');
  });

  it('refuses the null of a nullable enum target when it leaves null out ($ref and type hold together)', () => {
    expect(propertyTypes({ c: { $ref: '#/$defs/MaybeColor', type: 'string' } })['c']).toEqual({ kind: 'enum', name: 'MaybeColor' });
  });

  it('stays exact when the type does not cover the target (no value valid): not typed as the target', () => {
    expect(propertyTypes({ c: { $ref: '#/$defs/Color', type: 'integer' } })['c']!.kind).not.toBe('enum');
  });
});
