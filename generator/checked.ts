/**
 * Checked subschemas: a subschema no typed IR type expresses exactly (no "type", allOf, not,
 * if/then/else, prefixItems, contains, uniqueItems, enum/const of any JSON, unevaluated*,
 * dependentSchemas, `$ref`s into any place...) becomes a value of any JSON whose validity the
 * subschema itself decides: ajv on the TS target, `_keywords.py` on the Python target.
 *
 * Both read one self-contained document `{"$defs": {<key>: <subschema>}}` (CHECKED.md): every
 * `$ref` is resolved here, at generate time, against the base URI of the resource it sits in
 * (JSON Schema 2020-12 §8.2, §9.2: `$id` of embedded resources, `$anchor`s, JSON pointers into
 * any place, other files of the schema folder), and rewritten to `#/$defs/<key>` of a copy of its
 * target. Only JSON Schema 2020-12 validation keywords remain; annotations, unknown keywords
 * (§6.5), `$id`, `$anchor`, `$schema` and `$defs` are dropped. `$dynamicRef` is refused.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import { checkStringFormat } from './formats.js';
import type { TypeIR } from './ir.js';
import { type Bundle, type JsonObject, type JsonValue, isObject, keyedObject } from './load.js';
import { MAX_SAFE_INTEGER } from './numbers.js';
import { checkPortablePattern } from './pattern.js';
import { SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './subschemas.js';
import type { SchemaLocation } from './types.js';

/**
 * The refusals a checked subschema removes: a typed mapping that fails with one of these falls back to a checked one. Not
 * WSGEN_REQUIRED: a closed object that requires a property it does not define admits no value (undeclared-required.ts).
 */
const FALLBACK_CODES: ReadonlySet<string> = new Set([E.UNSUPPORTED, E.REF]);

/** Whether a typed mapping's error is one a checked subschema can take over (the subschema is valid JSON Schema, only not typed). */
export function isCheckedFallback(err: unknown): err is WsgenError {
  return err instanceof WsgenError && FALLBACK_CODES.has(err.code);
}

/** Validation keywords of JSON Schema 2020-12 (Validation §6) copied as written, after the checks below. */
const ASSERTIONS: ReadonlySet<string> = new Set([
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern',
  'maxItems', 'minItems', 'uniqueItems', 'maxContains', 'minContains', 'maxProperties', 'minProperties', 'required', 'dependentRequired', 'format',
]);
/** Number bounds held to ±(2^53 − 1) when they are integers, as the typed path holds integer bounds (numbers.ts). */
const BOUNDS: ReadonlySet<string> = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const TYPE_NAMES: ReadonlySet<string> = new Set(['null', 'boolean', 'object', 'array', 'number', 'string', 'integer']);
const KEY_CHAR = /[A-Za-z0-9-]/;

const at = (loc: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...tokens) });

function refused(keyword: string, loc: SchemaLocation, why: string, hint: string): WsgenError {
  return new WsgenError(E.UNSUPPORTED, `keyword "${keyword}" cannot be enforced identically by every target: ${why}`, loc, hint);
}

