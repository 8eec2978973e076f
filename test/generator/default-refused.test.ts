/**
 * Defaults wsgen cannot apply alike on both targets. A default that its own
 * property's schema refuses (JSON Schema 2020-12 §9.2 allows it as an
 * annotation) stays documentation: the schema generates, the property stays
 * optional in the parsed type, both targets leave it absent, and the TSDoc and
 * docstring say why. A default inside a union whose branch the targets could
 * choose differently is WSGEN_DEFAULT; a wire-form name that another type takes
 * is WSGEN_NAME.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { type Generated, generateBoth } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');
const S = 'https://json-schema.org/draft/2020-12/schema';

/** A one-message schema whose message type `Msg` has `properties` (beside its tag) and `$defs`. */
function schema(properties: Record<string, unknown>, defs: Record<string, unknown> = {}): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/Msg' }],
      $defs: { ...defs, Msg: { type: 'object', properties: { type: { const: 'msg' }, ...properties }, required: ['type'], additionalProperties: false } },
    }),
  });
}

/** Each property's default is refused by its own schema: [property, schema, the reason's words]. */
const REFUSED: Array<[string, Record<string, unknown>, string]> = [
  ['wrongType', { type: 'integer', default: [] }, 'must be integer'],
  ['overMaximum', { type: 'number', maximum: 3, default: 5 }, 'must be <= 3'],
  ['tooShort', { type: 'string', minLength: 4, default: 'bad' }, 'must NOT have fewer than 4 characters'],
  ['notMember', { enum: ['a', 'b'], default: 'c' }, 'must be equal to one of the allowed values'],
  ['badFormat', { type: 'string', format: 'date-time', default: 'yesterday' }, 'must match format "date-time"'],
  ['badEmail', { type: 'string', format: 'email', default: 'nobody' }, 'must match format "email"'],
  ['nestedBad', { $ref: '#/$defs/Box', default: { size: 0 } }, 'at /size: must be >= 1'],
  ['unknownKey', { $ref: '#/$defs/Box', default: { extra: 1 } }, 'must NOT have additional properties'],
  ['hugeInteger', { default: 9007199254740993 }, 'beyond ±9007199254740991'],
  ['nullNotAllowed', { type: 'string', default: null }, 'must be string'],
];

describe('defaults that their own schema refuses stay documentation', () => {
  let g: Generated;
  beforeAll(async () => {
    const props = Object.fromEntries(REFUSED.map(([name, s]) => [name, s]));
    g = await generateBoth(schema(props, { Box: { type: 'object', properties: { size: { type: 'integer', minimum: 1, default: 1 } }, additionalProperties: false } }));
  }, 120_000);

  it('generates, keeps each property absent on both targets, and fills the valid default beside them', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as { parseMessage(t: string): { ok: boolean; value?: unknown } };
    const text = '{"type":"msg","nestedBad":{}}';
    const r = parse.parseMessage(text);
    // Box's own default (size 1) is valid and applies inside a present Box.
    expect(r.value).toEqual({ type: 'msg', nestedBad: { size: 1 } });
    const script = 'import sys\nfrom wsgen_protocol import parse_message, dump_message\nprint(dump_message(parse_message(sys.stdin.read()).value))\n';
    const py = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input: text, encoding: 'utf8' });
    expect(JSON.parse(py)).toEqual({ type: 'msg', nestedBad: { size: 1 } });
  });

  it('says in the TSDoc and the docstring why each is not applied, and keeps the properties optional', () => {
    const ts = readFileSync(join(g.dir, 'generated/ts/types.ts'), 'utf8');
    const py = readFileSync(join(g.dir, 'generated/python/wsgen_protocol/models/msg.py'), 'utf8');
    const rows = REFUSED.map(([name, , why]) => [name, ts.includes(why), py.includes(why), new RegExp(`\\b${name}\\?:`).test(ts)]);
    expect(rows).toEqual(REFUSED.map(([name]) => [name, true, true, true]));
    // Msg still has a wire form: Box's own default applies inside it.
    expect(ts).toMatch(/export interface MsgInput/);
  });
});

