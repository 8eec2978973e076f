import { describe, expect, it } from 'vitest';
import { utf8Length, utf8LengthFallbacks } from '../../runtime/client/clock.js';

describe('utf8Length', () => {
  it.each([
    ['', 0],
    ['plain ascii', 11],
    ['é', 2],
    ['日本語', 9],
    ['emoji 😀', 10],
    ['lone \ud800 high', 13],
    ['lone \udc00 low', 12],
    ['high then ascii \ud800x', 20],
    ['\ud83d', 3],
  ])('%j is %i bytes, natively, through TextEncoder and in the loop', (s, bytes) => {
    expect(utf8Length(s)).toBe(bytes);
    expect(utf8LengthFallbacks.encode(s)).toBe(bytes);
    expect(utf8LengthFallbacks.loop(s)).toBe(bytes);
    expect(Buffer.byteLength(s, 'utf8')).toBe(bytes);
  });

  it('counts long strings too: through a grown TextEncoder buffer, and by the loop above its cap', () => {
    for (const n of [100_000, 300_000]) {
      const s = 'x'.repeat(n) + 'é😀';
      expect(utf8Length(s)).toBe(n + 6);
      expect(utf8LengthFallbacks.encode(s)).toBe(n + 6);
    }
  });
});
