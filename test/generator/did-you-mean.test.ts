import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { editDistance, nearestName } from '../../generator/suggest.js';
import { catchWsgen, writeSchema } from './helpers.js';

// Issue 9 "All errors in one run": a hint names a workaround where one exists. For a misspelt name (a
// $defs name in a $ref, a role, an annotation key, a format) the workaround is the name meant.

const S = 'https://json-schema.org/draft/2020-12/schema';
const msg = (tag: string, props: object, extra: object = {}) => ({ type: 'object', 'x-direction': 'server', properties: { kind: { const: tag }, ...props }, required: ['kind'], additionalProperties: false, ...extra });
const hints = async (defs: Record<string, unknown>, extra: Record<string, object> = {}) => {
  const variants = Object.keys(defs).filter((k) => (defs[k] as any).properties?.kind?.const !== undefined);
  const dir = writeSchema({
    'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: variants.map((v) => ({ $ref: `#/$defs/${v}` })), $defs: defs }),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, JSON.stringify(v)])),
  });
  return (await catchWsgen(() => schemaToIR(dir))).all().map((e) => [e.code, e.location.pointer, e.hint]);
};

describe('"did you mean" in the hint of a misspelt name', () => {
  it('a $defs name in a $ref, in this file and in another, and an anchor: the reference meant', async () => {
    const list = await hints({
      A: msg('a', { to: { $ref: '#/$defs/Vec3' }, team: { $ref: '#/$defs/Teem' }, x: { $ref: 'q.json#/$defs/colour' }, y: { $ref: '#pointt' }, z: { $ref: '#/$defs/Zzzzzz' } }),
      Vec2: { type: 'array', items: { type: 'number' } },
      Team: { type: 'object', properties: { name: { type: 'string' } } },
      P: { $anchor: 'point', type: 'string' },
    }, { 'q.json': { $schema: S, $defs: { Colour: { type: 'string', enum: ['red'] } } } });
    expect(list.map(([c, p]) => [c, p])).toEqual([
      ['WSGEN_REF', '/$defs/A/properties/to'], ['WSGEN_REF', '/$defs/A/properties/team'], ['WSGEN_REF', '/$defs/A/properties/x'], ['WSGEN_REF', '/$defs/A/properties/y'], ['WSGEN_REF', '/$defs/A/properties/z'],
    ]);
    expect(list.map(([, , h]) => h)).toEqual([
      'fix the JSON pointer, or define the subschema there; did you mean "#/$defs/Vec2"?',
      'fix the JSON pointer, or define the subschema there; did you mean "#/$defs/Team"?',
      'fix the JSON pointer, or define the subschema there; did you mean "q.json#/$defs/Colour"?',
      'fix the anchor name, or reference "#/$defs/Name"; did you mean "#point"?',
      // Nothing near: no guess.
      'fix the JSON pointer, or define the subschema there',
    ]);
  });

  it('a field role, a message role and an annotation key', async () => {
    const list = await hints({
      Failure: msg('failure', { code: { type: 'string', 'x-wsgen-role': 'error-cod' }, text: { type: 'string', 'x-wsgen-rol': 'error-text' } }, { 'x-wsgen-role': 'eror' }),
    });
    expect(list).toEqual([
      ['WSGEN_ROLE', '/$defs/Failure/properties/text/x-wsgen-rol', expect.stringMatching(/; did you mean "x-wsgen-role"\?$/)],
      ['WSGEN_ROLE', '/$defs/Failure/x-wsgen-role', expect.stringMatching(/; did you mean "error"\?$/)],
      ['WSGEN_ROLE', '/$defs/Failure/properties/code/x-wsgen-role', expect.stringMatching(/; did you mean "error-code"\?$/)],
    ]);
  });

  it('a format: the supported format meant, never a refused one', async () => {
    const list = await hints({ A: msg('a', { at: { type: 'string', format: 'date-tme' }, mail: { type: 'string', format: 'Email' }, host: { type: 'string', format: 'hostnam' } }) });
    expect(list.map(([c, p, h]) => [c, p, (h as string).match(/did you mean .*$/)?.[0] ?? null])).toEqual([
      ['WSGEN_UNSUPPORTED', '/$defs/A/properties/at/format', 'did you mean "date-time"?'],
      ['WSGEN_UNSUPPORTED', '/$defs/A/properties/mail/format', 'did you mean "email"?'],
      ['WSGEN_UNSUPPORTED', '/$defs/A/properties/host/format', null],
    ]);
  });
});

describe('nearestName', () => {
  it('edit distance counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect([editDistance('', 'abc'), editDistance('Vec3', 'Vec2'), editDistance('eror', 'error'), editDistance('ab', 'ba'), editDistance('kitten', 'sitting')]).toEqual([3, 1, 1, 1, 3]);
  });

  it('picks the nearest within a third of the length, case ignored first, ties by code-unit order, never the name itself', () => {
    expect(nearestName('Teem', ['Team', 'Term', 'Teams'])).toBe('Team');
    expect(nearestName('Teem', ['Term', 'Team'])).toBe('Team');
    expect(nearestName('vec2', ['Vec3', 'Vec2'])).toBe('Vec2');
    expect(nearestName('Player', ['Layer', 'Prayer'])).toBe('Prayer');
    expect(nearestName('Zzzzzz', ['Vec2', 'Team'])).toBeUndefined();
    expect(nearestName('Team', ['Team'])).toBeUndefined();
  });
});
