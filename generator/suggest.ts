/**
 * "Did you mean …?" for a misspelt name in a schema (a `$defs` name in a `$ref`, a role, a format): the
 * known name nearest to the written one by edit distance, when it is near enough to be a likely typo.
 */

/**
 * The optimal string alignment distance of `a` and `b` (Levenshtein's insertions, deletions and
 * substitutions, plus transpositions of two adjacent characters, each costing 1), over UTF-16 code units.
 * @returns 0 for equal strings, at most `max(a.length, b.length)`.
 */
export function editDistance(a: string, b: string): number {
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      row.push(d);
    }
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The name of `known` nearest to `written`, or undefined when none is near enough: the distance (case
 * ignored) is at most a third of the longer name, at least 1 (`Teem` → `Team`, `error-cod` → `error-code`,
 * `vec2` → `Vec2`). Ties go to the smaller distance with case, then to the first in code-unit order, so the
 * answer never depends on the order of `known`. `written` itself is never suggested.
 */
export function nearestName(written: string, known: Iterable<string>): string | undefined {
  let best: { name: string; folded: number; exact: number } | undefined;
  for (const name of known) {
    if (name === written) continue;
    const folded = editDistance(written.toLowerCase(), name.toLowerCase());
    if (folded > Math.max(1, Math.floor(Math.max(written.length, name.length) / 3))) continue;
    const exact = editDistance(written, name);
    if (!best || folded < best.folded || (folded === best.folded && (exact < best.exact || (exact === best.exact && name < best.name)))) best = { name, folded, exact };
  }
  return best?.name;
}

/** `; did you mean "<name>"?` for the nearest known name ({@link nearestName}), or '' when there is none: appended to a hint. */
export function didYouMean(written: string, known: Iterable<string>, quote: (name: string) => string = (n) => JSON.stringify(n)): string {
  const name = nearestName(written, known);
  return name === undefined ? '' : `; did you mean ${quote(name)}?`;
}
