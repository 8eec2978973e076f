/**
 * `multipleOf` as one exact decimal rule on both targets (issue 9 row 7): a
 * number is a multiple of `m` when the decimal the number's shortest
 * round-trip text writes (JavaScript's `String(x)`, Python's `repr(x)`: the
 * same digits, ECMA-262 Number::toString and David Gay's shortest mode) divided
 * by the decimal of `m` is an integer. So `19.99` is a multiple of `0.01` on
 * both targets (ajv's float division rejects it, pydantic's float remainder
 * accepts values it should not), and `0.1 + 0.2` (`0.30000000000000004`) is not.
 * The generated runtime.js carries the same function (`decimalMultiple`), the
 * Python package `_numbers.MultipleOf`.
 */

/** A finite number's shortest decimal as `digits × 10^exponent` (digits without sign). */
export function decimalOf(x: number): { digits: bigint; exponent: number } {
  const [mantissa, exp] = String(Math.abs(x)).split('e') as [string, string | undefined];
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  return { digits: BigInt(mantissa.replace('.', '')), exponent: Number(exp ?? 0) - fraction };
}

/** Whether `x` is an exact decimal multiple of `digits × 10^exponent` (the schema's multipleOf, positive). */
export function decimalMultiple(x: number, digits: bigint, exponent: number): boolean {
  if (!Number.isFinite(x)) return false;
  const v = decimalOf(x);
  if (v.digits === 0n) return true;
  const k = v.exponent - exponent;
  return k >= 0 ? (v.digits * 10n ** BigInt(k)) % digits === 0n : v.digits % (digits * 10n ** BigInt(-k)) === 0n;
}
