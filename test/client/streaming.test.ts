import { describe, expect, it } from 'vitest';
import { StreamAssembler } from '../../runtime/client/index.js';

const chunk = (i: number, text: string, id = 'm1') => ({ id, kind: 'chunk' as const, index: i, content: text });
const done = (id = 'm1') => ({ id, kind: 'end' as const, index: 0, content: undefined });

describe('StreamAssembler', () => {
  it('assembles in order, drops repeats, waits for gaps, ignores after complete', () => {
    const a = new StreamAssembler();
    expect(a.push(chunk(0, 'a')).state.text).toBe('a');
    expect(a.push(chunk(2, 'c')).state).toMatchObject({ text: 'a', pending: 1 });
    expect(a.push(chunk(0, 'a'))).toMatchObject({ kind: 'ignored', reason: 'duplicate' });
    expect(a.push(chunk(2, 'c'))).toMatchObject({ kind: 'ignored', reason: 'duplicate' });
    expect(a.push(chunk(1, 'b')).state).toMatchObject({ text: 'abc', contiguous: 3, pending: 0 });
    expect(a.push(done())).toMatchObject({ kind: 'complete', state: { complete: true, text: 'abc' } });
    expect(a.push(chunk(3, 'd'))).toMatchObject({ kind: 'ignored', reason: 'after-complete' });
    expect(a.get('m1')).toMatchObject({ text: 'abc', dropped: 3 });
  });

  it('keeps streams apart by message_id and bounds memory', () => {
    const a = new StreamAssembler(3);
    for (let i = 0; i < 10; i++) {
      a.push(chunk(0, `x${i}`, `id${i}`));
      a.push(done(`id${i}`));
    }
    expect(a.get('id9')?.text).toBe('x9');
    expect(a.get('id0')).toBeUndefined();
    a.push(chunk(0, 'live', 'L'));
    expect(a.active().map((s) => s.messageId)).toEqual(['L']);
  });

  it('keeps each chunk as received in `chunks` (objects stay objects, in index order); `text` is for string chunks', () => {
    const a = new StreamAssembler();
    const obj = (i: number, content: unknown) => ({ id: 'o', kind: 'chunk' as const, index: i, content });
    a.push(obj(1, { kind: 'line', n: 1 }));
    expect(a.get('o')).toMatchObject({ chunks: [], pending: 1 });
    const ev = a.push(obj(0, { kind: 'line', n: 0 }));
    expect(ev.state.chunks).toEqual([{ kind: 'line', n: 0 }, { kind: 'line', n: 1 }]);
    expect(ev.state.text).toBe('{"kind":"line","n":0}{"kind":"line","n":1}'); // objects as JSON text: use chunks
    a.push(obj(2, 'tail'));
    expect(a.get('o')?.chunks).toEqual([{ kind: 'line', n: 0 }, { kind: 'line', n: 1 }, 'tail']);
    const snapshot = a.get('o');
    a.push(obj(3, 'more'));
    expect(snapshot?.chunks).toHaveLength(3); // a state handed out never changes afterwards (React state)
  });
});
