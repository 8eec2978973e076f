/**
 * Compares two IR types (a field before and after) and lists how each change
 * moves the set of valid values (rules.ts). Aliases are resolved, enums
 * compared by value, nested objects field by field.
 */
import { decimalMultiple, decimalOf } from '../decimal-multiple.js';
import { pointerJoin } from '../errors.js';
import type { IR, ObjectIR, TypeIR } from '../ir.js';
import { type JsonValue, canonical } from '../json-parse.js';
import { MAX_SAFE_INTEGER } from '../numbers.js';
import type { SchemaLocation } from '../types.js';
import type { Change, RuleId, SchemaSide } from './rules.js';

/** The two IRs a comparison reads. */
export interface Sides {
  before: IR;
  after: IR;
}

const change = (rule: RuleId, narrows: boolean, widens: boolean, loc: SchemaLocation, message: string, schema: SchemaSide = 'new'): Change => ({ rule, narrows, widens, file: loc.file, pointer: loc.pointer, schema, message });

/** Follows aliases to the type they stand for. */
function resolve(ir: IR, t: TypeIR): TypeIR {
  return resolveAt(ir, t, undefined).type;
}

/**
 * Follows aliases to the type they stand for, and to where that type is written: a field that is a `$ref` to a
 * `$defs` entry has its keywords at the entry (`/$defs/Money/multipleOf`), not under the field's own pointer.
 */
function resolveAt<L extends SchemaLocation | undefined>(ir: IR, t: TypeIR, loc: L): { type: TypeIR; loc: L | SchemaLocation } {
  let at: L | SchemaLocation = loc;
  for (let seen = 0; t.kind === 'alias' && seen < 100; seen++) {
    const name = t.name;
    const a = ir.aliases.find((x) => x.name === name);
    if (!a) break;
    t = a.type;
    at = a.loc;
  }
  return { type: t, loc: at };
}

/** The values a type admits when it is an enum or a constant, else undefined. */
function values(ir: IR, t: TypeIR): Array<string | number | boolean> | undefined {
  if (t.kind === 'enum') return ir.enums.find((e) => e.name === t.name)?.members.map((m) => m.value);
  if (t.kind === 'const') return [t.value];
  return undefined;
}

type Bound = { key: string; lower: boolean };
const BOUNDS: Record<string, Bound[]> = {
  string: [{ key: 'minLength', lower: true }, { key: 'maxLength', lower: false }],
  integer: [{ key: 'minimum', lower: true }, { key: 'exclusiveMinimum', lower: true }, { key: 'maximum', lower: false }, { key: 'exclusiveMaximum', lower: false }],
  number: [{ key: 'minimum', lower: true }, { key: 'exclusiveMinimum', lower: true }, { key: 'maximum', lower: false }, { key: 'exclusiveMaximum', lower: false }],
  array: [{ key: 'minItems', lower: true }, { key: 'maxItems', lower: false }],
};

/** Bounds: a lower bound added or raised, an upper bound added or lowered, narrows; the reverse widens. */
function compareBounds(kind: string, a: Record<string, unknown>, b: Record<string, unknown>, loc: SchemaLocation, what: string): Change[] {
  const out: Change[] = [];
  for (const { key, lower } of BOUNDS[kind] ?? []) {
    const x = a[key] as number | undefined;
    const y = b[key] as number | undefined;
    if (x === y) continue;
    const tighter = x === undefined || (y !== undefined && (lower ? y > x : y < x));
    const text = `${what}: ${key} ${x === undefined ? 'added' : y === undefined ? 'removed' : 'changed'} (${x ?? 'none'} → ${y ?? 'none'})`;
    out.push(tighter ? change('CONSTRAINT_NARROWED', true, false, pointerAt(loc, key), text) : change('CONSTRAINT_WIDENED', false, true, pointerAt(loc, key), text));
  }
  return out;
}

