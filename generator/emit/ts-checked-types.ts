/**
 * TypeScript types of checked values (generator/checked.ts): a checked subschema is judged exactly by ajv and
 * `_keywords.py`, and its TS type is the tightest type its keywords imply that every valid value satisfies
 * (JSON Schema 2020-12 §10.3.1, Validation §6): a superset of the valid values, never narrower. What the type
 * cannot say (`uniqueItems`, `contains`, `not`, `if`, bounds, patterns, formats) only the validator checks.
 *
 * - `type` (a name or a list) → `string`, `number`, `boolean`, `null`, arrays, objects, or their union;
 * - `prefixItems` → a tuple: `[A, B]` with `items: false`, `[A, B?]` when `minItems` is lower, `[A, B, ...C[]]`
 *   with an `items` schema (`...unknown[]` without); `items` alone → `T[]`;
 * - `properties`/`required`/`additionalProperties: false` → an object type, open (`[key: string]: unknown`)
 *   unless closed;
 * - `enum`/`const` → the union of the values' literal types (of any JSON value);
 * - `allOf` → the intersection of its parts; `anyOf`/`oneOf` → the union of the branches;
 * - `$ref` to a named object or alias → its name (the wire form `<Name>Input` when it holds defaults: defaults
 *   are not applied inside checked values); to anything else → the target's own type; a cycle → `unknown`.
 *
 * Anything else is `unknown`. Validation is unchanged: the guards narrow to these types after full validation.
 */
import type { IR } from '../ir.js';
import { type JsonObject, type JsonValue, isObject } from '../load.js';
import { jsLiteral } from '../templates.js';
import { isOfType } from '../type-keyword.js';

/** The TS type of a JSON type name (`integer` is `number`); objects and arrays are refined by their keywords. */
const SCALARS: Readonly<Record<string, string>> = { string: 'string', number: 'number', integer: 'number', boolean: 'boolean', null: 'null' };

/** Keywords that evaluate array items or object keys in place: `unevaluated*` beside them is not what the local keywords leave. */
const IN_PLACE = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', '$ref', 'dependentSchemas', 'contains'];

const has = (o: JsonObject, k: string): boolean => Object.hasOwn(o, k);

/** A property key as TypeScript writes it: bare when it is an ASCII identifier, else a quoted string. */
function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : jsLiteral(name);
}

/** `T[]`, or `Array<T>` when T is no single word. */
function arrayOf(t: string): string {
  return /^\w+$/.test(t) ? `${t}[]` : `Array<${t}>`;
}

/** Whether `text` holds `op` outside brackets and string literals (a union to parenthesize inside an intersection or array). */
function atTopLevel(text: string, op: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      for (i++; i < text.length && text[i] !== "'"; i++) if (text[i] === '\\') i++;
    } else if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === op && depth === 0) return true;
  }
  return false;
}

/** `t` in parentheses when it is a union or an intersection (before `?` of an optional tuple element). */
function grouped(t: string): string {
  return atTopLevel(t, '|') || atTopLevel(t, '&') ? `(${t})` : t;
}

/** The union of `parts` (`unknown` absorbs all, duplicates once, `never` drops out). */
export function unionOf(parts: readonly string[]): string {
  if (parts.includes('unknown')) return 'unknown';
  const kept = [...new Set(parts.filter((p) => p !== 'never'))];
  return kept.length === 0 ? 'never' : kept.join(' | ');
}

/** The intersection of `parts` (`unknown` drops out, `never` absorbs all; a union part in parentheses). */
export function intersectionOf(parts: readonly string[]): string {
  if (parts.includes('never')) return 'never';
  const kept = [...new Set(parts.filter((p) => p !== 'unknown'))];
  if (kept.length === 0) return 'unknown';
  return kept.length === 1 ? kept[0]! : kept.map((p) => (atTopLevel(p, '|') ? `(${p})` : p)).join(' & ');
}

