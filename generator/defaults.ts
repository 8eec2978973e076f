/**
 * Where the schema's `default` values apply (issue 9 row 12). A `default` on an
 * optional property of a typed object (IR object types, at any depth) is the value
 * the parsed message holds when the property is absent, on both targets. JSON
 * Schema 2020-12 §9.2 makes `default` an annotation; wsgen applies it after
 * validation, to the wire value as sent, so it never changes a verdict.
 *
 * Not applied (annotation only, on both targets alike): a default that the
 * property's own schema refuses (default-check.ts judges it; JSON Schema allows it
 * as an annotation, and a parsed message must stay valid), a `default` on a required
 * property (it is never absent), on the definition of an alias, enum or object
 * itself (only the property's own keyword counts), inside a checked subschema
 * (checked.ts: JSON Schema as written, as ajv without `useDefaults` reads it), and
 * inside the values of keys an object does not declare (additionalProperties,
 * patternProperties: both targets keep them as sent). None of them is dropped
 * silently: default-notices.ts warns about each (WSGEN_DEFAULT_INVALID,
 * WSGEN_DEFAULT_IGNORED).
 */
import { GeneratorErrorCode, WsgenError } from './errors.js';
import type { IR, PropertyIR, TypeIR, UnionTypeIR } from './ir.js';
import { MAX_SAFE_INTEGER } from './numbers.js';
import type { JsonValue } from './types.js';

/** A property whose default applies: optional, with a `default` that the defaults check accepted (default-check.ts). */
export function appliesDefault(p: PropertyIR): p is PropertyIR & { default: JsonValue } {
  return p.defaultApplied === true && !p.required && p.default !== undefined;
}

/** A property whose default the defaults check has to judge: optional, with a `default`. */
export function hasOptionalDefault(p: PropertyIR): p is PropertyIR & { default: JsonValue } {
  return !p.required && p.default !== undefined;
}

/** The `@default` tag of a property's TSDoc or docstring, saying why a default is not applied when it is not. */
export function defaultTag(p: PropertyIR): string | undefined {
  if (p.default === undefined) return undefined;
  const why = typeof p.defaultApplied === 'string' ? ` (not applied: ${p.defaultApplied})` : '';
  return `@default ${JSON.stringify(p.default)}${why}`;
}

/**
 * The objects and aliases whose parsed value can differ from the wire value (a
 * default applies in them, at any depth of their declared properties): the types
 * that get a parsed and an input form in TypeScript. Computed as a fixed point, so
 * recursive types are included when some level of them holds a default.
 */
export function defaultedTypes(ir: Pick<IR, 'objects' | 'aliases'>, applies: (p: PropertyIR) => boolean = appliesDefault): Set<string> {
  const out = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const o of ir.objects) {
      if (!out.has(o.name) && o.properties.some((p) => applies(p) || reaches(p.type, out))) {
        out.add(o.name);
        changed = true;
      }
    }
    for (const a of ir.aliases) {
      if (!out.has(a.name) && reaches(a.type, out)) {
        out.add(a.name);
        changed = true;
      }
    }
  }
  return out;
}

/** Whether a value of type `t` holds a place where a default applies (given the named types known to). */
export function reaches(t: TypeIR, named: ReadonlySet<string>): boolean {
  switch (t.kind) {
    case 'object':
    case 'alias':
      return named.has(t.name);
    case 'array':
      return reaches(t.items, named);
    case 'record':
      return reaches(t.values, named);
    case 'nullable':
      return reaches(t.inner, named);
    case 'union':
      return t.variants.some((v) => reaches(v, named));
    default:
      return false;
  }
}