/** A pattern or format: added narrows, removed widens, replaced does both. */
function compareText(key: 'pattern' | 'format', x: string | undefined, y: string | undefined, loc: SchemaLocation, what: string): Change[] {
  if (x === y) return [];
  const at = pointerAt(loc, key);
  if (x === undefined) return [change('CONSTRAINT_NARROWED', true, false, at, `${what}: ${key} ${JSON.stringify(y)} added`)];
  if (y === undefined) return [change('CONSTRAINT_WIDENED', false, true, at, `${what}: ${key} ${JSON.stringify(x)} removed`)];
  return [change('PATTERN_CHANGED', true, true, at, `${what}: ${key} ${JSON.stringify(x)} → ${JSON.stringify(y)}`)];
}

/**
 * `multipleOf` added narrows, removed widens; replaced, it narrows only when the new value is a
 * decimal multiple of the old (0.01 → 0.05), else it both narrows and widens (the same decimal
 * rule the targets apply, generator/decimal-multiple.ts).
 */
function compareMultipleOf(x: number | undefined, y: number | undefined, loc: SchemaLocation, what: string): Change[] {
  if (x === y) return [];
  const at = pointerAt(loc, 'multipleOf');
  if (x === undefined) return [change('CONSTRAINT_NARROWED', true, false, at, `${what}: multipleOf ${y} added`)];
  if (y === undefined) return [change('CONSTRAINT_WIDENED', false, true, at, `${what}: multipleOf ${x} removed`)];
  const { digits, exponent } = decimalOf(x);
  if (decimalMultiple(y, digits, exponent)) return [change('CONSTRAINT_NARROWED', true, false, at, `${what}: multipleOf ${x} → ${y}`)];
  return [change('PATTERN_CHANGED', true, true, at, `${what}: multipleOf ${x} → ${y}`)];
}

/**
 * An integer type without the bounds the IR gives every integer (±(2^53 − 1), I-JSON), so that integer ↔ number
 * compares only the bounds the schema wrote: the change of range that comes with the change of type is TYPE_CHANGED's.
 */
function writtenBounds(t: TypeIR): TypeIR {
  if (t.kind !== 'integer') return t;
  const out = { ...t };
  if (out.minimum === -MAX_SAFE_INTEGER) delete out.minimum;
  if (out.maximum === MAX_SAFE_INTEGER) delete out.maximum;
  return out;
}

function pointerAt(loc: SchemaLocation, key: string): SchemaLocation {
  return { file: loc.file, pointer: pointerJoin(loc.pointer, key) };
}

