/**
 * A `pattern` beside `format: "date-time"` that only narrows the fraction digits, checked by the
 * format's own checker instead of a second scan of the string (runtime.js `isDateTime(s, max)`).
 *
 * The pattern recognised is the one the bundled Timestamp uses (schema/envelope.schema.json),
 * `^[^.]*(\.[0-9]{0,N}([^0-9.][^.]*)?)*$` ("after every `.`, at most N digits"), with or without
 * its groups made non-capturing (pattern.ts `nonCapturing`), and nothing else: any other pattern
 * keeps its regular expression. Why the two are one check: a string `isDateTime` accepts
 * (RFC 3339 §5.6 as wsgen's wire rule narrows it) holds at most one `.`, at index 19, followed by
 * 1 to 9 digits and then `Z`, `+` or `-` (never a digit or a `.`); everything else is digits, `-`,
 * `T` and `:`. So the pattern matches such a string exactly when that `.` is followed by at most N
 * digits (the string is ASCII: the `u` flag changes nothing), which is `isDateTime(s, N)`.
 * Only the fast verdict uses this; the errors of a refused value still come from the table
 * (field-checks.js), which reports `pattern` and `format` separately, in ajv's order.
 * test/generator/format-narrowing.test.ts checks the equivalence for every N from 0 to 9.
 */

/** The recognised pattern, groups non-capturing or not; group 1 is N. */
const FRACTION_LIMIT = /^\^\[\^\.\]\*\((?:\?:)?\\\.\[0-9\]\{0,([0-9]{1,3})\}\((?:\?:)?\[\^0-9\.\]\[\^\.\]\*\)\?\)\*\$$/;

/** The most fraction digits wsgen's `date-time` reads (wire-formats.js `isDateTime`). */
export const DATE_TIME_MAX_FRACTION = 9;

/**
 * The fraction-digit limit that `pattern` puts on every string `format: "date-time"` accepts, when
 * `pattern` is exactly the "at most N digits after a `.`" pattern above (N capped at 9, the
 * format's own limit); undefined for any other pattern.
 */
export function dateTimeFractionLimit(pattern: string): number | undefined {
  const m = FRACTION_LIMIT.exec(pattern);
  return m === null ? undefined : Math.min(Number(m[1]), DATE_TIME_MAX_FRACTION);
}
