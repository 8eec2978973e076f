/**
 * `multipleOf` by exact decimal arithmetic on both targets (issue 9 row 7,
 * generator/decimal-multiple.ts): the fixture test/fixtures/multiple-of
 * generates, type-checks and gives the decimal verdict on both targets (where
 * ajv's own float check rejects 19.99 for 0.01); the runtime functions of both
 * targets agree on random numbers; issues read as ajv's.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { decimalOf } from '../../generator/decimal-multiple.js';
import { type Generated, generateBoth, judge, pythonIssues, typeCheck } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/multiple-of');
const PYTHON = join(ROOT, '.venv/bin/python');
const S = 'https://json-schema.org/draft/2020-12/schema';

/** [name, message text, valid]: texts, so that the number is written as a sender would. */
const MESSAGES: Array<[string, string, boolean]> = [
  ['a price in cents', '{"type":"price","amount":19.99}', true],
  ['another price ajv\'s float check rejects', '{"type":"price","amount":1.13}', true],
  ['a price with a tenth of a cent', '{"type":"price","amount":19.995}', false],
  ['0.1 + 0.2 as a double writes it', '{"type":"price","amount":0.30000000000000004}', false],
  ['a whole price', '{"type":"price","amount":20}', true],
  ['a price in exponent form', '{"type":"price","amount":1.5e1}', true],
  ['zero', '{"type":"price","amount":0}', true],
  ['a negative price fails minimum first', '{"type":"price","amount":-0.015}', false],
  ['a multiple of 1.5', '{"type":"price","step":-4.5}', true],
  ['not a multiple of 1.5', '{"type":"price","step":35}', false],
  ['a multiple of 1e-7', '{"type":"price","tiny":0.0000003}', true],
  ['not a multiple of 1e-7', '{"type":"price","tiny":3.00000001e-7}', false],
  ['an even integer', '{"type":"price","even":10}', true],
  ['an even integer written 1e1', '{"type":"price","even":1e1}', true],
  ['an odd integer', '{"type":"price","even":7}', false],
  ['integers in an array', '{"type":"price","lots":[5,10,0,-15]}', true],
  ['an integer in an array that is not a multiple', '{"type":"price","lots":[5,12]}', false],
];

describe('test/fixtures/multiple-of: decimal multipleOf on both targets', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(FIXTURE);
  }, 120_000);

  it('type-checks under tsc strict, mypy --strict and ruff', () => typeCheck(g), 240_000);

  it('gives the decimal verdict on every message, on both targets', async () => {
    const v = await judge(g, FIXTURE, 'protocol.schema.json', MESSAGES.map(([, t]) => t));
    expect(MESSAGES.map(([name], i) => `${name}: ts ${v.ts[i]}, python ${v.py[i]}`)).toEqual(MESSAGES.map(([name, , ok]) => `${name}: ts ${ok}, python ${ok}`));
    // ajv's own float check (the oracle) rejects 19.99 for 0.01: the rule is wsgen's, not ajv's.
    expect(v.oracle[0]).toBe(false);
  });

  it('words the issue as ajv does, on both targets', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const texts = ['{"type":"price","amount":19.995}', '{"type":"price","tiny":3.00000001e-7}', '{"type":"price","lots":[5,12]}'];
    const ts = texts.map((t) => {
      const r = parse.parseMessage(t);
      return r.ok ? null : r.errors.map((e) => ({ path: e.path, keyword: e.keyword, message: e.message, params: e.params }));
    });
    expect(ts).toEqual([
      [{ path: '/amount', keyword: 'multipleOf', message: 'must be multiple of 0.01', params: { multipleOf: 0.01 } }],
      [{ path: '/tiny', keyword: 'multipleOf', message: 'must be multiple of 1e-7', params: { multipleOf: 1e-7 } }],
      [{ path: '/lots/1', keyword: 'multipleOf', message: 'must be multiple of 5', params: { multipleOf: 5 } }],
    ]);
    expect(pythonIssues(g, texts)).toEqual(ts);
  });

  it('agrees with the Python rule on 20,000 random numbers and multipleOf values', async () => {
    const runtime = (await import(pathToFileURL(join(g.dir, 'generated/ts/runtime.js')).href)) as { decimalMultiple: (x: number, d: bigint, e: number) => boolean };
    let seed = 7;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const ms = [0.01, 0.1, 1.5, 1e-7, 2, 5, 0.25, 1e-8, 0.123456789, 1e21];
    const cases: Array<[number, number]> = [];
    for (let i = 0; i < 20_000; i++) {
      const m = ms[i % ms.length]!;
      const r = next();
      // Multiples, near-multiples and arbitrary doubles of every magnitude.
      const x = r < 0.4 ? Math.round(next() * 1e6) * m : r < 0.7 ? Math.round(next() * 1e6) / 100 : (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20);
      cases.push([x, m]);
    }
    const ts = cases.map(([x, m]) => {
      const { digits, exponent } = decimalOf(m);
      return runtime.decimalMultiple(x, digits, exponent);
    });
    const script = 'import json, sys\nfrom wsgen_protocol._numbers import decimal_multiple\nout = []\nfor x, digits, exponent in json.load(sys.stdin):\n    out.append(decimal_multiple(x, digits, exponent))\nprint(json.dumps(out))\n';
    const input = JSON.stringify(cases.map(([x, m]) => [x, Number(decimalOf(m).digits), decimalOf(m).exponent]));
    const py = JSON.parse(execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input, encoding: 'utf8', maxBuffer: 64 << 20 })) as boolean[];
    expect(cases.filter((_, i) => ts[i] !== py[i])).toEqual([]);
    expect(ts.some((x) => x) && ts.some((x) => !x)).toBe(true);
  }, 60_000);
});

describe('multipleOf that stays refused', () => {
  it('refuses multipleOf 0 or below (JSON Schema 2020-12 §6.2.1)', async () => {
    const file = writeSchema({
      'protocol.schema.json': JSON.stringify({ $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }], $defs: { M: { type: 'object', properties: { type: { const: 'm' }, v: { type: 'number', multipleOf: 0 } }, required: ['type'], additionalProperties: false } } }),
    });
    const e = await catchWsgen(() => schemaToIR(file));
    expect([e.code, e.location.pointer]).toEqual(['WSGEN_META', '/$defs/M/properties/v/multipleOf']);
  });
});
