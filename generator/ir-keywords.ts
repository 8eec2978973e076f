/**
 * The keyword-level pieces of the IR stage (build-ir.ts): the annotations wsgen
 * passes over, the checks of a schema's keywords, numbers, formats and type
 * names, each refusing what a target cannot enforce exactly with WSGEN_UNSUPPORTED,
 * WSGEN_META or WSGEN_NAME, the keyword and its JSON pointer.
 */
import { TYPE_NAME } from './def-names.js';
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import type { StringFormat, TypeIR } from './ir.js';
import { type JsonObject, type JsonValue, isObject, keyedObject } from './load.js';
import { constNumberProblem, safeIntegerBounds, unsafeIntegerBound } from './numbers.js';
import { checkStringFormat } from './formats.js';
import type { SchemaLocation } from './types.js';

/** Keywords that say nothing about which values are valid (JSON Schema 2020-12 §8, §9 Meta-Data): passed over wherever a schema stands. */
export const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$schema', '$id', '$defs', '$anchor']);
/**
 * Names the emitters use themselves, and the TypeScript and JavaScript globals the
 * emitted code refers to (a type named Omit or Set would shadow them): a schema
 * type may not take them.
 */
const RESERVED_TYPE_NAMES = new Set([
  'ParseResult', 'ParseOk', 'ParseError', 'ValidationIssue', 'MessageDirection', 'Protocol', 'WireModel', 'Any', 'Literal', 'Union', 'Annotated', 'Field', 'BaseModel', 'Enum', 'StrEnum', 'IntEnum',
  'Omit', 'Pick', 'Extract', 'Exclude', 'Record', 'Readonly', 'ReadonlyArray', 'Partial', 'Object', 'Array', 'Set', 'Map', 'JSON', 'RegExp',
]);
/** `loc` with JSON Pointer tokens appended (RFC 6901). */
export const at = (loc: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...tokens) });

/** Keywords a typed type narrows with (`intersect` in normalize.ts reads them): a clash of two of them is WSGEN_MERGE. */
export const TYPED_NARROWING = new Set(['type', 'const', 'enum', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'minItems', 'maxItems', 'items', 'properties', 'required', 'additionalProperties']);

/** A keyword no target can enforce identically: at `loc`'s `keyword`, or exactly at `loc` when `exact` (a value inside the keyword). */
export function unsupported(keyword: string, loc: SchemaLocation, why: string, exact = false): WsgenError {
  return new WsgenError(E.UNSUPPORTED, `keyword "${keyword}" cannot be enforced identically by every target: ${why}`, exact ? loc : at(loc, keyword),
    'wsgen refuses rather than emit a looser target; see README "Supported JSON Schema" for the subset and workarounds');
}

/** The `x-*` extensions of a schema, without the `x-` prefix (for example `direction`, `wsgen-role`). */
export function meta(schema: JsonObject): Record<string, JsonValue> {
  const out = keyedObject<JsonValue>();
  for (const [k, v] of Object.entries(schema)) if (k.startsWith('x-')) out[k.slice(2)] = v;
  return out;
}

/** Refuses (WSGEN_UNSUPPORTED, at the keyword) any keyword of `schema` that is no annotation, `x-*` or one of `allowed`; `what` names the schema in the message. */
export function checkKeywords(schema: JsonObject, allowed: readonly string[], loc: SchemaLocation, what: string): void {
  for (const k of Object.keys(schema)) {
    if (ANNOTATIONS.has(k) || k.startsWith('x-') || allowed.includes(k)) continue;
    throw unsupported(k, loc, `wsgen does not support it on ${what}`);
  }
}

/** `format` without `type` (JSON Schema 2020-12 §7.1: a value of another type passes); date-time needs `type: string` (its value is a datetime). */
export function formattedType(schema: JsonObject, loc: SchemaLocation): TypeIR {
  checkKeywords(schema, ['format'], loc, 'a format without "type"');
  const format = schema.format!;
  checkStringFormat(format, at(loc, 'format'));
  if (format === 'date-time') throw unsupported('format', loc, 'date-time without "type": "string" (wsgen reads a date-time as a datetime value; add the type)');
  return { kind: 'formatted', format };
}

