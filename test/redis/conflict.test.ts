// Two writers of one session stream on one real Redis (issue 12, docs/redis-layout.md "Fencing"): another node
// appends to a stream while this node still holds its connection, so this node's seq is stale. Its next append
// fails with `SEQ <top>`; the node closes the connection with 1012 so the client resumes from Redis, and appends
// its own messages after the top: nothing lost, nothing duplicated (Python: test_two_nodes.py, the same scenario).
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../client/helpers/wait.js';
import { ts } from '../server/helpers.js';
import { range } from './client.js';
import { cleanupAfterEach, clientOnTwoNodes } from './fixture.js';
import { ask } from './harness.mjs';

const cleanup = cleanupAfterEach();

const META = 'wsgen:{sess-1}:guide:meta';
const LOG = 'wsgen:{sess-1}:guide:log';
const APPEND = readFileSync(new URL('../../runtime/redis/append.lua', import.meta.url), 'utf8');
const sys = (message: string, seq?: number) => ({ type: 'system_message', timestamp: ts(), message, ...(seq !== undefined ? { seq } : {}) });

/** Appends `msg` at the top of the stream as another owner would (append.lua with the stream's epoch and top + 1). */
async function appendAsAnotherNode(r: Redis, msg: string): Promise<number> {
  const [epoch, seq] = (await r.hmget(META, 'epoch', 'seq')) as [string, string];
  const top = Number(seq) + 1;
  const text = JSON.stringify(sys(msg, top));
  await r.eval(APPEND, 2, META, LOG, epoch, top, text, Buffer.byteLength(text), Date.now(), 1000, 1 << 20, 600_000, 600_000);
  return top;
}

describe('two writers of one stream (SEQ conflict)', () => {
  it('the stale owner closes its connection with 1012 and appends its own messages after the top: the client resumes with both, once, in order', async () => {
    const { a, r, c } = await clientOnTwoNodes(cleanup);
    c.say('/stream 2', 'before');
    await waitFor(() => c.messages.some((m) => m['type'] === 'agent_complete' && m['message_id'] === 'before'), 10_000, 'first reply');
    const before = c.seqs.length;
    const theirs = await appendAsAnotherNode(r, 'appended by another node'); // node a's seq is now stale
    expect(theirs).toBe(before + 1);
    // Three sends of node a in one turn and one in the next: all hit the conflict, none may be lost.
    for (const text of ['from a 1', 'from a 2', 'from a 3']) await ask(a, { cmd: 'send', sessionId: 'sess-1', endpoint: 'guide', message: sys(text) });
    await waitFor(() => c.svc.getConnectionHealth('guide').reconnectCount >= 1 && c.svc.getConnectionStatus('guide') === 'open', 10_000, 'reconnected');
    await waitFor(() => c.messages.some((m) => m['message'] === 'from a 3'), 10_000, 'node a’s messages, resumed');
    c.say('/stream 1', 'after');
    await waitFor(() => c.messages.some((m) => m['type'] === 'agent_complete' && m['message_id'] === 'after'), 10_000, 'reply after the resume');
    const texts = c.messages.filter((m) => m['type'] === 'system_message').map((m) => [m['message'], m['seq']]);
    expect(texts).toEqual([
      ['appended by another node', before + 1],
      ['from a 1', before + 2],
      ['from a 2', before + 3],
      ['from a 3', before + 4],
    ]);
    expect(c.seqs).toEqual(range(Number(await r.hget(META, 'seq'))));
    const h = c.svc.getConnectionHealth('guide');
    expect(h.lastCloseCode).toBe(1012);
    expect([h.duplicatesDropped, h.gapsDetected, h.resume]).toEqual([0, 0, 'resumed']);
    expect(c.errors.map((e) => e.code)).toEqual([]);
    expect(a.logs.some((l) => l.includes('"stream_conflict"'))).toBe(true);
  });
});