/** One pointer token as a key part: letters, digits and `-` as they are, every other character as `_<hex>_`, the empty token as `_`. */
function keyToken(token: string): string {
  if (token === '') return '_';
  let out = '';
  for (const c of token) out += KEY_CHAR.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`;
  return out;
}

/**
 * The key of a location (injective, matching `^[A-Za-z0-9_.\-]+$`): the pointer's tokens joined by `.`, a
 * leading `/$defs/Name` written `Name` and any other pointer led by `_`; a file other than the root file first, then `..`.
 */
export function checkedKey(file: string, pointer: string, rootFile: string): string {
  const tokens = pointer === '' ? [] : pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parts = tokens[0] === '$defs' && tokens.length > 1 ? [keyToken(tokens[1]!), ...tokens.slice(2).map(keyToken)] : ['_', ...tokens.map(keyToken)];
  return (file === rootFile ? '' : `${keyToken(file)}..`) + parts.join('.');
}

/** The checked subschemas of one schema, keyed by location: the document both targets read. */
export class CheckedSchemas {
  /** `{"$defs"}` entries, in the order they were added. */
  readonly defs: Record<string, JsonValue> = keyedObject<JsonValue>();
  /** Where each entry of `defs` sits in the schema. */
  readonly at: Record<string, SchemaLocation> = keyedObject<SchemaLocation>();
  private readonly keys = new Map<string, string>();
  private readonly bundle: Bundle;

  constructor(bundle: Bundle) {
    this.bundle = bundle;
  }

  /** Whether any subschema was added. */
  get size(): number {
    return this.keys.size;
  }

  /**
   * The checked type of `schema`, which sits at `loc` (its `$ref`s are resolved from there, or are canonical).
   * Throws WSGEN_UNSUPPORTED for what stays refused (`$dynamicRef`, formats and patterns without an exact
   * implementation, integers beyond ±(2^53 − 1) in `const`/`enum`), WSGEN_REF for a reference that resolves nowhere.
   */
  add(schema: JsonValue, loc: SchemaLocation): TypeIR {
    return { kind: 'checked', key: this.keyOf(loc, () => schema) };
  }

  private keyOf(loc: SchemaLocation, schema: () => JsonValue): string {
    const where = `${loc.file}#${loc.pointer}`;
    const known = this.keys.get(where);
    if (known !== undefined) return known;
    const key = checkedKey(loc.file, loc.pointer, this.bundle.root.file);
    this.keys.set(where, key);
    this.defs[key] = true; // placeholder: a subschema that refers to itself finds its key
    this.at[key] = { file: loc.file, pointer: loc.pointer };
    try {
      this.defs[key] = this.rewrite(schema(), loc);
    } catch (err) {
      this.keys.delete(where);
      delete this.defs[key];
      delete this.at[key];
      throw err;
    }
    return key;
  }

  private rewrite(v: JsonValue, loc: SchemaLocation): JsonValue {
    if (typeof v === 'boolean') return v;
    if (!isObject(v)) throw new WsgenError(E.META, 'a schema must be an object or a boolean', loc, 'write {...}, true or false');
    const out = keyedObject<JsonValue>();
    let never = false;
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref') out.$ref = this.ref(x, at(loc, k), loc);
      else if (k === '$dynamicRef' || k === '$recursiveRef') throw refused(k, at(loc, k), 'dynamic references are resolved at validation time, which the checked subschemas do not model', 'write a plain "$ref" to the subschema');
      else if (SCHEMA_KEYWORDS.has(k)) out[k] = this.rewrite(x, at(loc, k));
      else if (SCHEMA_LIST_KEYWORDS.has(k)) {
        if (!Array.isArray(x) || x.length === 0) throw new WsgenError(E.META, `"${k}" must be a non-empty array of schemas`, at(loc, k), 'list the subschemas');
        out[k] = x.map((s, i) => this.rewrite(s, at(loc, k, i)));
      } else if (SCHEMA_MAP_KEYWORDS.has(k) && k !== '$defs') {
        if (!isObject(x)) throw new WsgenError(E.META, `"${k}" must be an object of schemas`, at(loc, k), 'write {"name": {...}}');
        const m = keyedObject<JsonValue>();
        for (const [name, s] of Object.entries(x)) {
          if (k === 'patternProperties') checkPortablePattern(name, at(loc, k, name));
          m[name] = this.rewrite(s, at(loc, k, name));
        }
        out[k] = m;
      } else if (k === 'enum' && Array.isArray(x) && x.length === 0) {
        never = true;
      } else if (ASSERTIONS.has(k)) out[k] = checkAssertion(k, x, at(loc, k), v);
      // Everything else is an annotation, an identifier ($id, $anchor, $schema), $defs (copied when referenced) or an unknown keyword (§6.5).
    }
    // No value is one of no values (§6.1.2); ajv refuses an empty enum, so it is written as a false subschema.
    if (never) out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), false];
    const tag = this.discriminatorOf(v, loc);
    if (tag !== undefined) {
      // A tagged oneOf: both checkers pick the branch by its tag, as ajv's discriminator does, so the issues name the fault in
      // the branch the tag names (or the tag). Every branch requires the tag and an object, so `type` and `required` beside it
      // change no verdict (ajv's discriminator alone would pass a value that is no object).
      out.discriminator = { propertyName: tag };
      out.type = 'object';
      out.required = [...new Set([...(Array.isArray(out.required) ? (out.required as string[]) : []), tag])];
    }
    return out;
  }

  /**
   * The tag of a oneOf whose `discriminator` both checkers honour (ajv's rules; README "Checked values"): `{"propertyName"}` without
   * `mapping`, beside `oneOf` (no `type` other than `"object"`, no `unevaluated*`), every branch an object schema (inline,
   * or a `$ref` alone to one) with `"type": "object"`, the tag in its `required` and a string `const` or `enum` of
   * strings for it in `properties`, no tag value in two branches. Undefined otherwise: the keyword is dropped, and the
   * oneOf is checked as JSON Schema says.
   */
  private discriminatorOf(v: JsonObject, loc: SchemaLocation): string | undefined {
    const d = v.discriminator;
    if (!isObject(d) || typeof d.propertyName !== 'string' || 'mapping' in d || !Array.isArray(v.oneOf)) return undefined;
    if ((v.type !== undefined && v.type !== 'object') || 'unevaluatedProperties' in v || 'unevaluatedItems' in v) return undefined;
    const tag = d.propertyName;
    const seen = new Set<string>();
    for (const [i, branch] of v.oneOf.entries()) {
      let b: JsonValue = branch;
      if (isObject(b) && typeof b.$ref === 'string' && Object.keys(b).length === 1) {
        try {
          b = this.bundle.locateRef(b.$ref, loc.file, pointerJoin(loc.pointer, 'oneOf', i)).schema;
        } catch {
          return undefined;
        }
      }
      if (!isObject(b) || b.type !== 'object' || !Array.isArray(b.required) || !b.required.includes(tag) || !isObject(b.properties)) return undefined;
      const p = b.properties[tag];
      const values = isObject(p) ? ('const' in p ? [p.const] : Array.isArray(p.enum) ? p.enum : []) : [];
      if (values.length === 0 || !values.every((x) => typeof x === 'string' && !seen.has(x))) return undefined;
      for (const x of values as string[]) seen.add(x);
    }
    return tag;
  }

  private ref(ref: JsonValue, where: SchemaLocation, from: SchemaLocation): string {
    if (typeof ref !== 'string') throw new WsgenError(E.META, '"$ref" must be a string', where, 'write a URI reference');
    const t = this.bundle.locateRef(ref, from.file, from.pointer);
    return `#/$defs/${this.keyOf({ file: t.file, pointer: t.pointer }, () => t.schema)}`;
  }
}

