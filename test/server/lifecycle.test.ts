import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, Realm, validateMessage, type WebSocketMessage } from '../../generated/ts/index.js';
import type { Protocol } from '../../generated/ts/index.js';
import type { AcceptedHandshake, ServerCore } from '../../runtime/server/core.js';
import { chatSessionValidator, createChatServer, makeChatServer, type ChatServerOptions } from '../../runtime/server/chat/server.js';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tokenProtocols } from '../../runtime/server/auth.js';
import { silentLogger } from '../../runtime/server/logger.js';
import { referenceAgents } from '../../runtime/server/chat/reference.js';
import type { TransportSocket } from '../../runtime/server/types.js';
import { captureLogger, connect, httpGet, invalidInbound, sleep, startServer, ts, upgradeStatus } from './helpers.js';

/** The chat app's core (no sockets). */
const makeServer = (o: ChatServerOptions): ServerCore<Protocol> => makeChatServer(o).core;

afterEach(() => expect(invalidInbound).toEqual([]));

/** A fake transport socket with a settable bufferedAmount. */
class FakeSocket implements TransportSocket {
  sent: WebSocketMessage[] = [];
  closedWith: number | undefined;
  terminated = false;
  pings = 0;
  bufferedAmount = 0;
  send(text: string) {
    const m = JSON.parse(text) as WebSocketMessage;
    expect(validateMessage(m).ok).toBe(true);
    this.sent.push(m);
  }
  close(code: number) {
    this.closedWith = code;
  }
  terminate() {
    this.terminated = true;
  }
  ping() {
    this.pings++;
  }
}

async function coreWithSocket(o: Parameters<typeof makeServer>[0] extends infer P ? Partial<P> : never = {}) {
  const validator = chatSessionValidator();
  const core = makeServer({ logger: silentLogger, validator, agents: referenceAgents({ chunkDelayMs: 0 }), validateOutbound: true, heartbeatIntervalMs: 0, ...o });
  const { token } = validator.issue();
  const hs = await core.handshake({ url: '/api/ws/guide', protocols: tokenProtocols(token) });
  expect(hs.ok).toBe(true);
  const sock = new FakeSocket();
  const handle = core.open(sock, hs as AcceptedHandshake);
  return { core, sock, handle };
}