/** The first integer in `v` beyond ±(2^53 − 1), which JavaScript would hold rounded and Python exactly. */
export function unsafeInteger(v: JsonValue): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) > MAX_SAFE_INTEGER ? v : undefined;
  if (Array.isArray(v)) {
    for (const x of v) {
      const found = unsafeInteger(x);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (v !== null && typeof v === 'object') return unsafeInteger(Object.values(v));
  return undefined;
}

/** The one string value a type allows (a string const, or an enum of one member, through aliases), if it allows exactly one. */
function singleString(ir: Pick<IR, 'aliases' | 'enums'>, t: TypeIR): string | undefined {
  if (t.kind === 'const') return typeof t.value === 'string' ? t.value : undefined;
  if (t.kind === 'enum') {
    const members = ir.enums.find((e) => e.name === t.name)?.members ?? [];
    return members.length === 1 && typeof members[0]!.value === 'string' ? members[0]!.value : undefined;
  }
  if (t.kind === 'alias') return singleString(ir, ir.aliases.find((a) => a.name === t.name)!.type);
  return undefined;
}

/** The object a union branch is, through aliases. */
export function branchObject(ir: Pick<IR, 'aliases'>, t: TypeIR): string | undefined {
  if (t.kind === 'object') return t.name;
  if (t.kind === 'alias') return branchObject(ir, ir.aliases.find((a) => a.name === t.name)!.type);
  return undefined;
}

/**
 * How a value selects its branch of a union by a tag: the `discriminator`, or, without one, a
 * property that every branch (each an object) requires with its own single string value (`{"enum":
 * ["opened"]}` or `{"const": "opened"}`, distinct across branches), so at most one branch can match
 * a value on any target. The branches' tag values, by object name; undefined when there is no tag.
 */
export function unionTag(ir: Pick<IR, 'objects' | 'aliases' | 'enums'>, t: UnionTypeIR): { property: string; values: Map<string, string> } | undefined {
  const objects = t.variants.map((v) => branchObject(ir, v));
  if (objects.some((o) => o === undefined)) return undefined;
  const branches = objects.map((name) => ir.objects.find((o) => o.name === name)!);
  const candidates = t.discriminator !== undefined ? [t.discriminator] : branches[0]!.properties.filter((p) => p.required).map((p) => p.name);
  for (const property of candidates) {
    const values = new Map<string, string>();
    for (const o of branches) {
      const p = o.properties.find((x) => x.name === property);
      const v = p?.required ? singleString(ir, p.type) : undefined;
      if (v === undefined || [...values.values()].includes(v)) break;
      values.set(o.name, v);
    }
    if (values.size === branches.length) return { property, values };
  }
  return undefined;
}

/**
 * WSGEN_DEFAULT for every default inside a branch of a union whose branch a value
 * does not select the same way on both targets (no tag, see unionTag, and
 * branches of overlapping JSON types: Pydantic's smart union and a first match
 * could fill different defaults). A type that names a definition in `failed` (one
 * that did not build, its own error reported) is not judged: its union is unknown.
 */
export function ambiguousDefaults(ir: Pick<IR, 'objects' | 'aliases' | 'enums'>, failed: ReadonlySet<string> = new Set()): WsgenError[] {
  const named = defaultedTypes(ir, hasOptionalDefault);
  const ambiguous = (t: TypeIR): boolean =>
    t.kind === 'union'
      ? (!t.exclusive && unionTag(ir, t) === undefined && t.variants.some((v) => reaches(v, named))) || t.variants.some(ambiguous)
      : t.kind === 'array' ? ambiguous(t.items) : t.kind === 'record' ? ambiguous(t.values) : t.kind === 'nullable' ? ambiguous(t.inner) : false;
  const hint = 'give the branches a discriminator (a const property each branch requires), make their JSON types disjoint, or drop the defaults in the branches';
  const what = 'a union whose branches may both match one value, and a branch holds a default: the targets could pick different branches and fill different defaults';
  return [
    ...ir.objects.flatMap((o) => o.properties.filter((p) => !reaches(p.type, failed) && ambiguous(p.type)).map((p) => new WsgenError(GeneratorErrorCode.DEFAULT, `${o.name}.${JSON.stringify(p.name)} is ${what}`, p.loc, hint))),
    ...ir.aliases.filter((a) => !reaches(a.type, failed) && ambiguous(a.type)).map((a) => new WsgenError(GeneratorErrorCode.DEFAULT, `${a.name} is ${what}`, a.loc, hint)),
  ];
}

/** The defaults to judge: every optional property with a default. */
export function candidateDefaults(ir: Pick<IR, 'objects'>): Array<PropertyIR & { default: JsonValue }> {
  return ir.objects.flatMap((object) => object.properties.filter(hasOptionalDefault));
}
