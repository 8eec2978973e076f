/**
 * Import lines of the generated Python modules, written in the order isort
 * (and ruff's I rules) expect: standard library, pydantic, then the package's
 * own modules; names within a line by type (CONSTANTS, Classes, others), each
 * in natural order.
 */
import { byCodeUnit } from '../ir.js';
import type { AliasPlan } from './py-aliases.js';
import { PY_PYDANTIC_NAMES, PY_TYPING_NAMES, PY_WIRE_NAMES, pyModuleName } from './py-names.js';

/** `from mod import a, b` on one line, or wrapped one name a line past isort's 88 columns (ruff's I001); `indent`: the block's indentation. */
export function fromImport(mod: string, names: readonly string[], indent = ''): string[] {
  const line = `${indent}from ${mod} import ${names.join(', ')}`;
  return line.length <= 88 ? [line] : [`${indent}from ${mod} import (`, ...names.map((n) => `${indent}    ${n},`), `${indent})`];
}

/**
 * `from X import a, b` lines of the names a module uses. `deferred`: objects
 * whose modules import this one back (a recursive type): imported for type
 * checkers only, under `from __future__ import annotations`; pydantic resolves
 * them when models/__init__.py rebuilds the models.
 */
export function wireImports(used: Set<string>, up = '.', deferred: ReadonlySet<string> = new Set(), self?: string): string[] {
  const pick = (names: string[]) => names.filter((n) => used.has(n)).sort();
  const lines: string[] = [];
  // A model that names itself needs no import, only annotations read late.
  const selfRef = self !== undefined && used.delete(`object:${self}`);
  const cyclic = [...used].filter((n) => n.startsWith('object:') && deferred.has(n.slice(7))).map((n) => n.slice(7)).sort((a, b) => naturalOrder(pyModuleName(a), pyModuleName(b)));
  for (const o of cyclic) used.delete(`object:${o}`);
  if (cyclic.length) used.add('TYPE_CHECKING');
  if (used.has('datetime')) lines.push('from datetime import datetime');
  // isort puts constants first: TYPE_CHECKING before the classes.
  const typing = pick(PY_TYPING_NAMES).sort((a, b) => Number(b === 'TYPE_CHECKING') - Number(a === 'TYPE_CHECKING'));
  if (typing.length) lines.push(...fromImport('typing', typing));
  const pyd = pick(PY_PYDANTIC_NAMES);
  const third = pyd.length ? fromImport('pydantic', pyd) : [];
  const wire = pick(PY_WIRE_NAMES);
  const local: string[] = [];
  const fromChecked = ['OrNone', 'Shaped', 'checked'].filter((n) => used.has(n));
  if (fromChecked.length) local.push(...fromImport(`${up}_checked`, fromChecked));
  if (wire.length) local.push(...fromImport(`${up}_wire`, wire));
  const aliases = isortNames([...used].filter((n) => n.startsWith('alias:')).map((n) => n.slice(6)));
  if (aliases.length) local.push(...fromImport(`${up}aliases`, aliases));
  const enums = isortNames([...used].filter((n) => n.startsWith('enum:')).map((n) => n.slice(5)));
  if (enums.length) local.push(...fromImport(`${up}enums`, enums));
  const objects = [...used].filter((n) => n.startsWith('object:')).map((n) => n.slice(7)).sort((a, b) => naturalOrder(pyModuleName(a), pyModuleName(b)));
  for (const o of objects) local.push(...fromImport(`.${pyModuleName(o)}`, [o]));
  const future = cyclic.length || selfRef ? ['from __future__ import annotations', ''] : [];
  const checking = cyclic.length ? ['', 'if TYPE_CHECKING:', ...cyclic.flatMap((o) => fromImport(`.${pyModuleName(o)}`, [o], '    '))] : [];
  return [...future, ...lines, ...(third.length ? ['', ...third] : []), ...(local.length ? ['', ...local] : []), ...checking];
}

/** Names in the order isort (and ruff's I rules) write them: CONSTANTS, then Classes, then the rest, each sorted. */
function isortNames(names: string[]): string[] {
  const rank = (n: string) => (/^[A-Z][A-Z0-9_]+$/.test(n) ? 0 : /^[A-Z]/.test(n) ? 1 : 2);
  return [...names].sort((a, b) => rank(a) - rank(b) || naturalOrder(a, b));
}

/** isort's natural order: digit runs compare as numbers (Vec2 before Vec10), then case-insensitively, then by code unit. */
export function naturalOrder(a: string, b: string): number {
  const parts = (s: string) => s.toLowerCase().split(/(\d+)/);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (i % 2 === 1) return Number(x) - Number(y) || byCodeUnit(x, y);
    return byCodeUnit(x, y);
  }
  return pa.length - pb.length || byCodeUnit(a, b);
}

/** `from .x import (...)` lines of __init__.py, skipping empty modules. */
export function initImports(aliasPlan: AliasPlan, enumNames: string[], models: string[], union: string | undefined, descriptorNames: readonly string[]): string[] {
  const block = (mod: string, names: string[]): string[] => (names.length ? [`from ${mod} import (`, ...isortNames(names).map((n) => `    ${n},`), ')'] : []);
  return [
    'from ._wire import MAX_DEPTH, WireModel',
    ...block('.aliases', aliasPlan.plain.map((a) => a.name)),
    ...block('.enums', enumNames),
    ...block('.models', ['MESSAGE_META', 'TAGS', ...models, ...(union === undefined ? [] : [union])]),
    ...block('.models._aliases', aliasPlan.ofObjects.map((a) => a.name)),
    ...block('.parse', ['ParseError', 'ParseOk', 'ParseResult', 'ValidationIssue', 'dump_message', 'parse_message', 'validate_message']),
    ...block('.protocol', [...descriptorNames]),
  ];
}