describe('WSGEN_DEFAULT and WSGEN_NAME', () => {
  it('refuses a default inside a branch of a union that both branches may match, with file, pointer and hint', async () => {
    const defs = {
      A: { type: 'object', properties: { n: { type: 'integer', default: 1 } } },
      B: { type: 'object', properties: { m: { type: 'string' } } },
    };
    for (const [keyword, where] of [['anyOf', 'u'], ['oneOf', 'v']] as const) {
      const err = await catchWsgen(() => generate({ schema: schema({ [where]: { [keyword]: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }] } }, defs), out: 'unused' }));
      expect([err.code, err.location.file, err.location.pointer, /discriminator/.test(err.hint)]).toEqual(['WSGEN_DEFAULT', 'protocol.schema.json', `/$defs/Msg/properties/${where}`, true]);
    }
  });

  it('accepts the same default in a tagged union, a union tagged by a required single value per branch, and a union of disjoint JSON types', async () => {
    const defs = {
      A: { type: 'object', properties: { k: { const: 'a' }, n: { type: 'integer', default: 1 } }, required: ['k'], additionalProperties: false },
      B: { type: 'object', properties: { k: { const: 'b' } }, required: ['k'], additionalProperties: false },
      On: { type: 'object', properties: { action: { type: 'string', enum: ['on'] }, n: { type: 'integer', default: 2 } }, required: ['action'], additionalProperties: false },
      Off: { type: 'object', properties: { action: { type: 'string', enum: ['off'] }, n: { type: 'integer' } }, required: ['action'], additionalProperties: false },
    };
    const tagged = { oneOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }], discriminator: { propertyName: 'k' } };
    const disjoint = { oneOf: [{ $ref: '#/$defs/A' }, { type: 'string' }, { type: 'array', items: { $ref: '#/$defs/A' } }] };
    // No discriminator keyword (as GitHub's webhook schemas write event unions): the action enum of one value per branch tags them.
    const untagged = { anyOf: [{ $ref: '#/$defs/On' }, { $ref: '#/$defs/Off' }] };
    const g = await generateBoth(schema({ tagged, disjoint, untagged }, defs));
    const js = g.files.get('ts/defaults.js');
    expect([/byTag\('k'/.test(js!), /byJsonType\(fillA, arrayOf\(fillA\)\)/.test(js!)]).toEqual([true, true]);
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as { parseMessage(t: string): { ok: boolean; value?: unknown } };
    const texts = [
      '{"type":"msg","tagged":{"k":"a"},"disjoint":{"k":"a"}}',
      '{"type":"msg","tagged":{"k":"b"},"disjoint":[{"k":"a"},{"k":"a","n":5}]}',
      '{"type":"msg","disjoint":"s"}',
      '{"type":"msg","untagged":{"action":"on"}}',
      '{"type":"msg","untagged":{"action":"off"}}',
    ];
    const expected = [
      { type: 'msg', tagged: { k: 'a', n: 1 }, disjoint: { k: 'a', n: 1 } },
      { type: 'msg', tagged: { k: 'b' }, disjoint: [{ k: 'a', n: 1 }, { k: 'a', n: 5 }] },
      { type: 'msg', disjoint: 's' },
      { type: 'msg', untagged: { action: 'on', n: 2 } },
      { type: 'msg', untagged: { action: 'off' } },
    ];
    expect(texts.map((t) => parse.parseMessage(t).value)).toEqual(expected);
    const script = 'import sys\nfrom wsgen_protocol import parse_message, dump_message\nfor line in sys.stdin.read().splitlines():\n    print(dump_message(parse_message(line).value))\n';
    const py = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input: texts.join('\n'), encoding: 'utf8' });
    expect(py.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual(expected);
  }, 120_000);

  it('refuses a wire-form name that another type takes (never a numbered suffix)', async () => {
    const defs = {
      Layout: { type: 'object', properties: { n: { type: 'integer', default: 1 } }, additionalProperties: false },
      LayoutInput: { type: 'object', properties: { m: { type: 'string' } }, additionalProperties: false },
    };
    const err = await catchWsgen(() => generate({ schema: schema({ a: { $ref: '#/$defs/Layout' }, b: { $ref: '#/$defs/LayoutInput' } }, defs), out: 'unused' }));
    expect([err.code, err.location.pointer, err.message.includes('LayoutInput'), /rename/.test(err.hint)]).toEqual(['WSGEN_NAME', '/$defs/Layout', true, true]);
  });
});
