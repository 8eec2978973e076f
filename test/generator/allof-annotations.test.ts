/**
 * A type that narrows an `allOf` base (generator/normalize.ts): the base's own words (title, description, examples,
 * $comment) describe the base, not the types built on it (JSON Schema 2020-12 §9.1–9.5 annotations belong to
 * their schema). The new-user trial's docs page showed a message type with the base's description.
 */
import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

describe('a type narrowing an allOf base', () => {
  it('keeps its own title, description and examples, never the base\'s; a field keeps the base\'s description', () => {
    const dir = writeSchema({
      'protocol.schema.json': JSON.stringify({
        $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/Said' }, { $ref: '#/$defs/Told' }],
        $defs: {
          Base: { type: 'object', description: 'What every message may carry.', examples: [{ type: 'x' }], properties: { type: { type: 'string' }, at: { type: 'string', description: 'When.' } }, required: ['type'] },
          Said: { allOf: [{ $ref: '#/$defs/Base' }], properties: { type: { const: 'said' } }, unevaluatedProperties: false },
          Told: { allOf: [{ $ref: '#/$defs/Base' }], description: 'Told.', properties: { type: { const: 'told' } }, unevaluatedProperties: false },
        },
      }),
    });
    const ir = schemaToIR(dir);
    const said = ir.objects.find((o) => o.name === 'Said')!;
    expect(said.description).toBeUndefined();
    expect(ir.objects.find((o) => o.name === 'Told')!.description).toBe('Told.');
    expect(said.properties.find((p) => p.name === 'at')!.description).toBe('When.');
  });
});
