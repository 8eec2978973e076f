/**
 * The `type` keyword (JSON Schema 2020-12 §6.1.1): a type name or a list of
 * them, a value being valid when it is of one of the listed types (`integer`
 * means a number with a zero fractional part). wsgen maps `T`, `[T]`,
 * `[T, "null"]` and `["integer", "number"]` (= `number`) exactly, and refuses
 * other lists; beside `const`, `enum` and named objects it checks that the
 * values the other keywords allow are of the type, and refuses a `type` that
 * would change what is valid rather than emit a target looser or stricter
 * than the schema.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import type { JsonObject, JsonValue } from './load.js';
import type { SchemaLocation } from './types.js';

/** The JSON Schema type names. */
const TYPE_NAMES = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);

/** Whether `v` is of JSON Schema type `t`. */
export function isOfType(v: JsonValue, t: string): boolean {
  switch (t) {
    case 'null':
      return v === null;
    case 'boolean':
      return typeof v === 'boolean';
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return false;
  }
}

function refuse(loc: SchemaLocation, why: string, hint: string): WsgenError {
  return new WsgenError(E.UNSUPPORTED, `keyword "type" cannot be enforced identically by every target: ${why}`, { file: loc.file, pointer: pointerJoin(loc.pointer, 'type') }, hint);
}

/** The listed types of a schema (`undefined` when it has no `type`), duplicates and `integer` beside `number` folded. */
export function listedTypes(schema: JsonObject, loc: SchemaLocation): string[] | undefined {
  const t = schema.type;
  if (t === undefined) return undefined;
  const list = Array.isArray(t) ? t : [t];
  for (const x of list) {
    if (typeof x !== 'string' || !TYPE_NAMES.has(x)) throw new WsgenError(E.META, `unknown type ${JSON.stringify(x)}`, { file: loc.file, pointer: pointerJoin(loc.pointer, 'type') }, 'use string, integer, number, boolean, null, array or object');
  }
  const names = [...new Set(list as string[])];
  return names.includes('number') ? names.filter((x) => x !== 'integer') : names;
}

/**
 * How toType reads `type`: one type name (or none), and whether `null` is
 * allowed beside it. Lists of two or more non-null types are refused.
 */
export function typeForMapping(schema: JsonObject, loc: SchemaLocation): { type: string | undefined; nullable: boolean } {
  const types = listedTypes(schema, loc);
  if (types === undefined) return { type: undefined, nullable: false };
  const rest = types.filter((x) => x !== 'null');
  if (rest.length > 1) {
    throw refuse(loc, `a list of several non-null types (${rest.join(', ')})`, 'use oneOf of one schema per type is not supported either; pick one type, or an open value ({}) checked by your code');
  }
  if (rest.length === 0) return { type: 'null', nullable: false };
  return { type: rest[0], nullable: types.length > rest.length };
}

/** Refuses `type` beside `const`/`enum` values when a value is not of a listed type (the schema would then reject it, and wsgen would not). */
export function checkValuesTyped(schema: JsonObject, values: readonly JsonValue[], loc: SchemaLocation): void {
  const types = listedTypes(schema, loc);
  if (types === undefined) return;
  const bad = values.find((v) => !types.some((t) => isOfType(v, t)));
  if (bad !== undefined) {
    throw refuse(loc, `the value ${JSON.stringify(bad)} is not of type ${types.join(' or ')}, so the schema rejects it`, 'drop the value, or make "type" list its type');
  }
}

/** Refuses a named object whose `type` is not exactly "object" (a nullable object, or a type list, would change what is valid). */
export function checkObjectType(schema: JsonObject, loc: SchemaLocation): void {
  const types = listedTypes(schema, loc);
  if (types === undefined) {
    throw refuse(loc, 'an object without "type": "object" also accepts strings, numbers, arrays and null', 'add "type": "object"');
  }
  if (types.length !== 1 || types[0] !== 'object') {
    throw refuse(loc, `a named object of type ${JSON.stringify(schema.type)}: only "object" is supported for an object with properties`,
      types.includes('null') ? 'write "type": "object" here, and {"oneOf": [{"$ref": "#/$defs/Name"}, {"type": "null"}]} where null is allowed' : 'write "type": "object"');
  }
}
