/**
 * Where the schema's `default` values apply (issue 9 row 12). A `default` on an
 * optional property of a typed object (IR object types, at any depth) is the value
 * the parsed message holds when the property is absent, on both targets. JSON
 * Schema 2020-12 §9.2 makes `default` an annotation; wsgen applies it after
 * validation, to the wire value as sent, so it never changes a verdict.
 *
 * Not applied (annotation only, on both targets alike): a `default` on a required
 * property (it is never absent), on the definition of an alias, enum or object
 * itself (only the property's own keyword counts), inside a checked subschema
 * (checked.ts: JSON Schema as written, as ajv without `useDefaults` reads it), and
 * inside the values of keys an object does not declare (additionalProperties,
 * patternProperties: both targets keep them as sent).
 */
import { GeneratorErrorCode, WsgenError, pointerJoin } from './errors.js';
import type { IR, ObjectIR, PropertyIR, TypeIR } from './ir.js';
import { MAX_SAFE_INTEGER } from './numbers.js';
import type { JsonValue } from './types.js';

/** A property whose default applies: optional, with a `default`. */
export function appliesDefault(p: PropertyIR): p is PropertyIR & { default: JsonValue } {
  return !p.required && p.default !== undefined;
}

/**
 * The objects and aliases whose parsed value can differ from the wire value (a
 * default applies in them, at any depth of their declared properties): the types
 * that get a parsed and an input form in TypeScript. Computed as a fixed point, so
 * recursive types are included when some level of them holds a default.
 */
export function defaultedTypes(ir: Pick<IR, 'objects' | 'aliases'>): Set<string> {
  const out = new Set<string>();
  let changed = true;
  while (changed) {
    changed = false;
    for (const o of ir.objects) {
      if (!out.has(o.name) && o.properties.some((p) => appliesDefault(p) || reaches(p.type, out))) {
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

/** A WSGEN_DEFAULT error at the `default` keyword of `p`. */
function defaultError(p: PropertyIR, message: string, hint: string): WsgenError {
  return new WsgenError(GeneratorErrorCode.DEFAULT, message, { file: p.loc.file, pointer: pointerJoin(p.loc.pointer, 'default') }, hint);
}

/** The first integer in `v` beyond ±(2^53 − 1), which JavaScript would hold rounded and Python exactly. */
function unsafeInteger(v: JsonValue): number | undefined {
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

/**
 * The refusals that do not need a validator: an integer beyond ±(2^53 − 1) in a
 * default, and a default inside a branch of a union whose branch a value does not
 * select the same way on both targets (neither discriminated nor of disjoint JSON
 * types: Pydantic's smart union and a first match could fill different defaults).
 */
export function defaultShapeErrors(ir: IR): WsgenError[] {
  const named = defaultedTypes(ir);
  const errors: WsgenError[] = [];
  const ambiguous = (t: TypeIR): boolean =>
    t.kind === 'union'
      ? (t.discriminator === undefined && !t.exclusive && t.variants.some((v) => reaches(v, named))) || t.variants.some(ambiguous)
      : t.kind === 'array' ? ambiguous(t.items) : t.kind === 'record' ? ambiguous(t.values) : t.kind === 'nullable' ? ambiguous(t.inner) : false;
  for (const o of ir.objects) {
    for (const p of o.properties) {
      if (appliesDefault(p)) {
        const big = unsafeInteger(p.default);
        if (big !== undefined) {
          errors.push(defaultError(p, `the default of ${o.name}.${JSON.stringify(p.name)} holds ${big}, beyond ±${MAX_SAFE_INTEGER} (2^53 − 1): JavaScript would hold it rounded, Python exactly`, `use an integer within ±${MAX_SAFE_INTEGER}, or a string`));
        }
      }
      if (ambiguous(p.type)) {
        errors.push(new WsgenError(GeneratorErrorCode.DEFAULT, `${o.name}.${JSON.stringify(p.name)} is a union whose branches may both match a value, and a branch holds a default: the targets could pick different branches and fill different defaults`, p.loc,
          'give the branches a discriminator (a const property each branch requires), or make their JSON types disjoint, or drop the default'));
      }
    }
  }
  return errors;
}

/** The defaults to validate: one per optional property with a default, with the object it belongs to. */
export function appliedDefaults(ir: Pick<IR, 'objects'>): Array<{ object: ObjectIR; property: PropertyIR & { default: JsonValue } }> {
  return ir.objects.flatMap((object) => object.properties.filter(appliesDefault).map((property) => ({ object, property })));
}

/** The error of a default that its own property's schema refuses (`issue`: the validator's first issue). */
export function invalidDefault(object: ObjectIR, p: PropertyIR, issue: { path: string; message: string }): WsgenError {
  const at = issue.path ? ` at ${issue.path}` : '';
  return defaultError(p, `the default of ${object.name}.${JSON.stringify(p.name)} is not valid against the property's own schema${at}: ${issue.message}`,
    'change the default to a value the property accepts (wsgen fills it into parsed messages on both targets), or drop it');
}
