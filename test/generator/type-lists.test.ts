/**
 * Every `type` list, beside every kind of sibling keyword, is either exact on
 * both targets or refused (issue 8 item 19). Each case is tried in two places:
 * inline as a property, and as a named `$defs` entry the property refers to
 * (the shape GitHub's webhook schemas use). Accepted cases are then judged on
 * a fixed set of JSON values by the TS parser, the Python package, and ajv's
 * own 2020-12 validator on the raw schema.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WsgenError } from '../../generator/errors.js';
import { generate, schemaToIR } from '../../generator/index.js';
import { type Generated, type Verdicts, generateBoth, judge, typeCheck } from './differential.js';
import { tempDir } from './helpers.js';

const TYPES = ['string', 'integer', 'number', 'boolean', 'null', 'array', 'object'] as const;

/** Sibling keyword sets, by the type they constrain (and a few that fit no type). */
const SIBLINGS: Record<string, object[]> = {
  string: [{ minLength: 1 }, { maxLength: 2 }, { pattern: '^a' }],
  integer: [{ minimum: 1 }, { maximum: 3 }, { exclusiveMinimum: 0, exclusiveMaximum: 5 }],
  number: [{ minimum: 1.5 }, { exclusiveMaximum: 3 }],
  boolean: [],
  null: [],
  array: [{ items: { type: 'integer' } }, { minItems: 1, maxItems: 2 }],
  object: [{ additionalProperties: { type: 'integer' } }, { additionalProperties: true }, { properties: { a: { type: 'integer' } }, required: ['a'], additionalProperties: false }],
};
const CONSTS = ['a', 1, 1.5, true, null];

/** The type lists: each type alone, as a one-element list, with null, and lists of two non-null types. */
function typeLists(): unknown[] {
  const out: unknown[] = [];
  for (const t of TYPES) out.push(t, [t]);
  for (const t of TYPES) if (t !== 'null') out.push([t, 'null'], ['null', t]);
  out.push(['integer', 'number'], ['integer', 'number', 'null'], ['string', 'integer'], ['string', 'object', 'null'], ['boolean', 'null', 'string']);
  return out;
}

/** Every case: a type list with no sibling, with each sibling set of each type, and with each const. */
function cases(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const type of typeLists()) {
    out.push({ type });
    for (const t of TYPES) for (const sib of SIBLINGS[t]!) out.push({ type, ...sib });
    for (const c of CONSTS) out.push({ type, const: c });
  }
  return out;
}

const VALUES: unknown[] = [null, true, false, 0, 1, 1.5, 3, 5, -1, '', 'a', 'ab', 'abc', 'b', [], [1], [1, 2], [1, 2, 3], ['x'], {}, { a: 1 }, { a: 'x' }, { b: 2 }, { a: 1, b: 2 }];

const S = 'https://json-schema.org/draft/2020-12/schema';

function schemaOf(entries: Array<{ tag: string; prop: unknown; defs: Record<string, unknown> }>): object {
  const defs: Record<string, unknown> = {};
  for (const e of entries) {
    Object.assign(defs, e.defs);
    defs[`Msg${e.tag}`] = { type: 'object', properties: { type: { const: e.tag }, v: e.prop }, required: ['type'], additionalProperties: false };
  }
  return { $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: entries.map((e) => ({ $ref: `#/$defs/Msg${e.tag}` })), $defs: defs };
}

/** A case in one of its two places: inline, or as the named type `Val<tag>`. */
function placed(c: Record<string, unknown>, i: number, named: boolean): { tag: string; prop: unknown; defs: Record<string, unknown> } {
  const tag = `${named ? 'N' : 'I'}${i}`;
  return named ? { tag, prop: { $ref: `#/$defs/Val${tag}` }, defs: { [`Val${tag}`]: c } } : { tag, prop: c, defs: {} };
}

describe('type lists beside every sibling keyword are exact or refused (issue 8 item 19)', async () => {
  const all = cases();
  const accepted: Array<{ tag: string; prop: unknown; defs: Record<string, unknown>; what: string }> = [];
  const refused: string[] = [];
  for (const [i, c] of all.entries()) {
    for (const named of [false, true]) {
      const p = placed(c, i, named);
      const dir = tempDir();
      writeFileSync(join(dir, 'protocol.schema.json'), JSON.stringify(schemaOf([p])));
      const what = `${named ? '$defs' : 'inline'} ${JSON.stringify(c)}`;
      try {
        schemaToIR(dir);
        // A target may still refuse what the IR holds (the Python target and some consts).
        await generate({ schema: dir, out: join(dir, 'out') });
        accepted.push({ ...p, what });
      } catch (err) {
        if (!(err instanceof WsgenError)) throw err;
        refused.push(`${what}: ${err.code}`);
      }
    }
  }
  const schemaDir = tempDir();
  writeFileSync(join(schemaDir, 'protocol.schema.json'), JSON.stringify(schemaOf(accepted)));
  const messages = accepted.flatMap((a) => VALUES.map((v) => ({ what: `${a.what} on ${JSON.stringify(v)}`, text: JSON.stringify({ type: a.tag, v }) })));

  let g: Generated;
  let verdicts: Verdicts;
  beforeAll(async () => {
    g = await generateBoth(schemaDir);
    verdicts = await judge(g, schemaDir, 'protocol.schema.json', messages.map((m) => m.text));
  }, 600_000);

  it('accepts [T, "null"] of scalars as typed values, and what no typed type expresses as checked values (the nullable named object of GitHub\'s webhook schemas included)', () => {
    const what = accepted.map((a) => a.what);
    expect(what).toContain('inline {"type":["string","null"],"minLength":1}');
    expect(what).toContain('$defs {"type":["integer","number"],"minimum":1.5}');
    expect(what).toContain('inline {"type":["string"],"maxLength":2}');
    expect(what).toContain('$defs {"type":["null","array"],"minItems":1,"maxItems":2}');
    for (const c of [
      '$defs {"type":["object","null"],"properties":{"a":{"type":"integer"}},"required":["a"],"additionalProperties":false}',
      '$defs {"type":"string","const":1}',
      'inline {"type":["string","integer"]}',
      '$defs {"type":["boolean","null"],"const":"a"}',
    ]) {
      expect([c, what.includes(c), refused.some((r) => r.startsWith(c + ':'))]).toEqual([c, true, false]);
    }
    expect(accepted.length).toBeGreaterThan(100);
  });

  it('generates code that type-checks (tsc strict, mypy --strict, ruff)', () => typeCheck(g), 600_000);

  it('gives ajv 2020-12\'s verdict on every value, on both targets, for every accepted case', () => {
    const wrong = messages.flatMap((m, i) => (verdicts.ts[i] === verdicts.oracle[i] && verdicts.py[i] === verdicts.oracle[i] ? [] : [`${m.what}: oracle ${verdicts.oracle[i]}, ts ${verdicts.ts[i]}, python ${verdicts.py[i]}`]));
    expect(wrong).toEqual([]);
  });
});
