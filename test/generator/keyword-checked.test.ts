/**
 * Checked subschemas that ajv judges apart from JSON Schema 2020-12 (generator/ajv-gaps.ts): the annotations
 * unevaluated* read, contains beside prefixItems, "" in required/dependentRequired. The TypeScript target decides
 * them with wsgen's keyword checker (generator/shipped/ts/keywords.js, emit/ts-checked.ts), the Python target with
 * _keywords.py: both give the standard's verdict and the same issues; the rest of the checked subschemas stays ajv's,
 * and the checker's modules go only into outputs that need them. The checker itself: test/python/test_keywords_js.py.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { keywordCheckedKeys } from '../../generator/ajv-gaps.js';
import { generate, schemaToIR } from '../../generator/index.js';
import { loadParser } from '../../generator/validate-messages.js';
import { type Generated, generateBoth, pythonIssues } from './differential.js';
import { writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** Each field: a subschema ajv 8.20 judges apart from the standard, and values with the standard's verdict. */
const FIELDS: Record<string, [schema: unknown, cases: Array<[value: unknown, valid: boolean]>]> = {
  containsEvaluates: [{ type: 'array', contains: { const: 1 }, unevaluatedItems: false }, [[[1], true], [[1, 1], true], [[2, 1], false], [[], false]]],
  ifAlone: [{ if: { properties: { a: true } }, unevaluatedProperties: false }, [[{ a: 1 }, true], [{ b: 1 }, false], [{}, true]]],
  anyOfItems: [{ anyOf: [{ items: { type: 'string' } }, true], unevaluatedItems: { type: 'boolean' } }, [[['yes', false], false], [['a', 'b'], true], [[true], true]]],
  anyOfPrefix: [{ anyOf: [{ prefixItems: [{ const: 'a' }] }, { minItems: 1 }], unevaluatedItems: false }, [[['b'], false], [['a'], true]]],
  failedIf: [{ if: { prefixItems: [{ const: 'a' }] }, then: { minItems: 1 }, else: { minItems: 1 }, unevaluatedItems: false }, [[['b'], false], [['a'], true]]],
  inherited: [{ patternProperties: { '^a': true }, unevaluatedProperties: false }, [[{ toString: 'x' }, false], [{ ab: 1 }, true]]],
  shortPrefix: [{ prefixItems: [{ const: 'x' }], contains: { const: 'y' } }, [[[], false], [['x', 'y'], true], [['x'], false]]],
  emptyRequired: [{ required: [''] }, [[{}, false], [{ '': 1 }, true]]],
  emptyDependency: [{ dependentRequired: { a: [''] } }, [[{ a: 1 }, false], [{ a: 1, '': 2 }, true], [{}, true]]],
  ajvJudged: [{ type: 'array', contains: { const: 1 }, maxItems: 2 }, [[[1], true], [[], false], [[2, 1, 1], false]]],
};

/** A protocol of one message type `M` with the fields `fields` (each optional). */
function protocol(fields: Record<string, unknown>): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
      $defs: { M: { type: 'object', properties: { type: { const: 'm' }, ...fields }, required: ['type'], additionalProperties: false } },
    }),
  });
}

const TEXTS = Object.entries(FIELDS).flatMap(([field, [, cases]]) => cases.map(([value]) => JSON.stringify({ type: 'm', [field]: value })));
const VALID = Object.values(FIELDS).flatMap(([, cases]) => cases.map(([, valid]) => valid));

let g: Generated;
let dir: string;
beforeAll(async () => {
  dir = protocol(Object.fromEntries(Object.entries(FIELDS).map(([k, [schema]]) => [k, schema])));
  g = await generateBoth(dir);
}, 120_000);

describe('what ajv judges apart from JSON Schema 2020-12', () => {
  it('is decided by the keyword checker on the TS target: every key reaching it, no other', () => {
    const ir = schemaToIR(dir);
    const keys = [...keywordCheckedKeys(ir.checked)].sort();
    expect(keys).toEqual(Object.keys(FIELDS).filter((f) => f !== 'ajvJudged').map((f) => `M.properties.${f}`).sort());
    // A reference reaches what it refers to.
    const viaRef = schemaToIR(protocol({ a: { $ref: '#/$defs/M/properties/b' }, b: { required: [''] }, c: { not: { required: ['x'] } } }));
    expect([...keywordCheckedKeys(viaRef.checked)].sort()).toEqual(['M.properties.a', 'M.properties.b']);
  });

  it('gets the standard\'s verdict and the same issues on both targets', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const ts = TEXTS.map((t) => parse.parseMessage(t));
    expect(ts.map((r) => r.ok)).toEqual(VALID);
    const py = pythonIssues(g, TEXTS);
    expect(py).toEqual(ts.map((r) => (r.ok ? null : r.errors)));
    expect(py[TEXTS.indexOf('{"type":"m","shortPrefix":[]}')]).toEqual([{ path: '/shortPrefix', keyword: 'contains', message: 'must contain at least 1 valid item(s)', params: { minContains: 1 } }]);
    expect(py[TEXTS.indexOf('{"type":"m","anyOfPrefix":["b"]}')]).toEqual([{ path: '/anyOfPrefix', keyword: 'unevaluatedItems', message: 'must NOT have more than 0 items', params: { limit: 0 } }]);
  }, 60_000);

  it('lists every error with allErrors (wsgen validate), at the value\'s path', async () => {
    const parse = await loadParser(schemaToIR(dir), { allErrors: true });
    expect(TEXTS.map((t) => parse(t).ok)).toEqual(VALID);
    const r = parse(JSON.stringify({ type: 'm', ifAlone: { b: 1, c: 2 }, containsEvaluates: [2, 3] }));
    expect(r.ok ? [] : r.errors.map((e) => [e.path, e.keyword])).toEqual([
      ['/containsEvaluates/0', 'const'], ['/containsEvaluates/1', 'const'], ['/containsEvaluates', 'contains'], ['/containsEvaluates', 'unevaluatedItems'],
      ['/ifAlone', 'unevaluatedProperties'], ['/ifAlone', 'unevaluatedProperties'],
    ]);
  });

  it('ships the keyword checker only into outputs that use it', async () => {
    expect([...g.files.keys()].filter((f) => /^ts\/(checked|keyword)/.test(f)).sort()).toEqual(['ts/checked.js', 'ts/keyword-applicators.js', 'ts/keyword-checks.js', 'ts/keywords.d.ts', 'ts/keywords.js']);
    const plain = await generate({ schema: protocol({ x: FIELDS.ajvJudged![0] }), out: join(dir, 'unused'), targets: ['ts'] });
    expect([...plain.files.keys()].filter((f) => /(checked|keyword)/.test(f))).toEqual([]);
  });
});
