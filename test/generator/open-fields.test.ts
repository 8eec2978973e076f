// The fixed part of the open-field checks every TypeScript output carries (generator/shipped/ts/open-fields.js,
// which open.js calls per type): the walk of an open value for nesting depth and the I-JSON number range
// (RFC 7493 §2.2), and the issues it yields.
import { describe, expect, it } from 'vitest';
import { DEEP, MAX_DEPTH, MAX_SAFE_INTEGER, UNSAFE, issue, noOpenIssue, scan, tooDeep, unsafeNumber } from '../../generator/shipped/ts/open-fields.js';

/** A value nesting `n` levels of arrays (or objects) around `inner`. */
function nest(n: number, inner: unknown, object = false): unknown {
  let v = inner;
  for (let i = 0; i < n; i++) v = object ? { k: v } : [v];
  return v;
}

describe('scan (depth and number range of an open value)', () => {
  it('finds nothing in scalars, strings and shallow values within range', () => {
    for (const v of [undefined, null, true, 'x', 0, -MAX_SAFE_INTEGER, MAX_SAFE_INTEGER, { a: 'b', c: [1, 2, { d: null }] }, []]) expect(scan(v, 1)).toBe(0);
  });

  it('flags a number beyond ±MAX_SAFE_INTEGER, Infinity and NaN as UNSAFE, at any place in the value', () => {
    for (const n of [MAX_SAFE_INTEGER + 2, -MAX_SAFE_INTEGER - 2, Infinity, -Infinity, NaN]) {
      expect(scan(n, 1)).toBe(UNSAFE);
      expect(scan({ a: 'x', b: [true, n] }, 1)).toBe(UNSAFE);
      expect(scan(['s', { c: n }], 1)).toBe(UNSAFE);
    }
  });

  it('flags any value deeper than MAX_DEPTH as DEEP (a string or null too), and the deepest allowed value not', () => {
    // The value sits at depth 1 (a field of the message); n levels inside it put the innermost item at depth 1 + n.
    for (const inner of ['s', null, true, 1, {}, []]) {
      for (const object of [false, true]) {
        expect(scan(nest(MAX_DEPTH - 1, inner, object), 1), `${JSON.stringify(inner)} at ${MAX_DEPTH}`).toBe(0);
        expect(scan(nest(MAX_DEPTH, inner, object), 1) & DEEP, `${JSON.stringify(inner)} at ${MAX_DEPTH + 1}`).toBe(DEEP);
      }
    }
    // an empty container at the deepest level holds nothing deeper
    expect(scan(nest(MAX_DEPTH - 1, [], false), 1)).toBe(0);
  });

  it('reports DEEP even after an UNSAFE number earlier in the value', () => {
    expect(scan([Infinity, nest(MAX_DEPTH, 's')], 1)).toBe(UNSAFE | DEEP);
  });
});

describe('the issues of open fields', () => {
  it('tooDeep and unsafeNumber name the path, the keyword and the limit', () => {
    expect(tooDeep('/data')).toEqual({ path: '/data', keyword: 'depth', message: `must not nest deeper than ${MAX_DEPTH} levels`, params: { limit: MAX_DEPTH } });
    expect(unsafeNumber('/m')).toEqual({ path: '/m', keyword: 'number', message: `must hold only numbers from -${MAX_SAFE_INTEGER} to ${MAX_SAFE_INTEGER}`, params: { limit: MAX_SAFE_INTEGER } });
  });

  it('issue defaults params to an empty object; noOpenIssue finds none', () => {
    expect(issue('', 'json', 'm')).toEqual({ path: '', keyword: 'json', message: 'm', params: {} });
    expect(noOpenIssue({ data: Infinity })).toBeUndefined();
  });
});
