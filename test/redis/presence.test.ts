// A node is announced in Redis before it takes a connection (docs/redis-layout.md "Keys", `Pnode:<nodeId>`): once a
// node listens, its presence key exists, so another node (or the Python runtime) never sees a live node without one.
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, redisClient, testRedis } from './fixture.js';
import { startNode, stopProcess } from './harness.mjs';

const cleanup = cleanupAfterEach();

describe('node presence', () => {
  it('the node:<id> key exists as soon as the node listens, with the presence TTL', async () => {
    const redis = await testRedis(cleanup);
    const r = redisClient(cleanup, redis.url);
    for (const id of ['node-a', 'node-b']) {
      const n = await startNode(redis.url, id, [], { presenceTtlMs: 3_000 }); // resolves when it printed its port
      cleanup.push(() => stopProcess(n.proc));
      const [[, exists], [, ttl]] = (await r.multi().exists(`wsgen:node:${id}`).pttl(`wsgen:node:${id}`).exec()) as [[null, number], [null, number]];
      expect(exists, `wsgen:node:${id} right after listening`).toBe(1);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3_000);
    }
  });
});
