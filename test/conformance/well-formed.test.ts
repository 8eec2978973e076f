// parse.js refuses text with a lone surrogate (no UTF-8 can carry it; Python
// refuses it) with String.prototype.isWellFormed, or with a regex on engines
// that lack it (browsers before 2023). Both paths must judge alike.
import { afterAll, describe, expect, it } from 'vitest';

const TS = '2024-05-01T10:00:00Z';
const CASES: Array<[string, boolean]> = [
  ['\ud800', false],
  ['\udc00', false],
  ['a\ud800b', false],
  ['\ude00\ud83d', false],
  ['\ud83d\ude00', true],
  ['plain', true],
];
const text = (d: string) => `{"type":"ping","timestamp":"${TS}","data":"${d}"}`;

describe('lone surrogates in the text', async () => {
  const native = await import('../../generated/ts/parse.js');
  // Node 20's type library does not declare isWellFormed yet.
  const proto = String.prototype as { isWellFormed?: () => boolean };
  const original = proto.isWellFormed;
  delete proto.isWellFormed; // load a second copy of parse.js as an older engine would
  const copy = new URL('../../generated/ts/parse.js?no-is-well-formed', import.meta.url).href;
  const fallback = (await import(/* @vite-ignore */ copy)) as typeof native;
  proto.isWellFormed = original;
  afterAll(() => {
    proto.isWellFormed = original;
  });

  it.each(CASES)('%j is valid: %s, with and without isWellFormed', (d, valid) => {
    expect(native.parseMessage(text(d)).ok).toBe(valid);
    expect(fallback.parseMessage(text(d)).ok).toBe(valid);
    if (!valid) expect(native.parseMessage(text(d))).toEqual(fallback.parseMessage(text(d)));
  });
});
