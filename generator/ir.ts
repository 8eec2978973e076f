/**
 * The intermediate representation: the one model every emitter reads. It is
 * plain data (no functions, no references to the raw schema), ordered as the
 * schema is written, so emitters stay small and output stays deterministic.
 */
import type { ProtocolRoles } from './roles.js';
import type { JsonValue, SchemaLocation } from './types.js';

/** A string format whose exact semantics wsgen implements on every target. */
export type StringFormat = 'date-time' | 'uuid' | 'date' | 'time' | 'duration' | 'email' | 'ipv4' | 'ipv6' | 'uri' | 'uri-reference' | 'iri' | 'iri-reference' | 'uri-template' | 'json-pointer' | 'relative-json-pointer';

/** The type of a property or alias. */
export type TypeIR =
  | { kind: 'string'; minLength?: number; maxLength?: number; pattern?: string; format?: StringFormat }
  | { kind: 'integer' | 'number'; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; multipleOf?: number }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'const'; value: string | number | boolean; enum?: string }
  | { kind: 'enum'; name: string }
  | { kind: 'alias'; name: string }
  | { kind: 'object'; name: string }
  | { kind: 'any' }
  /** `format` without `type`: any JSON value, and a string must match the format (JSON Schema 2020-12 §7.1). */
  | { kind: 'formatted'; format: StringFormat }
  | { kind: 'record'; values: TypeIR }
  | { kind: 'array'; items: TypeIR; minItems?: number; maxItems?: number }
  | { kind: 'nullable'; inner: TypeIR }
  /** Any JSON value that the subschema `IR.checked[key]` accepts (checked.ts: JSON Schema 2020-12 decides, on both targets). */
  | { kind: 'checked'; key: string }
  | UnionTypeIR;

/**
 * `oneOf` or `anyOf` of two or more subschemas (JSON Schema 2020-12 §10.2.1.2–3).
 * `discriminator`: every branch is an object that requires this property with its
 * own string const, so at most one branch can match and the tag picks it.
 * `exclusive`: no value can match two branches (discriminated, or branches of
 * disjoint JSON types), so `oneOf` needs no count of matching branches.
 */
export type UnionTypeIR = {
  kind: 'union';
  mode: 'oneOf' | 'anyOf';
  variants: TypeIR[];
  discriminator?: string;
  exclusive: boolean;
};

/** One member of an enum. */
export interface EnumMemberIR {
  /** UPPER_SNAKE identifier, from the value (string enums) or from the branch title. */
  name: string;
  value: string | number;
  description?: string;
  /** `x-*` extensions of the member, without the `x-` prefix (for example `retryable`). */
  meta: Record<string, JsonValue>;
}

/** A named enum (`enum`, or `oneOf` of `const`). */
export interface EnumIR {
  name: string;
  description?: string;
  valueKind: 'string' | 'integer';
  members: EnumMemberIR[];
  meta: Record<string, JsonValue>;
  loc: SchemaLocation;
}

/** A named scalar or record type (for example Timestamp, MessageId, OpenObject). */
export interface AliasIR {
  name: string;
  description?: string;
  type: TypeIR;
  loc: SchemaLocation;
}

/** A property of an object. */
export interface PropertyIR {
  name: string;
  description?: string;
  required: boolean;
  type: TypeIR;
  default?: JsonValue;
  /**
   * Set by the defaults check (default-check.ts) on an optional property with a `default`: `true` when the
   * parsed message takes the default where the property is absent, else why it stays documentation only
   * (the property's own schema refuses it). Absent until checked: nothing is applied.
   */
  defaultApplied?: true | string;
  /** `x-*` extensions of the property, without the prefix (for example `wsgen-role`). */
  meta: Record<string, JsonValue>;
  loc: SchemaLocation;
  /**
   * Where the `meta` keys it inherits through `allOf` are written (in the base, not under `loc`), and, as
   * `required`, the `required` array of a base that requires it; absent when nothing is inherited.
   * Errors about an inherited annotation point there (origins.ts).
   */
  annotatedAt?: Record<string, SchemaLocation>;
}

/**
 * What an object says beyond its `properties` (JSON Schema 2020-12 §10.3.2, §6.5).
 * `additional`: the type of every key that is neither a property nor matches a
 * pattern; absent when the object is closed (`{kind: 'any'}` when it is open).
 */
