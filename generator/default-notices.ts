/**
 * Warnings about `default` keywords that are not applied, so that none is dropped silently. JSON Schema 2020-12
 * §9.2 makes `default` an annotation that may hold any value (the JSON-Schema-Test-Suite's `default.json` has
 * schemas with defaults their own schema refuses, and they are valid), so such a schema still generates; wsgen
 * applies the default of an optional property of a typed object when its own schema accepts it (defaults.ts,
 * default-check.ts) and says where it does not:
 * - WSGEN_DEFAULT_INVALID: an optional property's default that its own schema refuses (or an integer beyond
 *   ±(2^53 − 1)): not applied; the property stays optional.
 * - WSGEN_DEFAULT_IGNORED: a default in a place where wsgen never applies one: a required property (never
 *   absent), a definition of its own (`$defs`: only a property's own keyword counts), a checked subschema, a
 *   union branch or array item schema that is no object property, the values of undeclared keys.
 * Each names the file and the JSON pointer of the `default` keyword and gives a hint.
 */
import { pointerJoin } from './errors.js';
import type { IR, PropertyIR } from './ir.js';
import type { SchemaDoc } from './load.js';
import type { JsonValue, SchemaLocation } from './types.js';

/** Codes of the default warnings (stable: tools match on them). */
export const DefaultNoticeCode = {
  /** An optional property's default that its own schema refuses: not applied. */
  INVALID: 'WSGEN_DEFAULT_INVALID',
  /** A default where wsgen applies none (annotation only). */
  IGNORED: 'WSGEN_DEFAULT_IGNORED',
} as const;

/** A warning: generation goes on. */
export interface WsgenNotice {
  code: (typeof DefaultNoticeCode)[keyof typeof DefaultNoticeCode];
  message: string;
  location: SchemaLocation;
  hint: string;
}

/** Keywords whose value is one subschema (JSON Schema 2020-12 §10, §11). */
const ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties', 'additionalItems'];
/** Keywords whose value is an array of subschemas. */
const MANY = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value is an object of subschemas. */
const NAMED = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

function isObject(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON pointer of every `default` keyword in a schema position of `schema` (at `pointer`), in document order. */
function defaultsIn(schema: JsonValue, pointer: string, out: string[]): void {
  if (!isObject(schema)) return;
  if ('default' in schema) out.push(pointerJoin(pointer, 'default'));
  for (const k of ONE) if (k in schema) defaultsIn(schema[k]!, pointerJoin(pointer, k), out);
  for (const k of MANY) {
    const list = schema[k];
    if (Array.isArray(list)) list.forEach((s, i) => defaultsIn(s, pointerJoin(pointer, k, i), out));
  }
  for (const k of NAMED) {
    const map = schema[k];
    if (isObject(map)) for (const [name, s] of Object.entries(map)) defaultsIn(s, pointerJoin(pointer, k, name), out);
  }
}

/** Whether `pointer` in `file` lies at or below one of `places`. */
function inside(places: readonly SchemaLocation[], file: string, pointer: string): boolean {
  return places.some((p) => p.file === file && (pointer === p.pointer || pointer.startsWith(`${p.pointer}/`)));
}

/**
 * The warnings of the `default` keywords of `docs` (every schema file) given the checked IR (checkDefaults has set
 * `defaultApplied`), in file and document order. On a failing run `ir` holds the definitions that built and
 * `skip` the places that failed (definitions, refused subschemas): a default at or below one of them, or an
 * optional property's default not judged (its type reaches a failed definition), gets no warning, since what the
 * run would say of it is not known yet.
 */
export function defaultNotices(docs: readonly SchemaDoc[], ir: IR, skip: readonly SchemaLocation[] = []): WsgenNotice[] {
  const properties = new Map<string, PropertyIR>();
  for (const o of ir.objects) for (const p of o.properties) if (p.default !== undefined) properties.set(`${p.loc.file}#${pointerJoin(p.loc.pointer, 'default')}`, p);
  const out: WsgenNotice[] = [];
  for (const doc of [...docs].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
    const pointers: string[] = [];
    defaultsIn(doc.json, '', pointers);
    for (const pointer of pointers) {
      const location = { file: doc.file, pointer };
      const p = properties.get(`${doc.file}#${pointer}`);
      if (inside(skip, doc.file, pointer)) continue;
      if (p !== undefined && !p.required && (p.defaultApplied === true || p.defaultApplied === undefined)) continue;
      if (p !== undefined && !p.required && typeof p.defaultApplied === 'string') {
        out.push({ code: DefaultNoticeCode.INVALID, message: `the default of property ${JSON.stringify(p.name)} is not applied: ${p.defaultApplied}`, location, hint: 'give a default its own schema accepts, or remove it (JSON Schema allows any value here, so the schema still generates)' });
      } else if (p !== undefined) {
        out.push({ code: DefaultNoticeCode.IGNORED, message: `the default of required property ${JSON.stringify(p.name)} is never applied: a required property is never absent`, location, hint: 'make the property optional for the default to fill it, or remove the default' });
      } else {
        out.push({
          code: DefaultNoticeCode.IGNORED,
          message: 'this default is an annotation only: wsgen applies the default of an optional property of a typed object, not one on a definition of its own, in a checked subschema, a union branch or item schema, or the values of undeclared keys',
          location,
          hint: 'move the default onto the optional property that refers to this schema, or remove it',
        });
      }
    }
  }
  return out;
}
