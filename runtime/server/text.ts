// Text that fits the schema by construction: the length limit of `message`
// (counted in Unicode code points, as JSON Schema's maxLength does), no lone
// surrogates (I-JSON, RFC 7493 §2.1), and truncation that never splits a
// surrogate pair.

/** maxLength of the envelope's `message` field (schema/envelope.schema.json), in code points. */
export const MAX_TEXT = 32768;

/** `s` with every lone surrogate replaced by U+FFFD, so that it is valid Unicode (RFC 7493 §2.1). */
export function wellFormed(s: string): string {
  // The native check (ES2024, Node 20) costs ~0.05 µs for a 300-character reply, the regex ~0.5 µs: it runs on every reply.
  const ok = nativeIsWellFormed !== undefined ? nativeIsWellFormed.call(s) : !LONE_SURROGATE.test(s);
  return ok ? s : s.replace(LONE_SURROGATE_ALL, '\uFFFD');
}
const nativeIsWellFormed = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed;
// With the u flag a surrogate pair is one code point, so \p{Cs} matches lone surrogates only.
const LONE_SURROGATE = /\p{Cs}/u;
const LONE_SURROGATE_ALL = /\p{Cs}/gu;

/** Number of Unicode code points of `s` (what JSON Schema's maxLength counts). */
export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The UTF-16 index after the first `max` code points of `s` (s.length when s is shorter). */
function cut(s: string, from: number, max: number): number {
  let i = from;
  for (let n = 0; n < max && i < s.length; n++) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return i;
}

/** The first `max` code points of `s` (never half a surrogate pair). */
export function truncateText(s: string, max: number = MAX_TEXT): string {
  if (s.length <= max) return s; // max UTF-16 units are at most max code points
  return s.slice(0, cut(s, 0, max));
}

/**
 * Splits `s` into pieces of at most `max` code points each, in order, never
 * inside a surrogate pair; `[s]` when it fits (an empty string included).
 */
export function splitText(s: string, max: number = MAX_TEXT): string[] {
  if (s.length <= max) return [s];
  const out: string[] = [];
  for (let i = 0; i < s.length; ) {
    const j = cut(s, i, max);
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}
