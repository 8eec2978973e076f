import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Backoff, backoffCeiling, fullJitterDelay } from '../../runtime/client/index.js';

const opts = { minDelayMs: 500, maxDelayMs: 30_000 };

describe('full-jitter backoff', () => {
  it('ceiling doubles from the minimum and is capped at the maximum', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffCeiling(n, opts))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('every delay lies in [0, min(max, base·2^n)) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 100_000 }), (n, r, min, extra) => {
        const o = { minDelayMs: min, maxDelayMs: min + extra };
        const d = fullJitterDelay(n, o, () => r);
        return d >= 0 && d < Math.max(1, backoffCeiling(n, o)) + 1e-9 && d <= o.maxDelayMs;
      }),
    );
  });

  it('jitter is applied after the cap: at the cap, delays still spread over [0, max]', () => {
    const b = new Backoff(opts, Math.random);
    for (let i = 0; i < 20; i++) b.next(); // far past the cap
    const samples = Array.from({ length: 20_000 }, () => fullJitterDelay(50, opts));
    const mean = samples.reduce((a, x) => a + x, 0) / samples.length;
    expect(Math.min(...samples)).toBeLessThan(300);
    expect(Math.max(...samples)).toBeGreaterThan(29_700);
    expect(mean).toBeGreaterThan(14_000);
    expect(mean).toBeLessThan(16_000);
    // Roughly uniform: each tenth of the window holds ~10%.
    const buckets = new Array(10).fill(0) as number[];
    for (const s of samples) buckets[Math.min(9, Math.floor(s / 3000))]!++;
    for (const c of buckets) expect(c / samples.length).toBeGreaterThan(0.08);
  });

  it('distribution at attempt 0..3 is uniform under its own ceiling', () => {
    for (let n = 0; n < 4; n++) {
      const ceil = backoffCeiling(n, opts);
      const s = Array.from({ length: 5000 }, () => fullJitterDelay(n, opts));
      expect(Math.max(...s)).toBeLessThan(ceil);
      const mean = s.reduce((a, x) => a + x, 0) / s.length;
      expect(Math.abs(mean - ceil / 2)).toBeLessThan(ceil * 0.05);
    }
  });

  it('counts attempts and resets', () => {
    const b = new Backoff(opts, () => 0.999999);
    expect(b.next()).toBe(499);
    expect(b.next()).toBe(999);
    expect(b.attempt).toBe(2);
    b.reset();
    expect(b.attempt).toBe(0);
    expect(b.next()).toBe(499);
  });

  it('rejects max < min', () => {
    expect(() => new Backoff({ minDelayMs: 10, maxDelayMs: 5 })).toThrow(RangeError);
  });
});
