/**
 * Stage 2b: hoist. Inline objects and enums get names (JSON Schema has no names
 * for them; wsgen's targets need one for each model, enum and validator). An
 * inline object (a schema with `properties`) or enum (`enum` of strings, `null`
 * aside) in a property, an array's `items`, an object's `additionalProperties`,
 * or a branch of a `oneOf`/`anyOf` there becomes a named definition, and its
 * place gets a `$ref` to it. The name is the schema's `title` when it has one,
 * else its path from the enclosing type: `PresenceUpdate.properties.users.items`
 * is `PresenceUpdateUsersItem`, `additionalProperties` adds `Value`, and a union
 * branch that is tagged (a required property with a string `const`, the same
 * property in every branch) adds its tag value (`Shape` + `circle` →
 * `ShapeCircle`). A name taken twice is WSGEN_NAME with a hint; wsgen never adds
 * numbered suffixes. Anything else stays inline for the IR builder to judge.
 *
 * The input bundle is never mutated: the result is a new bundle whose `$defs`
 * hold every definition in load order, each followed by the ones hoisted from it
 * (depth first, in schema order), so the output order depends only on the schema.
 */
import { MEMBER_NAME, TYPE_NAME, memberNameOf, typeNameOfKey } from './def-names.js';
import { GeneratorErrorCode as E, ErrorList, WsgenError, pointerJoin } from './errors.js';
import { type Bundle, type JsonObject, type JsonValue, type NamedDef, isObject, keyedObject } from './load.js';
import { CANONICAL_PREFIX } from './normalize.js';

/** Keywords that say what a place is rather than what its value must be: they stay at the place (a property keeps its description and role). */
const PLACE_KEYWORDS = new Set(['description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples', '$comment']);

