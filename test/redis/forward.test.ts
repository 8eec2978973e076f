// A session-addressed send forwarded to the owner node is acknowledged (docs/redis-layout.md "Channels"): the sender
// waits for the owner's answer before its next send to the stream, so a forward to an owner that is releasing the
// stream can no longer land after the sender's next, directly appended, send. The race is made deterministic: the
// owner node is stopped (SIGSTOP) while Redis still names it the owner, the test sees the forward go out, then
// releases the stream in Redis itself, and the sender sends again.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForAsync } from './client.js';
import { connect, ts } from '../server/helpers.js';
import { ask, startCluster, type NodeProcess } from './harness.mjs';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

const META = 'wsgen:{sess-1}:guide:meta';
const LOG = 'wsgen:{sess-1}:guide:log';
const sys = (message: string) => ({ type: 'system_message', timestamp: ts(), message });

/** The control messages published on `channel`, as parsed JSON (a subscriber of the test). */
async function listen(url: string, channel: string): Promise<Record<string, unknown>[]> {
  const sub = new Redis(url);
  cleanup.push(() => sub.disconnect());
  const got: Record<string, unknown>[] = [];
  sub.on('message', (_ch: string, text: string) => got.push(JSON.parse(text) as Record<string, unknown>));
  await sub.subscribe(channel);
  return got;
}

/** The stream log as [message text, seq]. */
async function logged(r: Redis): Promise<[string, number][]> {
  const entries = await r.xrange(LOG, '-', '+');
  return entries.map(([, f]) => {
    const m = JSON.parse(f[f.indexOf('d') + 1]!) as { message: string; seq: number };
    return [m.message, m.seq];
  });
}

/**
 * Node a linked the stream, then released it; Redis is made to name a as the owner again (a releasing owner) and a
 * is stopped; b forwards 'first' to a (seen on a's channel), the test releases the stream in Redis, b sends 'second'.
 */
async function raceSetUp(extra: Record<string, unknown> = {}) {
  const { redis, nodes } = await startCluster(cleanup, ['node-a', 'node-b'], [{ token: 'tok-1', sessionId: 'sess-1' }], extra);
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  const r = new Redis(redis.url);
  cleanup.push(() => r.disconnect());
  const c = await connect(a.url('/api/ws/guide'), 'tok-1');
  await c.nextOfType('session_created');
  await c.close();
  await waitForAsync(async () => (await r.hget(META, 'owner')) === null, 5_000, 'released by a');
  await r.hset(META, 'owner', 'node-a/releasing');
  const toA = await listen(redis.url, 'wsgen:node:node-a');
  const toB = await listen(redis.url, 'wsgen:node:node-b');
  a.proc.kill('SIGSTOP');
  cleanup.push(() => a.proc.kill('SIGCONT'));
  await ask(b, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('first') });
  await waitForAsync(async () => toA.some((m) => m.op === 'send'), 5_000, 'first forwarded to a');
  await r.hdel(META, 'owner'); // a's release lands
  await ask(b, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('second') });
  return { a, b, r, toA, toB };
}

describe('acknowledged forward to the owner node', () => {
  it('a forward declined by an owner that released the stream is appended by the sender before its next send', async () => {
    const { a, b, r, toA, toB } = await raceSetUp({ commandTimeoutMs: 10_000 });
    // Give b time to store 'second' if it does not wait for a's answer (before acknowledged forwards it did, at once).
    await waitForAsync(async () => (await r.hget(META, 'seq')) === '1', 1_500, 'b appended one').catch(() => undefined);
    a.proc.kill('SIGCONT');
    await waitForAsync(async () => (await r.hget(META, 'seq')) === '2', 5_000, 'both stored');
    expect(await logged(r)).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
    expect(toA.find((m) => m.op === 'send')).toMatchObject({ session: 'sess-1', endpoint: 'guide', ack: 'node-b' });
    expect(toB).toContainEqual(expect.objectContaining({ op: 'ack', ok: false }));
    expect(b.logs.some((l) => l.includes('route_forward_timeout'))).toBe(false);
    expect(a.logs.some((l) => l.includes('"route_failed"'))).toBe(false);
  });

  it('an owner that does not answer within the command timeout: the sender appends in order; the late owner adds nothing', async () => {
    const { a, b, r, toB } = await raceSetUp();
    await waitForAsync(async () => (await r.hget(META, 'seq')) === '2', 5_000, 'both stored by b after the timeout');
    expect(b.logs.some((l) => l.includes('"route_forward_timeout"'))).toBe(true);
    a.proc.kill('SIGCONT');
    await waitForAsync(async () => toB.some((m) => m.op === 'ack'), 5_000, 'a answered late');
    expect(toB.filter((m) => m.op === 'ack')).toEqual([expect.objectContaining({ ok: false })]);
    expect(await logged(r)).toEqual([
      ['first', 1],
      ['second', 2],
    ]);
    expect(await r.hget(META, 'seq')).toBe('2');
  });

  it('an owner that holds the stream but answers after the timeout (stalled): the message is stored twice, the client resumes', async () => {
    const { redis, nodes } = await startCluster(cleanup, ['node-a', 'node-b'], [{ token: 'tok-1', sessionId: 'sess-1' }]);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const r = new Redis(redis.url);
    cleanup.push(() => r.disconnect());
    const c = await connect(a.url('/api/ws/guide'), 'tok-1');
    cleanup.push(() => c.close());
    await c.nextOfType('session_created');
    a.proc.kill('SIGSTOP');
    cleanup.push(() => a.proc.kill('SIGCONT'));
    await ask(b, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('slow') });
    await waitForAsync(async () => (await r.hget(META, 'seq')) === '1', 5_000, 'appended by b after the timeout');
    a.proc.kill('SIGCONT');
    await waitForAsync(async () => (await r.hget(META, 'seq')) === '2', 5_000, 'appended again by a (after a SEQ conflict)');
    expect(await logged(r)).toEqual([
      ['slow', 1],
      ['slow', 2],
    ]);
    expect((await c.closed).code).toBe(1012); // a's link lost the stream to b's append: its client resumes from Redis
  });
});
