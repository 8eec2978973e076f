// A protocol without roles (test/fixtures/mini: tag `kind`, no session, ping,
// error or stream messages, no code tables) still gets validated, typed
// receive and send, limits, metrics and shutdown; what needs a role is absent:
// no session-created message, no seq, no error replies (a frame that cannot be
// served closes the connection with 1008, a rate-limited one is dropped), no
// stream replies, no app-level heartbeat.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySessionValidator, tokenProtocols } from '../../../runtime/server/auth.js';
import { silentLogger } from '../../../runtime/server/logger.js';
import type { ConnectionContext } from '../../../runtime/server/connection.js';
import { STANDARD_CLOSE_CODES } from '../../../runtime/server/roles.js';
import { SessionStore, type SessionBackend } from '../../../runtime/server/sessions.js';
import { createServer, type WsgenServer } from '../../../runtime/server/ws.js';
import { httpGet, upgradeStatus } from '../helpers.js';
import { connectTo, type SuiteClient } from './client.js';
import { fixtureProtocol } from './fixture-protocol.js';

const protocol = await fixtureProtocol('mini');
const validator = new InMemorySessionValidator();
let server: WsgenServer;
let lastContext: ConnectionContext | undefined;
let clients: SuiteClient[] = [];

beforeAll(async () => {
  server = await createServer({
    logger: silentLogger,
    protocol,
    endpoints: { game: { path: '/games/{color}', params: { color: 'Color' } } },
    handlers: {
      chat: (m, c) => {
        lastContext = c;
        c.reply({ kind: 'chat', text: `echo: ${String(m['text'])}` });
      },
      move: (m, c) => c.reply({ kind: 'move', to: m['to'] }),
    },
    validator,
    validateOutbound: true,
    heartbeatIntervalMs: 0,
    rateLimit: { capacity: 5, refillPerSecond: 1, closeAfter: 3 },
    shutdown: { jitterMs: 10, deadlineMs: 300 },
  });
});
afterAll(() => server.close());
afterEach(async () => {
  for (const c of clients) expect(c.invalid).toEqual([]);
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});
const open = async (path = '/games/light-blue'): Promise<SuiteClient> => {
  const c = await connectTo(server.url(path), validator.issue().token, protocol);
  clients.push(c);
  return c;
};

