import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, ErrorCode, MAX_DEPTH } from '../../generated/ts/index.js';
import { connect, invalidInbound, rawSocket, startServer, ts, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startServer({ rateLimit: { capacity: 10, refillPerSecond: 5, closeAfter: 5 } });
});
afterAll(() => t.close());
afterEach(() => expect(invalidInbound).toEqual([]));

const deep = (n: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = [v];
  return v;
};

describe('invalid frames get INVALID_MESSAGE and the connection stays open', () => {
  it.each([
    ['non-JSON', 'hello', '', 'json'],
    ['truncated JSON', '{"type":"user_message"', '', 'json'],
    ['JSON array', '[1,2]', '', 'type'],
    ['JSON string', '"user_message"', '', 'type'],
    ['no type', JSON.stringify({ timestamp: ts(), message: 'x' }), '', 'required'],
    ['unknown type', JSON.stringify({ type: 'teleport', timestamp: ts() }), '/type', 'discriminator'],
    ['wrong field type', JSON.stringify({ type: 'user_message', timestamp: ts(), message: 42 }), '/message', 'type'],
    ['empty message', JSON.stringify({ type: 'user_message', timestamp: ts(), message: '' }), '/message', 'minLength'],
    ['bad timestamp', JSON.stringify({ type: 'user_message', timestamp: 'yesterday', message: 'x' }), '/timestamp', 'format'],
    ['unknown field', JSON.stringify({ type: 'user_message', timestamp: ts(), message: 'x', colour: 'red' }), '', 'additionalProperties|unevaluatedProperties|false schema'],
    ['client sends seq', JSON.stringify({ type: 'user_message', timestamp: ts(), message: 'x', seq: 3 }), '', 'additionalProperties|unevaluatedProperties|false schema'],
    ['negative last_seq', JSON.stringify({ type: 'session_resume', timestamp: ts(), session_id: 's', last_seq: -1, epoch: 'e1' }), '/last_seq', 'minimum'],
    ['deeply nested data', JSON.stringify({ type: 'user_message', timestamp: ts(), message: 'x', data: deep(MAX_DEPTH + 5) }), '/data', 'depth'],
    ['lone surrogate', '{"type":"user_message","timestamp":"' + ts() + '","message":"\\ud800"}', '', 'unicode'],
  ])('%s', async (_name, frame, path, keyword) => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.ws.send(frame);
    const err = await c.nextOfType('error_message');
    expect(err.error_code).toBe(ErrorCode.INVALID_MESSAGE);
    const issues = (err.error_details as { errors: { path: string; keyword: string; message: string }[] }).errors;
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.some((i) => keyword.split('|').includes(i.keyword))).toBe(true);
    // The exact pointer can move with the generator (for example "" vs "/seq"); it must name the field or the message.
    if (path) expect(issues.some((i) => i.path === path || i.path === '')).toBe(true);
    c.send({ type: 'ping', timestamp: ts(), message_id: 'alive' });
    expect(await c.nextOfType('pong')).toMatchObject({ message_id: 'alive' });
    await c.close();
  });

  // runtime/server/README.md: validation stops at the first issue (ajv's order, PROTOCOL.md "Validation issues"), so a
  // frame with several faults gets that one issue; the Python server gives the same (test/python_runtime/test_frames.py).
  it('a frame with several faults gets one issue, the first in ajv\'s order', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.ws.send(JSON.stringify({ type: 'user_message', timestamp: 'yesterday', message: 42, colour: 'red', message_id: 'm-3' }));
    const err = await c.nextOfType('error_message');
    expect(err.error_details).toEqual({ errors: [{ path: '', keyword: 'additionalProperties', message: 'must NOT have additional properties', params: { additionalProperty: 'colour' } }] });
    expect(err.message_id).toBe('m-3');
    await c.close();
  });

  // The reply echoes the frame's values in error_details (for example the unknown tag as params.tagValue); an
  // open field takes only I-JSON numbers, limited nesting and well-formed text, so the echo must fit by construction.
  it.each([
    ['a tag beyond ±(2^53 − 1)', '{"type":1e308,"timestamp":"' + ts() + '"}', '1e+308'],
    ['a negative huge tag', '{"type":-9007199254740993,"timestamp":"' + ts() + '"}', '-9007199254740992'],
    ['a tag nested 190 deep', JSON.stringify({ type: deep(190), timestamp: ts() }), [[[[[[['…']]]]]]]],
    ['a tag with a lone surrogate', '{"type":"x\\ud800","timestamp":"' + ts() + '"}', 'x\\ud800'],
    ['a tag object with a __proto__ key and a huge number', '{"type":{"__proto__":{"n":1e300}},"timestamp":"' + ts() + '"}', { ['__proto__']: { n: '1e+300' } }],
  ])('echoes %s in a valid reply', async (_name, frame, echoed) => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.ws.send(frame);
    const err = await c.nextOfType('error_message');
    const first = (err.error_details as { errors: { params: { tagValue?: unknown } }[] }).errors[0];
    expect(err.error_code).toBe(ErrorCode.INVALID_MESSAGE);
    if (typeof echoed !== 'string' || !echoed.includes('\\')) expect(JSON.stringify(first?.params.tagValue)).toBe(JSON.stringify(echoed));
    c.send({ type: 'ping', timestamp: ts(), message_id: 'alive' });
    expect(await c.nextOfType('pong')).toMatchObject({ message_id: 'alive' });
    await c.close();
  });

  it('names the message_id of an invalid message when it is readable', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.send({ type: 'user_message', timestamp: ts(), message: 7, message_id: 'bad-1' });
    expect(await c.nextOfType('error_message')).toMatchObject({ error_code: 'INVALID_MESSAGE', message_id: 'bad-1' });
    await c.close();
  });

  it.each(['agent_message', 'session_created', 'error_message'])('answers a server-only type (%s) with UNSUPPORTED_TYPE', async (type) => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    const bodies: Record<string, Record<string, unknown>> = {
      agent_message: { message: 'x', agent: 'guide_agent' },
      session_created: { session_id: 's', realm: 'experience', schema_hash: 'a'.repeat(64), epoch: 'e1' },
      error_message: { error_code: 'AGENT_ERROR', message: 'x' },
    };
    c.send({ type, timestamp: ts(), message_id: 'srv', ...bodies[type] });
    expect(await c.nextOfType('error_message')).toMatchObject({ error_code: ErrorCode.UNSUPPORTED_TYPE, message_id: 'srv' });
    await c.close();
  });
});

