/**
 * TypeScript types of checked values (README "Checked values", generator/emit/ts-checked-types.ts): the tightest
 * type the subschema's keywords imply that every valid value satisfies. A tuple (`prefixItems`, `items: false`)
 * is `[number, number]`, a `uniqueItems` array of a named object is `PlayerInput[]`, an enum of any JSON is a
 * union of literal types, `allOf` an intersection; what no type says stays `unknown`. The fixture is
 * test/fixtures/checked-types; that every valid instance of the JSON-Schema-Test-Suite still type-checks is in
 * test/jsts/types.test.ts. Validation is unchanged, and the Python models keep `Any` with the checked validator
 * (except a fixed-shape tuple: checked-tuples-py.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { intersectionOf, literalType, unionOf } from '../../generator/emit/ts-checked-types.js';
import { type Generated, generateBoth } from './differential.js';
import { ROOT, strictTsc } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/checked-types');

/** The declarations of a generated TS file without their doc comments, one per line. */
function declarations(text: string): string {
  return text.replace(/\/\*\*[\s\S]*?\*\/\n/g, '');
}

describe('the TS type of each checked keyword', () => {
  let g: Generated;
  let enums: string;
  let types: string;
  beforeAll(async () => {
    g = await generateBoth(FIXTURE);
    enums = declarations(g.files.get('ts/enums.ts')!);
    types = declarations(g.files.get('ts/types.ts')!);
  }, 120_000);

  it('prefixItems with items: false is a tuple, its elements optional from minItems on', () => {
    expect(enums).toContain('export type Vec2 = [number, number];');
    expect(enums).toContain('export type Span = [number, number?];');
    expect(enums).toContain('export type Cell = [(string | null)?, (1 | 2)?];');
  });

  it('prefixItems with an items schema is a tuple with a rest element, recursive where the schema is', () => {
    expect(enums).toContain('export type Path = [string, ...Vec2[]];');
    expect(enums).toContain('export type Tree = [string, ...Tree[]];');
  });

  it('a $ref at a direct place of an alias names the alias; two aliases that hold each other through an array are named both ways (a cycle that only applies in place is refused: ref-cycles.test.ts)', () => {
    expect(enums).toContain('export type Pos = Vec2;');
    expect(enums).toContain('export type Word = Amount | string;');
    expect(enums).toContain('export type Amount = Word[] | number;');
    expect(types).toContain('  words?: Word[];');
  });

  it('uniqueItems and contains/minContains arrays are arrays of their items: a named object in its wire form (no defaults are filled in a checked value)', () => {
    expect(types).toMatch(/export interface Team \{\n {2}name: string;\n {2}members: PlayerInput\[\];\n {2}tags\?: string\[\];\n\}/);
  });

  it('enum and const of any JSON values are unions of literal types; a $ref to an enum with null is its literals, null included', () => {
    expect(types).toContain("  level?: 1 | 'max' | null | { a: 1 } | [1, 2];");
    expect(types).toContain('  origin?: { x: 0; y: 0 };');
    expect(types).toContain("  colors?: Array<'red' | 'blue' | null>;");
  });

  it('allOf is the intersection of its parts, $ref a named type; not, and what no keyword types, stay unknown', () => {
    expect(types).toContain('  size?: { w: number; [key: string]: unknown } & { h: number; [key: string]: unknown };');
    expect(types).toContain('  at?: Vec2;');
    expect(types).toContain('  other?: unknown;');
  });

  it('leaves the Python models as they are: Any with the checked validator', () => {
    expect(g.files.get('python/wsgen_protocol/models/setup.py')).toContain('at: Annotated[Any, checked("Setup.properties.at")] = None');
  });

  it('types what parsing returns: a Player inside a checked value keeps class absent (the wire form PlayerInput), and validation refuses what the type refuses', async () => {
    const parse = await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href);
    const r = parse.parseMessage('{"type":"joined","team":{"name":"red","members":[{"id":"p1"}]}}');
    expect(r.ok && r.value.team.members[0]).toEqual({ id: 'p1' });
    for (const to of ['"not a tuple"', '[1]', '[1,2,3]', '[1,"2"]']) expect(parse.parseMessage(`{"type":"move","to":${to}}`).ok).toBe(false);
    expect(parse.parseMessage('{"type":"move","to":[1,2]}').ok).toBe(true);
  });

  it('compiles the right sends and refuses the wrong ones (tsc strict, exactOptionalPropertyTypes)', () => {
    const probe = [
      "import { parseMessage, isMove, type Vec2 } from './generated/ts/index.js';",
      `import type { Body, MessageOf } from '${join(ROOT, 'runtime/client/protocol.js')}';`,
      "import { protocol } from './generated/ts/protocol.js';",
      'type P = typeof protocol;',
      "export const ok: Body<P, 'move'> = { to: [1, 2], span: [0], path: ['p', [0, 0], [1, 1]], tree: ['root', ['leaf']], cell: [null, 2] };",
      "export const full: Body<P, 'setup'> = { level: { a: 1 }, origin: { x: 0, y: 0 }, size: { w: 1, h: 2, d: 3 }, at: [1, 2], colors: ['red', null], other: 1 };",
      "export const emptyCell: Body<P, 'move'> = { to: [1, 2], cell: [] };",
      "// @ts-expect-error a grade the enum does not list",
      "export const badCell: Body<P, 'move'> = { to: [1, 2], cell: ['a', 3] };",
      "// @ts-expect-error a string is no Vec2",
      "export const notTuple: Body<P, 'move'> = { to: 'not a tuple' };",
      "// @ts-expect-error Vec2 has exactly two numbers",
      "export const three: Body<P, 'move'> = { to: [1, 2, 3] };",
      "// @ts-expect-error Vec2 has two numbers, not one",
      "export const one: Body<P, 'move'> = { to: [1] };",
      "// @ts-expect-error a Span has at most two",
      "export const longSpan: Body<P, 'move'> = { to: [1, 2], span: [1, 2, 3] };",
      "// @ts-expect-error the points of a Path are Vec2",
      "export const badPath: Body<P, 'move'> = { to: [1, 2], path: ['p', [1]] };",
      "// @ts-expect-error a level the enum does not list",
      "export const badLevel: Body<P, 'setup'> = { level: 2 };",
      "// @ts-expect-error size needs h",
      "export const badSize: Body<P, 'setup'> = { size: { w: 1 } };",
      "// @ts-expect-error a colour the enum does not list",
      "export const badColor: Body<P, 'setup'> = { colors: ['green'] };",
      "export function members(m: MessageOf<P, 'joined'>): number {",
      '  const first = m.team.members[0];',
      '  // @ts-expect-error class is not filled in inside a checked value: it may be absent',
      "  const c: 'warrior' | 'mage' = first!.class;",
      '  void c;',
      '  return m.team.members.length + (m.team.tags?.length ?? 0);',
      '}',
      'export function check(x: unknown): number {',
      '  if (isMove(x)) { const to: Vec2 = x.to; return to[0] + to[1]; }',
      "  const r = parseMessage('{}');",
      "  return r.ok && r.value.type === 'joined' ? r.value.team.members.length : 0;",
      '}',
    ].join('\n');
    writeFileSync(join(g.dir, 'probe.ts'), probe);
    expect(strictTsc(g.dir, ['probe.ts', 'generated/ts/**/*.ts'])).toBe('');
  }, 120_000);
});

describe('the type expressions', () => {
  it('writes literal types of any JSON value, an empty object as one without keys', () => {
    expect(literalType({ 'content-type': 'a\'b', n: [1.5, null, true], e: {} })).toBe("{ 'content-type': 'a\\'b'; n: [1.5, null, true]; e: { [key: string]: never } }");
  });

  it('parenthesizes a union inside an intersection, not a | inside a string literal or brackets', () => {
    expect(intersectionOf(['A | B', 'C'])).toBe('(A | B) & C');
    expect(intersectionOf(["'a|b'", '{ x: A | B }', 'unknown'])).toBe("'a|b' & { x: A | B }");
    expect(intersectionOf(['A', 'never'])).toBe('never');
    expect(unionOf(['A', 'never', 'A'])).toBe('A');
    expect(unionOf(['A', 'unknown'])).toBe('unknown');
  });
});
