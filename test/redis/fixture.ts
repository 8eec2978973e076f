// The set-up every Redis test repeats: a list of stop functions run after each test, a redis-server, an ioredis
// client on it, and a cluster of server nodes with such a client. Everything started here is stopped after the test.
import { Redis } from 'ioredis';
import { afterEach } from 'vitest';
import { recordingClient, type RecordingClient } from './client.js';
import { startCluster, startRedis, type NodeProcess, type RedisServer, type TokenSpec } from './harness.mjs';

/** The path of the bundled protocol's guide endpoint. */
export const GUIDE = '/api/ws/guide';

/** What stops the things a test started: push a function, it runs after the test (last pushed first). */
export type Cleanup = Array<() => unknown>;

/** A {@link Cleanup} list run after each test of the file: call once at the file's top level. */
export function cleanupAfterEach(): Cleanup {
  const cleanup: Cleanup = [];
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()?.();
  });
  return cleanup;
}

/** An ioredis client on `url`, disconnected after the test. */
export function redisClient(cleanup: Cleanup, url: string): Redis {
  const r = new Redis(url);
  cleanup.push(() => r.disconnect());
  return r;
}

/**
 * A MONITOR connection on `url`, once its parent client is ready; `disconnect` closes both. ioredis enters monitoring
 * mode one microtask after MONITOR's OK, so another client's command that Redis echoes in the same read as that OK
 * throws "Command queue state error" (ioredis#1981). Calling monitor() on a client still connecting raced with that
 * client's own ready check (the INFO of the error's "Last reply": test/redis/linger.test.ts failed so about 1 run in
 * 5 of test/redis); the tests start nothing else on the Redis until the monitor is on.
 */
export async function monitorRedis(url: string): Promise<{ monitor: Redis; disconnect(): void }> {
  const parent = new Redis(url);
  await parent.ping(); // after its ready check (INFO)
  const monitor = await parent.monitor();
  return {
    monitor,
    disconnect() {
      monitor.disconnect();
      parent.disconnect();
    },
  };
}

/** A redis-server on a free port of 127.0.0.1 (no persistence), stopped and removed after the test. */
export async function testRedis(cleanup: Cleanup): Promise<RedisServer> {
  const redis = await startRedis();
  cleanup.push(() => redis.dispose());
  return redis;
}

/** A Redis, one server node per id on it knowing `tokens` (`extra`: node config), and a client on the Redis; all stopped after the test. */
export async function testCluster(
  cleanup: Cleanup,
  ids: string[],
  tokens: readonly TokenSpec[],
  extra?: Record<string, unknown>,
): Promise<{ redis: RedisServer; nodes: NodeProcess[]; r: Redis }> {
  const { redis, nodes } = await startCluster(cleanup, ids, tokens, extra);
  return { redis, nodes, r: redisClient(cleanup, redis.url) };
}

/**
 * Nodes node-a and node-b on one Redis, both knowing tok-1 (session sess-1), a client on the Redis, and a recording
 * client of the guide endpoint connected to node a that fails over to node b.
 */
export async function clientOnTwoNodes(cleanup: Cleanup, streamIdleMs?: number): Promise<{ a: NodeProcess; b: NodeProcess; r: Redis; c: RecordingClient }> {
  const { nodes, r } = await testCluster(cleanup, ['node-a', 'node-b'], [{ token: 'tok-1', sessionId: 'sess-1' }]);
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  const c = await recordingClient(a.url(GUIDE), 'tok-1', [b.url(GUIDE)], 200, streamIdleMs);
  cleanup.push(() => c.dispose());
  return { a, b, r, c };
}