describe('frames that close the connection', () => {
  it('closes an oversize frame with 1009 and a reason naming the limit (RFC 6455 §7.4.1, §5.5.1)', async () => {
    const small = await startServer({ maxPayload: 1024 });
    const c = await connect(small.url('/api/ws/guide'), small.issue());
    c.say('x'.repeat(2000));
    expect(await c.closed).toEqual({ code: 1009, reason: 'frame over 1024 bytes' });
    await small.close();
  });

  it('closes a text frame that is not UTF-8 with 1007 and a reason', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.ws.send(Buffer.from([0x22, 0xff, 0xfe, 0x22]), { binary: false });
    expect(await c.closed).toEqual({ code: 1007, reason: 'text is not valid UTF-8' });
  });

  it('closes a frame with a reserved opcode with 1002 and a reason', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    // FIN + opcode 0x3 (reserved, RFC 6455 §5.2), masked, empty payload.
    rawSocket(c.ws).write(Buffer.from([0x83, 0x80, 0, 0, 0, 0]));
    expect(await c.closed).toEqual({ code: 1002, reason: 'protocol error: invalid opcode' });
  });

  it('closes a binary frame with 1003', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.ws.send(Buffer.from(JSON.stringify({ type: 'ping', timestamp: ts() })), { binary: true });
    expect((await c.closed).code).toBe(1003);
  });
});

describe('rate limiting', () => {
  it('answers RATE_LIMITED beyond the bucket, then closes with RATE_LIMIT_EXCEEDED if flooding goes on', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    await c.nextOfType('session_created');
    for (let i = 0; i < 40; i++) c.send({ type: 'ping', timestamp: ts(), message_id: `p${i}` });
    const closed = await c.closed;
    expect(closed.code).toBe(CloseCode.RATE_LIMIT_EXCEEDED);
    const pongs = c.messages.filter((m) => m.type === 'pong').length;
    const limited = c.messages.filter((m) => m.type === 'error_message' && m.error_code === 'RATE_LIMITED').length;
    expect(pongs).toBeGreaterThanOrEqual(10);
    expect(pongs).toBeLessThan(14);
    expect(limited).toBe(4);
  });

  it('lets a client that slows down continue', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    for (let i = 0; i < 12; i++) c.send({ type: 'ping', timestamp: ts(), message_id: `q${i}` });
    await c.next((m) => m.type === 'error_message' && m.error_code === 'RATE_LIMITED');
    await new Promise((r) => setTimeout(r, 450));
    c.send({ type: 'ping', timestamp: ts(), message_id: 'later' });
    expect(await c.next((m) => m.type === 'pong' && m.message_id === 'later')).toBeTruthy();
    await c.close();
  });
});

describe('application-level ping', () => {
  it('answers ping with pong echoing message_id, or a generated one', async () => {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    c.send({ type: 'ping', timestamp: ts(), message_id: 'abc' });
    expect(await c.nextOfType('pong')).toMatchObject({ message_id: 'abc' });
    c.send({ type: 'ping', timestamp: ts() });
    const p = await c.nextOfType('pong');
    expect(p.message_id).toMatch(/^[A-Za-z0-9._:-]+$/);
    c.send({ type: 'pong', timestamp: ts(), message_id: 'client-pong' });
    c.send({ type: 'ping', timestamp: ts(), message_id: 'after' });
    expect(await c.nextOfType('pong')).toMatchObject({ message_id: 'after' });
    await c.close();
  });
});
