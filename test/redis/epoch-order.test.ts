// A stream's messages across a break and its new epoch (docs/redis-layout.md "Redis down"), on a real redis-server:
// what a stream numbered in one epoch never lands in the next one's log, a message sent while the stream is broken
// is delivered after the append in flight, never before it, and a fault of the node's own append path (a bug, not a
// Redis reply) breaks the stream instead of stalling the node. The interleavings are forced with Redis itself:
// `CLIENT PAUSE WRITE` holds the node's append in flight (scripts that write wait), `CLIENT UNPAUSE` lets it finish.
import { describe, expect, it } from 'vitest';
import { RedisLink } from '../../runtime/server/redis/link.js';
import { redisSessionStore, streamKeys } from '../../runtime/server/redis/index.js';
import { connect, sleep, startServer, ts, type TestClient, type TestServer } from '../server/helpers.js';
import { waitFor } from '../client/helpers/wait.js';
import { cleanupAfterEach, GUIDE, redisClient, testRedis, type Cleanup } from './fixture.js';
import type { Redis } from 'ioredis';

const cleanup = cleanupAfterEach();

/** A server on a fresh Redis with `lingerMs`, a guide client of a new session, and a client on the Redis. */
async function oneStream(c: Cleanup, lingerMs: number): Promise<{ t: TestServer; g: TestClient; r: Redis; sid: string }> {
  const redis = await testRedis(c);
  const r = redisClient(c, redis.url);
  const t = await startServer({ sessionStore: redisSessionStore({ url: redis.url, lingerMs, commandTimeoutMs: 5_000 }) });
  c.push(() => t.close());
  const { token, session } = t.validator.issue();
  const g = await connect(t.url(GUIDE), token);
  c.push(() => g.close());
  await g.nextOfType('session_created');
  return { t, g, r, sid: session.sessionId };
}

/** Holds every write of Redis (scripts included) until {@link unpause}; resolves once `n` clients wait. */
async function pauseUntilBlocked(r: Redis, send: () => void, n = 1): Promise<void> {
  await r.call('CLIENT', 'PAUSE', '20000', 'WRITE');
  send();
  const blocked = async (): Promise<number> => Number(/blocked_clients:(\d+)/.exec(await r.info('clients'))?.[1]);
  for (let k = 0; (await blocked()) !== n; k++) {
    if (k > 500) throw new Error('timed out waiting for the append held in Redis');
    await sleep(10);
  }
}

const system = (message: string) => ({ type: 'system_message' as const, timestamp: ts(), message });
/** The system messages a client got: [text, seq]. */
const texts = (g: TestClient) => g.messages.filter((m) => m.type === 'system_message').map((m) => [(m as { message: string }).message, m.seq]);
const events = (t: TestServer, event: string) => t.logs.filter((l) => l.includes(`"event":"${event}"`));

describe('a new epoch holds only its own messages', () => {
  it('a batch numbered in the old epoch, still waiting for its (lingered) call when the new epoch is written, is delivered live and never appended to the new log', async () => {
    const linger = 1_000; // messages every few ms count as frequent: m2's call lingers
    const { t, g, r, sid } = await oneStream(cleanup, linger);
    const k = streamKeys('wsgen:', sid, 'guide');
    const send = (m: string) => t.server.core.sendToSession(sid, 'guide', system(m));
    send('m0');
    await g.next((m) => m.type === 'system_message');
    await r.del(k.meta, k.log); // Redis lost the stream (expired, deleted): the next append gets EPOCH missing
    await pauseUntilBlocked(r, () => send('m1')); // m1's call waits in Redis
    send('m2'); // numbered seq 3 of the old epoch; waits for the next call, which lingers
    await r.call('CLIENT', 'UNPAUSE');
    // m1's EPOCH reply breaks the stream; the node writes a new epoch (reset.lua) while m2 waits for its call.
    const closed = await g.closed;
    expect(closed.code).toBe(1012);
    expect(texts(g)).toEqual([['m0', 1], ['m1', 2], ['m2', 3]]); // delivered live (m1, m2 not stored), in order, before the close
    expect(events(t, 'stream_new_epoch')).toHaveLength(1);
    const epoch = await r.hget(k.meta, 'epoch');
    await sleep(linger + 200); // past the linger: a call of m2 would have gone by now
    expect(await r.xrange(k.log, '-', '+')).toEqual([]); // the new epoch's log holds nothing of the old one
    expect(await r.hmget(k.meta, 'epoch', 'seq')).toEqual([epoch, '0']);
    expect(events(t, 'stream_conflict')).toEqual([]);
  });

  it('a message sent while the stream is broken is delivered after the append still in flight, never before it', async () => {
    const { t, g, r, sid } = await oneStream(cleanup, 0);
    const send = (m: string) => t.server.core.sendToSession(sid, 'guide', system(m));
    send('m0');
    await g.next((m) => m.type === 'system_message');
    await pauseUntilBlocked(r, () => send('m1')); // m1's call waits in Redis
    await r.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes'); // the node's connection drops: m1 fails (outage)
    await waitFor(() => events(t, 'redis_stream_broken').length === 1, 5_000, 'the stream broken');
    send('m2'); // the stream is broken: delivered live, not stored, after m1
    await r.call('CLIENT', 'UNPAUSE');
    await g.next((m) => m.type === 'system_message' && (m as { message: string }).message === 'm2');
    expect(texts(g)).toEqual([['m0', 1], ['m1', 2], ['m2', 3]]);
    expect((await g.closed).code).toBe(1012); // once Redis answers again: a new epoch, the client resumes and is told
  });

  // Injected faults of the node's own code: a throw while the call is built or sent, a reply not made of one per stream.
  const faults: [string, () => Promise<unknown>][] = [
    ['a throw while sending the call', () => { throw new TypeError('injected bug'); }],
    ['a reply that is not one per stream', () => Promise.resolve('OK')],
  ];
  it.each(faults)('a fault of the node’s own append path (%s) breaks the stream: delivered live, logged, a new epoch; the node goes on storing', async (_, inject) => {
    const { t, g, r, sid } = await oneStream(cleanup, 0);
    const runNow = RedisLink.prototype.runNow;
    let left = 1;
    RedisLink.prototype.runNow = function (this: RedisLink, ...a: Parameters<RedisLink['runNow']>) {
      if (a[0] === 'append_many' && left-- > 0) return inject();
      return runNow.apply(this, a);
    };
    cleanup.push(() => (RedisLink.prototype.runNow = runNow));
    t.server.core.sendToSession(sid, 'guide', system('m1'));
    expect((await g.closed).code).toBe(1012);
    expect(texts(g)).toEqual([['m1', 1]]);
    const broken = events(t, 'redis_stream_broken').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(broken.map((b) => b['reason'])).toEqual(['error']);
    expect(events(t, 'redis_stream_failed').map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ level: 'error', code: 'INTERNAL_ERROR', session_id: sid, endpoint: 'guide' }),
    ]);
    await waitFor(() => events(t, 'stream_new_epoch').length === 1, 5_000, 'a new epoch');
    expect(events(t, 'redis_unavailable')).toEqual([]); // Redis answered all along
    // The node is not stalled: another session's messages are stored, then delivered.
    const { token, session } = t.validator.issue();
    const h = await connect(t.url(GUIDE), token);
    cleanup.push(() => h.close());
    await h.nextOfType('session_created');
    t.server.core.sendToSession(session.sessionId, 'guide', system('n1'));
    await h.next((m) => m.type === 'system_message');
    expect(await r.hget(streamKeys('wsgen:', session.sessionId, 'guide').meta, 'seq')).toBe('1');
  });
});
