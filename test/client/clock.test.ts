import { describe, expect, it } from 'vitest';
import { utf8Length, utf8LengthFallback } from '../../runtime/client/clock.js';

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
  ])('%j is %i bytes, natively and in the fallback loop', (s, bytes) => {
    expect(utf8Length(s)).toBe(bytes);
    expect(utf8LengthFallback(s)).toBe(bytes);
    expect(Buffer.byteLength(s, 'utf8')).toBe(bytes);
  });
});