describe('heartbeat', () => {
  it('terminates a connection that stops answering pings and removes it from every index (fake timers)', async () => {
    vi.useFakeTimers();
    try {
      const { core, sock, handle } = await coreWithSocket({ heartbeatIntervalMs: 30_000 });
      const id = handle.id;
      expect(core.registry.size).toBe(1);
      vi.advanceTimersByTime(30_000);
      expect(sock.pings).toBe(1);
      handle.onPong();
      vi.advanceTimersByTime(30_000);
      expect(sock.terminated).toBe(false);
      vi.advanceTimersByTime(30_000); // no pong after the second ping
      expect(sock.terminated).toBe(true);
      expect(core.registry.size).toBe(0);
      expect(core.getConnectionHealth(id)).toBeUndefined();
      expect(core.metrics.closesByCode.get(String(CloseCode.HEARTBEAT_TIMEOUT))).toBe(1);
      vi.useRealTimers();
      await core.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('terminates a real socket that does not pong (autoPong off)', async () => {
    const t = await startServer({ heartbeatIntervalMs: 0 });
    const c = await connect(t.url('/api/ws/guide'), t.issue(), { ws: { autoPong: false } });
    await c.nextOfType('session_created');
    t.server.core.heartbeatTick();
    t.server.core.heartbeatTick();
    await c.closed;
    expect(t.server.core.registry.size).toBe(0);
    await t.close();
  });
});

describe('backpressure', () => {
  it('drops progress first over the soft budget, then closes SLOW_CONSUMER over the hard budget; the dropped take no seq', async () => {
    const { core, sock, handle } = await coreWithSocket({ backpressure: { softBytes: 1000, hardBytes: 5000 }, shutdown: { jitterMs: 0, deadlineMs: 50 } });
    const sessionId = core.getConnectionHealth(handle.id)!.sessionId;
    const progress = (p: number) => ({ type: 'progress_update' as const, timestamp: ts(), progress: p });
    expect(core.sendToSession(sessionId, 'guide', progress(0.1))).toBe(true);
    sock.bufferedAmount = 2000;
    expect(core.sendToSession(sessionId, 'guide', progress(0.2))).toBe(false);
    expect(core.sendToSession(sessionId, 'guide', { type: 'system_message', timestamp: ts(), message: 'important' })).toBe(true);
    expect(sock.sent.filter((m) => m.type !== 'session_created').map((m) => ('seq' in m ? m.seq : 0))).toEqual([1, 2]);
    sock.bufferedAmount = 6000;
    core.sendToSession(sessionId, 'guide', { type: 'system_message', timestamp: ts(), message: 'too much' });
    expect(sock.closedWith).toBe(CloseCode.SLOW_CONSUMER);
    expect(core.registry.size).toBe(0);
    expect(core.metrics.dropped).toBe(1);
    // The message that could not be sent stays buffered for a resume.
    expect(core.sessions.findStream(sessionId, 'guide')!.replayAfter(2).texts).toHaveLength(1);
    await core.close();
  });
});

describe('realm and tenant isolation', () => {
  it('publishes only to the audience’s realm and tenant, with the connection’s realm on the message', async () => {
    const t = await startServer();
    const mk = (realm: Realm, tenant: string) => connect(t.url('/api/ws/guide'), t.issue({ realm, tenant }));
    const a = await mk(Realm.SMART_CITY, 't1');
    const b = await mk(Realm.SMART_CITY, 't2');
    const c = await mk(Realm.EXPERIENCE, 't1');
    const d = await connect(t.url('/api/ws/liaison/content'), t.issue({ realm: Realm.SMART_CITY, tenant: 't1' }));
    for (const x of [a, b, c, d]) await x.nextOfType('session_created');
    const n = t.server.chat.publish({ realm: Realm.SMART_CITY, tenant: 't1' }, { type: 'system_message', timestamp: ts(), message: 'realm news' });
    expect(n).toBe(2);
    const onlyGuide = t.server.chat.publish({ realm: Realm.SMART_CITY, tenant: 't1', agent: 'guide_agent' }, { type: 'system_message', timestamp: ts(), message: 'guide news' });
    expect(onlyGuide).toBe(1);
    expect(await a.nextOfType('system_message')).toMatchObject({ message: 'realm news', realm: 'smart_city' });
    expect(await d.nextOfType('system_message')).toMatchObject({ message: 'realm news' });
    const onlyContent = t.server.chat.publish({ realm: Realm.SMART_CITY, tenant: 't1', pillar: 'content' }, { type: 'system_message', timestamp: ts(), message: 'content news' });
    expect(onlyContent).toBe(1);
    expect(await d.nextOfType('system_message')).toMatchObject({ message: 'content news', realm: 'smart_city' });
    await sleep(50);
    for (const x of [b, c]) expect(x.messages.some((m) => m.type === 'system_message')).toBe(false);
    expect(d.messages.filter((m) => m.type === 'system_message')).toHaveLength(2);
    const reg = t.server.core.registry;
    expect(reg.forRealm(Realm.SMART_CITY).size).toBe(3);
    expect(reg.forEndpoint('liaison:content').size).toBe(1);
    expect(reg.forName('liaison').size).toBe(1);
    expect(reg.forEndpoint('guide').size).toBe(3);
    // Agent replies carry the realm of the session.
    c.say('/echo mine');
    expect(await c.nextOfType('agent_message')).toMatchObject({ realm: 'experience' });
    await Promise.all([a, b, c, d].map((x) => x.close()));
    await t.close();
  });
});

describe('health and metrics', () => {
  it('exposes Prometheus text on /metrics and health in code', async () => {
    const t = await startServer();
    const c = await connect(t.url('/api/ws/liaison/operations'), t.issue({ realm: Realm.JOURNEY_SOLUTION }));
    c.say('/echo hi');
    await c.nextOfType('agent_message');
    c.ws.send('garbage');
    await c.nextOfType('error_message');
    const health = [...t.server.core.getAllConnectionsHealth().values()];
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ endpoint: 'liaison:operations', realm: 'journey_solution', alive: true, live: true, messagesIn: 2 });
    await upgradeStatus(t.url('/api/ws/nowhere'), tokenProtocols('x'));
    const { status, body } = await httpGet(t.server, '/metrics');
    expect(status).toBe(200);
    for (const line of [
      'wsgen_connections{realm="journey_solution",endpoint="liaison:operations"} 1',
      'wsgen_messages_in_total{type="user_message"} 1',
      'wsgen_messages_out_total{type="agent_message"} 1',
      'wsgen_validation_failures_total{keyword="json"} 1',
      'wsgen_handshake_refusals_total{status="404"} 1',
      'wsgen_handler_duration_seconds_count{agent="operations_liaison",outcome="ok"} 1',
    ])
      expect(body).toContain(line);
    await c.close();
    await sleep(20);
    expect((await httpGet(t.server, '/metrics')).body).toContain('wsgen_closes_total{code="1005"} 1');
    expect(JSON.parse((await httpGet(t.server, '/healthz')).body)).toMatchObject({ status: 'ok', connections: 0 });
    await t.close();
  });
});

describe('compression', () => {
  it.each([
    [undefined, false],
    [{ threshold: 512 }, true],
  ] as const)('compression=%j negotiates permessage-deflate: %s', async (compression, on) => {
    const t = await startServer(compression ? { compression } : {});
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    expect(c.ws.extensions.includes('permessage-deflate')).toBe(on);
    await c.close();
    await t.close();
  });
});

describe('graceful shutdown', () => {
  it('refuses new handshakes, closes every connection with 1012 over a jittered window, then flushes session buffers', async () => {
    const flushed: unknown[] = [];
    const t = await startServer({ shutdown: { code: 1012, jitterMs: 200, deadlineMs: 1000 }, onFlush: (s) => void flushed.push(...s) });
    const clients = await Promise.all(Array.from({ length: 8 }, () => connect(t.url('/api/ws/guide'), t.issue())));
    for (const c of clients) await c.nextOfType('session_created');
    clients[0]!.say('/echo keep me', 'k');
    await clients[0]!.nextOfType('agent_message');
    const url = t.url('/api/ws/guide');
    const started = Date.now();
    const closing = t.close();
    const times = clients.map((c) => c.closed.then((e) => ({ ...e, at: Date.now() - started })));
    expect(await upgradeStatus(url, tokenProtocols(t.issue()))).not.toBe(101);
    await closing;
    const results = await Promise.all(times);
    for (const r of results) expect(r.code).toBe(1012);
    const ats = results.map((r) => r.at);
    expect(Math.max(...ats)).toBeLessThan(1000);
    expect(Math.max(...ats) - Math.min(...ats)).toBeGreaterThan(10); // spread, not all at once
    expect(flushed.length).toBe(8);
    expect(flushed).toContainEqual(expect.objectContaining({ seq: 1, endpoint: 'guide' }));
    expect(t.server.core.sessions.sessionCount).toBe(0);
  });

  it('terminates connections that do not finish the closing handshake by the deadline', async () => {
    const { core, sock } = await coreWithSocket({ shutdown: { code: 1001, jitterMs: 0, deadlineMs: 100 } });
    await core.close();
    expect(sock.closedWith).toBe(1001);
    expect(sock.terminated).toBe(true);
  });
});

describe('a server that cannot listen', () => {
  it('throws WSGEN_LISTEN and logs no shutdown (it never started, so nothing shut down)', async () => {
    const held = createNetServer();
    await new Promise<void>((r) => held.listen(0, '127.0.0.1', r));
    const port = (held.address() as AddressInfo).port;
    const logger = captureLogger();
    try {
      const err = await createChatServer({ validator: chatSessionValidator(), host: '127.0.0.1', port, logger }).then(() => undefined, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'WSGEN_LISTEN' });
      expect(logger.lines.map((l) => (JSON.parse(l) as { event: string }).event).filter((e) => e.startsWith('shutdown_'))).toEqual([]);
    } finally {
      await new Promise<void>((r) => held.close(() => r()));
    }
  });
});
