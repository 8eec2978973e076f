/**
 * Names for inline types and for `$defs` keys that are not PascalCase (issue 9
 * rows 4 and 5; generator/hoist.ts, generator/def-names.ts). Verdicts of the
 * fixture against ajv's 2020-12 validator are in fixtures-oracle.test.ts
 * (test/fixtures/inline).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typeNameOfKey } from '../../generator/def-names.js';
import { hoistInline } from '../../generator/hoist.js';
import { schemaToIR } from '../../generator/index.js';
import { loadSchema } from '../../generator/load.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const FIXTURE = join(ROOT, 'test/fixtures/inline');

/** A protocol of one message type whose `$defs` are the given ones plus `M` with field `v`. */
function protocol(v: unknown, defs: Record<string, unknown> = {}): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { ...defs, M: { type: 'object', properties: { type: { const: 'm' }, v }, required: ['type'], additionalProperties: false } },
    }),
  });
}

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

describe('type names of $defs keys', () => {
  it('keeps a PascalCase key and joins the words of any other key in PascalCase', () => {
    expect(['Vec2', 'Oauth2Token', 'UserMessage'].map(typeNameOfKey)).toEqual(['Vec2', 'Oauth2Token', 'UserMessage']);
    expect(['check_run$completed', 'refToInteger', 'foo', 'a', 'content-type', 'x.y.z'].map(typeNameOfKey)).toEqual(['CheckRunCompleted', 'RefToInteger', 'Foo', 'A', 'ContentType', 'XYZ']);
  });

  it('keeps a key that gives no name, so that the IR builder refuses it with a hint', async () => {
    expect(typeNameOfKey('1st')).toBe('1st');
    expect(typeNameOfKey('名前')).toBe('名前');
    const e = await catchWsgen(() => schemaToIR(protocol({ $ref: '#/$defs/1st' }, { '1st': { type: 'string' } })));
    expect([e.code, e.message]).toEqual(['WSGEN_NAME', 'type name "1st" is not PascalCase letters and digits']);
  });

  it('refuses two keys that give one name, naming both places', async () => {
    const e = await catchWsgen(() => schemaToIR(protocol({ $ref: '#/$defs/user_id' }, { UserId: { type: 'string' }, user_id: { type: 'string' } })));
    expect(e.code).toBe('WSGEN_NAME');
    expect(e.message).toContain('type name "UserId" is defined twice');
    expect(e.location.pointer).toBe('/$defs/user_id');
    expect(e.hint).toContain('"user_id" and "userId" are both UserId');
  });
});

describe('inline objects and enums', () => {
  it('are named from their path, or their title, each after the type it is hoisted from', () => {
    const ir = schemaToIR(FIXTURE);
    expect(ir.objects.map((o) => o.name)).toEqual([
      'PresenceUpdate', 'PresenceUpdateUsersItem', 'PresenceUpdateUsersItemCursor', 'PresenceUpdateShapeCircle', 'PresenceUpdateShapeSquare', 'Layout',
      'PresenceUpdateByRegionValue', 'CheckRunCompleted',
    ]);
    expect(ir.enums.map((e) => e.name)).toEqual(['PresenceUpdateUsersItemStatus', 'CheckRunCompletedConclusion']);
  });

  it('keep the place\'s description, and an enum or type list that admits null becomes a nullable named type', () => {
    const ir = schemaToIR(FIXTURE);
    const conclusion = ir.objects.find((o) => o.name === 'CheckRunCompleted')!.properties.find((p) => p.name === 'conclusion')!;
    expect(conclusion).toMatchObject({ description: 'null until the run completes', required: true, type: { kind: 'nullable', inner: { kind: 'enum', name: 'CheckRunCompletedConclusion' } } });
    expect(ir.enums.find((e) => e.name === 'CheckRunCompletedConclusion')!.members.map((m) => m.value)).toEqual(['success', 'failure']);
    const cursor = ir.objects.find((o) => o.name === 'PresenceUpdateUsersItem')!.properties.find((p) => p.name === 'cursor')!;
    expect(cursor.type).toEqual({ kind: 'nullable', inner: { kind: 'object', name: 'PresenceUpdateUsersItemCursor' } });
  });

  it('point errors inside a hoisted type at the place it was written', async () => {
    const e = await catchWsgen(() => schemaToIR(protocol({ type: 'object', properties: { n: { type: 'integer', minimum: 'x' } } })));
    expect(e.location.pointer).toBe('/$defs/M/properties/v/properties/n/minimum');
  });

  it('refuse a name taken twice and never add a numbered suffix', async () => {
    const e1 = await catchWsgen(() => schemaToIR(protocol({ title: 'Layout', type: 'object', properties: { a: { type: 'string' } } }, { Layout: { type: 'string' } })));
    expect([e1.code, e1.location.pointer]).toEqual(['WSGEN_NAME', '/$defs/M/properties/v']);
    expect(e1.message).toContain('named "Layout" (its title)');
    expect(e1.hint).toContain('"title"');
    const e2 = await catchWsgen(() => schemaToIR(protocol({ type: 'object', properties: { a: { type: 'string' } } }, { MV: { type: 'string' } })));
    expect([e2.code, e2.message]).toEqual(['WSGEN_NAME', expect.stringContaining('named "MV" (its path)')]);
  });

  it('leave integer enums and untagged, untitled union branches inline', () => {
    const bundle = loadSchema(protocol({ oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'string' } } }], items: { enum: [1, 2] } }));
    const hoisted = hoistInline(bundle);
    expect(hoisted).toBe(bundle);
  });

  it('never mutate the loaded bundle, and give the same result twice', () => {
    const bundle = loadSchema(FIXTURE);
    for (const d of bundle.defs.values()) deepFreeze(d.schema);
    const a = hoistInline(bundle);
    const b = hoistInline(bundle);
    expect([...a.defs.keys()]).toEqual([...b.defs.keys()]);
    expect(JSON.stringify([...a.defs.values()].map((d) => d.schema))).toBe(JSON.stringify([...b.defs.values()].map((d) => d.schema)));
    expect([...bundle.defs.keys()]).toEqual(['PresenceUpdate', 'CheckRunCompleted']);
  });
});
