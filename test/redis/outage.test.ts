// Redis stopped mid-traffic, then started again (empty: no persistence), under two Node nodes (issue 12): the nodes
// keep serving live traffic, log redis_unavailable then redis_recovered, never crash; a stream whose messages could
// not be stored gets a new epoch, so its client is told explicitly (RECOVERY_FAILED epoch_mismatch), never a
// silent gap; then everything is stored and resumable again.
import { describe, expect, it } from 'vitest';
import { RecoveryFailedError } from '../../runtime/client/index.js';
import { waitFor } from '../client/helpers/wait.js';
import { redisSessionStore } from '../../runtime/server/redis/index.js';
import { connect, startServer } from '../server/helpers.js';
import { recordingClient, type RecordingClient } from './client.js';
import { cleanupAfterEach, GUIDE, redisClient } from './fixture.js';
import { startCluster, type NodeProcess } from './harness.mjs';

const cleanup = cleanupAfterEach();

/** Sends `/stream n` as `id` and waits for its agent_complete. */
async function ask(c: RecordingClient, n: number, id: string): Promise<void> {
  c.say(`/stream ${n}`, id);
  await waitFor(() => c.messages.some((m) => m['type'] === 'agent_complete' && m['message_id'] === id), 10_000, `reply ${id}`);
}

/** The log lines of a node with event `event`. */
const events = (n: NodeProcess, event: string): string[] => n.logs.filter((l) => l.includes(`"event":"${event}"`));

describe('Redis down, then back', () => {
  it('nodes keep serving, say explicitly what could not be stored, and recover', async () => {
    const tokens = [
      { token: 'tok-1', sessionId: 'sess-1' },
      { token: 'tok-2', sessionId: 'sess-2' },
    ];
    const { redis, nodes } = await startCluster(cleanup, ['node-a', 'node-b'], tokens);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const c1 = await recordingClient(a.url(GUIDE), 'tok-1', [b.url(GUIDE)]);
    cleanup.push(() => c1.dispose());
    await ask(c1, 5, 'before');
    const oldEpoch = c1.svc.getConnectionHealth('guide').epoch;

    await redis.stop(); // SIGKILL: everything in Redis is lost
    await ask(c1, 5, 'during'); // live traffic goes on
    const c2 = await recordingClient(b.url(GUIDE), 'tok-2', [a.url(GUIDE)]); // a new client is served too
    cleanup.push(() => c2.dispose());
    await ask(c2, 3, 'during');
    await waitFor(() => events(a, 'redis_unavailable').length > 0 && events(b, 'redis_unavailable').length > 0, 5_000, 'redis_unavailable');
    // The stream that could not be stored is named, in the Python runtime's words (test_redis_down.py).
    const broken = events(a, 'redis_stream_broken').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(broken[0]).toMatchObject({ level: 'warn', session_id: 'sess-1', endpoint: 'guide', reason: 'unavailable', hint: 'messages are delivered but not stored' });

    await redis.start(); // same port, empty
    await waitFor(() => events(a, 'redis_recovered').length > 0 && events(b, 'redis_recovered').length > 0, 10_000, 'redis_recovered');
    // c1's stream lost what was delivered during the outage: a new epoch, and the client is told so.
    await waitFor(() => c1.errors.some((e) => e instanceof RecoveryFailedError), 10_000, 'RECOVERY_FAILED');
    const failure = c1.errors.find((e) => e instanceof RecoveryFailedError) as RecoveryFailedError;
    expect(failure.reason).toBe('epoch_mismatch');
    await waitFor(() => c1.svc.getConnectionStatus('guide') === 'open', 10_000, 'c1 open again');
    expect(c1.svc.getConnectionHealth('guide').epoch).not.toBe(oldEpoch);
    await ask(c1, 3, 'after');
    await ask(c2, 3, 'after');

    // c2's stream was never stored (it began during the outage): told explicitly as well.
    expect(c2.errors.some((e) => e instanceof RecoveryFailedError && e.reason === 'epoch_mismatch')).toBe(true);
    // Stored again: Redis has the new epoch up to the last message each client got.
    const r = redisClient(cleanup, redis.url);
    for (const [c, sid] of [[c1, 'sess-1'], [c2, 'sess-2']] as const) {
      const h = c.svc.getConnectionHealth('guide');
      expect(await r.hmget(`wsgen:{${sid}}:guide:meta`, 'epoch', 'seq')).toEqual([h.epoch, String(h.lastSeq)]);
      expect(h.gapsDetected).toBe(0);
    }
    for (const n of [a, b]) {
      expect(n.proc.exitCode).toBeNull();
      expect(events(n, 'unhandled_rejection')).toEqual([]);
    }
  });

  it('Redis unreachable from the start: the node serves live traffic, logs redis_unavailable, and closes cleanly', async () => {
    const t = await startServer({ sessionStore: redisSessionStore({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 300 }) });
    let closed = false;
    cleanup.push(() => (closed ? undefined : t.close()));
    const c = await connect(t.url(GUIDE), t.issue());
    await c.nextOfType('session_created');
    c.say('/stream 3', 'live');
    await c.next((m) => m.type === 'agent_complete');
    expect(t.logs.some((l) => l.includes('"redis_unavailable"'))).toBe(true);
    await t.close(); // settles: a connection still reconnecting is dropped, not asked to QUIT
    closed = true;
  });
});
