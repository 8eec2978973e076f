/**
 * Stage 3: normalize. Flattens every object definition written with `allOf`
 * (a base plus per-type narrowing) into one closed object, intersecting the
 * constraints of each property. `false` property schemas remove a field. The
 * result is new, frozen-free JSON; the input bundle is never mutated.
 */
import { GeneratorErrorCode as E, ErrorList, WsgenError, pointerJoin } from './errors.js';
import { type Bundle, type JsonObject, type JsonValue, LOCATION_REF_PREFIX, isObject, keyedObject } from './load.js';
import { isCheckedFallback } from './checked.js';
import { type FlatBase, type Origins, inheritedOrigins } from './origins.js';
import { SCHEMA_KEYWORDS, SCHEMA_LIST_KEYWORDS, SCHEMA_MAP_KEYWORDS } from './subschemas.js';
import type { SchemaLocation } from './types.js';

/** A definition after flattening, with where it came from. */
export interface NormalizedDef {
  name: string;
  schema: JsonObject;
  loc: SchemaLocation;
  /** Whether some definition includes this one through `allOf` (any entry of it, at any depth of a chain). */
  isBase: boolean;
  /** The one named object this definition extends through `allOf`, when it has exactly one. */
  base?: string;
  /** Where the annotations and required names it inherits through `allOf` are written (origins.ts); empty without allOf. */
  origins: Origins;
}

/** The normalized schema: every named definition, flat, in load order. */
export interface Normalized {
  defs: Map<string, NormalizedDef>;
  /** Definitions that cannot be flattened into a typed definition, with the reason: used only inside checked subschemas. */
  untyped: Map<string, WsgenError>;
  /**
   * The definitions each definition applies in place with a `$ref` at its top: beside `properties` (refused: see
   * {@link inPlaceRef}; also recorded for the definitions that include it through allOf), or alone (an alias).
   */
  inPlaceRefs: Map<string, Set<string>>;
  root: { name: string; schema: JsonObject; loc: SchemaLocation };
}

/** Prefix of canonical $refs after normalization: `wsgen:` plus a global type name. */
export const CANONICAL_PREFIX = 'wsgen:';

const at = (loc: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...tokens) });

