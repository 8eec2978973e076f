/**
 * Type names and the names the emitters derive from them. A type name is
 * PascalCase ASCII letters and digits (a trailing digit is fine: `Vec2`,
 * `Oauth2Token`); what must not happen is two types producing one name in some
 * target (`Color` + `ColorInfo`, `ABTest` + `Abtest` both giving `ABTEST_VALUES`
 * or the file `abtest.py` on a case-insensitive file system). That is a
 * WSGEN_NAME error naming both types; wsgen never adds numbered suffixes.
 */
import { GeneratorErrorCode as E, ErrorList, WsgenError } from './errors.js';
import { snake } from './emit/py-names.js';
import { screamingSnake } from './emit/ts-types.js';
import type { IR } from './ir.js';
import type { SchemaLocation } from './types.js';

/** One named type of the IR with its kind, for deriving names. */
interface Named {
  name: string;
  kind: 'enum' | 'alias' | 'object' | 'union';
  loc: SchemaLocation;
}

/**
 * Every name a type gives rise to in some target: module-level identifiers
 * (compared exactly) and file names (compared case-insensitively, as macOS and
 * Windows file systems do), each with where it comes from.
 */
export function derivedNames(t: Named): Array<{ name: string; what: string }> {
  const n = t.name;
  const out = [{ name: n, what: 'its type' }];
  if (t.kind === 'enum') {
    out.push(
      { name: `${screamingSnake(n)}_VALUES`, what: 'its TS values array' },
      { name: `${screamingSnake(n)}_SET`, what: 'its TS value set' },
      { name: `${snake(n).toUpperCase()}_VALUES`, what: 'its Python values tuple' },
      { name: `is${n}`, what: 'its TS guard' },
      { name: `${n}Info`, what: 'its Info table' },
      { name: `${n}Meta`, what: 'its Meta table' },
    );
  }
  if (t.kind === 'object') {
    out.push(
      { name: `is${n}`, what: 'its TS guard' },
      { name: `validate${n}`, what: 'its TS validator' },
      { name: `validate${n}Own`, what: 'its TS own validator' },
      { name: `${n}Fields`, what: 'its TS shared field validator' },
      { name: `${n}FieldNames`, what: 'its TS shared field order' },
      { name: `isPropertyOf${n}`, what: 'its TS property switch' },
      { name: `tooDeepIn${n}`, what: 'its TS depth check' },
      { name: `file:validators/${n}.js`.toLowerCase(), what: 'its TS validator file' },
      { name: `file:models/${snake(n)}.py`.toLowerCase(), what: 'its Python module' },
    );
  }
  return out;
}

/** Refuses two types that derive one name (see the module comment): every pair that collides, each error at the later type. */
export function checkDerivedNames(ir: IR): void {
  const types: Named[] = [
    ...ir.enums.map((e) => ({ name: e.name, kind: 'enum' as const, loc: e.loc })),
    ...ir.aliases.map((a) => ({ name: a.name, kind: 'alias' as const, loc: a.loc })),
    ...ir.objects.map((o) => ({ name: o.name, kind: 'object' as const, loc: o.loc })),
    ...(ir.union ? [{ name: ir.union.name, kind: 'union' as const, loc: ir.union.loc }] : []),
  ];
  const owner = new Map<string, { type: string; what: string }>();
  const errors = new ErrorList();
  for (const t of types) {
    // One error per type: the first name it shares.
    const clash = derivedNames(t).find((d) => {
      const prev = owner.get(d.name);
      return prev !== undefined && prev.type !== t.name;
    });
    if (clash !== undefined) {
      const prev = owner.get(clash.name)!;
      errors.add(new WsgenError(E.NAME, `types ${prev.type} and ${t.name} both produce the name ${clash.name.replace(/^file:/, '')} (${prev.what} and ${clash.what})`, t.loc,
        'rename one of the two types; wsgen never adds numbered suffixes'));
      continue;
    }
    for (const d of derivedNames(t)) owner.set(d.name, { type: t.name, what: d.what });
  }
  errors.throwIfAny();
}