export interface ObjectRulesIR {
  additional?: TypeIR;
  /** Every key matching a pattern (an unanchored search) has a value of its type. */
  patternProperties: Array<{ pattern: string; type: TypeIR }>;
  /** The type every key (a string) must have. */
  propertyNames?: TypeIR;
  minProperties?: number;
  maxProperties?: number;
  /** When `property` is present, every one of `requires` must be. */
  dependentRequired: Array<{ property: string; requires: string[] }>;
}

/** An object type (a message type, the envelope, or a nested object): closed unless `rules` say otherwise. */
export interface ObjectIR {
  name: string;
  description?: string;
  properties: PropertyIR[];
  /** Absent: a closed object and nothing more. */
  rules?: ObjectRulesIR;
  /** The discriminator value, for union variants. */
  tag?: string;
  /**
   * The object this one narrows (its single `allOf` base). The properties above
   * are already complete; emitters may use the base to share code (TS `extends`,
   * one shared field validator) without changing what is accepted.
   */
  base?: string;
  /**
   * `true` when some object includes this one through `allOf` (as its single base, as one `$ref` of several, or
   * deeper in a chain of allOf): the annotations written here (roles) are those of the types that include it.
   */
  isBase?: true;
  /** `x-*` extensions of the object, without the prefix (for example `direction`). */
  meta: Record<string, JsonValue>;
  loc: SchemaLocation;
  /** Where the `meta` keys it inherits through `allOf` are written (in the base, not under `loc`); absent when nothing is inherited. */
  annotatedAt?: Record<string, SchemaLocation>;
}

/** The root union, discriminated on one property. */
export interface UnionIR {
  name: string;
  description?: string;
  discriminator: string;
  /** In schema order. */
  variants: Array<{ tag: string; object: string }>;
  loc: SchemaLocation;
}

/**
 * The root of the schema. `tagged`: a `oneOf` of `$ref`s with a `discriminator` (IR.union),
 * what the runtimes need. Otherwise the root is the named type `name` of kind `kind`
 * (an object, an enum, or an alias of any other type): it still gets types,
 * validators, models and parse functions.
 */
export type RootIR = { tagged: true; name: string } | { tagged: false; name: string; kind: 'object' | 'enum' | 'alias' };

/** Everything the emitters need. */
export interface IR {
  /** Protocol version (`x-wsgen-version` of the root, or 0.0.0). */
  version: string;
  /** SHA-256 of the canonical schema: every change, documentation included (banners, drift). */
  hash: string;
  /** SHA-256 of the canonical schema without annotations (semantic-hash.ts): changes only when what validation reads changes (SCHEMA_HASH, the handshake). */
  semanticHash: string;
  /** The root schema file, relative to the schema folder. */
  rootFile: string;
  enums: EnumIR[];
  aliases: AliasIR[];
  objects: ObjectIR[];
  /** The root union the runtimes need; absent when the root is any other schema (see `root`). */
  union?: UnionIR;
  /** The root of the schema: its type name, and whether it is the tagged union `union` (issue 9 row 11). */
  root: RootIR;
  /**
   * The checked subschemas (checked.ts) as the `$defs` of one self-contained document: every `$ref` in it is
   * `#/$defs/<key>`. Empty when every type is typed.
   */
  checked: Record<string, JsonValue>;
  /** Where each checked subschema sits in the schema (for errors). */
  checkedAt: Record<string, SchemaLocation>;
  /** The runtime roles, priorities and capabilities declared with `x-wsgen-*` annotations (see roles.ts). */
  roles: ProtocolRoles;
}

/** The type of the root of a schema that is no tagged union (undefined for a tagged root). */
export function rootType(ir: Pick<IR, 'root'>): TypeIR | undefined {
  return ir.root.tagged ? undefined : { kind: ir.root.kind, name: ir.root.name };
}

/** The variants of the root union (none when the root is no tagged union). */
export function rootVariantsOf(ir: Pick<IR, 'union'>): UnionIR['variants'] {
  return ir.union?.variants ?? [];
}

/** Looks a named object up; emitters use it to walk variants. */
export function objectByName(ir: IR, name: string): ObjectIR {
  let index = objectIndex.get(ir.objects);
  if (index === undefined || index.size !== ir.objects.length) {
    // The first object of each name, as a linear search finds it; rebuilt when the list grew (emitters call this per variant: a search each time was quadratic).
    index = new Map();
    for (const x of ir.objects) if (!index.has(x.name)) index.set(x.name, x);
    objectIndex.set(ir.objects, index);
  }
  const o = index.get(name);
  if (!o) throw new Error(`internal: no object ${name} in IR`);
  return o;
}

