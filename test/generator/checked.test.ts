/**
 * Checked subschemas (issue 9, generator/checked.ts): what no typed IR type expresses is any JSON
 * value that the subschema decides, on both targets. References are resolved at generate time into
 * one `{"$defs"}` document; the issues read alike on both targets; checked values are bounded by the
 * nesting limit; what stays refused is refused with code and pointer. Verdicts against ajv's 2020-12
 * validator on the raw schema are in fixtures-oracle.test.ts (test/fixtures/checked).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, schemaToIR } from '../../generator/index.js';
import { type Generated, generateBoth, pythonIssues } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** A protocol of one message type `M` whose field `v` is `v` (plus more files). */
function protocol(v: unknown, extra: Record<string, string> = {}): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { M: { type: 'object', properties: { type: { const: 'm' }, v }, required: ['type'], additionalProperties: false } },
    }),
    ...extra,
  });
}

/** Every `$ref` string in a JSON value. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refs(x, out);
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) (k === '$ref' && typeof x === 'string' ? out.push(x) : refs(x, out));
  return out;
}

describe('the checked document', () => {
  it('resolves $ref to "#", JSON pointers into any place, $anchor, embedded $id bases and other files, all rewritten to #/$defs/<key>', () => {
    const ir = schemaToIR(protocol({
      $id: 'https://example.test/v.json',
      properties: {
        self: { $ref: '#' },
        ptr: { $ref: '#/properties/anchored' },
        anchored: { $anchor: 'pos', type: 'integer', minimum: 0 },
        byAnchor: { $ref: '#pos' },
        inner: { $id: 'inner.json', $defs: { n: { type: 'null' } }, $ref: '#/$defs/n' },
        other: { $ref: 'lib.json#/$defs/Thing/properties/x' },
      },
      $comment: 'dropped', 'x-note': 'dropped',
    }, { 'lib.json': JSON.stringify({ $id: 'https://example.test/lib.json', $defs: { Thing: { type: 'object', properties: { x: { type: 'string', maxLength: 2 } } } } }) }));
    const doc = ir.checked;
    const v = doc['M.properties.v'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(v)).toEqual(['properties']);
    expect(v.properties!.self).toEqual({ $ref: '#/$defs/M.properties.v' });
    expect(v.properties!.ptr).toEqual({ $ref: '#/$defs/M.properties.v.properties.anchored' });
    expect(v.properties!.byAnchor).toEqual({ $ref: '#/$defs/M.properties.v.properties.anchored' });
    expect(doc['M.properties.v.properties.anchored']).toEqual({ type: 'integer', minimum: 0 });
    // The embedded resource's "#/$defs/n" is its own n, not the document root's.
    expect(doc[(v.properties!.inner as { $ref: string }).$ref.slice(8)]).toEqual({ type: 'null' });
    expect(doc[(v.properties!.other as { $ref: string }).$ref.slice(8)]).toEqual({ type: 'string', maxLength: 2 });
    for (const r of refs(doc)) expect(Object.keys(doc)).toContain(r.replace(/^#\/\$defs\//, ''));
    for (const key of Object.keys(doc)) expect(key).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(JSON.stringify(doc)).not.toMatch(/"\$(id|anchor|schema|comment)"|x-note/);
  });

  it('keeps a $ref inside const or enum as data', () => {
    const ir = schemaToIR(protocol({ enum: [{ $ref: '#/nowhere' }] }));
    expect(ir.checked['M.properties.v']).toEqual({ enum: [{ $ref: '#/nowhere' }] });
  });

  it('refuses $dynamicRef, a format without an exact implementation and an unportable pattern, each at its pointer', async () => {
    for (const [v, code, pointer] of [
      [{ $dynamicRef: '#x' }, 'WSGEN_UNSUPPORTED', '/$defs/M/properties/v/$dynamicRef'],
      [{ not: { format: 'hostname' } }, 'WSGEN_UNSUPPORTED', '/$defs/M/properties/v/not/format'],
      [{ not: { pattern: '^\\d$' } }, 'WSGEN_PATTERN', '/$defs/M/properties/v/not/pattern'],
      [{ not: { const: 9007199254740993 } }, 'WSGEN_UNSUPPORTED', '/$defs/M/properties/v/not/const'],
    ] as const) {
      const e = await catchWsgen(() => schemaToIR(protocol(v)));
      expect([e.code, e.location.pointer]).toEqual([code, pointer]);
      expect(e.hint.length).toBeGreaterThan(10);
    }
  });
});

describe('both targets on checked values', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(join(ROOT, 'test/fixtures/checked'));
  }, 120_000);

  it('word each issue alike: JSON pointer into the value, ajv\'s keyword, params and message', async () => {
    const deep = (n: number): unknown => (n === 0 ? 1 : [deep(n - 1)]);
    const texts = [
      { type: 'keywords', both: 5 },
      { type: 'keywords', loose: 'a' },
      { type: 'keywords', deps: { card: 1 } },
      { type: 'keywords', sealed: { a: 1, c: 2 } },
      { type: 'arrays', pair: ['a', 'b'] },
      { type: 'arrays', set: [{ a: 1, b: 2 }, { b: 2, a: 1 }] },
      { type: 'values', fixed: { k: [1, 1] } },
      { type: 'refs', tree: [1, ['x']] },
      { type: 'refs', tree: [9007199254740993] },
    ].map((m) => JSON.stringify(m).replace('9007199254740992', '9007199254740993'));
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const ts = texts.map((t) => parse.parseMessage(t));
    const py = pythonIssues(g, texts);
    expect(py).toEqual(ts.map((r) => (r.ok ? null : r.errors)));
    expect(py[0]).toEqual([{ path: '/both', keyword: 'not', message: 'must NOT be valid', params: {} }]);
    expect(py[4]).toEqual([{ path: '/pair/1', keyword: 'type', message: 'must be integer', params: { type: 'integer' } }]);
    expect((py[8] as Array<{ keyword: string }>)[0]!.keyword).toBe('number');
    // Nested past the limit: refused before validation on both targets.
    const tooDeep = JSON.stringify({ type: 'refs', tree: deep(200) });
    expect([parse.parseMessage(tooDeep).ok, (pythonIssues(g, [tooDeep])[0] as Array<{ keyword: string }>)[0]!.keyword]).toEqual([false, 'depth']);
  }, 60_000);

  it('TypeScript types a checked value by what its keywords imply (test/generator/checked-types.test.ts); Python as Any with the checked validator', () => {
    const types = g.files.get('ts/types.ts')!;
    expect(types).toMatch(/both\?: number;\n {2}cond\?: unknown;/);
    // A tuple without minItems; unevaluatedItems as the rest where nothing else evaluates items; a cycle through an unnamed subschema.
    for (const line of ['pair?: [string?, number?];', 'rest?: [number?, ...string[]];', 'tree?: number | unknown[];', 'set?: unknown[];']) expect(types).toContain(`  ${line}`);
    expect(g.files.get('python/wsgen_protocol/models/keywords.py')).toContain('both: Annotated[Any, checked("Keywords.properties.both")] = None');
  });
});
