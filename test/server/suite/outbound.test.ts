// The outbound path of the generic server (validateOutbound on), on the whiteboard protocol (tag `op`, correlation
// id `ref`): an invalid message, whatever built it (a synchronous or async handler's reply, a stream chunk, a
// publish), is not sent and takes no seq, so the stream has no gap; the request gets INTERNAL_ERROR under its ref
// and the connection stays open; the fault is logged (invalid_outbound, then handler_error, each with code and
// hint). A request without a ref gets none: its reply and error carry none; a stream reply gives it a server id
// (`s<n>`: stream chunks and ends require one), which its chunks, end and a later error reply carry.
// The Python server's counterparts: test/python_runtime/test_outbound.py and test_request_ids.py.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { protocol as board } from '../../../examples/whiteboard/generated/ts/index.js';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import type { ConnectionContext } from '../../../runtime/server/connection.js';
import { InvalidOutboundError } from '../../../runtime/server/errors.js';
import type { MessageHandler } from '../../../runtime/server/options.js';
import type { Message } from '../../../runtime/server/roles.js';
import type { LogFields } from '../../../runtime/server/types.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { connectTo, type SuiteClient } from './client.js';

const validator = new InMemorySessionValidator();
const logs: { event: string; fields: LogFields }[] = [];
let server: WsgenServer;
let clients: SuiteClient[] = [];