/** A validation keyword's value, checked for what both targets must read alike. */
function checkAssertion(k: string, x: JsonValue, loc: SchemaLocation, schema: JsonObject): JsonValue {
  if (k === 'pattern') {
    if (typeof x !== 'string') throw new WsgenError(E.META, 'pattern must be a string', loc, 'write a regular expression string');
    checkPortablePattern(x, loc);
  } else if (k === 'format') {
    checkStringFormat(x, loc);
    // wsgen's date-time is a wire profile (uppercase T and Z, no leap second), narrower than RFC 3339: asserted only where the
    // schema says the value is a string, as in typed parts (a bare {"format": "date-time"} would judge other values apart from the standard).
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const stringOrNull = types.includes('string') && types.every((t) => t === 'string' || t === 'null');
    if (x === 'date-time' && !stringOrNull) throw refused('format', loc, 'date-time without "type": "string" (or ["string", "null"]) beside it: its wire profile is narrower than RFC 3339', 'add "type": "string"');
  } else if (k === 'type') {
    const names = Array.isArray(x) ? x : [x];
    if (names.length === 0 || !names.every((n) => typeof n === 'string' && TYPE_NAMES.has(n))) throw new WsgenError(E.META, `unknown type ${JSON.stringify(x)}`, loc, 'use null, boolean, object, array, number, string or integer');
  } else if (k === 'const' || k === 'enum') {
    if (k === 'enum' && !Array.isArray(x)) throw new WsgenError(E.META, '"enum" must be an array', loc, 'list the values');
    const big = unsafeInteger(x);
    if (big !== undefined) throw refused(k, loc, `${big} is beyond ±${MAX_SAFE_INTEGER} (2^53 − 1): JavaScript reads JSON integers there rounded`, 'use a string, or an integer within the safe range');
  } else if (typeof x === 'number' && !Number.isFinite(x)) {
    throw new WsgenError(E.META, `"${k}" must be a finite number`, loc, 'write a number');
  } else if (BOUNDS.has(k) && unsafeInteger(x) !== undefined) {
    throw refused(k, loc, `an integer bound beyond ±${MAX_SAFE_INTEGER} (2^53 − 1): JavaScript reads larger JSON integers rounded, Python exactly, so the two would judge values near the bound differently`, 'use a bound within the safe range');
  }
  return x;
}

/** The first integer beyond ±(2^53 − 1) in a JSON value, if any. */
function unsafeInteger(v: JsonValue): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) > MAX_SAFE_INTEGER ? v : undefined;
  const items: readonly JsonValue[] = Array.isArray(v) ? v : isObject(v) ? Object.values(v as JsonObject) : [];
  for (const x of items) {
    const found = unsafeInteger(x);
    if (found !== undefined) return found;
  }
  return undefined;
}
