// Messages across nodes on one real Redis (issue 12): a publish on one node reaches the connections of every node
// (each once, numbered in its own stream); a session-addressed message reaches the node holding the session, or
// waits in Redis for the session's resume; a newer connection on another node replaces the older one; the
// per-user connection limit counts every node's connections.
import { describe, expect, it } from 'vitest';
import { waitForAsync } from './client.js';
import { connect, ts, type TestClient } from '../server/helpers.js';
import { cleanupAfterEach, GUIDE, testCluster } from './fixture.js';
import { ask, startCluster, type NodeProcess } from './harness.mjs';

const cleanup = cleanupAfterEach();

const sys = (message: string) => ({ type: 'system_message', timestamp: ts(), message });
const AUDIENCE = { realm: 'experience', tenant: 'dev-tenant' };

/** Opens a raw test client and waits for its session_created. */
async function open(node: NodeProcess, token: string): Promise<TestClient> {
  const c = await connect(node.url(GUIDE), token);
  cleanup.push(() => c.close());
  await c.nextOfType('session_created');
  return c;
}

/** Two nodes; alice (tok-1, sess-1) connected to node a and bob (tok-2, sess-2) to node b. */
async function aliceOnABobOnB(): Promise<{ a: NodeProcess; b: NodeProcess; onA: TestClient; onB: TestClient }> {
  const tokens = [
    { token: 'tok-1', sessionId: 'sess-1', userId: 'alice' },
    { token: 'tok-2', sessionId: 'sess-2', userId: 'bob' },
  ];
  const { nodes } = await startCluster(cleanup, ['node-a', 'node-b'], tokens);
  const [a, b] = nodes as [NodeProcess, NodeProcess];
  return { a, b, onA: await open(a, 'tok-1'), onB: await open(b, 'tok-2') };
}

/** The system messages a client got, as [text, seq]. */
function systems(c: TestClient): [string, number | undefined][] {
  return c.messages.filter((m) => m.type === 'system_message').map((m) => [(m as { message: string }).message, (m as { seq?: number }).seq]);
}

describe('fan-out across nodes', () => {
  it('a publish on one node reaches the connections of both nodes, each once, in its own stream', async () => {
    const { b, onA, onB } = await aliceOnABobOnB();
    expect(await ask(b, { cmd: 'publish', audience: AUDIENCE, message: sys('to everyone') })).toEqual({ ok: 1 }); // b's own stream, locally
    expect(await ask(b, { cmd: 'publish', audience: { ...AUDIENCE, userId: 'alice' }, message: sys('to alice') })).toEqual({ ok: 0 });
    await onA.next((m) => m.type === 'system_message' && m.message === 'to alice');
    expect(systems(onA)).toEqual([
      ['to everyone', 1],
      ['to alice', 2],
    ]);
    onB.say('/stream 1', 'flush'); // anything published to b arrives before this reply
    await onB.next((m) => m.type === 'agent_complete');
    expect(systems(onB)).toEqual([['to everyone', 1]]);
  });

  it('a copy delivered by another node carries the same per-session fields as a local one (the chat layer’s realm, computed where the connection is)', async () => {
    const { b, onA, onB } = await aliceOnABobOnB();
    // Through the chat layer and through the core: both carry the realm on every node.
    expect(await ask(b, { cmd: 'chatPublish', audience: AUDIENCE, message: sys('chat news') })).toEqual({ ok: 1 });
    expect(await ask(b, { cmd: 'publish', audience: AUDIENCE, message: sys('core news') })).toEqual({ ok: 1 });
    const remote = [await onA.next((m) => m.message === 'chat news'), await onA.next((m) => m.message === 'core news')];
    const local = [await onB.next((m) => m.message === 'chat news'), await onB.next((m) => m.message === 'core news')];
    for (const [i, m] of [...remote, ...local].entries()) expect(m, `copy ${i}`).toMatchObject({ type: 'system_message', realm: 'experience', seq: (i % 2) + 1 });
    expect(Object.keys(remote[0]!).sort()).toEqual(Object.keys(local[0]!).sort());
  });

  it('sendToSession on another node reaches the node holding the session; for a detached session it waits in Redis for the resume', async () => {
    const { nodes, r } = await testCluster(cleanup, ['node-a', 'node-b'], [{ token: 'tok-1', sessionId: 'sess-1' }]);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const c = await open(a, 'tok-1');
    expect(await ask(b, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('live') })).toEqual({ ok: true });
    await c.next((m) => m.type === 'system_message');
    expect(systems(c)).toEqual([['live', 1]]);
    const epoch = await c.epoch();
    await c.close();
    // In order per sending node, even while a is still releasing the stream (a forward to a is acknowledged before
    // b's next send); across nodes, in the order Redis gets them (here: b's are stored before a's is sent).
    await ask(b, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('while away 1') });
    await ask(b, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('while away 2') });
    await waitForAsync(async () => (await r.hget('wsgen:{sess-1}:guide:meta', 'seq')) === '3', 5_000, 'stored by b');
    await ask(a, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys('while away 3') });
    await ask(b, { cmd: 'send', sessionId: 'no-such-session', endpoint: 'guide', message: sys('lost') }); // dropped, never creates a stream
    // `send` answers once the message is accepted, not stored (sendToSession: the append is asynchronous): the
    // session_created below reports the stream's top when b links it, so wait until a's append is in Redis first.
    await waitForAsync(async () => (await r.hget('wsgen:{sess-1}:guide:meta', 'seq')) === '4', 5_000, 'stored by a');
    const back = await connect(b.url(GUIDE), 'tok-1');
    cleanup.push(() => back.close());
    const created = await back.nextOfType('session_created');
    expect(created.epoch).toBe(epoch);
    expect(created.seq).toBe(4);
    back.send({ type: 'session_resume', timestamp: ts(), session_id: 'sess-1', last_seq: 1, epoch });
    const updated = await back.nextOfType('session_updated');
    expect(updated.status).toBe('resumed');
    expect(systems(back)).toEqual([
      ['while away 1', 2],
      ['while away 2', 3],
      ['while away 3', 4],
    ]);
    expect(b.logs.some((l) => l.includes('"route_unknown_stream"') && l.includes('no-such-session'))).toBe(true);
  });

  it('a newer connection of the session on another node replaces the older one (4505 REPLACED)', async () => {
    const { nodes } = await startCluster(cleanup, ['node-a', 'node-b'], [{ token: 'tok-1', sessionId: 'sess-1' }]);
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const old = await open(a, 'tok-1');
    await open(b, 'tok-1');
    expect((await old.closed).code).toBe(4505);
  });

  it('the per-user connection limit counts the connections of every node (4502 TOO_MANY_CONNECTIONS)', async () => {
    const tokens = [
      { token: 'tok-1', sessionId: 'sess-1', userId: 'alice' },
      { token: 'tok-2', sessionId: 'sess-2', userId: 'alice' },
    ];
    const { nodes, r } = await testCluster(cleanup, ['node-a', 'node-b'], tokens, { maxConnectionsPerUser: 1 });
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const first = await open(a, 'tok-1');
    await waitForAsync(async () => (await r.zcard('wsgen:presence:user:alice')) === 1, 5_000, 'presence of the first');
    const second = await connect(b.url(GUIDE), 'tok-2');
    expect((await second.closed).code).toBe(4502);
    await first.close();
    await waitForAsync(async () => (await r.zcard('wsgen:presence:user:alice')) === 0, 5_000, 'presence gone');
    await open(b, 'tok-2'); // the limit frees up once the first connection left
  });
});