const ANNOTATIONS = new Set(['title', 'description', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
/** Annotations that describe one schema (JSON Schema 2020-12 §9.1–9.5): a type narrowing an allOf base does not inherit them. */
const OWN_WORDS = ['title', 'description', 'examples', '$comment'] as const;
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems']);

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Intersects two schemas that both apply to one value (allOf semantics). The
 * second one's annotations win. Conflicts that cannot be expressed as one
 * schema raise WSGEN_MERGE at `loc`.
 */
export function intersect(a: JsonObject, b: JsonObject, loc: SchemaLocation): JsonObject {
  const out: Record<string, JsonValue> = Object.assign(keyedObject<JsonValue>(), a);
  for (const [k, bv] of Object.entries(b)) {
    const av = out[k];
    if (av === undefined || ANNOTATIONS.has(k) || k.startsWith('x-')) {
      out[k] = bv;
      continue;
    }
    if (LOWER_BOUNDS.has(k)) out[k] = Math.max(av as number, bv as number);
    else if (UPPER_BOUNDS.has(k)) out[k] = Math.min(av as number, bv as number);
    else if (k === 'type' && av === 'number' && bv === 'integer') out[k] = 'integer';
    else if (k === 'type' && av === 'integer' && bv === 'number') out[k] = 'integer';
    else if (k === 'enum' && Array.isArray(av) && Array.isArray(bv)) {
      out[k] = av.filter((x) => bv.some((y) => deepEqual(x, y)));
    } else if (!deepEqual(av, bv)) {
      throw new WsgenError(E.MERGE, `"${k}" is ${JSON.stringify(av)} in the base and ${JSON.stringify(bv)} here; wsgen cannot intersect them`, loc,
        'make both sides agree, or narrow with a keyword that can be intersected (minimum, maxLength, const, ...)');
    }
  }
  // A const narrows an enum (and an enum reference) to one value.
  if ('const' in out && Array.isArray(out.enum)) {
    if (!out.enum.some((x) => deepEqual(x, out.const))) {
      throw new WsgenError(E.MERGE, `const ${JSON.stringify(out.const)} is not one of the enum's values`, loc, 'pick a value the enum lists');
    }
    delete out.enum;
  }
  return out;
}

/**
 * A definition that includes itself through allOf. Such a cycle is an in-place `$ref` cycle, which ref-cycles.ts
 * refuses before normalize, at its closing `$ref`; normalize meets one only in the pass that lists a refused schema's
 * later errors (index.ts), where it stops the recursion. Every definition on the cycle, or including one, fails with
 * it (a checked fallback, as any unresolvable `$ref`); index.ts leaves it out of that pass's errors, which only follows
 * from the cycle already reported.
 */
export class AllOfCycle extends WsgenError {
  constructor(name: string, loc: SchemaLocation) {
    super(E.REF, `"${name}" includes itself through allOf`, loc, 'break the allOf cycle');
  }
}

/**
 * A `$ref` beside `properties` applies its target in place, as one entry of `allOf` would (JSON Schema 2020-12
 * §8.2.3.1, §10.2.1.1); wsgen reads object composition from `allOf` only, so it is refused with that workaround.
 */
function inPlaceRef(raw: JsonObject, loc: SchemaLocation): WsgenError {
  const ref = JSON.stringify(raw.$ref);
  return new WsgenError(E.UNSUPPORTED, '"$ref" beside "properties": JSON Schema applies the referenced schema in place, as allOf, and wsgen reads object composition from "allOf" only',
    at(loc, '$ref'), `write "allOf": [{"$ref": ${ref}}] beside the properties (and "unevaluatedProperties": false to close the object over both)`);
}

/** The definitions `names` apply in place through top-level `$ref`s, transitively ({@link Normalized.inPlaceRefs}). */
export function appliedInPlace(norm: Pick<Normalized, 'inPlaceRefs'>, names: Iterable<string>): Set<string> {
  const out = new Set<string>();
  const stack = [...names];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) for (const t of norm.inPlaceRefs.get(n) ?? []) if (!out.has(t)) stack.push(t), out.add(t);
  return out;
}

/** Runs normalize over a loaded bundle. */
export function normalize(bundle: Bundle): Normalized {
  const bases = new Set<string>();
  const baseOf = new Map<string, string>();
  const flat = new Map<string, JsonObject>();
  const inProgress = new Set<string>();
  const originsOf = new Map<string, Origins>();
  const inPlaceRefs = new Map<string, Set<string>>();
  const defAt = new Map([...bundle.defs.values()].map((d) => [`${d.file}#${d.pointer}`, d]));

  const flatten = (name: string): JsonObject => {
    const done = flat.get(name);
    if (done) return done;
    const def = bundle.defs.get(name)!;
    const loc = { file: def.file, pointer: def.pointer };
    if (inProgress.has(name)) throw new AllOfCycle(name, loc);
    inProgress.add(name);
    let result: JsonObject;
    try {
      result = flattenSchema(def.schema, loc, name);
    } finally {
      inProgress.delete(name);
    }
    flat.set(name, result);
    return result;
  };

  /**
   * Rewrites every `$ref` (in subschema positions: never inside `const`, `enum` or other data) to a canonical form:
   * `wsgen:Name` for a `$defs` entry, so flattened properties keep pointing at the right type whatever file they
   * move to; `wsgen-at:file#pointer` for any other target (a checked subschema copies it, see checked.ts).
   */
  const canonicalRefs = (v: JsonValue, loc: SchemaLocation): JsonValue => {
    if (!isObject(v)) return v;
    const out = Object.assign(keyedObject<JsonValue>(), v);
    if (typeof v.$ref === 'string') out.$ref = canonicalRef(v.$ref, loc);
    for (const [k, x] of Object.entries(v)) {
      if (SCHEMA_KEYWORDS.has(k)) out[k] = canonicalRefs(x, at(loc, k));
      else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(x)) out[k] = x.map((y, i) => canonicalRefs(y, at(loc, k, i)));
      else if (SCHEMA_MAP_KEYWORDS.has(k) && isObject(x)) {
        const m = keyedObject<JsonValue>();
        for (const [name, y] of Object.entries(x)) m[name] = canonicalRefs(y, at(loc, k, name));
        out[k] = m;
      }
    }
    return out;
  };

  const canonicalRef = (ref: string, loc: SchemaLocation): string => {
    const t = bundle.locateRef(ref, loc.file, loc.pointer);
    const def = defAt.get(`${t.file}#${t.pointer}`);
    return def ? CANONICAL_PREFIX + def.name : `${LOCATION_REF_PREFIX}${t.file}#${t.pointer}`;
  };

  const flattenSchema = (raw: JsonValue, loc: SchemaLocation, name: string): JsonObject => {
    const schema = canonicalRefs(raw, loc);
    if (!isObject(schema)) {
      throw new WsgenError(E.UNSUPPORTED, 'a boolean schema cannot be a named type', loc, 'write an object schema');
    }
    if (typeof schema.$ref === 'string' && schema.$ref.startsWith(CANONICAL_PREFIX)) {
      // Every definition being flattened applies the target: this one, and those that include it through allOf.
      for (const n of inProgress) inPlaceRefs.set(n, (inPlaceRefs.get(n) ?? new Set()).add(schema.$ref.slice(CANONICAL_PREFIX.length)));
    }
    if (typeof schema.$ref === 'string' && isObject(schema.properties)) throw inPlaceRef(raw as JsonObject, loc);
    if (!Array.isArray(schema.allOf)) {
      if (schema.unevaluatedProperties === false && schema.additionalProperties === undefined) {
        const { unevaluatedProperties: _drop, ...rest } = schema;
        return { ...rest, additionalProperties: false };
      }
      return schema;
    }
    let acc: JsonObject = {};
    const flatBases: FlatBase[] = [];
    const parts = schema.allOf;
    parts.forEach((part, i) => {
      const ploc = { file: loc.file, pointer: pointerJoin(loc.pointer, 'allOf', i) };
      if (!isObject(part) || typeof part.$ref !== 'string' || Object.keys(part).length !== 1) {
        throw new WsgenError(E.UNSUPPORTED, 'allOf entries must be plain {"$ref": ...} to a named object', ploc,
          'move the inline subschema into the object itself, or into $defs');
      }
      const target = bundle.resolveRef(part.$ref, loc.file, ploc.pointer);
      bases.add(target.name);
      if (parts.length === 1) baseOf.set(name, target.name);
      const flatBase = flatten(target.name);
      const baseDef = bundle.defs.get(target.name)!;
      flatBases.push({ schema: flatBase, loc: { file: baseDef.file, pointer: baseDef.pointer }, origins: originsOf.get(target.name) ?? new Map() });
      acc = mergeObjects(acc, flatBase, ploc);
    });
    const { allOf: _a, unevaluatedProperties, ...own } = schema;
    originsOf.set(name, inheritedOrigins(flatBases, own));
    const merged = mergeObjects(acc, own, loc);
    if (own.additionalProperties === false) return closeOverOwn(merged, own, loc);
    if (unevaluatedProperties === false) return { ...merged, additionalProperties: false };
    if (unevaluatedProperties !== undefined) {
      throw new WsgenError(E.UNSUPPORTED, 'unevaluatedProperties other than false', { file: loc.file, pointer: pointerJoin(loc.pointer, 'unevaluatedProperties') },
        'use unevaluatedProperties: false (closed object); open records are written as additionalProperties');
    }
    if (merged.additionalProperties === false) {
      // A closed base inside allOf rejects every key it does not list, this schema's own included (§10.3.2.3).
      throw new WsgenError(E.UNSUPPORTED, 'an allOf base with "additionalProperties": false, narrowed without closing this object: the base rejects every key it does not list',
        { file: loc.file, pointer: pointerJoin(loc.pointer, 'allOf') }, 'close this object with "unevaluatedProperties": false (over the base\'s and its own properties), or open the base');
    }
    const { additionalProperties: _x, ...open } = merged;
    return open;
  };

  /**
   * `additionalProperties: false` beside `allOf` sees only the sibling `properties`
   * (JSON Schema 2020-12 §10.3.2.3): every key the base adds is forbidden, however
   * the base defines it. The object keeps the keys of its own `properties`; a key
   * the base requires and this schema forbids makes every value invalid, and is refused.
   */
  const closeOverOwn = (merged: JsonObject, own: JsonObject, loc: SchemaLocation): JsonObject => {
    const ownProps = isObject(own.properties) ? own.properties : {};
    const props = keyedObject<JsonValue>();
    for (const [k, v] of Object.entries(merged.properties as JsonObject)) if (Object.hasOwn(ownProps, k)) props[k] = v;
    const required = ((merged.required as string[] | undefined) ?? []);
    const lost = required.find((r) => !(r in props));
    if (lost !== undefined) {
      throw new WsgenError(E.UNSUPPORTED, `"${lost}" is required by the allOf base, and "additionalProperties": false here forbids it (it sees only this schema's own properties), so no value is valid`,
        at(loc, 'additionalProperties'), 'to close the object over the base\'s properties too, write "unevaluatedProperties": false instead; or list the base\'s properties here');
    }
    return { ...merged, properties: props, additionalProperties: false };
  };

  const mergeObjects = (base: JsonObject, own: JsonObject, loc: SchemaLocation): JsonObject => {
    const { properties: bp, required: br, ...brest } = base;
    const { properties: op, required: or, ...orest } = own;
    const props: Record<string, JsonValue> = Object.assign(keyedObject<JsonValue>(), isObject(bp) ? bp : {});
    if (isObject(op)) {
      for (const [k, v] of Object.entries(op)) {
        const ploc = { file: loc.file, pointer: pointerJoin(loc.pointer, 'properties', k) };
        if (v === false) delete props[k];
        else if (v === true) {
          // true adds nothing to a base's schema of the key, and allows any value where the base has none.
          if (!(k in props)) props[k] = true;
        }
        else if (isObject(props[k]) && isObject(v)) props[k] = intersect(props[k] as JsonObject, v, ploc);
        else props[k] = v;
      }
    }
    const required = [...new Set([...(Array.isArray(br) ? br : []), ...(Array.isArray(or) ? or : [])])] as string[];
    // A name removed with false can never be present; one no schema defines is the IR's business (undeclared-required.ts).
    const removed = new Set(isObject(op) ? Object.keys(op).filter((k) => op[k] === false) : []);
    for (const r of required) {
      if (removed.has(r)) {
        throw new WsgenError(E.REQUIRED, `"${r}" is required but removed with false here, so no value can be valid`, { file: loc.file, pointer: pointerJoin(loc.pointer, 'required') },
          `define "${r}" under properties, or drop it from required`);
      }
    }
    // The base's words describe the base: a type that narrows it keeps only its own (a field keeps the base's, above).
    const baseRest: JsonObject = Object.fromEntries(Object.entries(brest).filter(([k]) => !(OWN_WORDS as readonly string[]).includes(k)));
    const rest = intersect(baseRest, orest, loc);
    return { ...rest, type: 'object', properties: props, ...(required.length ? { required } : {}) };
  };

  const defs = new Map<string, NormalizedDef>();
  const untyped = new Map<string, WsgenError>();
  // Every definition's first error in one run (issue 9 "All errors in one run"); the IR waits for a complete normalization.
  const errors = new ErrorList();
  for (const name of bundle.defs.keys()) {
    const d = bundle.defs.get(name)!;
    let schema: JsonObject;
    try {
      schema = flatten(name);
    } catch (err) {
      // A definition no typed path can express stays a checked subschema where it is used (checked.ts).
      if (isCheckedFallback(err)) untyped.set(name, err);
      else if (err instanceof WsgenError) errors.add(err);
      else throw err;
      continue;
    }
    const base = baseOf.get(name);
    defs.set(name, { name, schema, loc: { file: d.file, pointer: d.pointer }, isBase: false, ...(base ? { base } : {}), origins: originsOf.get(name) ?? new Map() });
  }
  errors.throwIfAny();
  for (const b of bases) { const d = defs.get(b); if (d) d.isBase = true; }

  const rootJson = bundle.root.json;
  const rootName = typeof rootJson.title === 'string' ? rootJson.title : 'Message';
  return { defs, untyped, inPlaceRefs, root: { name: rootName, schema: rootJson, loc: { file: bundle.root.file, pointer: '' } } };
}
