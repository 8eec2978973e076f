import { describe, expect, it } from 'vitest';
import { OutboundQueue, type QueueEntry } from '../../runtime/client/index.js';

const e = (id: string, bytes = 10, at = 0): QueueEntry => ({ messageId: id, data: 'x'.repeat(bytes), bytes, enqueuedAt: at });

describe('OutboundQueue', () => {
  it('caps by count with drop-newest: the new message is refused', () => {
    const q = new OutboundQueue({ maxCount: 2, maxBytes: 1000, ttlMs: 1000, overflow: 'drop-newest' });
    expect(q.enqueue(e('a'), 0).accepted).toBe(true);
    expect(q.enqueue(e('b'), 0).accepted).toBe(true);
    const r = q.enqueue(e('c'), 0);
    expect(r).toMatchObject({ accepted: false, reason: 'overflow', evicted: [] });
    expect(q.drain(0).ready.map((x) => x.messageId)).toEqual(['a', 'b']);
  });

  it('caps by count with drop-oldest: the oldest are evicted', () => {
    const q = new OutboundQueue({ maxCount: 2, maxBytes: 1000, ttlMs: 1000, overflow: 'drop-oldest' });
    q.enqueue(e('a'), 0);
    q.enqueue(e('b'), 0);
    const r = q.enqueue(e('c'), 0);
    expect(r.accepted).toBe(true);
    expect(r.evicted.map((x) => x.messageId)).toEqual(['a']);
    expect(q.drain(0).ready.map((x) => x.messageId)).toEqual(['b', 'c']);
  });

  it('caps by bytes', () => {
    const q = new OutboundQueue({ maxCount: 100, maxBytes: 25, ttlMs: 1000, overflow: 'drop-oldest' });
    q.enqueue(e('a', 10), 0);
    q.enqueue(e('b', 10), 0);
    expect(q.bytes).toBe(20);
    const r = q.enqueue(e('c', 10), 0);
    expect(r.evicted.map((x) => x.messageId)).toEqual(['a']);
    expect(q.bytes).toBe(20);
    expect(q.enqueue(e('huge', 26), 0)).toMatchObject({ accepted: false, reason: 'too-large-for-queue' });
    const nq = new OutboundQueue({ maxCount: 100, maxBytes: 25, ttlMs: 1000, overflow: 'drop-newest' });
    nq.enqueue(e('a', 20), 0);
    expect(nq.enqueue(e('b', 10), 0)).toMatchObject({ accepted: false, reason: 'overflow' });
  });

  it('expires entries past their TTL on enqueue and on drain', () => {
    const q = new OutboundQueue({ maxCount: 10, maxBytes: 1000, ttlMs: 100, overflow: 'drop-newest' });
    q.enqueue(e('a', 10, 0), 0);
    q.enqueue(e('b', 10, 50), 50);
    const r = q.enqueue(e('c', 10, 120), 120);
    expect(r.expired.map((x) => x.messageId)).toEqual(['a']);
    const d = q.drain(160);
    expect(d.expired.map((x) => x.messageId)).toEqual(['b']);
    expect(d.ready.map((x) => x.messageId)).toEqual(['c']);
    expect(q.size).toBe(0);
    expect(q.bytes).toBe(0);
  });

  it('keeps FIFO order through many operations and unshift', () => {
    const q = new OutboundQueue({ maxCount: 1000, maxBytes: 1e9, ttlMs: 1e9, overflow: 'drop-oldest' });
    for (let i = 0; i < 500; i++) q.enqueue(e(String(i)), 0);
    const { ready } = q.drain(0);
    q.unshift(ready.slice(200));
    expect(q.size).toBe(300);
    expect(q.clear().map((x) => Number(x.messageId))).toEqual(Array.from({ length: 300 }, (_, i) => i + 200));
  });
});
