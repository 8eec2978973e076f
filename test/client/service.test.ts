import { ChatService } from '../../runtime/chat/client.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AuthError,
  InvalidMessageError,
  ProtocolMismatchError,
  RecoveryFailedError,
  RequestTimeoutError,
  ServerError,
  WebSocketService,
  type StatusEvent,
  type WebSocketServiceOptions,
  type WsClientError,
} from '../../runtime/client/index.js';
import { FakeCtor, FakeSocket, flush } from './helpers/fake-socket.js';
import { SCHEMA_HASH, SCHEMA_VERSION } from '../../generated/ts/index.js';

const ts = () => new Date().toISOString();

function make(extra: WebSocketServiceOptions = {}) {
  const errors: WsClientError[] = [];
  const statuses: StatusEvent[] = [];
  const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor, browserProbes: false, ...extra });
  svc.onError('*', (e) => errors.push(e));
  svc.onStatus('*', (s) => statuses.push(s));
  return { svc, errors, statuses };
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('sendMessage', () => {
  it('fills message_id and timestamp, validates, and reports sent / queued / dropped', async () => {
    const { svc } = make();
    const id = svc.open('guide', 'ws://test/api/ws/guide', { token: 't' });
    await flush();
    const s = FakeSocket.last();
    expect(s.protocols).toEqual(['wsgen.v1', 'wsgen.token.t', `wsgen.version.${SCHEMA_VERSION}`, `wsgen.hash.${SCHEMA_HASH}`]);
    const q1 = svc.sendMessage(id, { type: 'user_message', message: 'early 1' });
    const q2 = svc.sendMessage(id, { type: 'user_message', message: 'early 2' });
    expect(q1.status).toBe('queued');
    expect(svc.sendMessage(id, { type: 'ping' }).status).toBe('dropped'); // pings are never queued
    s.accept();
    // session_resume first (where we stand), then the queue in order.
    const sent = s.sentMessages();
    expect(sent.map((m) => m['type'])).toEqual(['session_resume', 'user_message', 'user_message']);
    expect(sent.slice(1).map((m) => m['message_id'])).toEqual([q1.messageId, q2.messageId]);
    expect(q1.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof sent[1]?.['timestamp']).toBe('string');
    const now = svc.sendMessage(id, { type: 'user_message', message: 'now', message_id: 'mine-1' });
    expect(now).toEqual({ status: 'sent', messageId: 'mine-1' });
    expect(svc.getConnectionHealth(id)).toMatchObject({ status: 'open', messagesOut: 4, queued: 0 });
  });

  it('raises a typed error and sends nothing for an invalid message', async () => {
    const { svc } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    FakeSocket.last().accept();
    const before = FakeSocket.last().sent.length;
    expect(() => svc.sendMessage('guide', { type: 'user_message', message: '' })).toThrow(InvalidMessageError);
    try {
      svc.sendMessage('guide', { type: 'user_message', message: 'x', seq: 3 } as never);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidMessageError);
      expect((e as InvalidMessageError).code).toBe('INVALID_MESSAGE');
      expect((e as InvalidMessageError).connectionId).toBe('guide');
      expect((e as InvalidMessageError).issues.length).toBeGreaterThan(0);
    }
    expect(() => svc.sendMessage('guide', { type: 'agent_message', message: 'x', agent: 'guide_agent' } as never)).toThrow(/client may not send/);
    expect(() => svc.sendMessage('nope', { type: 'ping' })).toThrow(/no connection named "nope"/);
    expect(FakeSocket.last().sent.length).toBe(before);
  });

  it('drops queued messages past their TTL and reports them', async () => {
    const { svc, errors } = make({ defaults: { queue: { ttlMs: 1000 } } });
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    const r = svc.sendMessage('guide', { type: 'user_message', message: 'stale' });
    await vi.advanceTimersByTimeAsync(1500);
    FakeSocket.last().accept();
    expect(FakeSocket.last().sentMessages().filter((m) => m['type'] === 'user_message')).toEqual([]);
    expect(errors.map((e) => [e.code, e.messageId])).toContainEqual(['MESSAGE_DROPPED', r.messageId]);
  });

  it('reports overflow per the policy', async () => {
    const { svc, errors } = make({ defaults: { queue: { maxCount: 2, overflow: 'drop-oldest' } } });
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    const ids = [1, 2, 3].map((i) => svc.sendMessage('guide', { type: 'user_message', message: `m${i}` }));
    expect(ids.map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
    expect(errors[0]).toMatchObject({ code: 'MESSAGE_DROPPED', reason: 'overflow', messageId: ids[0]?.messageId });
    FakeSocket.last().accept();
    expect(FakeSocket.last().sentMessages().filter((m) => m['type'] === 'user_message').map((m) => m['message'])).toEqual(['m2', 'm3']);
  });
});