/** {@link objectByName}'s index of each IR's object list by name. */
const objectIndex = new WeakMap<readonly ObjectIR[], Map<string, ObjectIR>>();

/** Whether two IR types are the same (emitters use it to find what a type changes in its base). */
export function sameType(a: TypeIR, b: TypeIR): boolean {
  return a === b || (a.kind === b.kind && typeJson(a) === typeJson(b));
}

/** Each type's JSON, written once: emitters compare every property of every type with its base's (IR types are never mutated after buildIR). */
const typeJsons = new WeakMap<TypeIR, string>();

function typeJson(t: TypeIR): string {
  let json = typeJsons.get(t);
  if (json === undefined) typeJsons.set(t, (json = JSON.stringify(t)));
  return json;
}

/** Properties whose values the schema leaves open (any JSON, records): the ones depth limits apply to. */
export function isOpenType(ir: IR, t: TypeIR): boolean {
  switch (t.kind) {
    case 'any':
    case 'formatted':
    case 'record':
    case 'array':
    case 'checked':
      return true;
    case 'nullable':
      return isOpenType(ir, t.inner);
    case 'union':
      return t.variants.some((v) => isOpenType(ir, v));
    case 'alias': {
      const a = ir.aliases.find((x) => x.name === t.name);
      return a ? isOpenType(ir, a.type) : false;
    }
    default:
      return false;
  }
}

/** The named objects and aliases a type refers to directly (through arrays, records and nullables, not through other names), in order. */
export function namedTypeRefs(t: TypeIR, out: Array<{ kind: 'object' | 'alias'; name: string }> = []): Array<{ kind: 'object' | 'alias'; name: string }> {
  switch (t.kind) {
    case 'object':
    case 'alias':
      out.push({ kind: t.kind, name: t.name });
      break;
    case 'array':
      namedTypeRefs(t.items, out);
      break;
    case 'record':
      namedTypeRefs(t.values, out);
      break;
    case 'nullable':
      namedTypeRefs(t.inner, out);
      break;
    case 'union':
      for (const v of t.variants) namedTypeRefs(v, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * The names of the objects and aliases that `types` reach: the named ones among them, and through
 * those every property, object rule (ruleTypes), alias target and base (`ObjectIR.base`), transitively.
 * An IR cut down to these names still holds every type a validator of `types` refers to.
 */
export function reachableNames(ir: Pick<IR, 'objects' | 'aliases'>, types: readonly TypeIR[]): Set<string> {
  const objects = new Map<string, ObjectIR>();
  for (const o of ir.objects) if (!objects.has(o.name)) objects.set(o.name, o);
  const aliases = new Map(ir.aliases.map((a) => [a.name, a]));
  const refs = (ts: readonly TypeIR[]): string[] => ts.flatMap((t) => namedTypeRefs(t).map((r) => r.name));
  const seen = new Set<string>();
  const stack = refs(types);
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const o = objects.get(n);
    if (o) stack.push(...refs([...o.properties.map((p) => p.type), ...ruleTypes(o)]), ...(o.base !== undefined ? [o.base] : []));
    const a = aliases.get(n);
    if (a) stack.push(...refs([a.type]));
  }
  return seen;
}

/** Orders strings by UTF-16 code units, the same on every machine and locale (unlike localeCompare). */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Every type nested in `t` (itself included), through arrays, records, nullables and unions, not through names. */
export function nestedTypes(t: TypeIR, out: TypeIR[] = []): TypeIR[] {
  out.push(t);
  if (t.kind === 'array') nestedTypes(t.items, out);
  else if (t.kind === 'record') nestedTypes(t.values, out);
  else if (t.kind === 'nullable') nestedTypes(t.inner, out);
  else if (t.kind === 'union') for (const v of t.variants) nestedTypes(v, out);
  return out;
}

/** The properties some tagged union selects its branch by, as `object + "\u0000" + property` (the root union's included). */
export function discriminatorFields(ir: Pick<IR, 'objects' | 'aliases' | 'union'>): Set<string> {
  const u = ir.union;
  const out = new Set<string>(u ? u.variants.map((v) => `${v.object}\u0000${u.discriminator}`) : []);
  const all = [...ir.objects.flatMap((o) => o.properties.map((p) => p.type)), ...ir.aliases.map((a) => a.type)];
  for (const t of all.flatMap((x) => nestedTypes(x))) {
    if (t.kind !== 'union' || t.discriminator === undefined) continue;
    for (const v of t.variants) if (v.kind === 'object') out.add(`${v.name}\u0000${t.discriminator}`);
  }
  return out;
}

/** The named types each type refers to directly (see namedTypeRefs), by name: objects through their properties. */
function typeEdges(ir: Pick<IR, 'objects' | 'aliases'>): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const o of ir.objects) edges.set(o.name, [...o.properties.map((p) => p.type), ...ruleTypes(o)].flatMap((t) => namedTypeRefs(t).map((r) => r.name)));
  for (const a of ir.aliases) edges.set(a.name, namedTypeRefs(a.type).map((r) => r.name));
  return edges;
}

