/**
 * Retrieval URIs (JSON Schema 2020-12 §9.1.1, generator/resources.ts servedPath): a schema folder whose root file
 * has an absolute `$id` is served at that `$id`'s folder, so a reference may name another file by the URI it is
 * retrieved from (its path below that folder) even when the file's own `$id` differs; the `$id` stays its base URI.
 * A URI outside that folder, or one that would leave the schema folder, is refused as before.
 */
import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** A protocol served at https://example.test/p/ whose message field `v` is `v`, plus the files given. */
function served(v: unknown, files: Record<string, unknown>, rootId = 'https://example.test/p/protocol.json'): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, $id: rootId, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { M: { type: 'object', properties: { type: { const: 'm' }, v }, required: ['type'], additionalProperties: false } },
    }),
    ...Object.fromEntries(Object.entries(files).map(([name, json]) => [name, JSON.stringify(json)])),
  });
}

/** A file whose own `$id` differs from the URI it is served at; its `#` references resolve against that `$id`. */
const REAL = { $id: 'https://elsewhere.test/real.json', $defs: { s: { type: 'string', maxLength: 3 } }, $ref: '#/$defs/s' };

describe('a file referenced by its retrieval URI', () => {
  it('resolves to the file at that path below the root file, whatever its own $id', () => {
    const ir = schemaToIR(served({ $ref: 'https://example.test/p/lib/other.json' }, { 'lib/other.json': REAL }));
    // The field is a checked value whose document holds the file's subschema, its "#/$defs/s" read against its own $id.
    expect(JSON.stringify(ir.checked)).toContain('{"type":"string","maxLength":3}');
  });

  it('refuses a URI outside the served folder, one with a query, and one that leaves the schema folder, with a hint', async () => {
    for (const ref of ['https://example.test/q/lib/other.json', 'https://example.test/p/lib/other.json?x=1', 'https://example.test/p/%2E%2E/x.json', 'https://example.test/p/missing.json']) {
      const e = await catchWsgen(() => schemaToIR(served({ $ref: ref }, { 'lib/other.json': REAL })));
      expect([e.code, e.location.pointer]).toEqual(['WSGEN_REF', '/$defs/M/properties/v']);
      expect(e.hint).toMatch(/relative path|file name/);
    }
  });

  it('needs a root $id that is an absolute URI other than a file URL', async () => {
    const e = await catchWsgen(() => schemaToIR(served({ $ref: 'https://example.test/p/lib/other.json' }, { 'lib/other.json': REAL }, 'protocol.json')));
    expect(e.code).toBe('WSGEN_REF');
  });
});
