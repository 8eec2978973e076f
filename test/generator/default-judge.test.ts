/**
 * The defaults check (default-check.ts) judges each distinct (type, default) once, against an
 * IR cut down to the types that type reaches (ir.ts reachableNames): verdicts stay per property
 * type, and a reached object's allOf base, alias targets and object rules stay in the cut IR.
 */
import { describe, expect, it } from 'vitest';
import { checkDefaults } from '../../generator/default-check.js';
import { schemaToIR } from '../../generator/index.js';
import { type IR, reachableNames } from '../../generator/ir.js';
import { writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** A message type tagged `tag` with `properties` beside its tag. */
const message = (tag: string, properties: Record<string, unknown>) => ({ type: 'object', properties: { type: { const: tag }, ...properties }, required: ['type'], additionalProperties: false });

function protocol(): IR {
  const defs = {
    BoxBase: { type: 'object', properties: { size: { type: 'integer', minimum: 1 } } },
    Box: { allOf: [{ $ref: '#/$defs/BoxBase' }], properties: { label: { $ref: '#/$defs/Label' } }, unevaluatedProperties: false },
    Label: { oneOf: [{ type: 'string', maxLength: 3 }, { $ref: '#/$defs/Tagged' }] },
    Tagged: { type: 'object', properties: { text: { type: 'string' } }, additionalProperties: { $ref: '#/$defs/Extra' } },
    Extra: { type: 'object', properties: { n: { type: 'integer' } }, additionalProperties: false },
    Unrelated: { type: 'object', properties: { x: { type: 'integer' } }, additionalProperties: false },
    A: message('a', { level: { type: 'integer', maximum: 3, default: 5 }, u: { $ref: '#/$defs/Unrelated' } }),
    B: message('b', { level: { type: 'integer', maximum: 3, default: 5 } }),
    C: message('c', { level: { type: 'integer', maximum: 10, default: 5 } }),
    D: message('d', { box: { $ref: '#/$defs/Box', default: { size: 0 } } }),
    E: message('e', { box: { $ref: '#/$defs/Box', default: { size: 2, label: 'long' } } }),
    F: message('f', { box: { $ref: '#/$defs/Box', default: { size: 2, label: { text: 't', more: { n: 1 } } } } }),
  };
  const dir = writeSchema({
    'protocol.schema.json': JSON.stringify({ $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: ['A', 'B', 'C', 'D', 'E', 'F'].map((n) => ({ $ref: `#/$defs/${n}` })), $defs: defs }),
  });
  return schemaToIR(dir);
}

const verdict = (ir: IR, object: string, property: string) => ir.objects.find((o) => o.name === object)!.properties.find((p) => p.name === property)!.defaultApplied;

describe('the defaults check', () => {
  it('gives every property the verdict of its own type and default, equal defaults of equal types alike', async () => {
    const ir = protocol();
    await checkDefaults(ir);
    expect(verdict(ir, 'A', 'level')).toMatch(/must be <= 3/);
    expect(verdict(ir, 'B', 'level')).toBe(verdict(ir, 'A', 'level'));
    expect(verdict(ir, 'C', 'level')).toBe(true);
    // Judged through Box's base (size), its union alias (label) and the open object's additionalProperties type.
    expect(verdict(ir, 'D', 'box')).toMatch(/at \/size: must be >= 1/);
    expect(verdict(ir, 'E', 'box')).toMatch(/at \/label/);
    expect(verdict(ir, 'F', 'box')).toBe(true);
  });

  it('reachableNames follows properties, allOf bases, aliases and object rules, and nothing else', () => {
    const ir = protocol();
    const reached = reachableNames(ir, [{ kind: 'object', name: 'Box' }]);
    expect([...reached].sort()).toEqual(['Box', 'BoxBase', 'Extra', 'Label', 'Tagged']);
    expect(ir.aliases.map((a) => a.name)).toEqual(['Label']);
  });
});