describe('reconnection', () => {
  it('backs off with full jitter, calls the token provider each time, and resets only after staying up', async () => {
    let n = 0;
    const { svc, statuses } = make({ random: () => 0.5 });
    svc.open('guide', 'ws://test/g', { token: () => `tok${++n}`, backoff: { minDelayMs: 1000, maxDelayMs: 8000 }, stableAfterMs: 5000 });
    await flush();
    FakeSocket.last().accept();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      FakeSocket.last().serverClose(1006);
      const ev = statuses[statuses.length - 1] as StatusEvent;
      expect(ev.status).toBe('reconnecting');
      delays.push(ev.delayMs as number);
      await vi.advanceTimersByTimeAsync(ev.delayMs as number);
      FakeSocket.last().accept(); // up, but not for long
    }
    expect(delays).toEqual([500, 1000, 2000, 4000, 4000]);
    expect(FakeSocket.instances.map((s) => (s.protocols as string[])[1])).toEqual(['wsgen.token.tok1', 'wsgen.token.tok2', 'wsgen.token.tok3', 'wsgen.token.tok4', 'wsgen.token.tok5', 'wsgen.token.tok6']);
    await vi.advanceTimersByTimeAsync(5000); // stayed up: counter resets
    FakeSocket.last().serverClose(1001);
    expect(statuses[statuses.length - 1]?.delayMs).toBe(500);
    expect(svc.getConnectionHealth('guide')).toMatchObject({ reconnectCount: 5, reconnectAttempts: 6 });
  });

  it('stops on a terminal close code and surfaces an auth error for 4500', async () => {
    const { svc, errors } = make();
    const p = svc.connectToGuide('t');
    await flush();
    FakeSocket.last().accept();
    await expect(p).resolves.toBe('guide');
    FakeSocket.last().serverClose(4500, 'bad token');
    expect(svc.getConnectionStatus('guide')).toBe('failed');
    expect(errors[0]).toBeInstanceOf(AuthError);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.instances.length).toBe(1);
  });

  it('stops on HTTP 401 before the upgrade (Node ws)', async () => {
    const { svc, errors } = make();
    const p = svc.connectToGuide('t');
    await flush();
    FakeSocket.last().fail('Unexpected server response: 401');
    await expect(p).rejects.toBeInstanceOf(AuthError);
    expect(errors[0]).toMatchObject({ code: 'AUTH_FAILED', httpStatus: 401, connectionId: 'guide' });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeSocket.instances.length).toBe(1);
  });

  it('retries plain connection errors (ECONNREFUSED)', async () => {
    const { svc } = make();
    svc.open('guide', 'ws://test/g', { token: 't', backoff: { minDelayMs: 100, maxDelayMs: 100 } });
    await flush();
    FakeSocket.last().fail('connect ECONNREFUSED 127.0.0.1:1');
    expect(svc.getConnectionStatus('guide')).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(FakeSocket.instances.length).toBe(2);
  });

  it('never delivers twice: handlers live in the service and seq duplicates are dropped', async () => {
    const { svc } = make();
    const got: string[] = [];
    svc.subscribe('guide', 'agent_message', (m) => got.push(m.message));
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    const agent = (seq: number) => ({ type: 'agent_message', timestamp: ts(), agent: 'guide_agent', message: `m${seq}`, seq });
    FakeSocket.last().accept('s1', 0);
    FakeSocket.last().receive(agent(1));
    FakeSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    const s2 = FakeSocket.last();
    s2.accept('s1', 2);
    expect(s2.sentMessages()[0]).toMatchObject({ type: 'session_resume', session_id: 's1', last_seq: 1 });
    s2.receive(agent(1)); // replayed twice by a confused server
    s2.receive(agent(2));
    s2.receive(agent(2));
    expect(got).toEqual(['m1', 'm2']);
    expect(svc.getConnectionHealth('guide').duplicatesDropped).toBe(2);
  });

  it('surfaces RECOVERY_FAILED after a resume', async () => {
    const { svc, errors } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    FakeSocket.last().accept('s1', 5);
    FakeSocket.last().serverClose(1012);
    await vi.advanceTimersByTimeAsync(1000);
    FakeSocket.last().accept('s1', 400);
    FakeSocket.last().receive({ type: 'error_message', timestamp: ts(), error_code: 'RECOVERY_FAILED', message: 'gone', error_details: { first_missing: 6, last_missing: 143 } });
    const e = errors.find((x) => x instanceof RecoveryFailedError) as RecoveryFailedError;
    expect(e).toMatchObject({ firstMissing: 6, lastMissing: 143, connectionId: 'guide' });
    expect(svc.getConnectionHealth('guide').resume).toBe('failed');
  });

  it('reports a session reset when the server restarted with fresh state', async () => {
    const { svc, errors } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    FakeSocket.last().accept('s1', 0);
    FakeSocket.last().receive({ type: 'agent_message', timestamp: ts(), agent: 'guide_agent', message: 'a', seq: 7 });
    FakeSocket.last().serverClose(1006);
    await vi.advanceTimersByTimeAsync(1000);
    FakeSocket.last().accept('s2', 0);
    expect(errors.map((e) => e.code)).toContain('SESSION_RESET');
    const got: string[] = [];
    svc.subscribe('guide', 'agent_message', (m) => got.push(m.message));
    FakeSocket.last().receive({ type: 'agent_message', timestamp: ts(), agent: 'guide_agent', message: 'fresh', seq: 1 });
    expect(got).toEqual(['fresh']); // the seq baseline moved to the new session
  });
});