/** The literal type of a JSON value: `'a'`, `1`, `true`, `null`, `[1, 'x']`, `{ a: 1 }` (`{}` as an object without keys). */
export function literalType(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(literalType).join(', ')}]`;
  if (isObject(v)) {
    const entries = Object.entries(v);
    return entries.length ? `{ ${entries.map(([k, x]) => `${key(k)}: ${literalType(x)}`).join('; ')} }` : '{ [key: string]: never }';
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return 'number'; // no JSON number, and no literal type
  return typeof v === 'string' ? jsLiteral(v) : JSON.stringify(v);
}

/**
 * The TS types of the checked subschemas of one IR. `named`: the objects and aliases that hold defaults (their
 * wire form `<Name>Input` is what a checked value holds, as nothing fills it in).
 */
export class CheckedTypes {
  private readonly ir: IR;
  private readonly named: ReadonlySet<string>;
  /** The named object or alias at the location of each checked key. */
  private readonly names = new Map<string, { name: string; alias: boolean }>();
  private readonly memo = new Map<string, string>();
  private readonly reached = new Map<string, ReadonlySet<string>>();

  constructor(ir: IR, named: ReadonlySet<string>) {
    this.ir = ir;
    this.named = named;
    const byLoc = new Map<string, { name: string; alias: boolean }>();
    for (const o of ir.objects) byLoc.set(`${o.loc.file}#${o.loc.pointer}`, { name: o.name, alias: false });
    for (const a of ir.aliases) byLoc.set(`${a.loc.file}#${a.loc.pointer}`, { name: a.name, alias: true });
    for (const [k, loc] of Object.entries(ir.checkedAt)) {
      const n = byLoc.get(`${loc.file}#${loc.pointer}`);
      if (n) this.names.set(k, n);
    }
  }

  /** The TS type of the checked subschema `key` (the type of `{kind: 'checked', key}`). */
  typeOf(key: string): string {
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const t = this.schemaType(this.ir.checked[key] ?? true, new Set([key]), this.names.get(key)?.alias ? key : undefined);
    this.memo.set(key, t);
    return t;
  }

  /**
   * The type of `s`. `seen`: the keys being typed (a `$ref` back to one is `unknown`); `defining`: the key of the
   * alias whose declaration this is, at a direct place (not inside an array, tuple or property), where a `$ref`
   * names an alias only when that alias's declaration cannot lead back to this one at direct places.
   */
  private schemaType(s: JsonValue, seen: ReadonlySet<string>, defining: string | undefined): string {
    if (s === true) return 'unknown';
    if (s === false) return 'never';
    if (!isObject(s)) return 'unknown';
    const parts: string[] = [];
    if (has(s, 'const')) parts.push(this.literals([s.const!], s.type));
    else if (Array.isArray(s.enum)) parts.push(this.literals(s.enum, s.type));
    else parts.push(this.byType(s, seen));
    if (typeof s.$ref === 'string') parts.push(this.refType(s.$ref, seen, defining));
    if (Array.isArray(s.allOf)) for (const x of s.allOf) parts.push(this.schemaType(x, seen, defining));
    for (const k of ['anyOf', 'oneOf'] as const) {
      const list = s[k];
      if (Array.isArray(list)) parts.push(unionOf(list.map((x) => this.schemaType(x, seen, defining))));
    }
    return intersectionOf(parts);
  }

  /** The literal types of the `values` that `type` (absent, a name or a list) lets through. */
  private literals(values: readonly JsonValue[], type: JsonValue | undefined): string {
    const types = type === undefined ? undefined : Array.isArray(type) ? type : [type];
    const kept = values.filter((v) => types === undefined || types.some((t) => typeof t === 'string' && isOfType(v, t)));
    return unionOf(kept.map(literalType));
  }

  /** The type `type` says, with arrays and objects refined by their keywords; `unknown` without `type`. */
  private byType(s: JsonObject, seen: ReadonlySet<string>): string {
    const types = Array.isArray(s.type) ? s.type : typeof s.type === 'string' ? [s.type] : undefined;
    if (types === undefined) return 'unknown';
    return unionOf(types.map((t) => (t === 'array' ? this.arrayType(s, seen) : t === 'object' ? this.objectType(s, seen) : typeof t === 'string' ? (SCALARS[t] ?? 'unknown') : 'unknown')));
  }

  /** `items` after the tuple: `false` (no more items), a schema, or absent (any). `unevaluatedItems` counts where nothing else evaluates items. */
  private restOf(s: JsonObject): JsonValue | undefined {
    if (has(s, 'items')) return s.items;
    const alone = !IN_PLACE.some((k) => has(s, k));
    return alone && has(s, 'unevaluatedItems') ? s.unevaluatedItems : undefined;
  }

  /** An array: a tuple from `prefixItems` (optional from `minItems` on, cut at `maxItems`, a rest element of `items`), else `T[]` of `items`. */
  private arrayType(s: JsonObject, seen: ReadonlySet<string>): string {
    const rest = this.restOf(s);
    const restType = rest === undefined ? 'unknown' : this.schemaType(rest, seen, undefined);
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    if (prefix.length === 0) return restType === 'never' ? '[]' : arrayOf(restType);
    const max = typeof s.maxItems === 'number' ? s.maxItems : Infinity;
    const min = typeof s.minItems === 'number' ? s.minItems : 0;
    const elements = prefix.slice(0, Math.min(prefix.length, max)).map((x, i) => (i >= min ? `${grouped(this.schemaType(x, seen, undefined))}?` : this.schemaType(x, seen, undefined)));
    const more = restType !== 'never' && max > prefix.length ? [`...${arrayOf(restType)}`] : [];
    return `[${[...elements, ...more].join(', ')}]`;
  }

  /** An object: its `properties` (required ones not optional), `required` names it does not define as `unknown`, and an index signature unless closed. */
  private objectType(s: JsonObject, seen: ReadonlySet<string>): string {
    const props = isObject(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
    const lines = Object.entries(props).map(([name, x]) => `${key(name)}${required.has(name) ? '' : '?'}: ${this.schemaType(x, seen, undefined)}`);
    for (const r of required) if (!Object.hasOwn(props, r)) lines.push(`${key(r)}: unknown`);
    const noOthers = s.additionalProperties === false || (!has(s, 'additionalProperties') && s.unevaluatedProperties === false && !IN_PLACE.some((k) => has(s, k)));
    if (!(noOthers && !has(s, 'patternProperties'))) lines.push('[key: string]: unknown');
    return `{ ${lines.join('; ')} }`;
  }

  /**
   * A `$ref` (`#/$defs/<key>`): the named object or alias there, else the target's own type. An object's name
   * only where the target admits objects alone (an object type hoisted from `["object", "null"]` does not say
   * `null`); an alias unless, at a direct place of an alias declaration, it leads back to it at direct places
   * (TypeScript refuses `type A = B | …` when B names A back): its type is written out instead.
   */
  private refType(ref: string, seen: ReadonlySet<string>, defining: string | undefined): string {
    const target = refKey(ref);
    if (target === undefined || !Object.hasOwn(this.ir.checked, target)) return 'unknown';
    const at = this.names.get(target);
    if (at !== undefined && (at.alias ? defining === undefined || !this.directlyReached(target).has(defining) : this.objectsOnly(target, new Set()))) return this.named.has(at.name) ? `${at.name}Input` : at.name;
    if (seen.has(target)) return 'unknown';
    return this.schemaType(this.ir.checked[target]!, new Set([...seen, target]), defining);
  }

  /** The keys that `key` reaches through `$ref`, `allOf`, `anyOf` and `oneOf` alone (the places a TS alias names a type undeferred), itself included. */
  private directlyReached(key: string): ReadonlySet<string> {
    const known = this.reached.get(key);
    if (known !== undefined) return known;
    const out = new Set<string>();
    const visit = (s: JsonValue | undefined): void => {
      if (!isObject(s)) return;
      const k = typeof s.$ref === 'string' ? refKey(s.$ref) : undefined;
      if (k !== undefined && !out.has(k)) {
        out.add(k);
        visit(this.ir.checked[k]);
      }
      for (const list of [s.allOf, s.anyOf, s.oneOf]) if (Array.isArray(list)) list.forEach(visit);
    };
    out.add(key);
    visit(this.ir.checked[key]);
    this.reached.set(key, out);
    return out;
  }

  /** Whether every value the checked subschema `key` admits is an object: its `type` is `"object"`, or that of a `$ref` or an `allOf` part. */
  private objectsOnly(key: string, seen: Set<string>): boolean {
    const s = this.ir.checked[key];
    if (seen.has(key) || !isObject(s)) return false;
    seen.add(key);
    const parts = [s, ...(Array.isArray(s.allOf) ? s.allOf : [])];
    return parts.some((p) => isObject(p) && (p.type === 'object' || (typeof p.$ref === 'string' && refKey(p.$ref) !== undefined && this.objectsOnly(refKey(p.$ref)!, seen))));
  }
}

/** The checked key a `$ref` of the checked document names (`#/$defs/<key>`), else undefined. */
function refKey(ref: string): string | undefined {
  return ref.startsWith('#/$defs/') ? decodeURIComponent(ref.slice('#/$defs/'.length)).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}
