/**
 * The Python view of a root that is no tagged union (issue 9 row 11): where the
 * root type lives (a model, an enum, or an alias), and which of its values the
 * schema leaves open, for `_root_parser.RootParser` in parse.py.
 */
import { type IR, isOpenType, objectByName, rootType } from '../ir.js';
import { pyLiteral } from '../templates.js';
import type { AliasPlan } from './py-aliases.js';
import { fromImport } from './py-imports.js';
import { pyAttrName } from './py-names.js';

/** What parse.py says about a root that is no tagged union (undefined for a tagged root). */
export interface PyRootView {
  /** The root type's name. */
  name: string;
  /** The import line(s) of the root type in parse.py. */
  imports: string[];
  /** Attributes of an object root whose values the schema leaves open, as Python literals. */
  openFields: string[];
  /** Whether the whole value is open (any JSON, an array, a record...): every number in it is checked. */
  openWhole: boolean;
}

/** The view of `ir`'s root when it is no tagged union; `typeNames`: every module-level name (pyTypeNames). */
export function pyRootView(ir: IR, aliasPlan: AliasPlan, typeNames: ReadonlySet<string>): PyRootView | undefined {
  const root = ir.root;
  if (root.tagged) return undefined;
  const module = root.kind === 'object' ? '.models' : root.kind === 'enum' ? '.enums' : aliasPlan.plain.some((a) => a.name === root.name) ? '.aliases' : '.models._aliases';
  const object = root.kind === 'object' ? objectByName(ir, root.name) : undefined;
  return {
    name: root.name,
    imports: fromImport(module, [root.name]),
    openFields: object ? object.properties.filter((p) => isOpenType(ir, p.type)).map((p) => pyLiteral(pyAttrName(p.name, typeNames))) : [],
    openWhole: object === undefined && isOpenType(ir, rootType(ir)!),
  };
}
