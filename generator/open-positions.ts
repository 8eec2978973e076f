/**
 * Where a message can hold an open value (any JSON, a record, an array, a checked value: `isOpenType`) at any
 * position, not only as one of its own fields: a property of a nested object (`Probe.meta: Meta`, `Meta.data: {}`),
 * of the branch a tagged union selects, of a nullable object, at any depth, and the values of the keys an open
 * object does not declare (`additionalProperties`/`patternProperties` of an open type). Both targets walk these
 * positions in the same order after validation (TS open-fields.js `positionsIssue`, Python `_open_positions.py`), so
 * every open value is held to the same rules (numbers within ±(2^53 − 1), no NaN or Infinity, the depth limit counted
 * from the message root) with the same first issue.
 *
 * An open value is checked whole (everything inside it, objects in arrays included), its issue at its own pointer.
 * The values of undeclared keys are checked whole, also where their type is an object with open positions.
 * A typed object is descended into: an object reference, a nullable one, an alias of one, or a tagged union (the
 * branch its tag selects). A union without a tag that can hold an object with open positions is checked whole, as
 * an open value: neither target can say which branch a value took without validating it again.
 */
import { type IR, type ObjectIR, type TypeIR, isOpenType, objectByName } from './ir.js';

/** One position of an object, in schema order: an open property, a property to descend into, or the undeclared keys. */
export type OpenPosition =
  | { kind: 'open'; name: string }
  | { kind: 'nested'; name: string; target: NestedTarget }
  | { kind: 'extra'; declared: string[] };

/** The object a nested position holds: by name, or by a tag property's value (a tagged union). */
export type NestedTarget = { object: string } | { tag: string; objects: Record<string, string> };

/** The objects whose values can hold an open value somewhere (a fixed point over the IR), by IR. */
const withOpen = new WeakMap<IR, Set<string>>();

/**
 * Whether undeclared keys of `o` hold open values: their type is open, or can hold an object with open positions
 * (`open`: those objects), whose values are then checked whole, as open values.
 */
function extrasOpen(ir: IR, o: ObjectIR, open: ReadonlySet<string>): boolean {
  const r = o.rules;
  if (r === undefined) return false;
  const holds = (t: TypeIR): boolean => isOpenType(ir, t) || targetOf(ir, t, open) !== undefined;
  return (r.additional !== undefined && holds(r.additional)) || r.patternProperties.some((p) => holds(p.type));
}

/** The type `t` stands for once aliases and nullables are taken off (open types are never unwrapped: isOpenType sees through them). */
function unwrap(ir: IR, t: TypeIR): TypeIR {
  if (t.kind === 'nullable') return unwrap(ir, t.inner);
  if (t.kind === 'alias') {
    const a = ir.aliases.find((x) => x.name === t.name);
    return a ? unwrap(ir, a.type) : t;
  }
  return t;
}

/** The tag value a branch object requires for `disc` (a string const), if any. */
function tagOf(o: ObjectIR, disc: string): string | undefined {
  const p = o.properties.find((x) => x.name === disc);
  return p !== undefined && p.type.kind === 'const' && typeof p.type.value === 'string' ? p.type.value : undefined;
}

/**
 * What a property of type `t` (not open) holds for the walk: the objects to descend into, `open` when it must be
 * checked whole (an untagged union reaching open positions), or undefined when no open value can sit in it.
 */
function targetOf(ir: IR, t: TypeIR, open: ReadonlySet<string>): NestedTarget | 'open' | undefined {
  const u = unwrap(ir, t);
  if (u.kind === 'object') return open.has(u.name) ? { object: u.name } : undefined;
  if (u.kind !== 'union') return undefined;
  const branches = u.variants.map((v) => unwrap(ir, v));
  if (!branches.some((b) => targetOf(ir, b, open) !== undefined)) return undefined;
  if (u.discriminator !== undefined && branches.every((b) => b.kind === 'object')) {
    const objects: Record<string, string> = {};
    for (const b of branches) {
      const tag = b.kind === 'object' ? tagOf(objectByName(ir, b.name), u.discriminator) : undefined;
      if (tag === undefined || b.kind !== 'object') return 'open';
      if (open.has(b.name)) objects[tag] = b.name;
    }
    return { tag: u.discriminator, objects };
  }
  return 'open';
}

/** The names of the objects with at least one open position (computed once per IR). */
export function objectsWithOpenValues(ir: IR): Set<string> {
  let found = withOpen.get(ir);
  if (found !== undefined) return found;
  found = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const o of ir.objects) {
      if (found.has(o.name)) continue;
      if (extrasOpen(ir, o, found) || o.properties.some((p) => isOpenType(ir, p.type) || targetOf(ir, p.type, found!) !== undefined)) {
        found.add(o.name);
        changed = true;
      }
    }
  }
  withOpen.set(ir, found);
  return found;
}

/** The open positions of object `o`, in schema order (its properties, then its undeclared keys). */
export function openPositions(ir: IR, o: ObjectIR): OpenPosition[] {
  const open = objectsWithOpenValues(ir);
  const out: OpenPosition[] = [];
  for (const p of o.properties) {
    if (isOpenType(ir, p.type)) {
      out.push({ kind: 'open', name: p.name });
      continue;
    }
    const target = targetOf(ir, p.type, open);
    if (target === 'open') out.push({ kind: 'open', name: p.name });
    else if (target !== undefined) out.push({ kind: 'nested', name: p.name, target });
  }
  if (extrasOpen(ir, o, open)) out.push({ kind: 'extra', declared: o.properties.map((p) => p.name) });
  return out;
}

/** Whether `o`'s open positions are more than its own open properties (the walk then descends or reads undeclared keys). */
export function hasNestedOpen(ir: IR, o: ObjectIR): boolean {
  return openPositions(ir, o).some((p) => p.kind !== 'open');
}

/** Every object a walk from `roots` can descend into (the roots included, when they have open positions), in IR order. */
export function walkedObjects(ir: IR, roots: readonly ObjectIR[]): ObjectIR[] {
  const seen = new Set<string>();
  const stack = roots.filter((o) => hasNestedOpen(ir, o)).map((o) => o.name);
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const p of openPositions(ir, objectByName(ir, n))) {
      if (p.kind !== 'nested') continue;
      stack.push(...('object' in p.target ? [p.target.object] : Object.values(p.target.objects)));
    }
  }
  // One row per name (objectByName reads the first object of a name).
  return [...seen].sort((a, b) => ir.objects.findIndex((o) => o.name === a) - ir.objects.findIndex((o) => o.name === b)).map((n) => objectByName(ir, n));
}