const chat = (ref: unknown, text: string): Message => ({ op: 'chat', ref, user: 'server', text });
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** What each chat_send text makes the handler do (the bad replies break `minLength: 1` or the chunk's `maxLength`). */
const chatScripts: Record<string, (m: Message, c: ConnectionContext) => unknown> = {
  ok: (m, c) => c.reply(chat(m['ref'], 'fine')),
  sync: (m, c) => c.reply(chat(m['ref'], '')),
  async: async (m, c) => {
    await tick();
    c.reply(chat(m['ref'], ''));
  },
  stream: (m, c) => c.replyStream(m['ref'] as string, ['<part/>', 'x'.repeat(16385), 'never sent']).then(() => undefined),
  parts: (m, c) => c.replyStream(m['ref'] as string, ['<a/>', '<b/>']).then(() => undefined),
  // a stream started during the handler's call, then a failure: the error reply carries the stream's id
  'parts then throws': async (m, c) => {
    await c.replyStream(m['ref'] as string | undefined, ['<a/>']);
    throw new Error('after the stream');
  },
  // the same with the stream started after an await (the handler's promise is tracked by then)
  'later parts then throws': async (m, c) => {
    await tick();
    await c.replyStream(m['ref'] as string | undefined, ['<a/>']);
    throw new Error('after the stream');
  },
  throws: () => {
    throw new Error('boom');
  },
  // keys set to undefined (an unset field): JSON.stringify leaves them out, so the message is judged without them
  'undefined keys': (m, c) => c.reply({ ...chat(m['ref'], 'unset'), note: undefined, shape: undefined }),
};

/** Every chat_send to its script. */
const chatHandler = ((m: Message, c: ConnectionContext) => chatScripts[m['text'] as string]!(m, c)) as MessageHandler<Message>;

beforeAll(async () => {
  server = (await createServer({
    protocol: board,
    endpoints: { board: { path: '/boards/{format}', params: { format: 'ExportFormat' } } },
    handlers: {
      chat_send: chatHandler as MessageHandler<unknown>,
    },
    validator,
    validateOutbound: true,
    heartbeatIntervalMs: 0,
    logger: { log: (_level, event, fields = {}) => void logs.push({ event, fields }) },
    shutdown: { jitterMs: 10, deadlineMs: 300 },
  })) as unknown as WsgenServer;
});
afterAll(() => server.close());
afterEach(async () => {
  for (const c of clients) expect(c.invalid).toEqual([]);
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
  logs.length = 0;
});

async function open(): Promise<{ c: SuiteClient; sessionId: string; tenant: string; realm: string }> {
  const { token, session } = validator.issue();
  const c = await connectTo(server.url('/boards/svg'), token, board);
  clients.push(c);
  await c.nextOfType('welcome');
  return { c, sessionId: session.sessionId, tenant: session.tenant, realm: session.realm };
}

describe('an invalid outbound message is not sent, takes no seq, and answers INTERNAL_ERROR (whiteboard)', () => {
  it.each(['sync', 'async', 'stream'])('%s reply', async (path) => {
    const { c } = await open();
    c.send({ op: 'chat_send', ref: 'r-1', text: path });
    const err = await c.nextOfType('failure');
    const before = c.messages.filter((m) => m['op'] === 'export_chunk');
    const first = path === 'stream' ? 2 : 1; // the valid chunk before the bad one was sent with seq 1
    expect(before.map((m) => [m['part'], m['seq']])).toEqual(path === 'stream' ? [[0, 1]] : []);
    expect([err['code'], err['ref'], err['seq']]).toEqual(['INTERNAL_ERROR', 'r-1', first]);
    c.send({ op: 'chat_send', ref: 'r-2', text: 'ok' });
    const next = await c.nextOfType('chat');
    expect([next['text'], next['ref'], next['seq']]).toEqual(['fine', 'r-2', first + 1]); // no gap, connection open
    expect(logs.map((l) => l.event).filter((e) => e === 'invalid_outbound' || e === 'handler_error')).toEqual(['invalid_outbound', 'handler_error']);
    for (const l of logs.filter((x) => x.event === 'invalid_outbound' || x.event === 'handler_error')) {
      expect(l.fields['code']).toBe('INTERNAL_ERROR');
      expect(String(l.fields['hint'])).toMatch(/schema/);
    }
  });

  it('an invalid publish or sendToSession throws InvalidOutboundError and takes no seq', async () => {
    const { c, sessionId, tenant, realm } = await open();
    const bad = chat(undefined, '');
    delete bad['ref'];
    expect(() => server.core.publish({ tenant, realm }, bad)).toThrow(InvalidOutboundError);
    expect(() => server.core.sendToSession(sessionId, 'board:svg', { ...bad })).toThrow(InvalidOutboundError);
    expect(server.core.sendToSession(sessionId, 'board:svg', { op: 'chat', user: 'server', text: 'good' })).toBe(true);
    const m = await c.nextOfType('chat');
    expect([m['text'], m['seq']]).toEqual(['good', 1]);
  });
});

describe('a key set to undefined is an unset field: judged as the JSON text leaves it, out (the Python rule for models)', () => {
  it('a reply, a publish and a sendToSession with keys the schema does not allow, set to undefined, are sent', async () => {
    const { c, sessionId, tenant, realm } = await open();
    c.send({ op: 'chat_send', ref: 'u-1', text: 'undefined keys' });
    const reply = await c.nextOfType('chat');
    expect([reply['text'], reply['ref'], Object.keys(reply)]).toEqual(['unset', 'u-1', ['op', 'ref', 'user', 'text', 'seq']]);
    expect(server.core.publish({ tenant, realm }, { op: 'chat', user: 'server', text: 'published', extra: undefined, ref: undefined })).toBe(1);
    expect(server.core.sendToSession(sessionId, 'board:svg', { op: 'chat', user: 'server', text: 'sent', extra: undefined })).toBe(true);
    await c.nextOfType('chat');
    const sent = await c.nextOfType('chat');
    expect(c.messages.filter((m) => m['op'] === 'chat').map((m) => m['text'])).toEqual(['unset', 'published', 'sent']);
    expect(sent['seq']).toBe(3);
    expect(logs.map((l) => l.event)).not.toContain('invalid_outbound');
  });

  it('a key the schema does not allow, set to a value, is still refused', async () => {
    const { sessionId } = await open();
    expect(() => server.core.sendToSession(sessionId, 'board:svg', { op: 'chat', user: 'server', text: 'x', extra: 1, note: undefined })).toThrow(InvalidOutboundError);
  });
});

describe('a request without a correlation id: none on its reply and error; a stream reply gives it s<n>', () => {
  it("its reply and error reply carry no ref; a stream's chunks and end carry one server id", async () => {
    const { c } = await open();
    c.send({ op: 'chat_send', text: 'ok' });
    const reply = await c.nextOfType('chat');
    expect(Object.keys(reply)).not.toContain('ref');
    c.send({ op: 'chat_send', text: 'parts' }); // (export_board requires its ref in this schema: INVALID_MESSAGE without)
    const done = await c.nextOfType('export_done');
    const chunks = c.messages.filter((m) => m['op'] === 'export_chunk');
    expect(chunks.map((m) => m['data'])).toEqual(['<a/>', '<b/>']);
    expect(done['ref']).toMatch(/^s[0-9a-f]+$/);
    expect(chunks.every((m) => m['ref'] === done['ref'])).toBe(true);
    c.send({ op: 'chat_send', text: 'throws' });
    const err = await c.nextOfType('failure');
    expect(err['code']).toBe('INTERNAL_ERROR');
    expect(Object.keys(err)).not.toContain('ref');
    expect(c.messages.map((m) => m['seq']).filter((s) => s !== undefined)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it.each(['parts then throws', 'later parts then throws'])('%s: the error reply carries the id the stream got', async (text) => {
    const { c } = await open();
    c.send({ op: 'chat_send', text });
    const err = await c.nextOfType('failure');
    const chunk = c.messages.find((m) => m['op'] === 'export_chunk')!;
    expect(chunk['ref']).toMatch(/^s[0-9a-f]+$/);
    expect([err['code'], err['ref']]).toEqual(['INTERNAL_ERROR', chunk['ref']]);
  });

  it('two requests without a ref streaming at once get two ids, each error reply its own stream\'s', async () => {
    const { c } = await open();
    c.send({ op: 'chat_send', text: 'later parts then throws' });
    c.send({ op: 'chat_send', text: 'later parts then throws' });
    await c.next((m) => m['op'] === 'failure' && c.messages.filter((x) => x['op'] === 'failure').length === 2);
    const chunkRefs = c.messages.filter((m) => m['op'] === 'export_chunk').map((m) => m['ref']);
    const errRefs = c.messages.filter((m) => m['op'] === 'failure').map((m) => m['ref']);
    expect(new Set(chunkRefs).size).toBe(2);
    expect(errRefs.sort()).toEqual([...chunkRefs].sort());
  });
});

describe('an error reply the runtime built that the schema refuses is not sent and never throws into the frame loop', () => {
  it('a refusal (UNSUPPORTED_TYPE) and a handler failure whose failure message breaks the schema: nothing sent, the connection serves on', async () => {
    const v2 = new InMemorySessionValidator();
    const s = await createServer({
      protocol: board,
      endpoints: { board: { path: '/boards/{format}', params: { format: 'ExportFormat' } } },
      handlers: { chat_send: chatHandler as MessageHandler<unknown> },
      validator: v2,
      validateOutbound: true,
      heartbeatIntervalMs: 0,
      // a decoration the whiteboard's failure does not allow (unevaluatedProperties: false)
      decorate: (m) => {
        if (m['op'] === 'failure') m['extra'] = true;
      },
      logger: { log: (_level, event, fields = {}) => void logs.push({ event, fields }) },
      shutdown: { jitterMs: 10, deadlineMs: 300 },
    });
    try {
      const c = await connectTo(s.url('/boards/svg'), v2.issue().token, board);
      clients.push(c);
      await c.nextOfType('welcome');
      c.send({ op: 'chat', ref: 'x-1', user: 'u', text: 'server-only type' }); // UNSUPPORTED_TYPE, its reply invalid
      c.send({ op: 'chat_send', ref: 'x-2', text: 'throws' }); // INTERNAL_ERROR, its reply invalid
      c.send({ op: 'chat_send', ref: 'x-3', text: 'ok' });
      const reply = await c.nextOfType('chat');
      expect([reply['ref'], reply['seq']]).toEqual(['x-3', 1]);
      expect(c.messages.filter((m) => m['op'] === 'failure')).toEqual([]);
      expect(logs.filter((l) => l.event === 'invalid_outbound').map((l) => l.fields['type'])).toEqual(['failure', 'failure']);
    } finally {
      await s.close();
    }
  });
});