/** The changes between two types of one field. `seen` stops at objects already compared on this path. */
export function compareTypes(s: Sides, x: TypeIR, y: TypeIR, fieldLoc: SchemaLocation, what: string, seen: Set<string>): Change[] {
  const a = resolve(s.before, x);
  // Pointers name the place in the new schema where the changed keyword is written (through a $ref, its target).
  const { type: b, loc } = resolveAt(s.after, y, fieldLoc);
  if (a.kind === 'nullable' && b.kind !== 'nullable') return [change('NULL_REMOVED', true, false, loc, `${what} no longer allows null`), ...compareTypes(s, a.inner, b, loc, what, seen)];
  if (b.kind === 'nullable' && a.kind !== 'nullable') return [change('NULL_ADDED', false, true, loc, `${what} now allows null`), ...compareTypes(s, a, b.inner, loc, what, seen)];
  if (a.kind === 'nullable' && b.kind === 'nullable') return compareTypes(s, a.inner, b.inner, loc, what, seen);
  const va = values(s.before, a);
  const vb = values(s.after, b);
  if (va && vb) return compareValues(s, a, b, va, vb, loc, what);
  if (a.kind !== b.kind) {
    if (a.kind === 'integer' && b.kind === 'number') return [change('TYPE_CHANGED', false, true, loc, `${what}: integer → number`), ...compareBounds('number', writtenBounds(a), b, loc, what)];
    if (a.kind === 'number' && b.kind === 'integer') return [change('TYPE_CHANGED', true, false, loc, `${what}: number → integer`), ...compareBounds('number', a, writtenBounds(b), loc, what)];
    return [change('TYPE_CHANGED', b.kind !== 'any', a.kind !== 'any', loc, `${what}: ${a.kind} → ${b.kind}`)];
  }
  switch (a.kind) {
    case 'string': {
      const bs = b as typeof a;
      return [...compareBounds('string', a, bs, loc, what), ...compareText('pattern', a.pattern, bs.pattern, loc, what), ...compareText('format', a.format, bs.format, loc, what)];
    }
    case 'integer':
    case 'number':
      return [...compareBounds(a.kind, a, b as typeof a, loc, what), ...compareMultipleOf(a.multipleOf, (b as typeof a).multipleOf, loc, what)];
    case 'formatted':
      return compareText('format', a.format, (b as typeof a).format, loc, what);
    case 'array': {
      const bs = b as typeof a;
      return [...compareBounds('array', a, bs, loc, what), ...compareTypes(s, a.items, bs.items, pointerAt(loc, 'items'), `${what}[]`, seen)];
    }
    case 'record':
      return compareTypes(s, a.values, (b as typeof a).values, pointerAt(loc, 'additionalProperties'), `${what}{}`, seen);
    case 'union':
      return compareUnions(s, a, b as typeof a, loc, what, seen);
    case 'object': {
      const before = s.before.objects.find((o) => o.name === a.name);
      const after = s.after.objects.find((o) => o.name === (b as typeof a).name);
      if (!before || !after || seen.has(after.name)) return [];
      return compareObjects(s, before, after, what, new Set([...seen, after.name]));
    }
    default:
      return [];
  }
}

type UnionType = Extract<TypeIR, { kind: 'union' }>;

/** The tag value of each branch of a discriminated union (`undefined` for a branch that is no object with a constant tag). */
function branchTags(ir: IR, u: UnionType): Array<string | undefined> {
  return u.variants.map((v) => {
    const t = resolve(ir, v);
    const o = t.kind === 'object' ? ir.objects.find((x) => x.name === t.name) : undefined;
    const tag = o?.properties.find((p) => p.name === u.discriminator)?.type;
    return tag?.kind === 'const' ? String(tag.value) : undefined;
  });
}

/**
 * Two unions. Discriminated by the same property, branches are matched by tag, so a finding names its branch
 * (`shapes[]|circle.radius`) and reordering is no change: a tag removed narrows, a tag added widens. Otherwise
 * branches are matched in order, and another keyword or branch count both narrows and widens.
 */
function compareUnions(s: Sides, a: UnionType, b: UnionType, loc: SchemaLocation, what: string, seen: Set<string>): Change[] {
  const tagsA = a.discriminator !== undefined && a.discriminator === b.discriminator ? branchTags(s.before, a) : [];
  const tagsB = tagsA.length > 0 ? branchTags(s.after, b) : [];
  if (tagsA.length > 0 && !tagsA.includes(undefined) && !tagsB.includes(undefined)) {
    const at = (i: number) => pointerAt(pointerAt(loc, b.mode), String(i));
    const removed = tagsA.filter((t) => !tagsB.includes(t)).map((t) => change('UNION_BRANCH_REMOVED', true, false, pointerAt(loc, b.mode), `${what}: branch ${JSON.stringify(t)} removed`));
    return [
      ...removed,
      ...tagsB.flatMap((t, i) => {
        const j = tagsA.indexOf(t);
        if (j < 0) return [change('UNION_BRANCH_ADDED', false, true, at(i), `${what}: branch ${JSON.stringify(t)} added`)];
        return compareTypes(s, a.variants[j]!, b.variants[i]!, at(i), `${what}|${t}`, seen);
      }),
    ];
  }
  if (a.mode !== b.mode || a.variants.length !== b.variants.length) return [change('TYPE_CHANGED', true, true, loc, `${what}: ${a.mode} of ${a.variants.length} → ${b.mode} of ${b.variants.length}`)];
  return a.variants.flatMap((v, i) => compareTypes(s, v, b.variants[i]!, pointerAt(pointerAt(loc, a.mode), String(i)), `${what}|${i}`, seen));
}

