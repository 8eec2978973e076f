/**
 * OpenAPI's `nullable: true` and Swagger's `x-nullable: true` are refused (generator/openapi-nullable.ts): JSON
 * Schema 2020-12 ignores them, so the schema would refuse the null its author meant to allow. Every one is listed
 * in one run, each with the 2020-12 form as its hint.
 */
import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

function protocol(props: Record<string, unknown>): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { Team: { enum: ['red', 'blue'] }, M: { type: 'object', properties: { type: { const: 'm' }, ...props }, required: ['type'], additionalProperties: false } },
    }),
  });
}

describe('OpenAPI nullable', () => {
  it('is refused wherever a schema holds it, all in one run, with the 2020-12 form as the hint', async () => {
    const e = await catchWsgen(() =>
      schemaToIR(protocol({
        name: { type: 'string', nullable: true },
        team: { $ref: '#/$defs/Team', nullable: true },
        tags: { type: 'array', items: { type: 'integer', 'x-nullable': true } },
        level: { type: 'string', enum: ['a', 'b'], nullable: true },
      })),
    );
    const all = e.all();
    expect(all.map((x) => [x.code, x.location.pointer])).toEqual([
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/name/nullable'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/team/nullable'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/tags/items/x-nullable'],
      ['WSGEN_UNSUPPORTED', '/$defs/M/properties/level/nullable'],
    ]);
    expect(all[0]!.message).toContain('JSON Schema 2020-12 ignores it');
    expect(all.map((x) => x.hint)).toEqual([
      'to admit null, write "type": ["string", "null"] and drop "nullable"',
      'to admit null, write {"oneOf": [{"$ref": "#/$defs/Team"}, {"type": "null"}]} and drop "nullable"',
      'to admit null, write "type": ["integer", "null"] and drop "x-nullable"',
      'to admit null, write "type": ["string", "null"] and null in its "enum" and drop "nullable"',
    ]);
  });

  it('leaves nullable: false, and a property named "nullable", alone', () => {
    const ir = schemaToIR(protocol({ name: { type: 'string', nullable: false }, nullable: { type: 'boolean' } }));
    expect(ir.objects.find((o) => o.name === 'M')!.properties.map((p) => p.name)).toEqual(['type', 'name', 'nullable']);
  });
});
