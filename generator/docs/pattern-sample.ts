/**
 * Strings that match a pattern, for the examples of `wsgen docs` when none of
 * example.ts's fixed candidates does (a pattern such as `^L[0-9]{1,8}$`).
 * fast-check's `stringMatching` draws them from the ECMAScript regular
 * expression (flag `u`, as generator/pattern.ts admits patterns) with a fixed
 * seed; the strings are sorted (shortest first, then by UTF-16 code units), so
 * the page is byte-identical across runs and machines for the pinned
 * fast-check. The generated parser still judges the whole example.
 */
import * as fc from 'fast-check';

/** The seed of every draw (fixed: the page must not change between runs). */
const SEED = 20260115;

/** How many strings are drawn per pattern. */
const DRAWS = 64;

/**
 * Up to DRAWS distinct strings matching `pattern`, shortest first; an empty list when fast-check cannot draw
 * from it (a construct its `stringMatching` does not support, such as a backreference or a lookaround).
 */
export function patternSamples(pattern: string): readonly string[] {
  let arbitrary: fc.Arbitrary<string>;
  try {
    arbitrary = fc.stringMatching(new RegExp(pattern, 'u'));
  } catch {
    return [];
  }
  const drawn = new Set(fc.sample(arbitrary, { seed: SEED, numRuns: DRAWS }));
  return [...drawn].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}