/** Enum and constant values: an added value widens, a removed one narrows. */
function compareValues(s: Sides, a: TypeIR, b: TypeIR, va: ReadonlyArray<unknown>, vb: ReadonlyArray<unknown>, loc: SchemaLocation, what: string): Change[] {
  const enumLoc = b.kind === 'enum' ? (s.after.enums.find((e) => e.name === b.name)?.loc ?? loc) : loc;
  if (a.kind === 'const' && b.kind === 'const') return va[0] === vb[0] ? [] : [change('CONST_CHANGED', true, true, loc, `${what}: const ${JSON.stringify(va[0])} → ${JSON.stringify(vb[0])}`)];
  const out: Change[] = [];
  const added = vb.filter((v) => !va.includes(v));
  const removed = va.filter((v) => !vb.includes(v));
  if (added.length) out.push(change('ENUM_VALUE_ADDED', false, true, enumLoc, `${what}: value(s) ${added.map((v) => JSON.stringify(v)).join(', ')} added`));
  if (removed.length) out.push(change('ENUM_VALUE_REMOVED', true, false, enumLoc, `${what}: value(s) ${removed.map((v) => JSON.stringify(v)).join(', ')} removed`));
  return out;
}

/** The changes between two versions of a closed object, field by field. */
export function compareObjects(s: Sides, a: ObjectIR, b: ObjectIR, what: string, seen: Set<string>): Change[] {
  const out: Change[] = [];
  const after = new Map(b.properties.map((p) => [p.name, p]));
  for (const p of a.properties) {
    const q = after.get(p.name);
    const field = `${what}.${p.name}`;
    if (!q) {
      out.push(change('FIELD_REMOVED', true, p.required, p.loc, `${field} was removed${p.required ? ' (it was required)' : ''}`, 'old'));
      continue;
    }
    if (!p.required && q.required) out.push(change('FIELD_MADE_REQUIRED', true, false, q.loc, `${field} is now required`));
    if (p.required && !q.required) out.push(change('FIELD_MADE_OPTIONAL', false, true, q.loc, `${field} is now optional`));
    out.push(...compareTypes(s, p.type, q.type, q.loc, field, seen));
    const same = p.default === undefined || q.default === undefined ? p.default === q.default : canonical(p.default) === canonical(q.default);
    if (!same) {
      const text = (v: JsonValue | undefined) => (v === undefined ? 'none' : JSON.stringify(v));
      const at = q.default === undefined ? pointerAt(p.loc, 'default') : pointerAt(q.loc, 'default');
      out.push(change('DEFAULT_CHANGED', false, false, at, `${field}: default ${text(p.default)} → ${text(q.default)}`));
    }
  }
  const before = new Set(a.properties.map((p) => p.name));
  for (const q of b.properties) {
    if (before.has(q.name)) continue;
    out.push(q.required ? change('FIELD_ADDED_REQUIRED', true, true, q.loc, `${what}.${q.name} was added, required`) : change('FIELD_ADDED_OPTIONAL', false, true, q.loc, `${what}.${q.name} was added`));
  }
  // Other keys, patterns, property names, counts, dependencies: any change may reject old messages or admit new ones.
  if (JSON.stringify(a.rules) !== JSON.stringify(b.rules)) out.push(change('TYPE_CHANGED', true, true, b.loc, `${what}: its rules for other keys (additionalProperties, patternProperties, propertyNames, min/maxProperties, dependentRequired) changed`));
  return out;
}