/** The PascalCase form of a property name or tag value (its ASCII letter and digit runs), or '' when it has none. */
function pascalWords(text: string): string {
  return (text.match(/[A-Za-z0-9]+/g) ?? []).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** Whether a schema is one the hoist names: an inline object or an enum of strings whose member names are distinct (integer enums need member names: they stay inline). */
function hoistable(s: JsonValue): s is JsonObject {
  if (!isObject(s) || s.$ref !== undefined) return false;
  if (isObject(s.properties)) return true;
  if (!Array.isArray(s.enum)) return false;
  const values = s.enum.filter((v) => v !== null);
  if (values.length === 0 || !values.every((v) => typeof v === 'string')) return false;
  // Each value must give a member name of its own (otherwise the enum stays inline, a checked value).
  const names = values.map(memberNameOf);
  return names.every((n) => MEMBER_NAME.test(n)) && new Set(names).size === names.length;
}

/**
 * The inline type without `null`, and whether its place admits `null`. A value is valid against a schema when
 * every keyword accepts it (JSON Schema 2020-12 §7.6), so `null` is admitted only when both `type` (§6.1.1) and
 * `enum` (§6.1.2), those present, admit it: `{"type": ["string", "null"], "enum": ["a", null]}` is the union of
 * the enum `"a"` and `null`; `{"type": "string", "enum": ["a", null]}` and `{"type": ["string", "null"], "enum":
 * ["a"]}` both reject `null`, so the named type drops it and the place stays non-null. `undefined` when neither
 * keyword mentions `null`. A `const` beside them must be `null` too.
 */
function withoutNull(s: JsonObject): { schema: JsonObject; admitsNull: boolean } | undefined {
  const inEnum = Array.isArray(s.enum) && s.enum.includes(null);
  const inType = Array.isArray(s.type) && s.type.includes('null');
  if (!inEnum && !inType) return undefined;
  const out = Object.assign(keyedObject<JsonValue>(), s);
  if (Array.isArray(s.enum)) out.enum = s.enum.filter((v) => v !== null);
  if (Array.isArray(s.type)) {
    const types = s.type.filter((t) => t !== 'null');
    out.type = types.length === 1 ? types[0]! : types;
  }
  const admitsNull = (s.enum === undefined || inEnum) && (s.type === undefined || s.type === 'null' || inType) && (!('const' in s) || s.const === null);
  return { schema: out, admitsNull };
}

/** The tag of a union branch: the one required property whose schema is a string `const`. */
function branchTag(b: JsonValue): { property: string; value: string } | undefined {
  if (!isObject(b) || !isObject(b.properties) || !Array.isArray(b.required)) return undefined;
  const tags = Object.entries(b.properties).filter(([k, p]) => (b.required as JsonValue[]).includes(k) && isObject(p) && typeof p.const === 'string');
  return tags.length === 1 ? { property: tags[0]![0], value: (tags[0]![1] as JsonObject).const as string } : undefined;
}

/** Runs the hoist over a loaded bundle (see the module comment). */
export function hoistInline(bundle: Bundle): Bundle {
  const defs = new Map<string, NamedDef>();
  const hoisted = new Map<string, NamedDef>();
  const taken = new Map<string, string>();
  for (const d of bundle.defs.values()) taken.set(d.name, `${d.file}#${d.pointer}`);

  /** Names the schema at `pointer` (`place` is its path name) and returns the `$ref` that replaces it. */
  const hoist = (s: JsonObject, place: string, file: string, pointer: string, out: NamedDef[]): JsonObject => {
    const title = typeof s.title === 'string' ? typeNameOfKey(s.title) : undefined;
    const name = title !== undefined && TYPE_NAME.test(title) ? title : place;
    const prev = taken.get(name);
    if (prev !== undefined) {
      throw new WsgenError(E.NAME, `the inline schema here is named "${name}" (${title === name ? 'its title' : 'its path'}), which ${prev} already has`, { file, pointer },
        'give the inline schema a "title" of its own, or rename the other type; wsgen never adds numbered suffixes');
    }
    taken.set(name, `${file}#${pointer}`);
    const def = keyedObject<JsonValue>();
    const stub = keyedObject<JsonValue>();
    const nonNull = withoutNull(s);
    for (const [k, v] of Object.entries(nonNull?.schema ?? s)) {
      if (PLACE_KEYWORDS.has(k) || k.startsWith('x-')) stub[k] = v;
      if (!k.startsWith('x-')) def[k] = v;
    }
    const named: NamedDef = { name, schema: def, file, pointer };
    out.push(named);
    named.schema = walk(def, name, file, pointer, out);
    hoisted.set(name, named);
    const ref = { $ref: CANONICAL_PREFIX + name };
    if (nonNull?.admitsNull) stub.anyOf = [ref, { type: 'null' }];
    else Object.assign(stub, ref);
    return stub;
  };

  /** A place that may hold an inline type: hoists it, or walks into it. */
  const place = (s: JsonValue, name: string, file: string, pointer: string, out: NamedDef[]): JsonValue => {
    if (name === '' || !isObject(s)) return s;
    return hoistable(s) ? hoist(s, name, file, pointer, out) : walk(s, name, file, pointer, out);
  };

  /** The branches of a `oneOf`/`anyOf` at a place named `name`: the one non-null branch takes the name, tagged branches add their tag, titled ones take their title. */
  const branches = (alts: JsonValue[], name: string, file: string, pointer: string, out: NamedDef[]): JsonValue[] => {
    const nonNull = alts.filter((a) => !(isObject(a) && a.type === 'null'));
    const tags = nonNull.map(branchTag);
    const tagged = tags.every((t) => t !== undefined && t.property === tags[0]!.property);
    return alts.map((b, i) => {
      const j = nonNull.indexOf(b);
      if (j < 0 || !isObject(b)) return b;
      // The one non-null branch takes the place's name, unless the schema holding the union took it.
      const own = nonNull.length === 1 ? (taken.has(name) ? '' : name) : tagged ? name + pascalWords(tags[j]!.value) : typeof b.title === 'string' ? pascalWords(b.title) : '';
      return place(b, own, file, pointer + '/' + i, out);
    });
  };

  /** Walks a schema's places (properties, items, additionalProperties, union branches), returning a copy with inline types hoisted. */
  const walk = (s: JsonObject, name: string, file: string, pointer: string, out: NamedDef[]): JsonObject => {
    const copy = Object.assign(keyedObject<JsonValue>(), s);
    if (isObject(s.properties)) {
      const props = keyedObject<JsonValue>();
      for (const [k, v] of Object.entries(s.properties)) {
        const words = pascalWords(k);
        props[k] = words === '' ? v : place(v, name + words, file, pointerJoin(pointer, 'properties', k), out);
      }
      copy.properties = props;
    }
    if (s.items !== undefined) copy.items = place(s.items, name + 'Item', file, pointerJoin(pointer, 'items'), out);
    if (s.additionalProperties !== undefined) copy.additionalProperties = place(s.additionalProperties, name + 'Value', file, pointerJoin(pointer, 'additionalProperties'), out);
    for (const k of ['oneOf', 'anyOf'] as const) {
      const alts = s[k];
      if (Array.isArray(alts)) copy[k] = branches(alts, name, file, pointerJoin(pointer, k), out);
    }
    return copy;
  };

  // Every definition's first name clash in one run (issue 9 "All errors in one run"); the stages after wait for a clean hoist.
  const errors = new ErrorList();
  for (const d of bundle.defs.values()) {
    errors.attempt(() => {
      const out: NamedDef[] = [];
      const parent: NamedDef = { ...d, schema: isObject(d.schema) ? walk(d.schema, d.name, d.file, d.pointer, out) : d.schema };
      defs.set(d.name, parent);
      for (const h of out) defs.set(h.name, h);
    });
  }
  errors.throwIfAny();
  if (hoisted.size === 0) return bundle;
  return {
    ...bundle,
    defs,
    resolveRef(ref, file, pointer) {
      if (ref.startsWith(CANONICAL_PREFIX)) {
        const h = hoisted.get(ref.slice(CANONICAL_PREFIX.length));
        if (h) return h;
      }
      return bundle.resolveRef(ref, file, pointer);
    },
    locateRef(ref, file, pointer) {
      const h = ref.startsWith(CANONICAL_PREFIX) ? hoisted.get(ref.slice(CANONICAL_PREFIX.length)) : undefined;
      return h ? { file: h.file, pointer: h.pointer, schema: h.schema } : bundle.locateRef(ref, file, pointer);
    },
  };
}
