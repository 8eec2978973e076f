// Two Node server nodes on one real Redis (issue 12): the node that holds a client is SIGKILLed mid-stream; the
// client (the real client runtime, failing over between node URLs) resumes on the other node with nothing lost
// and nothing duplicated, because a node delivers a message only once Redis has it.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../client/helpers/wait.js';
import { range, recordingClient, type RecordingClient } from './client.js';
import { startNode, startRedis, stopProcess, type NodeProcess, type RedisServer } from './harness.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

const GUIDE = '/api/ws/guide';

/** A Redis, nodes `ids` on it knowing `tokens`, all stopped after the test. */
async function cluster(ids: string[], tokens: { token: string; sessionId: string }[]): Promise<{ redis: RedisServer; nodes: NodeProcess[]; r: Redis }> {
  const redis = await startRedis();
  cleanup.push(() => redis.dispose());
  const nodes: NodeProcess[] = [];
  for (const id of ids) {
    const n = await startNode(redis.url, id, tokens);
    cleanup.push(() => stopProcess(n.proc));
    nodes.push(n);
  }
  const r = new Redis(redis.url, { lazyConnect: false });
  cleanup.push(() => r.disconnect());
  return { redis, nodes, r };
}

/** The stream's latest seq in Redis. */
async function redisSeq(r: Redis, sessionId: string): Promise<number> {
  return Number(await r.hget(`wsgen:{${sessionId}}:guide:meta`, 'seq'));
}

/** Waits until the client's connection is open again after `reconnects` reconnects. */
async function backOpen(c: RecordingClient, reconnects: number): Promise<void> {
  await waitFor(() => c.svc.getConnectionHealth('guide').reconnectCount >= reconnects && c.svc.getConnectionStatus('guide') === 'open', 10_000, 'reconnected and open');
}

describe('two Node nodes on one Redis', () => {
  it('SIGKILL of the node holding a client mid-stream: the client resumes on the other node, 0 lost, 0 duplicated', async () => {
    const { nodes, r } = await cluster(['node-a', 'node-b'], [{ token: 'tok-1', sessionId: 'sess-1' }]);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const c = await recordingClient(a.url(GUIDE), 'tok-1', [b.url(GUIDE)]);
    cleanup.push(() => c.dispose());
    c.say('/stream 1000', 'long');
    await waitFor(() => c.seqs.length >= 40, 10_000, '40 messages');
    await stopProcess(a.proc); // mid-stream, no goodbye
    await backOpen(c, 1);
    c.say('/stream 5', 'after'); // the stream goes on, on node b
    await waitFor(() => c.messages.some((m) => m['type'] === 'agent_complete' && m['message_id'] === 'after'), 10_000, 'reply on node b');
    const top = await redisSeq(r, 'sess-1');
    expect(c.seqs).toEqual(range(top)); // every stored message once, in order
    const h = c.svc.getConnectionHealth('guide');
    expect(h.duplicatesDropped).toBe(0);
    expect(h.gapsDetected).toBe(0);
    expect(h.resume).toBe('resumed');
    expect(c.errors.map((e) => e.code)).toEqual([]);
    expect(b.logs.some((l) => l.includes('"connection_opened"') && l.includes('"rejoined":true'))).toBe(true);
  });
});
