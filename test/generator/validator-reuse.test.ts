// Own schemas that differ only by their tag are compiled by ajv once (ts-validator-reuse.ts):
// each type's standalone code must be the code ajv writes for its own schema compiled on its
// own, up to the numbers of ajv's scope names (validate12), which stay inside each module.
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { emitTsValidators } from '../../generator/emit/ts-validators.js';
import { StandaloneCompiler, checkedEquivalents } from '../../generator/emit/ts-validator-reuse.js';
import { schemaToIR } from '../../generator/index.js';
import { ROOT, schemaVariant } from './helpers.js';

/** `code` with ajv's scope names numbered in order of first use (validate#0, schema#1, ...). */
function canonical(code: string): string {
  const seen = new Map<string, string>();
  return code.replace(/\b(validate|schema|func|wrapper|pattern)\d+\b/g, (w) => {
    if (!seen.has(w)) seen.set(w, `${w.replace(/\d+$/, '')}#${seen.size}`);
    return seen.get(w)!;
  });
}

const ajvOptions = { code: { source: true, esm: true, lines: true, optimize: 1 }, strict: true, strictTypes: false, inlineRefs: false, validateSchema: false, messages: true } as const;

/** An own schema of a type tagged `tag` on `type`, with `extra` properties. */
function own(tag: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'object', properties: { type: { const: tag }, n: { type: 'integer', minimum: 0 }, ...extra }, required: ['type', 'n'], additionalProperties: false };
}

/** Checked subschemas: A and B alike, C apart. */
const CHECKED = { A: { type: 'array', contains: { minimum: 10 } }, B: { type: 'array', contains: { minimum: 10 } }, C: { type: 'array', contains: { maximum: 1 } } };

/** An ajv instance holding CHECKED under wsgen:checked. */
function ajvWithChecked(): Ajv {
  const ajv = new Ajv(ajvOptions);
  ajv.addSchema({ $defs: CHECKED }, 'wsgen:checked');
  return ajv;
}

/** The standalone code of each schema with and without reuse, and the number of compilations each made. */
function both(schemas: Array<Record<string, unknown>>): { reused: string[]; each: string[]; compilations: [number, number] } {
  const equivalent = checkedEquivalents(CHECKED, 'wsgen:checked', new Set());
  const a = new StandaloneCompiler(ajvWithChecked(), true, equivalent);
  const b = new StandaloneCompiler(ajvWithChecked(), false);
  const reused = schemas.map((s, i) => a.code(s, `t:${i}`, `validateT${i}`, 'type'));
  const each = schemas.map((s, i) => b.code(s, `t:${i}`, `validateT${i}`, 'type'));
  return { reused, each, compilations: [a.compilations, b.compilations] };
}

describe('validators of types that differ only by their tag', () => {
  it('compile once, each module the code of its own schema compiled alone (tags that JSON escapes included)', () => {
    const tags = ['ping', 'pong', 'a"b\\c', 'line\u2028sep\u2029', 'é名', '</script>'];
    const { reused, each, compilations } = both(tags.map((t) => own(t)));
    expect(compilations).toEqual([1, tags.length]);
    reused.forEach((code, i) => expect(canonical(code)).toBe(canonical(each[i]!)));
    // And the code judges as the type's own: its tag, no other.
    for (const [i, code] of reused.entries()) expect(code).toContain(`export const validateT${i} = `);
  });

  it('compile once per distinct rest of the schema', () => {
    const schemas = [own('a'), own('b', { s: { type: 'string' } }), own('c'), own('d', { s: { type: 'string' } })];
    const { reused, each, compilations } = both(schemas);
    expect(compilations).toEqual([2, 4]);
    reused.forEach((code, i) => expect(canonical(code)).toBe(canonical(each[i]!)));
  });

  it('compile once when they reference checked subschemas of the same content, each module referencing its own', () => {
    const ref = (k: string) => ({ $ref: `wsgen:checked#/$defs/${k}` });
    const schemas = [own('a', { s: ref('A') }), own('b', { s: ref('B') }), own('c', { s: ref('C') }), own('d', { s: ref('A'), t: ref('B') }), own('e', { s: ref('B'), t: ref('A') })];
    const { reused, each, compilations } = both(schemas);
    // a and b share one template, c has its own; d and e reference two keys of one content: each compiled alone.
    expect(compilations).toEqual([4, 5]);
    reused.forEach((code, i) => expect(canonical(code)).toBe(canonical(each[i]!)));
    expect(reused[1]).toContain('wsgen:checked#/$defs/B');
    expect(reused[1]).not.toContain('wsgen:checked#/$defs/A');
  });

  it('compile each schema alone when the tag is no string constant or the placeholder text occurs elsewhere', () => {
    const schemas = [own(1), own(2), own('x', { note: { const: 'wsgen:tag-placeholder' } }), own('y', { note: { const: 'wsgen:tag-placeholder' } })];
    const { reused, each, compilations } = both(schemas);
    expect(compilations).toEqual([4, 4]);
    reused.forEach((code, i) => expect(code).toBe(each[i]));
  });
});

describe('emitTsValidators with reuse', () => {
  it.each([
    ['the bundled schema', join(ROOT, 'schema')],
    ['the whiteboard', join(ROOT, 'test/fixtures/whiteboard')],
    ['mini', join(ROOT, 'test/fixtures/mini')],
    [
      'a schema whose types check alike values (checked subschemas of one content)',
      schemaVariant((f) => {
        const scores = { type: 'array', items: { type: 'integer' }, contains: { minimum: 10 } };
        for (const t of ['Ping', 'Pong', 'StatusUpdate']) f['websocket-message.schema.json'].$defs[t].properties.scores = scores;
      }),
    ],
  ])('writes %s the modules compiling each type alone writes, up to scope-name numbers (first error and every error)', (_name, dir) => {
    const ir = schemaToIR(dir);
    for (const allErrors of [false, true]) {
      const ctx = { source: 'x', allErrors };
      const reused = emitTsValidators(ir, ctx, 'auto', true);
      const each = emitTsValidators(ir, ctx, 'auto', false);
      expect([...reused.keys()]).toEqual([...each.keys()]);
      for (const [file, code] of each) expect(canonical(reused.get(file)!), file).toBe(canonical(code));
    }
  });
});
