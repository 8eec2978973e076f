/**
 * The number rules the IR stage holds every schema to (I-JSON, RFC 7493 §2.2), so that
 * both targets read each number of a message as the same value: integers are exact on
 * every target only within ±(2^53 − 1). JavaScript reads a larger JSON integer rounded
 * to a double (9007199254740993 as 9007199254740992), Python reads it exactly.
 */

/** The largest integer every target reads exactly: 2^53 − 1 (RFC 7493 §2.2). */
export const MAX_SAFE_INTEGER = 9007199254740991;

/** The bounds keywords of an integer or number type (JSON Schema 2020-12 §6.2). */
export interface NumberBounds {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/**
 * Why a number `const` or integer enum value cannot be enforced exactly on every target,
 * or undefined when it can: it must be an integer within ±(2^53 − 1). Beyond that,
 * JavaScript cannot tell neighbours apart (`9007199254740992` would also accept
 * `9007199254740993`); a fraction has no Python Literal.
 */
export function constNumberProblem(v: number): string | undefined {
  if (Number.isInteger(v) && Math.abs(v) <= MAX_SAFE_INTEGER) return undefined;
  return Number.isInteger(v)
    ? `${v} is beyond ±${MAX_SAFE_INTEGER} (2^53 − 1): JavaScript reads JSON integers there rounded, so it would also accept a neighbour`
    : `${v} is not an integer: number constants must be integers within ±${MAX_SAFE_INTEGER} (use an integer, a string, or bounds)`;
}

/** The first bound of an integer type beyond ±(2^53 − 1), which the targets would judge differently near it. */
export function unsafeIntegerBound(b: NumberBounds): { keyword: keyof NumberBounds; why: string } | undefined {
  for (const keyword of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) {
    const v = b[keyword];
    if (v !== undefined && Math.abs(v) > MAX_SAFE_INTEGER) {
      return { keyword, why: `an integer bound beyond ±${MAX_SAFE_INTEGER} (2^53 − 1): JavaScript reads larger JSON integers rounded, Python exactly, so the two would judge values near the bound differently` };
    }
  }
  return undefined;
}

/**
 * The bounds of an integer type, held to ±(2^53 − 1): a side without its own bound gets
 * `minimum` −9007199254740991 or `maximum` 9007199254740991, so both targets refuse
 * `9007199254740993` with the error an explicit bound gives (`must be <= 9007199254740991`).
 */
export function safeIntegerBounds(b: NumberBounds): NumberBounds {
  return {
    ...b,
    ...(b.minimum === undefined && b.exclusiveMinimum === undefined ? { minimum: -MAX_SAFE_INTEGER } : {}),
    ...(b.maximum === undefined && b.exclusiveMaximum === undefined ? { maximum: MAX_SAFE_INTEGER } : {}),
  };
}
