/**
 * The Python lines of an object's rules beyond closed properties (see
 * object-keywords.ts): a model with rules derives from `RuledModel`, keeps the
 * keys it does not declare (`extra="allow"`) when it may have any, and lists
 * its rules in `__wire_rules__`, which `_wire.ObjectRules` checks.
 */
import type { ObjectIR } from '../ir.js';
import { allowsOtherKeys } from '../object-keywords.js';
import { enginePattern } from '../pattern.js';
import { pyLiteral } from '../templates.js';
import type { PyTypes } from './py-types.js';

/** A Python tuple display: `("a",)` for one item. */
function pyTuple(items: string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** The base class of a model, and the lines that open its class body (after the docstring). */
export function objectRulesView(types: PyTypes, o: ObjectIR): { baseClass: string; lines: string[] } {
  const r = o.rules;
  if (r === undefined) {
    types.used.add('WireModel');
    return { baseClass: 'WireModel', lines: [] };
  }
  types.used.add('RuledModel');
  types.used.add('ObjectRules');
  types.used.add('ClassVar');
  const args: string[] = [`declared=${pyTuple(o.properties.map((p) => pyLiteral(p.name)))}`];
  if (r.additional !== undefined) args.push(`additional=${types.type(r.additional, o.loc)}`);
  // Each pattern as pydantic-core reads it exactly as ECMAScript does (pattern.ts enginePattern).
  if (r.patternProperties.length) args.push(`patterns=${pyTuple(r.patternProperties.map((p) => `(${pyLiteral(enginePattern(p.pattern))}, ${types.type(p.type, o.loc)})`))}`);
  if (r.propertyNames) args.push(`names=${types.type(r.propertyNames, o.loc)}`);
  if (r.minProperties !== undefined) args.push(`min_properties=${r.minProperties}`);
  if (r.maxProperties !== undefined) args.push(`max_properties=${r.maxProperties}`);
  if (r.dependentRequired.length) {
    args.push(`dependent_required=${pyTuple(r.dependentRequired.map((d) => `(${pyLiteral(d.property)}, ${pyTuple(d.requires.map((x) => pyLiteral(x)))})`))}`);
  }
  const lines: string[] = [];
  if (allowsOtherKeys(r)) {
    types.used.add('ConfigDict');
    lines.push('    model_config = ConfigDict(extra="allow")');
  }
  lines.push(`    __wire_rules__: ClassVar[ObjectRules] = ObjectRules(${args.join(', ')})`);
  return { baseClass: 'RuledModel', lines };
}