describe('heartbeat', () => {
  it('pings every interval, measures RTT, and reconnects when no pong comes in time', async () => {
    const { svc, statuses } = make();
    svc.open('guide', 'ws://test/g', { token: 't', heartbeat: { intervalMs: 30_000, timeoutMs: 5_000 } });
    await flush();
    const s = FakeSocket.last();
    s.accept();
    await vi.advanceTimersByTimeAsync(30_000);
    const ping = s.sentMessages().find((m) => m['type'] === 'ping');
    expect(ping).toBeDefined();
    await vi.advanceTimersByTimeAsync(40);
    s.receive({ type: 'pong', timestamp: ts(), message_id: ping?.['message_id'] });
    expect(svc.getConnectionHealth('guide').rttMs).toBe(40);
    await vi.advanceTimersByTimeAsync(30_000 + 4_999);
    expect(svc.getConnectionStatus('guide')).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(statuses[statuses.length - 1]).toMatchObject({ status: 'reconnecting', closeCode: 4002 });
  });
});

describe('inbound validation and protocol checks', () => {
  it('reports invalid frames and client-only types without delivering them', async () => {
    const { svc, errors } = make();
    const any: unknown[] = [];
    svc.onAny('guide', (m) => any.push(m));
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    FakeSocket.last().accept();
    const n = any.length;
    FakeSocket.last().receive('{not json');
    FakeSocket.last().receive({ type: 'agent_message', timestamp: ts(), message: 'no agent' });
    FakeSocket.last().receive({ type: 'user_message', timestamp: ts(), message: 'wrong way' });
    expect(any.length).toBe(n);
    expect(errors.map((e) => e.code)).toEqual(['INVALID_FRAME', 'INVALID_FRAME', 'INVALID_FRAME']);
    expect(svc.getConnectionHealth('guide').invalidFrames).toBe(3);
  });

  it('serves on when a valid session_created carries another schema hash (the server judged the version offer)', async () => {
    const { svc, errors } = make();
    const p = svc.connectToGuide('t');
    await flush();
    FakeSocket.last().open();
    FakeSocket.last().created('s1', 0, 'ab'.repeat(32));
    FakeSocket.last().resumed();
    await p;
    expect(errors).toEqual([]);
    expect(svc.getConnectionStatus('guide')).toBe('open');
  });

  it('a 4504 whose reason names both versions fails with a ProtocolMismatchError naming them, not retried', async () => {
    const { svc, errors } = make();
    const p = svc.connectToGuide('t');
    await flush();
    FakeSocket.last().open();
    FakeSocket.last().serverClose(4504, 'server=3.1.0 client=2.0.0: major versions differ');
    await expect(p).rejects.toBeInstanceOf(ProtocolMismatchError);
    expect(errors[0]).toMatchObject({ code: 'PROTOCOL_MISMATCH', serverVersion: '3.1.0', clientVersion: SCHEMA_VERSION });
    expect(errors[0]?.message).toBe(`protocol mismatch: server version 3.1.0, client version ${SCHEMA_VERSION} (major versions differ); not retrying`);
    expect(svc.getConnectionHealth('guide')).toMatchObject({ status: 'failed', reconnectAttempts: 0 });
  });

  it('reports a mismatch even when the foreign session_created fails validation', async () => {
    const { svc, errors } = make();
    const p = svc.connectToGuide('t');
    await flush();
    FakeSocket.last().open();
    FakeSocket.last().created('s1', 0, 'sha256:other');
    await expect(p).rejects.toBeInstanceOf(ProtocolMismatchError);
    expect(errors[0]).toMatchObject({ code: 'PROTOCOL_MISMATCH', serverHash: 'sha256:other' });
  });

  it('a server close 4504 is a protocol mismatch, not retried', async () => {
    const { svc, errors } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    FakeSocket.last().accept();
    FakeSocket.last().serverClose(4504);
    expect(errors[0]).toBeInstanceOf(ProtocolMismatchError);
    expect(svc.getConnectionStatus('guide')).toBe('failed');
  });
});

