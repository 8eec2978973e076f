// The JSON Schema keywords ajv's standalone code calls a runtime function for: exact decimal
// multipleOf, length in code points (minLength, maxLength) and JSON equality (const, enum, uniqueItems).

/**
 * `multipleOf` by exact decimal arithmetic (README "Numbers"): whether the decimal that `x`'s
 * shortest round-trip text writes, divided by `digits × 10^exponent`, is an integer.
 * @param {number} x
 * @param {bigint} digits
 * @param {number} exponent
 * @returns {boolean}
 */
export function decimalMultiple(x, digits, exponent) {
  if (!Number.isFinite(x)) return false;
  const [mantissa, exp] = String(Math.abs(x)).split("e");
  const dot = mantissa.indexOf(".");
  const value = BigInt(mantissa.replace(".", ""));
  if (value === 0n) return true;
  const k = Number(exp ?? 0) - (dot < 0 ? 0 : mantissa.length - dot - 1) - exponent;
  return k >= 0 ? (value * 10n ** BigInt(k)) % digits === 0n : value % (digits * 10n ** BigInt(-k)) === 0n;
}

/**
 * Length in Unicode code points (JSON Schema's minLength/maxLength).
 * @param {string} str
 * @returns {number}
 */
export function ucs2length(str) {
  const len = str.length;
  let length = 0;
  let pos = 0;
  while (pos < len) {
    length++;
    const value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < len) {
      if ((str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
    }
  }
  return length;
}

/**
 * JSON equality (JSON Schema 2020-12 Core §4.2.2), as `const`, `enum` and `uniqueItems` compare: numbers by
 * value (1 equals 1.0), `true` never equals 1, arrays item by item, objects by their keys whatever their order.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = /** @type {Record<string, unknown>} */ (a);
  const y = /** @type {Record<string, unknown>} */ (b);
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(y, k) || !equal(x[k], y[k])) return false;
  return true;
}