describe('a protocol without roles (test/fixtures/mini)', () => {
  it('routes a valid message to its handler; the reply is validated and carries no seq; nothing is sent on open', async () => {
    const c = await open();
    c.send({ kind: 'chat', text: 'hi' });
    expect(await c.next()).toEqual({ kind: 'chat', text: 'echo: hi' });
    expect(c.messages).toHaveLength(1);
  });

  it('numbers and buffers nothing: a message for a session without a live connection is not kept', async () => {
    const { token, session } = validator.issue();
    const c = await connectTo(server.url('/games/green'), token, protocol);
    expect(server.core.sendToSession(session.sessionId, 'game:green', { kind: 'chat', text: 'live' })).toBe(true);
    expect(await c.next()).toEqual({ kind: 'chat', text: 'live' });
    await c.close();
    expect(server.core.sendToSession(session.sessionId, 'game:green', { kind: 'chat', text: 'lost' })).toBe(false);
    expect(server.core.sessions.findStream(session.sessionId, 'game:green')!.buffered).toEqual({ messages: 0, bytes: 0 });
  });

  it('has typed path parameters: /games/{color} serves the Color enum and 404s anything else', async () => {
    await open('/games/red');
    expect(await upgradeStatus(server.url('/games/blue'), tokenProtocols(validator.issue().token))).toBe(404);
  });

  it.each([
    ['an invalid message', JSON.stringify({ kind: 'chat', text: 7 }), 'INVALID_MESSAGE'],
    ['not JSON', '{', 'INVALID_MESSAGE'],
    ['a type with no handler', JSON.stringify({ kind: 'join', player: 'p1' }), 'UNSUPPORTED_TYPE'],
    ['a ping (no heartbeat role)', JSON.stringify({ kind: 'ping' }), 'INVALID_MESSAGE'],
  ])('closes on %s with 1008 and the code in the reason (no error role to reply with)', async (_n, frame, code) => {
    const c = await open();
    c.ws.send(frame);
    const closed = await c.closed;
    expect(closed.code).toBe(1008);
    expect(closed.reason.startsWith(code)).toBe(true);
    expect(c.messages).toEqual([]);
  });

  it('drops rate-limited frames silently, then closes with the standard RATE_LIMIT_EXCEEDED 4503', async () => {
    const c = await open();
    for (let i = 0; i < 12; i++) c.send({ kind: 'chat', text: `f${i}` });
    expect((await c.closed).code).toBe(STANDARD_CLOSE_CODES.RATE_LIMIT_EXCEEDED);
    expect(c.messages.length).toBeLessThanOrEqual(5);
  });

  it('closes on binary frames (1003) and frames over maxPayload (1009)', async () => {
    const a = await open();
    a.ws.send(Buffer.from([0]));
    expect((await a.closed).code).toBe(1003);
    const b = await open();
    b.ws.send('x'.repeat(65 * 1024));
    expect((await b.closed).code).toBe(1009);
  });

  it('offers no error reply and no stream reply to handlers', async () => {
    const c = await open();
    c.send({ kind: 'chat', text: 'ctx' });
    await c.next();
    expect(lastContext!.replyError('INTERNAL_ERROR', 'x')).toBe(false);
    await expect(lastContext!.replyStream('r', ['a'])).rejects.toThrow(/no streams capability/);
  });

  it('counts messages in the metrics, and shuts down with 1012 and 503', async () => {
    const c = await open();
    c.send({ kind: 'move', to: { x: 1, y: 2 } });
    expect(await c.next()).toEqual({ kind: 'move', to: { x: 1, y: 2 } });
    expect((await httpGet(server, '/metrics')).body).toContain('wsgen_messages_in_total{type="move"} 1');
    const closing = server.close();
    expect(await upgradeStatus(server.url('/games/red'), tokenProtocols(validator.issue().token))).toBe(503);
    expect((await c.closed).code).toBe(1012);
    await closing;
  });
});

describe('the session store is a seam (ServerOptions.sessionStore)', () => {
  it('the core links, finds and flushes streams through the store it is given', async () => {
    const calls: string[] = [];
    let store: SessionBackend | undefined;
    const own = await createServer({
      logger: silentLogger,
      protocol,
      endpoints: { game: { path: '/g' } },
      handlers: { chat: (m, c) => c.reply({ kind: 'chat', text: String(m['text']) }) },
      validator,
      heartbeatIntervalMs: 0,
      shutdown: { jitterMs: 0, deadlineMs: 100 },
      sessionStore: (o) => {
        const inner = new SessionStore(o);
        store = {
          linkConnectionToSession: (info, ep) => (calls.push('link'), inner.linkConnectionToSession(info, ep)),
          findStream: (sid, key) => (calls.push('find'), inner.findStream(sid, key)),
          drop: (st) => inner.drop(st),
          sweep: (now) => inner.sweep(now),
          streams: () => (calls.push('streams'), inner.streams()),
          clear: () => (calls.push('clear'), inner.clear()),
          get sessionCount() {
            return inner.sessionCount;
          },
        };
        return store;
      },
      onFlush: () => {},
    });
    const { token, session } = validator.issue();
    const c = await connectTo(own.url('/g'), token, protocol);
    expect(own.core.sessions).toBe(store);
    expect(own.core.sendToSession(session.sessionId, 'game', { kind: 'chat', text: 'via store' })).toBe(true);
    expect(await c.next()).toEqual({ kind: 'chat', text: 'via store' });
    await own.close();
    expect(calls).toEqual(['link', 'find', 'streams', 'clear']);
  });
});