describe('request, pooling and release', () => {
  it('correlates replies by message_id, rejects error replies and times out', async () => {
    const { svc } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    await flush();
    const s = FakeSocket.last();
    s.accept();
    const p = svc.request('guide', { type: 'user_message', message: 'hi', message_id: 'r1' }, { timeout: 1000 });
    s.receive({ type: 'agent_message', timestamp: ts(), agent: 'guide_agent', message: 'other', message_id: 'zz', seq: 1 });
    s.receive({ type: 'agent_message', timestamp: ts(), agent: 'guide_agent', message: 'yes', message_id: 'r1', seq: 2 });
    await expect(p).resolves.toMatchObject({ message: 'yes' });
    const pe = svc.request('guide', { type: 'user_message', message: 'bad', message_id: 'r2' });
    s.receive({ type: 'error_message', timestamp: ts(), error_code: 'AGENT_ERROR', message: 'boom', message_id: 'r2', seq: 3 });
    await expect(pe).rejects.toMatchObject({ code: 'SERVER_ERROR', errorCode: 'AGENT_ERROR', retryable: true });
    const pt = svc.request('guide', { type: 'user_message', message: 'slow' }, { timeout: 1000 });
    const check = expect(pt).rejects.toBeInstanceOf(RequestTimeoutError);
    await vi.advanceTimersByTimeAsync(1000);
    await check;
    expect(ServerError).toBeDefined();
  });

  it('pools named connections and reuses an open one', async () => {
    const { svc } = make();
    const a = svc.connectToGuide('t');
    const b = svc.connectToGuide('t');
    const c = svc.connectToLiaison('content', 't');
    await flush();
    for (const s of FakeSocket.instances) s.accept();
    expect(await Promise.all([a, b, c])).toEqual(['guide', 'guide', 'liaison:content']);
    expect(FakeSocket.instances.map((s) => s.url)).toEqual(['ws://test/api/ws/guide', 'ws://test/api/ws/liaison/content']);
    expect([...svc.getAllConnectionsHealth().keys()]).toEqual(['guide', 'liaison:content']);
    svc.disconnect('guide');
    expect(FakeSocket.instances[0]?.closedWith?.code).toBe(1000);
    svc.disconnectAll();
    expect(svc.connectionIds()).toEqual([]);
  });

  it('retain/release survives an immediate re-retain (StrictMode) without a new socket', async () => {
    const { svc } = make();
    svc.open('guide', 'ws://test/g', { token: 't' });
    svc.retain('guide');
    svc.release('guide');
    svc.open('guide', 'ws://test/g', { token: 't' });
    svc.retain('guide');
    await vi.advanceTimersByTimeAsync(10);
    expect(FakeSocket.instances.length).toBe(1);
    expect(svc.getConnectionStatus('guide')).toBe('connecting');
    svc.release('guide');
    await vi.advanceTimersByTimeAsync(10);
    expect(svc.connectionIds()).toEqual([]);
  });
});
