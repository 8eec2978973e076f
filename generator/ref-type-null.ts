/**
 * `"type": [..., "null"]` beside a `$ref` whose target refuses null. In JSON Schema 2020-12 `$ref` is an
 * applicator like any other (Core §8.2.3.1): the value must satisfy the target *and* the sibling `type`
 * (Validation §6.1.1), so `{"$ref": "#/$defs/Point", "type": ["object", "null"]}` refuses null on both targets,
 * the opposite of what its author meant (`Point | null`). wsgen refuses it (WSGEN_UNSUPPORTED) with the
 * 2020-12 form of `X | null` as the hint, every one of them in one run, as it does OpenAPI's `nullable`
 * (openapi-nullable.ts). A `type` beside a `$ref` without `null` that only restates the target's type is
 * typed as the target (build-ir.ts `refType`).
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import { type Bundle, type JsonValue, isObject } from './load.js';
import { childSchemas } from './subschemas.js';

/** How deep `$ref`s and compositions are followed before giving up (no verdict: no error). */
const MAX_DEPTH = 32;

/**
 * Whether the schema `s` (at `file`#`pointer`) refuses null for certain: its `type` or `enum`/`const` leave null
 * out, or its `$ref` target, every `anyOf`/`oneOf` branch or one `allOf` part does. False when it cannot tell.
 */
function refusesNull(bundle: Bundle, s: JsonValue, file: string, pointer: string, depth: number): boolean {
  if (!isObject(s) || depth > MAX_DEPTH) return false;
  const types = typeList(s.type);
  if (types.length > 0 && !types.includes('null')) return true;
  if (Array.isArray(s.enum) && !s.enum.includes(null)) return true;
  if ('const' in s && s.const !== null) return true;
  if (typeof s.$ref === 'string' && refTargetRefusesNull(bundle, s.$ref, file, pointer, depth)) return true;
  for (const k of ['anyOf', 'oneOf'] as const) {
    const branches = s[k];
    if (Array.isArray(branches) && branches.length > 0 && branches.every((b, i) => refusesNull(bundle, b, file, pointerJoin(pointer, k, i), depth + 1))) return true;
  }
  const parts = s.allOf;
  return Array.isArray(parts) && parts.some((p, i) => refusesNull(bundle, p, file, pointerJoin(pointer, 'allOf', i), depth + 1));
}

/** Whether the target of `ref` (written at `file`#`pointer`) refuses null; false when it does not resolve (load reports that). */
function refTargetRefusesNull(bundle: Bundle, ref: string, file: string, pointer: string, depth: number): boolean {
  let target;
  try {
    target = bundle.locateRef(ref, file, pointer);
  } catch {
    return false;
  }
  return refusesNull(bundle, target.schema, target.file, target.pointer, depth + 1);
}

/** The errors of every `type` that lists `null` beside a `$ref` whose target refuses null, in the document `json` of `file`. */
export function deadNullsBesideRefs(bundle: Bundle, json: JsonValue, file: string): WsgenError[] {
  const out: WsgenError[] = [];
  const walk = (s: JsonValue, pointer: string): void => {
    if (!isObject(s)) return;
    if (typeof s.$ref === 'string' && typeList(s.type).includes('null') && refTargetRefusesNull(bundle, s.$ref, file, pointer, 0)) {
      const ref = JSON.stringify(s.$ref);
      out.push(new WsgenError(E.UNSUPPORTED, `"type" lists "null" beside a $ref to ${s.$ref}, which refuses null: a value must match both, so null is refused here (JSON Schema 2020-12 applies $ref and "type" together)`,
        { file, pointer: pointerJoin(pointer, 'type') }, `for the target or null, write {"anyOf": [{"$ref": ${ref}}, {"type": "null"}]}; to refuse null, drop "type" (the target fixes it)`));
    }
    for (const c of childSchemas(s)) walk(c.schema, pointerJoin(pointer, ...c.tokens));
  };
  walk(json, '');
  return out;
}

/** The JSON types a `type` keyword value lists (empty for none or a malformed one). */
export function typeList(type: JsonValue | undefined): string[] {
  return typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Whether a `type` written beside a `$ref` only restates the target's type: it lists every non-null JSON type
 * the target's values have (`targetTypes`; an `integer` is also a `number`), so the target alone decides what
 * is valid, null aside (the caller keeps null only when both allow it). False without a `type`.
 */
export function restatesType(type: JsonValue | undefined, targetTypes: readonly string[]): boolean {
  const listed = typeList(type);
  if (listed.length === 0) return false;
  return targetTypes.filter((t) => t !== 'null').every((t) => listed.includes(t) || (t === 'integer' && listed.includes('number')));
}

/** The JSON Schema type (2020-12 Validation §6.1.1) of a JSON value, `integer` for a number with no fraction. */
export function jsonTypeOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
