// The outbound rule for unset fields (runtime/server/outbound.ts): a key set to undefined is judged as the JSON
// text leaves it, out; only a refused message is looked at again. The senders' tests: test/server/suite/outbound.test.ts
// (reply, publish, sendToSession) and test/client/service.test.ts (sendMessage).
import { describe, expect, it } from 'vitest';
import { judgeAsSent, withoutUndefined } from '../../runtime/server/outbound.js';

describe('withoutUndefined', () => {
  it('leaves out object keys set to undefined at any depth and copies only the path to them', () => {
    const kept = { a: [1, { b: 2 }] };
    const value = { x: 1, y: undefined, z: { w: undefined, v: [undefined, { u: undefined }] }, kept };
    const out = withoutUndefined(value) as typeof value;
    expect(JSON.stringify(out)).toBe(JSON.stringify(value));
    expect(out).toEqual({ x: 1, z: { v: [undefined, {}] }, kept });
    expect(Object.keys(out)).toEqual(['x', 'z', 'kept']); // in order, as JSON.stringify writes them
    expect(out.kept).toBe(kept); // nothing unset below: not copied
    expect(value.y).toBeUndefined(); // the caller's object is not changed
    expect('y' in value).toBe(true);
  });

  it('returns the value itself when nothing is unset, and leaves a Date as it is', () => {
    const value = { a: 1, b: [1, 2], c: { d: null } };
    expect(withoutUndefined(value)).toBe(value);
    const date = new Date(0);
    expect(withoutUndefined({ when: date })).toEqual({ when: date });
    expect(withoutUndefined('text')).toBe('text');
  });
});

describe('judgeAsSent', () => {
  const noExtra = (v: unknown) => (Object.keys(v as object).every((k) => k === 'text') ? { ok: true as const } : { ok: false as const, errors: ['extra'] });

  it('judges a refused message again without its undefined keys; a valid one is judged once', () => {
    let calls = 0;
    const counted = (v: unknown) => (calls++, noExtra(v));
    expect(judgeAsSent(counted, { text: 'x' }).ok).toBe(true);
    expect(calls).toBe(1);
    expect(judgeAsSent(counted, { text: 'x', note: undefined }).ok).toBe(true);
    expect(calls).toBe(3);
    expect(judgeAsSent(noExtra, { text: 'x', note: 1 })).toEqual({ ok: false, errors: ['extra'] });
    expect(judgeAsSent(noExtra, { text: 'x', note: 1, other: undefined }).ok).toBe(false);
  });
});
