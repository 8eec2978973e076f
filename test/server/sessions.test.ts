import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ErrorCode, type WebSocketMessage } from '../../generated/ts/index.js';
import { protocol } from '../../generated/ts/index.js';
import { CHAT_ENDPOINTS } from '../../runtime/server/chat/endpoints.js';
import { expandEndpoints } from '../../runtime/server/endpoints.js';
import { bindProtocol } from '../../runtime/server/roles.js';
import { SessionStore } from '../../runtime/server/sessions.js';
import { connect, invalidInbound, sleep, startServer, ts, type TestClient, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startServer({ resumeWaitMs: 300 });
});
afterAll(() => t.close());
afterEach(() => expect(invalidInbound).toEqual([]));

const seqOf = (m: WebSocketMessage): number => ('seq' in m && typeof m.seq === 'number' ? m.seq : -1);
const maxSeq = (c: TestClient): number => Math.max(0, ...c.messages.filter((m) => m.type !== 'session_created').map(seqOf));
const streamed = (msgs: WebSocketMessage[], id: string) => msgs.filter((m) => m.type === 'agent_streaming' && m.message_id === id).map((m) => (m.type === 'agent_streaming' ? m.stream_index : -1));

describe('session resume', () => {
  it('replays in order and without duplicates after a forced disconnect mid-stream', async () => {
    const { token, session } = t.validator.issue();
    const a = await connect(t.url('/api/ws/guide'), token);
    a.say('/stream 60', 'long');
    await a.next((m) => m.type === 'agent_streaming' && m.stream_index === 10);
    a.ws.terminate();
    await a.closed;
    await sleep(30); // the stream goes on while no connection is linked
    const lastSeq = maxSeq(a);
    const b = await connect(t.url('/api/ws/guide'), token);
    const created = await b.nextOfType('session_created');
    expect(created.seq).toBeGreaterThanOrEqual(lastSeq);
    b.send({ type: 'session_resume', timestamp: ts(), session_id: session.sessionId, last_seq: lastSeq, epoch: await b.epoch(), message_id: 'r1' });
    await b.next((m) => m.type === 'agent_complete' && m.message_id === 'long', 5000);
    const all = [...a.messages, ...b.messages];
    expect(streamed(all, 'long')).toEqual([...Array(60).keys()]);
    const bSeqs = b.messages.filter((m) => m.type !== 'session_created').map(seqOf);
    expect(bSeqs[0]).toBe(lastSeq + 1);
    const upd = b.messages.find((m) => m.type === 'session_updated');
    expect(upd).toMatchObject({ status: 'resumed', message_id: 'r1' });
    // Every seq on the new connection follows the previous one: no duplicate, no gap (session_updated takes one too).
    for (let i = 1; i < bSeqs.length; i++) expect(bSeqs[i]).toBe((bSeqs[i - 1] ?? 0) + 1);
    expect(b.messages.some((m) => m.type === 'error_message')).toBe(false);
    await b.close();
  });

  it('buffers messages produced while disconnected and replays them on resume', async () => {
    const { token, session } = t.validator.issue();
    const a = await connect(t.url('/api/ws/liaison/insights'), token);
    a.say('/stream 5', 's');
    await a.nextOfType('agent_streaming');
    await a.close();
    await sleep(80);
    const b = await connect(t.url('/api/ws/liaison/insights'), token);
    b.send({ type: 'session_resume', timestamp: ts(), session_id: session.sessionId, last_seq: 1, epoch: await b.epoch() });
    await b.nextOfType('session_updated');
    expect(streamed(b.messages, 's')).toEqual([1, 2, 3, 4]);
    expect(b.messages.some((m) => m.type === 'agent_complete')).toBe(true);
    await b.close();
  });

  it('reports RECOVERY_FAILED with the missing range when the buffer overflowed, then replays the rest', async () => {
    const small = await startServer({ replay: { maxMessages: 5 } });
    const { token, session } = small.validator.issue();
    const a = await connect(small.url('/api/ws/guide'), token);
    a.say('/stream 30', 'x');
    await a.next((m) => m.type === 'agent_streaming' && m.stream_index === 2);
    a.ws.terminate();
    await a.closed;
    await sleep(150);
    const last = maxSeq(a);
    const b = await connect(small.url('/api/ws/guide'), token);
    const created = await b.nextOfType('session_created');
    const latest = created.seq ?? 0;
    b.send({ type: 'session_resume', timestamp: ts(), session_id: session.sessionId, last_seq: last, epoch: await b.epoch() });
    const err = await b.nextOfType('error_message');
    expect(err.error_code).toBe(ErrorCode.RECOVERY_FAILED);
    const d = err.error_details as { first_missing: number; last_missing: number };
    expect(d.first_missing).toBe(last + 1);
    await b.nextOfType('session_updated');
    const replayed = b.messages.filter((m) => m.type !== 'session_created' && m.type !== 'error_message' && m.type !== 'session_updated').map(seqOf);
    // No silent gap: what was received + the reported missing range + what was replayed covers 1..latest.
    expect(replayed[0]).toBe(d.last_missing + 1);
    expect(replayed[replayed.length - 1]).toBe(latest);
    expect(replayed).toHaveLength(5);
    await b.close();
    await small.close();
  });

  it('reports RECOVERY_FAILED when last_seq is ahead of the server (unknown history)', async () => {
    const { token, session } = t.validator.issue();
    const c = await connect(t.url('/api/ws/guide'), token);
    c.send({ type: 'session_resume', timestamp: ts(), session_id: session.sessionId, last_seq: 99, epoch: await c.epoch() });
    const err = await c.nextOfType('error_message');
    expect(err).toMatchObject({ error_code: ErrorCode.RECOVERY_FAILED, error_details: { reason: 'last_seq_ahead', latest_seq: 0 } });
    await c.close();
  });

  it('answers a resume from another epoch with RECOVERY_FAILED (epoch_mismatch) and replays this epoch from its start', async () => {
    const { token, session } = t.validator.issue();
    const a = await connect(t.url('/api/ws/guide'), token);
    a.say('/echo one', 'm1');
    a.say('/echo two', 'm2');
    await a.next((m) => m.type === 'agent_message' && m.message === 'two');
    await a.close();
    const b = await connect(t.url('/api/ws/guide'), token);
    const epoch = await b.epoch();
    expect(epoch).toBe(await a.epoch());
    // A seq of another stream instance (say, before a restart) names nothing here, even when it is in range.
    b.send({ type: 'session_resume', timestamp: ts(), session_id: session.sessionId, last_seq: 1, epoch: 'older-epoch', message_id: 'r1' });
    const err = await b.nextOfType('error_message');
    expect(err).toMatchObject({ error_code: ErrorCode.RECOVERY_FAILED, error_details: { reason: 'epoch_mismatch', epoch, latest_seq: 2 } });
    expect(err.seq).toBeUndefined();
    const upd = await b.nextOfType('session_updated');
    expect(upd).toMatchObject({ status: 'resumed_with_gap', message_id: 'r1' });
    const replayed = b.messages.filter((m) => m.type === 'agent_message').map((m) => [m.seq, m.message]);
    expect(replayed).toEqual([[1, 'one'], [2, 'two']]);
    await b.close();
  });

  it('flushes held messages when a rejoining client does not resume', async () => {
    const { token } = t.validator.issue();
    const a = await connect(t.url('/api/ws/guide'), token);
    a.say('/echo one', 'm1');
    await a.nextOfType('agent_message');
    await a.close();
    const b = await connect(t.url('/api/ws/guide'), token);
    const created = await b.nextOfType('session_created');
    expect(created.seq).toBe(1);
    b.say('/echo two', 'm2');
    expect(await b.nextOfType('agent_message')).toMatchObject({ message: 'two', seq: 2 });
    await b.close();
  });

  it('keeps one stream per endpoint: guide and liaison of one session number independently', async () => {
    const { token } = t.validator.issue();
    const g = await connect(t.url('/api/ws/guide'), token);
    const l = await connect(t.url('/api/ws/liaison/content'), token);
    g.say('/echo g', 'g');
    l.say('/echo l', 'l');
    expect(await g.nextOfType('agent_message')).toMatchObject({ message: 'g', seq: 1 });
    expect(await l.nextOfType('agent_message')).toMatchObject({ message: 'l', seq: 1 });
    await Promise.all([g.close(), l.close()]);
  });
});