/** Whether a `$defs` key can name a type on every target (checkTypeName's rule). */
export function isTypeName(name: string): boolean {
  return TYPE_NAME.test(name) && !RESERVED_TYPE_NAMES.has(name);
}

/** Refuses (WSGEN_NAME) a type name that is not PascalCase or that a generated name or a global the output uses already has. */
export function checkTypeName(name: string, loc: SchemaLocation): void {
  if (!TYPE_NAME.test(name)) {
    throw new WsgenError(E.NAME, `type name "${name}" is not PascalCase letters and digits`, loc, 'rename the $defs key (and title) to PascalCase, such as UserMessage');
  }
  if (RESERVED_TYPE_NAMES.has(name)) {
    throw new WsgenError(E.NAME, `type name "${name}" clashes with a name wsgen generates or a global the generated code uses`, loc, 'rename the type');
  }
}

/** The number under keyword `k`, if any; WSGEN_META when it is no finite number. */
export function num(schema: JsonObject, k: string, loc: SchemaLocation): number | undefined {
  const v = schema[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new WsgenError(E.META, `"${k}" must be a finite number`, at(loc, k), 'write a number');
  return v;
}

/** `multipleOf`: a number greater than 0 (JSON Schema 2020-12 §6.2.1), checked by exact decimal arithmetic on both targets. */
export function multipleOf(schema: JsonObject, loc: SchemaLocation): number | undefined {
  const v = num(schema, 'multipleOf', loc);
  if (v !== undefined && v <= 0) throw new WsgenError(E.META, '"multipleOf" must be greater than 0', at(loc, 'multipleOf'), 'write a positive number such as 0.01');
  return v;
}

/** The non-negative integer under keyword `k` (`minLength`, `maxItems`…), if any; WSGEN_META otherwise. */
export function nonNegInt(schema: JsonObject, k: string, loc: SchemaLocation): number | undefined {
  const v = num(schema, k, loc);
  if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new WsgenError(E.META, `"${k}" must be a non-negative integer`, at(loc, k), 'write a whole number');
  return v;
}

/** A number const or integer enum value, refused unless every target reads it exactly (generator/numbers.ts). */
export function safeInteger(v: number, loc: SchemaLocation, keyword: string): number {
  const why = constNumberProblem(v);
  if (why !== undefined) throw unsupported(keyword, loc, why, true);
  return v;
}

/** An integer type, its bounds held to ±(2^53 − 1) (generator/numbers.ts). */
export function integerType(schema: JsonObject, loc: SchemaLocation): TypeIR {
  const b = { minimum: num(schema, 'minimum', loc), maximum: num(schema, 'maximum', loc), exclusiveMinimum: num(schema, 'exclusiveMinimum', loc), exclusiveMaximum: num(schema, 'exclusiveMaximum', loc) };
  const unsafe = unsafeIntegerBound(b);
  if (unsafe !== undefined) throw unsupported(unsafe.keyword, loc, unsafe.why);
  return defined({ kind: 'integer' as const, ...safeIntegerBounds(b), multipleOf: multipleOf(schema, loc) });
}

/** `o` without its keys whose value is undefined (IR objects hold no undefined). */
export function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o)) if ((o as Record<string, unknown>)[k] === undefined) delete (o as Record<string, unknown>)[k];
  return o;
}

/** The `description` of a schema, when it is a string. */
export function desc(s: JsonObject): string | undefined {
  return typeof s.description === 'string' ? s.description : undefined;
}

/** What a definition becomes: an enum (`enum`, or `oneOf` of `const`s), an object (`properties`), or an alias of any other type. */
export function classify(s: JsonObject): 'enum' | 'object' | 'alias' {
  if (Array.isArray(s.enum)) return 'enum';
  if (Array.isArray(s.oneOf) && s.oneOf.length > 0 && s.oneOf.every((b) => isObject(b) && 'const' in b)) return 'enum';
  if (isObject(s.properties)) return 'object';
  return 'alias';
}

