// Two Node server nodes on one real Redis (issue 12): the node that holds a client is SIGKILLed mid-stream; the
// client (the real client runtime, failing over between node URLs) resumes on the other node with nothing lost
// and nothing duplicated, because a node delivers a message only once Redis has it.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../client/helpers/wait.js';
import { range, recordingClient, type RecordingClient } from './client.js';
import { cleanupAfterEach, clientOnTwoNodes, GUIDE, testCluster } from './fixture.js';
import { startNode, stopProcess, type NodeProcess } from './harness.mjs';

const cleanup = cleanupAfterEach();

/** The stream's latest seq in Redis. */
async function redisSeq(r: Redis, sessionId: string): Promise<number> {
  return Number(await r.hget(`wsgen:{${sessionId}}:guide:meta`, 'seq'));
}

/** Waits until the client's connection is open again after `reconnects` reconnects. */
async function backOpen(c: RecordingClient, reconnects: number): Promise<void> {
  try {
    await waitFor(() => c.svc.getConnectionHealth('guide').reconnectCount >= reconnects && c.svc.getConnectionStatus('guide') === 'open', 10_000, 'reconnected and open');
  } catch (err) {
    const h = c.svc.getConnectionHealth('guide');
    throw new Error(`${(err as Error).message}: status ${h.status}, last error ${h.lastError}, close ${h.lastCloseCode}, errors ${c.errors.map((e) => e.message).join('; ')}`);
  }
}

describe('two Node nodes on one Redis', () => {
  it('SIGKILL of the node holding a client mid-stream: the client resumes on the other node, 0 lost, 0 duplicated', async () => {
    const { a, b, r, c } = await clientOnTwoNodes(cleanup);
    c.say('/stream 1000', 'long');
    await waitFor(() => c.seqs.length >= 40, 10_000, '40 messages');
    await stopProcess(a.proc); // mid-stream, no goodbye
    await backOpen(c, 1);
    c.say('/stream 5', 'after'); // a new request, answered by node b (the 'long' stream's handler died with node a)
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

  it('SIGKILL mid-stream: the stream in progress ends with REQUEST_TIMEOUT after the idle limit (its handler died with the node), request() at its timeout; a new request is answered', async () => {
    const { a, c } = await clientOnTwoNodes(cleanup, 500);
    c.say('/stream 1000', 'long');
    const pending = c.svc.request('guide', { type: 'user_message', message: '/stream 1000', message_id: 'req' }, { timeout: 3000 }).catch((e: unknown) => e);
    await waitFor(() => (c.svc.getStream('guide', 'long')?.contiguous ?? 0) >= 20 && (c.svc.getStream('guide', 'req')?.contiguous ?? 0) >= 1, 10_000, 'both streams started');
    await stopProcess(a.proc); // mid-stream, no goodbye
    await backOpen(c, 1);
    await waitFor(() => c.svc.getStream('guide', 'long')?.error, 10_000, 'the stream in progress to time out');
    expect(c.svc.getStream('guide', 'long')).toMatchObject({ complete: false, error: { code: 'REQUEST_TIMEOUT', phase: 'stream-idle', messageId: 'long' } });
    expect(await pending).toMatchObject({ code: 'REQUEST_TIMEOUT', phase: 'reply', timeoutMs: 3000, messageId: 'req' }); // request()'s own timeout
    expect(c.errors.map((e) => e.code)).toEqual(['REQUEST_TIMEOUT', 'REQUEST_TIMEOUT']);
    const after = await c.svc.request('guide', { type: 'user_message', message: '/stream 3', message_id: 'after' }, { timeout: 5000 });
    expect(after.type).toBe('agent_complete');
    expect(c.svc.getStream('guide', 'after')).toMatchObject({ complete: true, contiguous: 3 });
  });

  it('every node restarted (SIGKILL, same ports): each client resumes with its history, 0 lost, 0 duplicated', async () => {
    const tokens = [
      { token: 'tok-1', sessionId: 'sess-1' },
      { token: 'tok-2', sessionId: 'sess-2' },
    ];
    const { redis, nodes, r } = await testCluster(cleanup, ['node-a', 'node-b'], tokens);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const c1 = await recordingClient(a.url(GUIDE), 'tok-1', [b.url(GUIDE)]);
    cleanup.push(() => c1.dispose());
    const c2 = await recordingClient(b.url(GUIDE), 'tok-2', [a.url(GUIDE)]);
    cleanup.push(() => c2.dispose());
    const done = (c: RecordingClient, id: string) => () => c.messages.some((m) => m['type'] === 'agent_complete' && m['message_id'] === id);
    c1.say('/stream 20', 'one');
    c2.say('/stream 20', 'two');
    await waitFor(() => done(c1, 'one')() && done(c2, 'two')(), 10_000, 'both streams');
    await Promise.all([stopProcess(a.proc), stopProcess(b.proc)]);
    const a2 = await startNode(redis.url, 'node-a', tokens, { port: a.port });
    cleanup.push(() => stopProcess(a2.proc));
    const b2 = await startNode(redis.url, 'node-b', tokens, { port: b.port });
    cleanup.push(() => stopProcess(b2.proc));
    await backOpen(c1, 1);
    await backOpen(c2, 1);
    c1.say('/stream 3', 'one-after');
    c2.say('/stream 3', 'two-after');
    await waitFor(() => done(c1, 'one-after')() && done(c2, 'two-after')(), 10_000, 'replies after the restart');
    for (const [c, sid] of [[c1, 'sess-1'], [c2, 'sess-2']] as const) {
      expect(c.seqs).toEqual(range(await redisSeq(r, sid)));
      const h = c.svc.getConnectionHealth('guide');
      expect(h.resume).toBe('resumed');
      expect([h.duplicatesDropped, h.gapsDetected]).toEqual([0, 0]);
      expect(c.errors).toEqual([]);
    }
  });
});