describe('replay buffer bounds', () => {
  const info = { sessionId: 's1', userId: 'u', tenant: 't', realm: 'experience', permissions: ['*'] } as const;
  const store = (limits: Partial<{ maxMessages: number; maxBytes: number; ttlMs: number }>) =>
    new SessionStore({
      limits: { maxMessages: 100, maxBytes: 1 << 20, ttlMs: 60_000, ...limits },
      detachedTtlMs: 1000,
      lowPriority: new Set(['progress_update']),
      onExpire() {},
      onDrop() {},
      protocol: bindProtocol(protocol),
    });
  const msg = (i: number) => ({ type: 'system_message' as const, timestamp: ts(), message: `m${i}`.padEnd(100, '.') });
  const ep = [...expandEndpoints(CHAT_ENDPOINTS, protocol).values()][0]!;

  it.each([
    ['count', { maxMessages: 10 }, 10],
    ['bytes', { maxBytes: 1500 }, Math.floor(1500 / JSON.stringify({ ...msg(10), seq: 10 }).length)],
  ])('bounds by %s', (_n, limits, kept) => {
    const { stream } = store(limits).linkConnectionToSession(info, ep);
    for (let i = 1; i <= 50; i++) stream.send(msg(i));
    expect(stream.buffered.messages).toBe(kept);
    const plan = stream.replayAfter(0);
    expect(plan.missing).toEqual({ first_missing: 1, last_missing: 50 - kept });
    expect(plan.texts).toHaveLength(kept);
  });

  it('bounds by TTL', () => {
    vi.useFakeTimers();
    try {
      const { stream } = store({ ttlMs: 1000 }).linkConnectionToSession(info, ep);
      for (let i = 1; i <= 5; i++) stream.send(msg(i));
      vi.advanceTimersByTime(1500);
      stream.send(msg(6));
      expect(stream.replayAfter(0)).toMatchObject({ missing: { first_missing: 1, last_missing: 5 } });
      expect(stream.replayAfter(5).texts).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drops low-priority messages when no connection is linked, without taking a seq', () => {
    const { stream } = store({}).linkConnectionToSession(info, ep);
    expect(stream.send({ type: 'progress_update', timestamp: ts(), progress: 0.5 })).toBe(false);
    stream.send(msg(1));
    expect(stream.seq).toBe(1);
    expect(stream.dropped).toBe(1);
  });

  it('forgets streams left without a connection beyond detachedTtlMs', () => {
    const s = store({});
    const { stream } = s.linkConnectionToSession(info, ep);
    stream.detachedAt = Date.now() - 5000;
    s.sweep();
    expect(s.sessions.size).toBe(0);
    expect(stream.open).toBe(false);
  });
});
