import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { generateBoth, judge, typeCheck } from './differential.js';
import { catchWsgen, writeSchema } from './helpers.js';

// A `required` name the object does not define (JSON Schema 2020-12 Validation §6.5.3: the key must be present,
// its value is what the keywords for undeclared keys allow). An open object types it as a required property of
// that value; a closed one admits no value and is refused. Before, both silently became a checked value
// (`unknown` in TS, `Any` in Python) with no message (generator/undeclared-required.ts).

const S = 'https://json-schema.org/draft/2020-12/schema';
const msg = (tag: string, props: object, extra: object = {}) => ({ type: 'object', properties: { kind: { const: tag }, ...props }, required: ['kind'], additionalProperties: false, ...extra });
const schema = (defs: Record<string, unknown>) => writeSchema({
  'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: Object.keys(defs).filter((k) => k.startsWith('M')).map((k) => ({ $ref: `#/$defs/${k}` })), $defs: defs }),
});
const listed = async (dir: string) => (await catchWsgen(() => schemaToIR(dir))).all().map((e) => [e.code, e.location.pointer, e.message, e.hint]);

describe('a closed object that requires a property it does not define is refused at the required entry', () => {
  it('additionalProperties false, unevaluatedProperties false, and a name an allOf base requires (pointed at in the base), each reported', async () => {
    const dir = schema({
      M1: msg('m1', { team: { $ref: '#/$defs/Team' }, crew: { $ref: '#/$defs/Crew' }, sub: { $ref: '#/$defs/Sub' } }),
      Team: { type: 'object', properties: { name: { type: 'string' } }, required: ['name', 'leader'], additionalProperties: false },
      Crew: { type: 'object', properties: { name: { type: 'string' } }, required: ['captain'], unevaluatedProperties: false },
      Base: { type: 'object', properties: { name: { type: 'string' } }, required: ['name', 'owner'] },
      Sub: { allOf: [{ $ref: '#/$defs/Base' }], properties: { n: { type: 'integer' } }, unevaluatedProperties: false },
    });
    expect(await listed(dir)).toEqual([
      ['WSGEN_REQUIRED', '/$defs/Team/required/1', '"leader" is required but not a property of Team, which allows no other property: no value can be valid', 'define "leader" under properties (with its schema), or drop it from required'],
      ['WSGEN_REQUIRED', '/$defs/Crew/required/0', expect.stringContaining('"captain" is required but not a property of Crew'), expect.stringContaining('define "captain" under properties')],
      ['WSGEN_REQUIRED', '/$defs/Base/required/1', expect.stringContaining('"owner" is required but not a property of Sub'), expect.stringContaining('define "owner" under properties')],
    ]);
  });

  it('a name removed with false by a narrowing is refused too, never a silent checked value', async () => {
    const dir = schema({
      M1: msg('m1', { sub: { $ref: '#/$defs/Sub' } }),
      Base: { type: 'object', properties: { name: { type: 'string' }, x: { type: 'string' } }, required: ['x'] },
      Sub: { allOf: [{ $ref: '#/$defs/Base' }], properties: { x: false } },
    });
    expect((await listed(dir)).map(([c, p]) => [c, p])).toEqual([['WSGEN_REQUIRED', '/$defs/Sub/required']]);
  });
});

describe('an open object types a required name it does not define exactly, the same verdicts on both targets', async () => {
  const dir = schema({
    M1: msg('m1', { player: { $ref: '#/$defs/Player' }, tagged: { $ref: '#/$defs/Tagged' }, sub: { $ref: '#/$defs/Sub' } }, { required: ['kind', 'player'] }),
    Player: { type: 'object', properties: { name: { type: 'string' } }, required: ['name', 'leader'] },
    Tagged: { type: 'object', properties: { id: { type: 'integer' } }, required: ['label'], additionalProperties: { type: 'string', maxLength: 3 } },
    Base: { type: 'object', properties: { name: { type: 'string' } }, required: ['owner'] },
    Sub: { allOf: [{ $ref: '#/$defs/Base' }], properties: { n: { type: 'integer' } } },
  });
  const g = await generateBoth(dir);

  it('TS: a required property of unknown (or the additionalProperties type); Python: a required field', () => {
    const ir = schemaToIR(dir);
    const prop = (o: string, p: string) => ir.objects.find((x) => x.name === o)!.properties.find((x) => x.name === p);
    expect([prop('Player', 'leader'), prop('Tagged', 'label'), prop('Sub', 'owner')].map((p) => [p?.required, p?.type.kind])).toEqual([[true, 'any'], [true, 'string'], [true, 'any']]);
    const types = g.files.get('ts/types.ts')!;
    expect(types).toMatch(/export interface Player \{[^}]*\n {2}leader: unknown;/);
    expect(types).toMatch(/export interface Tagged \{[^}]*\n {2}label: string;/);
    expect(g.files.get('python/wsgen_protocol/models/player.py')).toMatch(/\n {4}leader: Any\n/);
    typeCheck(g);
  });

  it('messages judged alike by TS, Python and ajv on the raw schema', async () => {
    const m = (player: object, extra: object = {}) => JSON.stringify({ kind: 'm1', player, ...extra });
    const texts = [
      m({ name: 'a', leader: null }), m({ name: 'a', leader: { x: [1, 'y'] } }), m({ name: 'a' }), m({ leader: 1 }),
      m({ name: 'a', leader: 1 }, { tagged: { label: 'abc' } }), m({ name: 'a', leader: 1 }, { tagged: { label: 'abcd' } }), m({ name: 'a', leader: 1 }, { tagged: { id: 1 } }),
      m({ name: 'a', leader: 1 }, { sub: { owner: true } }), m({ name: 'a', leader: 1 }, { sub: { n: 1 } }),
    ];
    const v = await judge(g, dir, 'p.json', texts);
    expect(v.oracle).toEqual([true, true, false, false, true, false, false, true, false]);
    expect(v.ts).toEqual(v.oracle);
    expect(v.py).toEqual(v.oracle);
  });
});
