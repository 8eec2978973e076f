/**
 * A `$defs` enum that admits null (issue 9 row 8) is a typed nullable enum, as an inline one is: the enum of its
 * other members (in `protocol.enums`), `X | null` in TypeScript and `X | None` in Python at every `$ref`, with the
 * same issues on both targets. The oracle verdicts and the type checks of the fixture are in fixtures-oracle.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { type Generated, generateBoth, pythonIssues } from './differential.js';
import { ROOT, writeSchema } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/nullable-enums');
const S = 'https://json-schema.org/draft/2020-12/schema';

let g: Generated;
beforeAll(async () => {
  g = await generateBoth(FIXTURE);
}, 120_000);

describe('a $defs enum that admits null', () => {
  it('is an enum of its other members, nullable at each place (property, array item, record value, union branch)', () => {
    const ir = schemaToIR(FIXTURE);
    expect(ir.enums.map((e) => [e.name, e.members.map((m) => m.value)])).toEqual([['StrokeDeadNull', ['on', 'off']], ['StrokeUnlistedNull', ['on', 'off']], ['Color', ['red', 'blue']], ['Tone', ['light', 'dark']], ['Level', [1, 2]]]);
    // Where one keyword rejects the null another lists, null stays invalid: an enum that is not nullable.
    expect(ir.aliases).toEqual([]);
    const props = Object.fromEntries(ir.objects[0]!.properties.map((p) => [p.name, p.type]));
    const nullableEnum = (name: string) => ({ kind: 'nullable', inner: { kind: 'enum', name } });
    expect(props.color).toEqual(nullableEnum('Color'));
    expect(props.tone).toEqual(nullableEnum('Tone'));
    expect(props.level).toEqual(nullableEnum('Level'));
    expect(props.unset).toEqual({ kind: 'null' });
    expect(props.palette).toMatchObject({ kind: 'array', items: nullableEnum('Color') });
    expect(props.by_layer).toMatchObject({ kind: 'record', values: nullableEnum('Tone') });
    expect(props.either).toMatchObject({ kind: 'union', variants: [nullableEnum('Color'), { kind: 'integer' }] });
    expect(props.unlisted_null).toEqual({ kind: 'enum', name: 'StrokeUnlistedNull' });
    expect(props.dead_null).toEqual({ kind: 'enum', name: 'StrokeDeadNull' });
  });

  it('is typed X | null in TypeScript, X | None in Python, and listed in protocol.enums on both targets', () => {
    const ts = readFileSync(join(g.dir, 'generated/ts/types.ts'), 'utf8');
    expect(ts).toContain('  color: Color | null;\n');
    expect(ts).toContain('  palette?: Array<Color | null>;\n');
    expect(ts).toContain('  by_layer?: { [key: string]: Tone | null };\n');
    const py = readFileSync(join(g.dir, 'generated/python/wsgen_protocol/models/stroke.py'), 'utf8');
    expect(py).toContain('    color: Annotated[Color, WireEnum] | None\n');
    expect(py).toContain('    level: Annotated[Level, WireEnum] | None = None\n');
    expect(readFileSync(join(g.dir, 'generated/ts/protocol.ts'), 'utf8')).toMatch(/'Color': \['red', 'blue'\],\n\s+'Tone': \['light', 'dark'\],\n\s+'Level': \[1, 2\],/);
    const pyProtocol = readFileSync(join(g.dir, 'generated/python/wsgen_protocol/protocol.py'), 'utf8');
    expect(pyProtocol).toMatch(/"Color": \("red", "blue"\)/);
    expect(pyProtocol).toMatch(/"Level": \(1, 2\)/);
  });

  it('gives the same verdict and first issue on both targets for null, members and non-members (the error-shape contract)', async () => {
    const texts = [
      { kind: 'stroke', color: null, tone: null, level: null },
      { kind: 'stroke', color: 'blue', level: 1 },
      { kind: 'stroke', color: 'green' },
      { kind: 'stroke', color: 'red', level: 3 },
      { kind: 'stroke', color: 'red', palette: ['pink', null] },
      { kind: 'stroke', color: 'red', by_layer: { a: 7 } },
      { kind: 'stroke', color: 'red', unset: 'red' },
    ].map((m) => JSON.stringify(m));
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const ts = texts.map((t) => parse.parseMessage(t));
    expect(ts.map((r) => r.ok)).toEqual([true, true, false, false, false, false, false]);
    const first = (errors: unknown[] | null) => (errors === null ? null : errors[0]);
    expect(pythonIssues(g, texts).map(first)).toEqual(ts.map((r) => (r.ok ? null : r.errors[0])));
    expect(ts[2]!.ok ? undefined : ts[2]!.errors[0]).toEqual({ path: '/color', keyword: 'enum', message: 'must be equal to one of the allowed values', params: { allowedValues: ['red', 'blue'] } });
  }, 60_000);

  it.each([
    ['type "string" beside null in the enum (null never passes the type)', { type: 'string', enum: ['a', null] }],
    ['null twice', { enum: ['a', null, null] }],
    ['null alone', { enum: [null] }],
  ])('stays as it was when the rule does not apply: %s', (_name, def) => {
    const dir = writeSchema({ 'p.json': JSON.stringify({ $schema: S, title: 'P', discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/$defs/M' }], $defs: { M: { type: 'object', properties: { kind: { const: 'm' }, v: { $ref: '#/$defs/E' } }, required: ['kind'], additionalProperties: false }, E: def } }) });
    let ir;
    try {
      ir = schemaToIR(dir);
    } catch {
      return; // refused, as before
    }
    expect(ir.enums.find((e) => e.name === 'E')).toBeUndefined();
  });

  it('as the root type of an untagged root, stays a checked value (the root parser reads the whole schema)', () => {
    const ir = schemaToIR(writeSchema({ 'color.json': JSON.stringify({ $schema: S, title: 'Color', enum: ['red', null] }) }));
    expect(ir.root).toEqual({ tagged: false, name: 'Color', kind: 'alias' });
    expect(ir.enums).toEqual([]);
    expect(ir.aliases.map((a) => [a.name, a.type.kind])).toEqual([['Color', 'checked']]);
  });
});
