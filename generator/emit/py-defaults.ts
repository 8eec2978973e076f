/**
 * Defaults in the Python models (generator/defaults.ts says where they apply): a
 * field with a default is annotated as always present and takes the default when
 * the property is absent. A value whose Python form is not the JSON literal itself
 * (an enum member, a datetime, a model, a list or dict) is validated from the JSON
 * value on every use (`validate_default`), exactly as `validate_message` reads that
 * value, so nested defaults are filled too; pydantic copies a mutable default for
 * each instance. A model with defaults counts them as set (`model_post_init`), so
 * `dump_message` (`exclude_unset`) writes them, as the TS parse fills them in.
 */
import { appliesDefault } from '../defaults.js';
import type { IR, ObjectIR, PropertyIR, TypeIR } from '../ir.js';
import { pyLiteral } from '../templates.js';
import { pyAttrName } from './py-names.js';
import type { PyTypes } from './py-types.js';

/** Whether the Python value of `v` in type `t` is the literal itself (a str, int, float, bool or None the annotation keeps as is). */
function literalIsValue(ir: IR, t: TypeIR, v: unknown): boolean {
  if (v !== null && typeof v === 'object') return false;
  switch (t.kind) {
    case 'string':
      return t.format !== 'date-time';
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
    case 'const':
      return true;
    case 'nullable':
      return v === null || literalIsValue(ir, t.inner, v);
    case 'alias':
      return literalIsValue(ir, ir.aliases.find((a) => a.name === t.name)!.type, v);
    default:
      return false;
  }
}

/** The `= ...` of a field with a default: a plain literal, or `Field` keyword arguments (with `validate_default=True`). */
export function pyDefault(types: PyTypes, p: PropertyIR): { literal: string } | { kwargs: Array<[string, string]> } | undefined {
  if (!appliesDefault(p)) return undefined;
  if (literalIsValue(types.ir, p.type, p.default)) return { literal: pyLiteral(p.default) };
  return { kwargs: [['default', pyLiteral(p.default)], ['validate_default', 'True']] };
}

/** The lines of a model's `model_post_init` that count its defaulted fields as set, or none when it has no default. */
export function defaultsSetLines(types: PyTypes, o: ObjectIR): string[] {
  const names = o.properties.filter(appliesDefault).map((p) => pyLiteral(pyAttrName(p.name, types.typeNames)));
  if (names.length === 0) return [];
  types.used.add('Any');
  return [
    '    def model_post_init(self, context: Any, /) -> None:',
    '        """Counts the fields that took their schema default as set: dumps write them, as the TypeScript parse fills them in."""',
    `        self.__pydantic_fields_set__.update((${names.join(', ')}${names.length === 1 ? ',' : ''}))`,
  ];
}
