// The exact, dependency-free checkers of the date-time and uuid wire formats (the other
// formats are named exports of formats.js, which a validator imports by name only when it checks one of them).

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The grammar of the wire rule's date-time, with every field's range (month 01–12, day 01–31,
 * hour 00–23, minute and second 00–59, offset hour 00–23 and minute 00–59), year 0000 refused,
 * and up to nine fraction digits. One regular expression instead of reading each digit in code:
 * it is the faster of the two on the message path (bench/ts/parse-parts.mjs), every message
 * carrying a timestamp.
 */
const DATE_TIME = /^(?!0000)[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$/;

/**
 * Whether day 29, 30 or 31 of `s` (a date-time matching DATE_TIME) is a day of its month
 * in the proleptic Gregorian calendar (February 29 in leap years only).
 * @param {string} s
 * @returns {boolean}
 */
function lateDayExists(s) {
  const year = Number(s.slice(0, 4)), month = Number(s.slice(5, 7)), day = Number(s.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS[month]);
}

/**
 * RFC 3339 date-time as wsgen's wire rule narrows it:
 * YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|+HH:MM|-HH:MM), uppercase T and Z,
 * year 0001-9999, a real calendar day, no leap second. Nine fraction digits
 * read what .NET (7), Go and Java (up to 9) write by default; the value stays
 * the string, every digit kept. A validator whose schema pairs the format with a
 * pattern that only caps the fraction digits (ts-format-narrowing.ts) passes the cap as
 * `maxFraction`: one check instead of two.
 * @param {string} s
 * @param {number} [maxFraction] the most fraction digits (0–9; 9 when left out)
 * @returns {boolean}
 */
export function isDateTime(s, maxFraction = 9) {
  if (!DATE_TIME.test(s)) return false;
  const n = s.length;
  // The fraction's digits: the length less 19 (date and time), the dot and the offset (1 for Z, 6 for ±hh:mm).
  if (n - (s.charCodeAt(n - 1) === 90 ? 21 : 26) > maxFraction) return false;
  // Days 01–28 exist in every month: only 29, 30 and 31 need the month (and year).
  const tens = s.charCodeAt(8);
  return tens < 50 || (tens === 50 && s.charCodeAt(9) < 57) || lateDayExists(s);
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A UUID in its 8-4-4-4-12 hex form, any case, no braces or urn prefix.
 * @param {string} s
 * @returns {boolean}
 */
export function isUuid(s) {
  return UUID.test(s);
}
