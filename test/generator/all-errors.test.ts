import { describe, expect, it } from 'vitest';
import { failure } from '../../generator/cli/json-output.js';
import { schemaToIR } from '../../generator/index.js';
import { catchWsgen, writeSchema } from './helpers.js';

// Issue 9 "All errors in one run": every stage after the IR (the root union, the roles of
// x-wsgen-role, the names derived from type names) reports its errors beside the IR's, each
// with code, file, JSON pointer and hint, instead of stopping at the first.

const S = 'https://json-schema.org/draft/2020-12/schema';
type Defs = Record<string, any>;
const msg = (tag: string, props: object, extra: object = {}) => ({ type: 'object', 'x-direction': 'server', properties: { kind: { const: tag }, ...props }, required: ['kind'], additionalProperties: false, ...extra });
const write = (defs: Defs) => {
  const variants = Object.keys(defs).filter((k) => defs[k].properties?.kind?.const !== undefined);
  return writeSchema({ 'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: variants.map((v) => ({ $ref: `#/$defs/${v}` })), $defs: defs }) });
};
const listed = async (defs: Defs) => (await catchWsgen(() => schemaToIR(write(defs)))).all().map((e) => [e.code, e.location.file, e.location.pointer]);

describe('one run lists the IR errors and the errors of the stages after it', () => {
  it('an IR error and role errors (a wrong message role, a wrong field role type) in one run, with codes, files, pointers and hints', async () => {
    const dir = write({
      Bad: msg('bad', { d: { type: 'string', pattern: '^\\d$' } }),
      Hello: msg('hello', { seq: { type: 'string', 'x-wsgen-role': 'sequence' } }, { 'x-wsgen-role': 'sesion-created' }),
      Note: msg('note', { text: { type: 'string' } }, { 'x-wsgen-priority': 'urgent' }),
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.all().map((e) => [e.code, e.location.file, e.location.pointer])).toEqual([
      ['WSGEN_PATTERN', 'p.json', '/$defs/Bad/properties/d/pattern'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Hello/x-wsgen-role'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Hello/properties/seq/x-wsgen-role'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Note/x-wsgen-priority'],
    ]);
    for (const e of err.all()) expect(e.hint.length).toBeGreaterThan(3);
    expect(err.format()).toMatch(/\n4 errors$/);
    expect(failure('generate', err).errors.map((e) => [e.code, e.pointer])).toEqual(err.all().map((e) => [e.code, e.location.pointer]));
  });

  it('a refused field, the role error of a field that built beside it, and a name collision in one run', async () => {
    expect(await listed({
      A: msg('a', { d: { type: 'string', format: 'hostname' }, n: { type: 'integer', 'x-wsgen-role': 'correlation-id' } }),
      B: msg('b', { c: { $ref: '#/$defs/Color' }, i: { $ref: '#/$defs/ColorInfo' } }),
      Color: { type: 'string', enum: ['red'] },
      ColorInfo: { type: 'string' },
    })).toEqual([
      ['WSGEN_UNSUPPORTED', 'p.json', '/$defs/A/properties/d/format'],
      ['WSGEN_ROLE', 'p.json', '/$defs/A/properties/n/x-wsgen-role'],
      ['WSGEN_NAME', 'p.json', '/$defs/ColorInfo'],
    ]);
  });

  it('every name collision, not the first', async () => {
    expect(await listed({
      A: msg('a', { c: { $ref: '#/$defs/Color' }, i: { $ref: '#/$defs/ColorInfo' }, x: { $ref: '#/$defs/ABTest' }, y: { $ref: '#/$defs/Abtest' } }),
      Color: { type: 'string', enum: ['red'] },
      ColorInfo: { type: 'string' },
      ABTest: { type: 'string', enum: ['a'] },
      Abtest: { type: 'string', enum: ['b'] },
    })).toEqual([
      ['WSGEN_NAME', 'p.json', '/$defs/Abtest'],
      ['WSGEN_NAME', 'p.json', '/$defs/ColorInfo'],
    ]);
  });

  it('a root union branch that is refused and one whose message failed: only the real union error, then the roles of the rest', async () => {
    const dir = writeSchema({
      'p.json': JSON.stringify({
        $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' },
        oneOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }, { $ref: '#/$defs/C' }],
        $defs: {
          A: msg('a', { d: { type: 'string', pattern: '^\\d$' } }),
          B: { type: 'object', properties: { kind: { type: 'string' } }, required: ['kind'], additionalProperties: false },
          C: msg('c', {}, { 'x-direction': 'sideways' }),
        },
      }),
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.all().map((e) => [e.code, e.location.pointer])).toEqual([
      ['WSGEN_PATTERN', '/$defs/A/properties/d/pattern'],
      ['WSGEN_DISCRIMINATOR', '/$defs/B'],
      ['WSGEN_ROLE', '/$defs/C/x-direction'],
    ]);
  });

  it('role checks of the whole protocol (capabilities) wait for a complete IR: no error that only follows from a refused message', async () => {
    // Pong is refused by its pattern; Ping alone would be "heartbeat without pong", which is not reported.
    expect(await listed({
      Ping: msg('ping', {}, { 'x-direction': 'client', 'x-wsgen-role': 'ping' }),
      Pong: msg('pong', { ref: { type: 'string', pattern: '^\\w+$', 'x-wsgen-role': 'correlation-id' } }, { 'x-wsgen-role': 'pong' }),
    })).toEqual([['WSGEN_PATTERN', 'p.json', '/$defs/Pong/properties/ref/pattern']]);
  });

  it('the metaschema error of every file, not of the first only', async () => {
    const dir = writeSchema({
      'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: 'q.json#/$defs/A' }], $defs: { X: { type: 'string', minLength: -1 } } }),
      'q.json': JSON.stringify({ $schema: S, $defs: { A: msg('a', { n: { type: 'integer', maximum: 'ten' } }) } }),
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.all().map((e) => [e.code, e.location.file, e.location.pointer])).toEqual([
      ['WSGEN_META', 'p.json', '/$defs/X/minLength'],
      ['WSGEN_META', 'q.json', '/$defs/A/properties/n/maximum'],
    ]);
  });

  it('the normalize error of every definition (allOf merges), each once though a base fails again for each user', async () => {
    const obj = (props: object) => ({ type: 'object', properties: { kind: { type: 'string' }, ...props }, required: ['kind'] });
    const dir = write({
      A: { allOf: [{ $ref: '#/$defs/Base' }], properties: { kind: { const: 'a' } }, unevaluatedProperties: false },
      B: { allOf: [{ $ref: '#/$defs/Base' }], properties: { kind: { const: 'b' } }, unevaluatedProperties: false },
      D: { allOf: [{ $ref: '#/$defs/Root' }], properties: { kind: { const: 'd' }, y: { pattern: '^c' } }, unevaluatedProperties: false },
      Base: { allOf: [{ $ref: '#/$defs/Root' }], properties: { x: { pattern: '^b' } } },
      Root: obj({ x: { type: 'string', pattern: '^a' }, y: { type: 'string', pattern: '^a' } }),
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.all().map((e) => [e.code, e.location.pointer])).toEqual([
      ['WSGEN_MERGE', '/$defs/Base/properties/x'],
      ['WSGEN_MERGE', '/$defs/D/properties/y'],
    ]);
  });

  it('the inline-type name clash of every definition (hoist), not of the first only', async () => {
    const inline = (title: string) => ({ type: 'object', title, properties: { x: { type: 'string' } }, additionalProperties: false });
    expect(await listed({
      A: msg('a', { p: inline('Taken') }),
      B: msg('b', { q: inline('Other') }),
      Taken: { type: 'string' },
      Other: { type: 'integer' },
    })).toEqual([
      ['WSGEN_NAME', 'p.json', '/$defs/A/properties/p'],
      ['WSGEN_NAME', 'p.json', '/$defs/B/properties/q'],
    ]);
  });

  it('an IR error, a role error and a default error in one run, also in the message that failed (its built properties are checked)', async () => {
    const union = { anyOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/B' }] };
    expect(await listed({
      A: { type: 'object', properties: { n: { type: 'integer', default: 1 } } },
      B: { type: 'object', properties: { m: { type: 'string' } } },
      Broken: msg('broken', { d: { type: 'string', pattern: '(?<=x)y' }, ref: { type: 'boolean', 'x-wsgen-role': 'correlation-id' }, u: union }, { 'x-wsgen-priority': 'urgent' }),
      Hello: msg('hello', { id: { type: 'integer', 'x-wsgen-role': 'correlation-id' } }),
      Choose: msg('choose', { u: union }),
    })).toEqual([
      ['WSGEN_PATTERN', 'p.json', '/$defs/Broken/properties/d/pattern'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Hello/properties/id/x-wsgen-role'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Broken/x-wsgen-priority'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Broken/properties/ref/x-wsgen-role'],
      ['WSGEN_DEFAULT', 'p.json', '/$defs/Choose/properties/u'],
      ['WSGEN_DEFAULT', 'p.json', '/$defs/Broken/properties/u'],
    ]);
  });

  it('a message role on a message that failed: its direction is checked, not the required fields (they may be among the failed ones)', async () => {
    expect(await listed({
      Ping: msg('ping', { d: { type: 'string', pattern: '(?<=x)y', 'x-wsgen-role': 'correlation-id' } }, { 'x-wsgen-role': 'ping', 'x-direction': 'sideways' }),
      Note: msg('note', { text: { type: 'string' } }),
    })).toEqual([
      ['WSGEN_PATTERN', 'p.json', '/$defs/Ping/properties/d/pattern'],
      ['WSGEN_ROLE', 'p.json', '/$defs/Ping/x-direction'],
    ]);
  });
});

describe('unresolved references are errors of their place, beside the other errors', () => {
  const bad = msg('bad', { d: { type: 'string', pattern: '^\\d$' } });
  const files = (defs: Defs, extra: Record<string, object> = {}) => writeSchema({
    'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/$defs/A' }, { $ref: '#/$defs/Bad' }, { $ref: '#/$defs/Gone' }], $defs: { ...defs, Bad: bad } }),
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, JSON.stringify(v)])),
  });
  const all = async (dir: string) => (await catchWsgen(() => schemaToIR(dir))).all().map((e) => [e.code, e.location.file, e.location.pointer]);

  it("the trial's schema: two misspelt $defs names and OpenAPI's nullable, each reported, nothing that only follows from them", async () => {
    expect(await all(writeSchema({
      'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/$defs/Move' }, { $ref: '#/$defs/Joined' }], $defs: {
        Vec2: { type: 'array', items: { type: 'number' } },
        Team: { type: 'object', properties: { nick: { type: 'string', nullable: true } } },
        Move: msg('move', { to: { $ref: '#/$defs/Vec3' } }, { required: ['kind', 'to'] }),
        Joined: msg('joined', { root: { $ref: '#/$defs/Teem' }, team: { $ref: '#/$defs/Team' } }, { required: ['kind', 'root'] }),
      } }),
    }))).toEqual([
      ['WSGEN_REF', 'p.json', '/$defs/Move/properties/to'],
      ['WSGEN_REF', 'p.json', '/$defs/Joined/properties/root'],
      ['WSGEN_UNSUPPORTED', 'p.json', '/$defs/Team/properties/nick/nullable'],
    ]);
  });

  it('every kind of unresolved reference (a $defs name, an anchor, a pointer in another file, a missing file), at every kind of place', async () => {
    expect(await all(files({
      A: { allOf: [{ $ref: '#/$defs/Base' }], properties: { kind: { const: 'a' }, p: { type: 'array', items: { $ref: '#nope' } }, q: { $ref: 'other.json#/$defs/X' }, r: { $ref: 'q.json#/$defs/Y' }, n: { not: { $ref: '#/$defs/N' } }, pt: { $ref: '#/$defs/Pt' }, al: { $ref: '#/$defs/Al' } }, unevaluatedProperties: false },
      Base: { allOf: [{ $ref: '#/$defs/Bse' }] },
      Pt: { type: 'object', properties: { x: { $ref: '#/$defs/Nmber' } } },
      Al: { type: 'array', uniqueItems: true, items: { $ref: 'q.json#/$defs/Z2' } },
    }, { 'q.json': { $schema: S, $defs: { Z: { type: 'string' } } } }))).toEqual([
      ['WSGEN_REF', 'p.json', '/oneOf/2'],
      ['WSGEN_REF', 'p.json', '/$defs/A/properties/p/items'],
      ['WSGEN_REF', 'p.json', '/$defs/A/properties/q'],
      ['WSGEN_REF', 'p.json', '/$defs/A/properties/r'],
      ['WSGEN_REF', 'p.json', '/$defs/A/properties/n/not'],
      ['WSGEN_REF', 'p.json', '/$defs/Base/allOf/0'],
      ['WSGEN_REF', 'p.json', '/$defs/Pt/properties/x'],
      ['WSGEN_REF', 'p.json', '/$defs/Al/items'],
      ['WSGEN_PATTERN', 'p.json', '/$defs/Bad/properties/d/pattern'],
    ]);
  });

  it('a message whose field has no target: no role error that follows from it (the role checks of the whole protocol wait)', async () => {
    expect(await all(writeSchema({
      'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: [{ $ref: '#/$defs/Ping' }, { $ref: '#/$defs/Pong' }], $defs: {
        Ping: msg('ping', {}, { 'x-direction': 'client', 'x-wsgen-role': 'ping' }),
        Pong: msg('pong', { ref: { $ref: '#/$defs/MesageId', 'x-wsgen-role': 'correlation-id' } }, { 'x-wsgen-role': 'pong', required: ['kind', 'ref'] }),
      } }),
    }))).toEqual([['WSGEN_REF', 'p.json', '/$defs/Pong/properties/ref']]);
  });
});

describe('a field role annotation that failed: no "needs a required field with role" error that only follows from it', () => {
  const code = { type: 'string', enum: ['E'] };
  const failure = (codeField: object, extra: object = {}) => msg('failure', { code: codeField, text: { type: 'string', 'x-wsgen-role': 'error-text' } }, { 'x-wsgen-role': 'error', required: ['kind', 'code'], ...extra });
  it.each([
    ['a misspelt role name', { type: 'string', 'x-wsgen-role': 'error-cod' }, '/$defs/Failure/properties/code/x-wsgen-role'],
    ['a misspelt annotation key', { type: 'string', 'x-wsgen-rol': 'error-code' }, '/$defs/Failure/properties/code/x-wsgen-rol'],
  ])('%s: only its own error', async (_what, codeField, pointer) => {
    expect(await listed({ Failure: failure(codeField), Code: code })).toEqual([['WSGEN_ROLE', 'p.json', pointer]]);
  });

  it('without a failed annotation the missing field role is still reported', async () => {
    expect(await listed({ Failure: failure({ type: 'string' }), Code: code })).toEqual([['WSGEN_ROLE', 'p.json', '/$defs/Failure/x-wsgen-role']]);
  });
});
