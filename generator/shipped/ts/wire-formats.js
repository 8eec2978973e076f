// The exact, dependency-free checkers of the date-time and uuid wire formats (the other
// formats are named exports of formats.js, which a validator imports by name only when it checks one of them).

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The value of the `n` decimal digits of `s` from index `i`, or -1 when one is not a digit.
 * @param {string} s
 * @param {number} i
 * @param {number} n
 * @returns {number}
 */
function digits(s, i, n) {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
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
  const n = s.length;
  if (n < 20 || n > 35) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  const hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month])) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      i++;
    }
    if (i === start || i - start > maxFraction) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 90) return i + 1 === n;
  if ((z !== 43 && z !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
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
