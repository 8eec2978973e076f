/**
 * Definitions that became checked aliases (checked.ts) after other types referred to them
 * as objects or enums: the references are pointed at the alias.
 */
import type { AliasIR, ObjectIR, TypeIR } from './ir.js';

/** The type with every object or enum reference to one of `names` made an alias reference. */
function retarget(t: TypeIR, names: ReadonlySet<string>): TypeIR {
  switch (t.kind) {
    case 'object':
    case 'enum':
      return names.has(t.name) ? { kind: 'alias', name: t.name } : t;
    case 'const':
      return t.enum !== undefined && names.has(t.enum) ? { kind: 'const', value: t.value } : t;
    case 'array':
      return { ...t, items: retarget(t.items, names) };
    case 'record':
      return { ...t, values: retarget(t.values, names) };
    case 'nullable':
      return { ...t, inner: retarget(t.inner, names) };
    case 'union':
      return { ...t, variants: t.variants.map((v) => retarget(v, names)) };
    default:
      return t;
  }
}

/** Points every reference to an alias named like an object or enum that was not built (a checked alias took its place) at the alias, in place. */
export function retargetAliases(objects: ObjectIR[], aliases: AliasIR[]): void {
  const names = new Set(aliases.map((a) => a.name));
  for (const o of objects) {
    for (const p of o.properties) p.type = retarget(p.type, names);
    const r = o.rules;
    if (r === undefined) continue;
    if (r.additional) r.additional = retarget(r.additional, names);
    for (const p of r.patternProperties) p.type = retarget(p.type, names);
    if (r.propertyNames) r.propertyNames = retarget(r.propertyNames, names);
  }
  for (const a of aliases) a.type = retarget(a.type, names);
}