/**
 * The objects and aliases that contain themselves, directly or through other
 * types (a tree node, the alias of a union that a node holds): the names whose
 * validators call themselves and whose values nest as deep as a message does.
 */
export function recursiveTypes(ir: Pick<IR, 'objects' | 'aliases'>): Set<string> {
  const reach = reachability(ir);
  return new Set([...reach.keys()].filter((n) => reach.get(n)!.has(n)));
}

/** For each object and alias, every named type it reaches through properties and aliases (itself only when it contains itself). */
export function reachability(ir: Pick<IR, 'objects' | 'aliases'>): Map<string, Set<string>> {
  const edges = typeEdges(ir);
  const out = new Map<string, Set<string>>();
  for (const start of edges.keys()) {
    const seen = new Set<string>();
    const stack = [...(edges.get(start) ?? [])];
    while (stack.length) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(edges.get(n) ?? []));
    }
    out.set(start, seen);
  }
  return out;
}

/** The first cycle made of aliases only (in name order), with the location of its first alias; `undefined` when there is none. */
export function aliasCycle(aliases: readonly AliasIR[]): { names: string[]; loc: AliasIR['loc'] } | undefined {
  const byName = new Map(aliases.map((a) => [a.name, a]));
  const edges = typeEdges({ objects: [], aliases: [...aliases] });
  for (const [name, to] of edges) edges.set(name, to.filter((n) => byName.has(n)));
  const path: string[] = [];
  const done = new Set<string>();
  const visit = (name: string): string[] | undefined => {
    const at = path.indexOf(name);
    if (at !== -1) return [...path.slice(at), name];
    if (done.has(name)) return undefined;
    path.push(name);
    for (const n of edges.get(name) ?? []) {
      const found = visit(n);
      if (found) return found;
    }
    path.pop();
    done.add(name);
    return undefined;
  };
  for (const name of [...edges.keys()].sort(byCodeUnit)) {
    const names = visit(name);
    if (names) return { names, loc: byName.get(names[0]!)!.loc };
  }
  return undefined;
}

/**
 * The properties of an object that can hold a recursive type (at any depth of
 * their value): the ones whose nesting the targets bound before validating.
 */
export function recursiveFields(ir: Pick<IR, 'objects' | 'aliases'>, o: ObjectIR, reach: Map<string, Set<string>> = reachability(ir)): PropertyIR[] {
  let rec = recursiveByReach.get(reach);
  if (rec === undefined) recursiveByReach.set(reach, (rec = new Set([...reach.keys()].filter((n) => reach.get(n)!.has(n)))));
  if (rec.size === 0) return [];
  const found = rec;
  return o.properties.filter((p) => namedTypeRefs(p.type).some(({ name }) => found.has(name) || [...(reach.get(name) ?? [])].some((n) => found.has(n))));
}

/** The recursive types of each reachability map {@link recursiveFields} was given (emitters pass one map for every object: computing the set per object was quadratic). */
const recursiveByReach = new WeakMap<Map<string, Set<string>>, Set<string>>();

/** The types an object's rules hold (other keys' values, pattern values, property names). */
export function ruleTypes(o: ObjectIR): TypeIR[] {
  const r = o.rules;
  if (!r) return [];
  return [...(r.additional ? [r.additional] : []), ...r.patternProperties.map((p) => p.type), ...(r.propertyNames ? [r.propertyNames] : [])];
}
