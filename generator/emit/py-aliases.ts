/**
 * Where and in which order the Python target defines named aliases. Python
 * binds names when a module runs, so an alias must come after every alias it
 * names (`A = B` before `B = C` fails), and a module cannot import from itself.
 * Aliases that reach an object type cannot live in `aliases.py`: the object
 * modules import `aliases.py`, so it would import them back in a cycle. Those
 * are defined in `models/_aliases.py`, after the models, and an object module
 * that uses one writes its definition out in place instead of importing it.
 */
import { type AliasIR, type IR, namedTypeRefs } from '../ir.js';

/** The aliases in two groups, each in dependency order (IR order between independent ones). */
export interface AliasPlan {
  /** Aliases of scalars, enums and other such aliases: `aliases.py`. */
  plain: AliasIR[];
  /** Aliases that reach an object type: `models/_aliases.py`. */
  ofObjects: AliasIR[];
  /** Names of `ofObjects`. */
  objectAliasNames: ReadonlySet<string>;
}

/** Splits and orders the aliases of `ir` (recursion was refused when the IR was built). */
export function planAliases(ir: IR): AliasPlan {
  const byName = new Map(ir.aliases.map((a) => [a.name, a]));
  const direct = new Map(ir.aliases.map((a) => {
    const r = namedTypeRefs(a.type);
    return [a.name, { aliases: r.filter((x) => x.kind === 'alias').map((x) => x.name), objects: r.filter((x) => x.kind === 'object').map((x) => x.name) }];
  }));
  const reachesObject = new Map<string, boolean>();
  const reaches = (name: string): boolean => {
    const known = reachesObject.get(name);
    if (known !== undefined) return known;
    const r = direct.get(name)!;
    const yes = r.objects.length > 0 || r.aliases.some(reaches);
    reachesObject.set(name, yes);
    return yes;
  };
  const ordered: AliasIR[] = [];
  const done = new Set<string>();
  const visit = (name: string): void => {
    if (done.has(name)) return;
    done.add(name);
    for (const dep of direct.get(name)!.aliases) visit(dep);
    ordered.push(byName.get(name)!);
  };
  for (const a of ir.aliases) visit(a.name);
  const ofObjects = ordered.filter((a) => reaches(a.name));
  return { plain: ordered.filter((a) => !reaches(a.name)), ofObjects, objectAliasNames: new Set(ofObjects.map((a) => a.name)) };
}
