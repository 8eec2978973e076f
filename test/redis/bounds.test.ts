// Replay stays bounded in Redis (issue 12): each stream log keeps at most the count, bytes and age of the replay
// limits (XLEN, the meta's `bytes`), whatever is sent; and no key is ever built from a session id or endpoint key
// that would break the hash tag.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../runtime/server/errors.js';
import { redisSessionStore, streamKeys } from '../../runtime/server/redis/index.js';
import { connect, startServer, ts } from '../server/helpers.js';
import { cleanupAfterEach, redisClient, testRedis } from './fixture.js';

const cleanup = cleanupAfterEach();

const sys = (message: string) => ({ type: 'system_message' as const, timestamp: ts(), message });

/** Sum of the `n` fields (UTF-8 bytes) of a stream log. */
async function logBytes(r: Redis, key: string): Promise<number> {
  const entries = await r.xrange(key, '-', '+');
  return entries.reduce((sum, [, f]) => sum + Number(f[f.indexOf('n') + 1]), 0);
}

/** A server whose session store is a fresh Redis, with replay limits `replay`; a client on the Redis; a token issued. */
async function serverOnRedis(replay: { maxMessages: number; maxBytes: number; ttlMs: number }) {
  const redis = await testRedis(cleanup);
  const t = await startServer({ replay, sessionStore: redisSessionStore({ url: redis.url }) });
  cleanup.push(() => t.close());
  return { t, r: redisClient(cleanup, redis.url), ...t.validator.issue() };
}

describe('replay bounds in Redis', () => {
  it('the log keeps at most maxMessages entries and maxBytes bytes, and the meta counts its bytes exactly', async () => {
    const { t, r, token, session } = await serverOnRedis({ maxMessages: 20, maxBytes: 3_000, ttlMs: 60_000 });
    const c = await connect(t.url('/api/ws/guide'), token);
    cleanup.push(() => c.close());
    await c.nextOfType('session_created');
    const keys = streamKeys('wsgen:', session.sessionId, 'guide');
    for (let i = 0; i < 300; i++) t.server.core.sendToSession(session.sessionId, 'guide', sys(i % 7 === 0 ? 'x'.repeat(400) : `message ${i}`));
    await c.next((m) => m.type === 'system_message' && m.message === 'message 299');
    const [seq, bytes] = await r.hmget(keys.meta, 'seq', 'bytes');
    expect(Number(seq)).toBe(300);
    expect(await r.xlen(keys.log)).toBeLessThanOrEqual(20);
    expect(Number(bytes)).toBeLessThanOrEqual(3_000);
    expect(Number(bytes)).toBe(await logBytes(r, keys.log));
    const [[lastId]] = (await r.xrevrange(keys.log, '+', '-', 'COUNT', 1)) as [[string, string[]]];
    expect(lastId).toBe('300-0'); // entry ids are the seqs
  });

  it('entries older than the age bound are trimmed before a replay, and reported missing', async () => {
    const { t, r, token, session } = await serverOnRedis({ maxMessages: 100, maxBytes: 100_000, ttlMs: 200 });
    const c = await connect(t.url('/api/ws/guide'), token);
    await c.nextOfType('session_created');
    const epoch = await c.epoch();
    for (let i = 0; i < 5; i++) t.server.core.sendToSession(session.sessionId, 'guide', sys(`m${i}`));
    await c.next((m) => m.type === 'system_message' && m.message === 'm4');
    await c.close();
    const keys = streamKeys('wsgen:', session.sessionId, 'guide');
    await new Promise((res) => setTimeout(res, 300)); // the age bound passes (a bound of the data, not an assertion on timing)
    const back = await connect(t.url('/api/ws/guide'), token);
    cleanup.push(() => back.close());
    await back.nextOfType('session_created');
    back.send({ type: 'session_resume', timestamp: ts(), session_id: session.sessionId, last_seq: 0, epoch });
    const err = await back.nextOfType('error_message');
    expect(err.error_details).toEqual({ first_missing: 1, last_missing: 5 });
    await back.nextOfType('session_updated');
    expect((await r.xrange(keys.log, '-', '+')).map(([id]) => id)).toEqual(['6-0']); // only the session_updated after the replay
    expect(Number(await r.hget(keys.meta, 'bytes'))).toBe(await logBytes(r, keys.log));
  });

  it('refuses a session id or endpoint key with a brace or a control character (never a broken hash tag)', () => {
    for (const [sid, ep] of [['a{b', 'guide'], ['a}b', 'guide'], ['a\nb', 'guide'], ['a\u007fb', 'guide'], ['ok', 'g{x}']]) {
      expect(() => streamKeys('wsgen:', sid!, ep!)).toThrow(ConfigError);
    }
    expect(streamKeys('wsgen:', 'abc-1', 'liaison:content')).toEqual({ meta: 'wsgen:{abc-1}:liaison:content:meta', log: 'wsgen:{abc-1}:liaison:content:log' });
  });
});
