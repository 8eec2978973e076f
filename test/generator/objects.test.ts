/**
 * Objects as JSON Schema defines them (issue 9 row 3): open objects, a schema
 * for other keys, patternProperties, propertyNames, min/maxProperties and
 * dependentRequired; what the targets emit, what stays refused, and that both
 * targets word the issues alike. Verdicts against ajv's 2020-12 validator are
 * in fixtures-oracle.test.ts (test/fixtures/objects).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { componentSchemas } from '../../generator/asyncapi/schemas.js';
import { findBreaking } from '../../generator/breaking/compare.js';
import { schemaToIR } from '../../generator/index.js';
import { type Generated, generateBoth, pythonIssues } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const FIXTURE = join(ROOT, 'test/fixtures/objects');

/** A protocol of one message type `m` whose field `v` is the object `Obj` (plus more `$defs`). */
function protocol(obj: unknown, defs: Record<string, unknown> = {}): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { ...defs, Obj: obj, M: { type: 'object', properties: { type: { const: 'm' }, v: { $ref: '#/$defs/Obj' } }, required: ['type'], additionalProperties: false } },
    }),
  });
}

describe('the IR of object keywords', () => {
  it('an object without additionalProperties is open; with false it has no rules', () => {
    const open = schemaToIR(protocol({ type: 'object', properties: { a: { type: 'string' } } })).objects.find((o) => o.name === 'Obj')!;
    expect(open.rules).toEqual({ additional: { kind: 'any' }, patternProperties: [], dependentRequired: [] });
    const closed = schemaToIR(protocol({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false })).objects.find((o) => o.name === 'Obj')!;
    expect(closed.rules).toBeUndefined();
  });

  it('a propertyNames schema that is not about strings, or a closed allOf base narrowed without closing: Obj is a checked alias', () => {
    const base = { Base: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false } };
    for (const [obj, defs] of [[{ type: 'object', properties: {}, propertyNames: { type: 'integer' } }, {}], [{ allOf: [{ $ref: '#/$defs/Base' }], properties: { b: { type: 'string' } } }, base]] as const) {
      const ir = schemaToIR(protocol(obj, defs));
      expect(ir.objects.map((o) => o.name)).not.toContain('Obj');
      expect(ir.aliases.find((a) => a.name === 'Obj')!.type).toEqual({ kind: 'checked', key: 'Obj' });
      expect(ir.objects.find((o) => o.name === 'M')!.properties.find((p) => p.name === 'v')!.type).toEqual({ kind: 'alias', name: 'Obj' });
    }
  });

  it('refuses rules for other keys that hold a type containing the object (the Python class attribute would name a type not made yet), on every target', async () => {
    const e = await catchWsgen(() => schemaToIR(protocol({ type: 'object', properties: {}, additionalProperties: { $ref: '#/$defs/Obj' } })));
    expect([e.code, e.location.pointer]).toEqual(['WSGEN_UNSUPPORTED', '/$defs/Obj']);
    expect(e.message).toContain('hold Obj, which contains Obj');
  });

  it('wsgen breaking reports a change of the rules; the AsyncAPI export writes them', () => {
    const open = schemaToIR(protocol({ type: 'object', properties: { a: { type: 'string' } } }));
    const closed = schemaToIR(protocol({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }));
    expect(findBreaking(open, closed).map((f) => [f.rule, f.pointer])).toEqual([['TYPE_CHANGED', '/$defs/Obj']]);
    const fixture = componentSchemas(schemaToIR(FIXTURE)) as Record<string, Record<string, unknown>>;
    expect(fixture.Settings).not.toHaveProperty('additionalProperties');
    expect(fixture.Payment).toMatchObject({ additionalProperties: false, minProperties: 1, dependencies: { card: ['billing', 'cvc'] } });
    expect(fixture.Headers!.patternProperties).toHaveProperty('^x-');
  });

  it('checks patterns like every other pattern', async () => {
    const e = await catchWsgen(() => schemaToIR(protocol({ type: 'object', properties: {}, patternProperties: { '^\\d+$': { type: 'string' } } })));
    expect([e.code, e.location.pointer]).toEqual(['WSGEN_PATTERN', '/$defs/Obj/patternProperties/^\\d+$']);
  });
});

describe('what the targets emit for object keywords, and their issues on both', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(FIXTURE);
  }, 60_000);

  it('TypeScript: an index signature where other keys may appear; Python: RuledModel, extra keys kept, the rules listed', () => {
    const types = g.files.get('ts/types.ts')!;
    expect(types).toMatch(/export interface Settings \{[^}]*\[key: string\]: unknown;\n\}/);
    expect(types).toMatch(/export interface Payment \{[^}[]*\}/);
    const headers = g.files.get('python/wsgen_protocol/models/headers.py')!;
    expect(headers).toContain('class Headers(RuledModel):');
    expect(headers).toContain('model_config = ConfigDict(extra="allow")');
    expect(headers).toContain('ObjectRules(declared=("content-type", "x-trace"), patterns=(("^x-", str), ("-count$", Annotated[int, Integral(ge=0, le=9007199254740991)])))');
    const payment = g.files.get('python/wsgen_protocol/models/payment.py')!;
    expect(payment).not.toContain('extra="allow"');
    expect(payment).toContain('dependent_required=(("card", ("billing", "cvc")),)');
  });

  it('each keyword\'s issue reads alike on both targets (a value of another key reports its own failure at the key)', async () => {
    const texts = [
      { type: 'put', payment: { card: 'c', billing: 'b' } },
      { type: 'put', payment: {} },
      { type: 'put', counters: { a: 1, b: 2, c: 3, d: 4 } },
      { type: 'put', headers: { other: 'a' } },
      { type: 'put', labels: { id: 1, a: 'abcd' } },
      { type: 'put', headers: { 'x-a': 1 } },
      { type: 'put', settings: { theme: 'dark', any: { deep: [1] } } },
    ].map((m) => JSON.stringify(m));
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const ts = texts.map((t) => parse.parseMessage(t));
    const py = pythonIssues(g, texts);
    expect(py).toEqual(ts.map((r) => (r.ok ? null : r.errors)));
    expect(py[0]).toEqual([{ path: '/payment', keyword: 'dependentRequired', message: 'must have properties billing, cvc when property card is present', params: { property: 'card', missingProperty: 'cvc', depsCount: 2, deps: 'billing, cvc' } }]);
    expect(py[4]).toEqual([{ path: '/labels/a', keyword: 'maxLength', message: 'must NOT have more than 3 characters', params: { limit: 3 } }]);
    expect(py[6]).toBeNull();
  }, 60_000);

  it('Python keeps the keys an open object does not declare', () => {
    const script = 'from wsgen_protocol import parse_message\nr = parse_message(\'{"type":"note","text":"t","mood":"ok"}\')\nprint(r.ok, r.value.model_extra)\n';
    const out = execFileSync(join(ROOT, '.venv/bin/python'), ['-c', script], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8' });
    expect(out.trim()).toBe("True {'mood': 'ok'}");
  });
});
