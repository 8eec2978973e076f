import { describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { deriveRoles } from '../../generator/roles.js';
import { catchWsgen, writeSchema } from './helpers.js';

// A table of good and bad protocols for deriveRoles (generator/roles.ts). Each
// case starts from one protocol that has every role (tag "kind", its own field
// names, no library) and changes one thing.

type Defs = Record<string, any>;
const S = 'https://json-schema.org/draft/2020-12/schema';
const seq = () => ({ type: 'integer', minimum: 0, 'x-wsgen-role': 'sequence' });
const ref = () => ({ type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$', 'x-wsgen-role': 'correlation-id' });
const sid = () => ({ type: 'string', minLength: 1, 'x-wsgen-role': 'session-id' });
const epoch = () => ({ type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', 'x-wsgen-role': 'stream-epoch' });
const msg = (tag: string, direction: string, role: string | undefined, props: object, required: string[] = [], extra: object = {}) => ({
  type: 'object',
  'x-direction': direction,
  ...(role ? { 'x-wsgen-role': role } : {}),
  properties: { kind: { const: tag }, ...props },
  required: ['kind', ...required],
  additionalProperties: false,
  ...extra,
});
const ERROR_CODES = ['INVALID_MESSAGE', 'UNSUPPORTED_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'RATE_LIMITED', 'INTERNAL_ERROR', 'RECOVERY_FAILED'];
const CLOSE_CODES: Array<[string, number]> = [['SERVER_OVERLOADED', 4000], ['SLOW_CONSUMER', 4001], ['HEARTBEAT_TIMEOUT', 4002], ['SESSION_EXPIRED', 4003], ['UNAUTHORIZED', 4500], ['FORBIDDEN', 4501], ['TOO_MANY_CONNECTIONS', 4502], ['RATE_LIMIT_EXCEEDED', 4503], ['PROTOCOL_MISMATCH', 4504], ['REPLACED', 4505]];

/** The protocol with every role. */
function full(): Defs {
  return {
    Hello: msg('hello', 'server', 'session-created', { sid: sid(), epoch: epoch(), seq: seq() }, ['sid', 'epoch']),
    Resume: msg('resume', 'client', 'session-resume', { sid: sid(), last: { type: 'integer', minimum: 0, 'x-wsgen-role': 'last-sequence' }, epoch: epoch() }, ['sid', 'last', 'epoch']),
    Resumed: msg('resumed', 'server', 'session-updated', { state: { type: 'string', maxLength: 32, 'x-wsgen-role': 'session-status' }, seq: seq() }, ['state']),
    Gone: msg('gone', 'server', 'session-expired', { seq: seq() }),
    Ping: msg('ping', 'client', 'ping', { ref: ref() }),
    Pong: msg('pong', 'server', 'pong', { ref: ref() }, ['ref']),
    Oops: msg('oops', 'server', 'error', { code: { $ref: '#/$defs/Code', 'x-wsgen-role': 'error-code' }, why: { type: 'string', 'x-wsgen-role': 'error-text' }, ref: ref(), seq: seq() }, ['code']),
    Chunk: msg('chunk', 'server', 'stream-chunk', { ref: ref(), i: { type: 'integer', minimum: 0, 'x-wsgen-role': 'stream-index' }, seq: seq(), text: { type: 'string', 'x-wsgen-role': 'stream-content' } }, ['ref', 'i']),
    Done: msg('done', 'server', 'stream-end', { ref: ref(), seq: seq() }, ['ref']),
    Say: msg('say', 'client', undefined, { ref: ref(), text: { type: 'string' } }, ['text']),
    Note: msg('note', 'server', undefined, { seq: seq(), text: { type: 'string' } }, ['text'], { 'x-wsgen-priority': 'low' }),
    Code: { type: 'string', 'x-wsgen-role': 'error-codes', oneOf: ERROR_CODES.map((c) => ({ const: c, title: c, 'x-retryable': c === 'RATE_LIMITED' })) },
    Close: { type: 'integer', 'x-wsgen-role': 'close-codes', oneOf: CLOSE_CODES.map(([t, v]) => ({ const: v, title: t, 'x-retryable': v < 4500 })) },
  };
}

/** Strips every role annotation (the code tables stay, as plain enums). */
function withoutRoles(d: Defs): Defs {
  const strip = (v: any): any => (Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'x-wsgen-role' && k !== 'x-wsgen-priority').map(([k, x]) => [k, strip(x)])) : v);
  return strip(d);
}

/** Writes the protocol (its message types are the defs with a "kind" const) and builds its IR. */
function ir(defs: Defs) {
  const variants = Object.keys(defs).filter((k) => defs[k].properties?.kind?.const !== undefined);
  const dir = writeSchema({ 'p.json': JSON.stringify({ $schema: S, title: 'Proto', discriminator: { propertyName: 'kind' }, oneOf: variants.map((v) => ({ $ref: `#/$defs/${v}` })), $defs: defs }) });
  return schemaToIR(dir);
}

const edit = (f: (d: Defs) => void): Defs => {
  const d = full();
  f(d);
  return d;
};

describe('roles of a consistent protocol', () => {
  it('derives every capability, the type of each message role and the property of each field role', () => {
    const r = ir(full()).roles;
    expect(r.capabilities).toEqual(['heartbeat', 'resume', 'streams', 'error-replies']);
    expect(Object.fromEntries(r.roles)).toEqual({ 'session-created': 'hello', 'session-resume': 'resume', 'session-updated': 'resumed', 'session-expired': 'gone', ping: 'ping', pong: 'pong', error: 'oops', 'stream-chunk': 'chunk', 'stream-end': 'done' });
    expect(Object.fromEntries(r.fields)).toEqual({ 'correlation-id': 'ref', sequence: 'seq', 'last-sequence': 'last', 'stream-epoch': 'epoch', 'stream-index': 'i', 'session-id': 'sid', 'session-status': 'state', 'error-code': 'code', 'error-text': 'why', 'stream-content': 'text' });
    expect(r.tables).toEqual([['error-codes', 'Code'], ['close-codes', 'Close']]);
    expect(r.messages.find((m) => m.tag === 'note')).toEqual({ tag: 'note', object: 'Note', direction: 'server', priority: 'low', fields: ['sequence'] });
  });

  it('gives a protocol without roles no capability, every type direction and priority anyway', () => {
    const r = ir(withoutRoles(full())).roles;
    expect(r.capabilities).toEqual([]);
    expect(r.roles).toEqual([]);
    expect(r.fields).toEqual([]);
    expect(r.messages.every((m) => m.priority === 'normal' && m.role === undefined && m.fields.length === 0)).toBe(true);
  });

  it.each([
    ['an enum', { type: 'string', enum: ['resumed', 'resumed_with_gap'] }],
    ['an enum with more values', { enum: ['resumed_with_gap', 'resumed', 'fresh'] }],
    ['a oneOf of consts', { type: 'string', oneOf: [{ const: 'resumed' }, { const: 'resumed_with_gap' }] }],
  ])('takes a session status that is %s holding every value the runtimes write', (_n, state) => {
    const r = ir(edit((d) => { d.Resumed.properties.state = { ...state, 'x-wsgen-role': 'session-status' }; })).roles;
    expect(Object.fromEntries(r.fields)['session-status']).toBe('state');
  });

  it('hints at the role library entry a misfit field role can $ref, and at none where the library has none', async () => {
    const epoch = await catchWsgen(() => ir(edit((d) => { d.Resume.properties.epoch = { type: 'integer', 'x-wsgen-role': 'stream-epoch' }; })));
    expect(epoch.hint).toContain("role library's StreamEpoch");
    const status = await catchWsgen(() => ir(edit((d) => { d.Resumed.properties.state = { type: 'integer', 'x-wsgen-role': 'session-status' }; })));
    expect(status.hint).not.toContain('role library');
    expect(status.hint).toContain('"resumed" and "resumed_with_gap"');
  });

  it('reads an absent x-direction as both', () => {
    expect(ir(withoutRoles(edit((d) => delete d.Say['x-direction']))).roles.messages.find((m) => m.tag === 'say')!.direction).toBe('both');
  });

  it.each([
    ['heartbeat alone', ['Ping', 'Pong'], ['heartbeat']],
    ['streams alone', ['Chunk', 'Done'], ['streams']],
    ['error replies alone', ['Oops'], ['error-replies']],
    ['heartbeat and error replies', ['Ping', 'Pong', 'Oops'], ['heartbeat', 'error-replies']],
  ])('lights up %s', (_name, keep, caps) => {
    const d = full();
    const bare = withoutRoles(d);
    for (const k of keep) bare[k] = d[k];
    bare.Code = d.Code;
    expect(ir(bare).roles.capabilities).toEqual(caps);
  });

  it('gives a message type the role, direction and field roles of the base it narrows', () => {
    const d = full();
    d.PingBase = { type: 'object', 'x-direction': 'client', 'x-wsgen-role': 'ping', properties: { ref: ref() } };
    d.Ping = { allOf: [{ $ref: '#/$defs/PingBase' }], properties: { kind: { const: 'ping' } }, required: ['kind'], unevaluatedProperties: false };
    const r = ir(d).roles;
    expect(r.messages.find((m) => m.tag === 'ping')).toEqual({ tag: 'ping', object: 'Ping', direction: 'client', priority: 'normal', role: 'ping', fields: ['correlation-id'] });
  });

  it('accepts ping and pong sent both ways', () => {
    expect(ir(edit((d) => { d.Ping['x-direction'] = 'both'; d.Pong['x-direction'] = 'both'; })).roles.capabilities).toContain('heartbeat');
  });

  it('is a pure function of the IR: the same result twice, the IR unchanged', () => {
    const x = ir(full());
    const before = JSON.stringify(x);
    expect(deriveRoles(x)).toEqual(deriveRoles(x));
    expect(JSON.stringify(x)).toBe(before);
  });
});

describe('an inconsistent protocol is refused with WSGEN_ROLE, the JSON pointer and a hint', () => {
  it.each<[string, (d: Defs) => void, string, string]>([
    ['an unknown message role', (d) => { d.Hello['x-wsgen-role'] = 'sesion-created'; }, '/$defs/Hello/x-wsgen-role', 'not one of'],
    ['a misspelt annotation', (d) => { d.Say['x-wsgen-rol'] = 'ping'; }, '/$defs/Say/x-wsgen-rol', 'unknown annotation'],
    ['a misspelt annotation on a field', (d) => { d.Say.properties.text['x-wsgen-rol'] = 'error-text'; }, '/$defs/Say/properties/text/x-wsgen-rol', 'unknown annotation'],
    ['a misspelt annotation on an enum', (d) => { d.Code['x-wsgen-roles'] = 'error-codes'; }, '/$defs/Code/x-wsgen-roles', 'unknown annotation'],
    ['an unknown field role', (d) => { d.Say.properties.text['x-wsgen-role'] = 'body'; }, '/$defs/Say/properties/text/x-wsgen-role', 'not one of'],
    ['a role on two message types', (d) => { d.PongAgain = msg('pong_again', 'server', 'pong', { ref: ref() }, ['ref']); }, '/$defs/PongAgain/x-wsgen-role', 'on two message types'],
    ['pong without ping', (d) => { delete d.Ping['x-wsgen-role']; }, '/$defs/Pong/x-wsgen-role', 'capability "heartbeat"'],
    ['a stream chunk without a stream end', (d) => { delete d.Done['x-wsgen-role']; }, '/$defs/Chunk/x-wsgen-role', 'capability "streams"'],
    ['session-expired without the session roles', (d) => { for (const k of ['Hello', 'Resume', 'Resumed']) delete d[k]['x-wsgen-role']; }, '/$defs/Gone/x-wsgen-role', 'capability "resume"'],
    ['session-created sent by the client', (d) => { d.Hello['x-direction'] = 'client'; }, '/$defs/Hello/x-direction', 'direction'],
    ['an unknown direction', (d) => { d.Say['x-direction'] = 'up'; }, '/$defs/Say/x-direction', 'not one of'],
    ['ping both ways, pong by the server only', (d) => { d.Ping['x-direction'] = 'both'; }, '/$defs/Pong/x-direction', 'pong only by the server'],
    ['session-created with an optional epoch', (d) => { d.Hello.required = ['kind', 'sid']; }, '/$defs/Hello/properties/epoch/x-wsgen-role', 'stream-epoch'],
    ['a stream chunk without a stream index', (d) => { delete d.Chunk.properties.i; d.Chunk.required = ['kind', 'ref']; }, '/$defs/Chunk/x-wsgen-role', 'stream-index'],
    ['pong without a correlation id', (d) => { delete d.Pong.properties.ref; d.Pong.required = ['kind']; }, '/$defs/Pong/x-wsgen-role', 'correlation-id'],
    ['a sequence number that is a string', (d) => { d.Note.properties.seq = { type: 'string', 'x-wsgen-role': 'sequence' }; }, '/$defs/Note/properties/seq/x-wsgen-role', 'not an integer'],
    ['a sequence number from 1', (d) => { d.Note.properties.seq.minimum = 1; }, '/$defs/Note/properties/seq/x-wsgen-role', 'minimum: 0'],
    ['a sequence number that is required', (d) => { d.Note.required = ['kind', 'text', 'seq']; }, '/$defs/Note/required', 'is required'],
    ['a correlation id that refuses a UUID', (d) => { d.Say.properties.ref.pattern = '^[0-9]+$'; }, '/$defs/Say/properties/ref/x-wsgen-role', 'refuses'],
    ['a correlation id that refuses a UUID by its format (issue 9 formats)', (d) => { d.Say.properties.ref.format = 'email'; }, '/$defs/Say/properties/ref/x-wsgen-role', 'refuses'],
    ['a correlation id that refuses a UUID by a format with a calendar rule', (d) => { d.Say.properties.ref.format = 'date'; }, '/$defs/Say/properties/ref/x-wsgen-role', 'refuses'],
    ['a session status that refuses resumed_with_gap', (d) => { d.Resumed.properties.state.maxLength = 8; }, '/$defs/Resumed/properties/state/x-wsgen-role', 'resumed_with_gap'],
    ['a stream epoch that is an integer', (d) => { d.Resume.properties.epoch = { type: 'integer', 'x-wsgen-role': 'stream-epoch' }; }, '/$defs/Resume/properties/epoch/x-wsgen-role', 'not a string'],
    ['a session status enum without resumed_with_gap', (d) => { d.Resumed.properties.state = { type: 'string', enum: ['resumed', 'other'], 'x-wsgen-role': 'session-status' }; }, '/$defs/Resumed/properties/state/x-wsgen-role', 'lacks "resumed_with_gap"'],
    ['a session status const of one value', (d) => { d.Resumed.properties.state = { const: 'resumed', 'x-wsgen-role': 'session-status' }; }, '/$defs/Resumed/properties/state/x-wsgen-role', 'lacks "resumed_with_gap"'],
    ['a session status that is an integer', (d) => { d.Resumed.properties.state = { type: 'integer', 'x-wsgen-role': 'session-status' }; }, '/$defs/Resumed/properties/state/x-wsgen-role', 'not a string'],
    ['a session id enum (the runtimes write any id)', (d) => { d.Hello.properties.sid = { enum: ['a', 'b'], 'x-wsgen-role': 'session-id' }; }, '/$defs/Hello/properties/sid/x-wsgen-role', 'not a string'],
    ['one field role under two names', (d) => { d.Done.properties = { kind: { const: 'done' }, id: ref(), seq: seq() }; d.Done.required = ['kind', 'id']; }, '/$defs/Done/properties/id/x-wsgen-role', '"ref" elsewhere'],
    ['one field role on two fields of a message', (d) => { d.Say.properties.ref2 = ref(); }, '/$defs/Say/properties/ref2/x-wsgen-role', 'two fields'],
    ['an error code that is a plain string', (d) => { d.Oops.properties.code = { type: 'string', 'x-wsgen-role': 'error-code' }; }, '/$defs/Oops/properties/code/x-wsgen-role', 'error-codes table'],
    ['an error-codes table without RATE_LIMITED', (d) => { d.Code.oneOf = d.Code.oneOf.filter((b: any) => b.const !== 'RATE_LIMITED'); }, '/$defs/Code/oneOf', 'RATE_LIMITED'],
    ['an error code without x-retryable', (d) => { delete d.Code.oneOf[1]['x-retryable']; }, '/$defs/Code/oneOf/1', 'x-retryable'],
    ['two error-codes tables', (d) => { d.CodeAgain = { ...d.Code }; }, '/$defs/CodeAgain/x-wsgen-role', 'two enums'],
    ['string close codes', (d) => { d.Close = { type: 'string', 'x-wsgen-role': 'close-codes', oneOf: [{ const: 'x', title: 'X', 'x-retryable': true }] }; }, '/$defs/Close/x-wsgen-role', 'not integers'],
    ['a terminal close code marked retryable', (d) => { d.Close.oneOf[9]['x-retryable'] = true; }, '/$defs/Close/oneOf/9', '4500-4999 are terminal'],
    ['a close code outside 4000-4999', (d) => { d.Close.oneOf.push({ const: 1000, title: 'NORMAL', 'x-retryable': false }); }, '/$defs/Close/oneOf/10', 'outside 4000-4999'],
    ['a close-codes table without REPLACED', (d) => { d.Close.oneOf.pop(); }, '/$defs/Close/oneOf', 'REPLACED = 4505'],
    ['an unknown priority', (d) => { d.Note['x-wsgen-priority'] = 'urgent'; }, '/$defs/Note/x-wsgen-priority', 'not one of'],
    ['a low-priority role message', (d) => { d.Oops['x-wsgen-priority'] = 'low'; }, '/$defs/Oops/x-wsgen-priority', 'priority low'],
    ['resume without an error role', (d) => { delete d.Oops['x-wsgen-role']; }, '/$defs/Resume/x-wsgen-role', 'role "error"'],
    ['a server message without a sequence field under resume', (d) => { delete d.Note.properties.seq; }, '/$defs/Note', 'sequence'],
    ['a message sent both ways (no x-direction) without a sequence field under resume', (d) => { delete d.Say['x-direction']; }, '/$defs/Say', 'sequence'],
    ['resume fields without the session roles', (d) => { for (const k of ['Hello', 'Resume', 'Resumed', 'Gone']) delete d[k]['x-wsgen-role']; }, '/$defs/Resume/properties/last/x-wsgen-role', 'without the session roles'],
    ['a message role on a type outside the union', (d) => { d.Extra = { type: 'object', 'x-wsgen-role': 'ping', properties: { a: { type: 'string' } }, additionalProperties: false }; }, '/$defs/Extra/x-wsgen-role', 'not a message type'],
    ['a field role inside a nested object', (d) => { d.Extra = { type: 'object', properties: { a: { type: 'string', 'x-wsgen-role': 'session-id' } }, additionalProperties: false }; d.Say.properties.extra = { $ref: '#/$defs/Extra' }; }, '/$defs/Extra/properties/a/x-wsgen-role', 'not a field of a message type'],
  ])('%s', async (_name, change, pointer, words) => {
    const err = await catchWsgen(() => ir(edit(change)));
    expect(err.code).toBe('WSGEN_ROLE');
    expect(err.location).toEqual({ file: 'p.json', pointer });
    expect(err.message).toContain(words);
    expect(err.hint.length).toBeGreaterThan(10);
  });
});
