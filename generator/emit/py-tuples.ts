/**
 * The Python type of a checked value that is a tuple (`prefixItems`): `tuple[str, int]` where the subschema fixes
 * every valid value's shape, as TS's checked types give `[string, number]` (ts-checked-types.ts). Exact means: the
 * subschema says `"type": "array"`, and `items: false` (or a `maxItems` at most the prefix's length) bounds the
 * length; a `minItems` below the prefix's length makes a union of the lengths allowed (`tuple[str] | tuple[str,
 * int]`). Other keywords beside them only narrow the valid values, so the type stays a superset of them. Each
 * element is its scalar `type` (`string` → `str`, `number` → `float`, `integer` → `int`, `boolean` → `bool`,
 * `null` → `None`, a list of them → their union), else `Any` (objects, arrays, refs: a checked value holds plain
 * JSON there, not models).
 *
 * Anything else has no tuple type (undefined): it stays `Any`. The type is for type checkers only (`Shaped` in
 * `_checked.py`): the checker still decides validity, and `checked(key, as_tuple=True)` hands out the value as a
 * tuple, which is what the type says.
 */
import { type JsonObject, type JsonValue, isObject } from '../load.js';

const SCALARS: Readonly<Record<string, string>> = { string: 'str', number: 'float', integer: 'int', boolean: 'bool', null: 'None' };

/** The Python type of one tuple element's subschema: its scalar type(s), else `Any`. */
function elementType(s: JsonValue): string {
  if (!isObject(s)) return 'Any';
  const names = typeof s['type'] === 'string' ? [s['type']] : Array.isArray(s['type']) ? s['type'] : [];
  const py = names.map((n) => (typeof n === 'string' ? SCALARS[n] : undefined));
  if (py.length === 0 || py.some((p) => p === undefined)) return 'Any';
  return [...new Set(py)].join(' | ');
}

/** A count keyword (`minItems`, `maxItems`) as a number, or undefined. */
function countOf(s: JsonObject, k: string): number | undefined {
  const v = s[k];
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

/** The `tuple[...]` type (or a union of them by length) every valid value of `schema` has, or undefined. */
export function pyTupleShape(schema: JsonValue | undefined): string | undefined {
  if (schema === undefined || !isObject(schema) || schema['type'] !== 'array') return undefined;
  const prefix = schema['prefixItems'];
  if (!Array.isArray(prefix) || prefix.length === 0) return undefined;
  const max = countOf(schema, 'maxItems');
  const upper = schema['items'] === false ? Math.min(prefix.length, max ?? prefix.length) : max !== undefined && max <= prefix.length ? max : undefined;
  if (upper === undefined) return undefined;
  const lower = Math.min(countOf(schema, 'minItems') ?? 0, upper);
  const elements = prefix.map(elementType);
  const shapes: string[] = [];
  for (let n = lower; n <= upper; n++) shapes.push(n === 0 ? 'tuple[()]' : `tuple[${elements.slice(0, n).join(', ')}]`);
  return shapes.join(' | ');
}
