/**
 * How the HTML page of `wsgen docs` writes an IR type: a label (with a link to
 * the named type it refers to) and the constraints a value must meet, in the
 * words of JSON Schema 2020-12's validation vocabulary (minLength, pattern,
 * minimum, ...). Plain text only: the templates escape it.
 */
import type { IR, TypeIR } from '../ir.js';

/** A type label: `before`, then a link to a named type (`name`, at `anchor`) when there is one, then `after`. */
export interface TypeLabel {
  before: string;
  link?: { name: string; anchor: string };
  after: string;
}

/** The anchor of a named type (object, alias or enum) on the page. Names are PascalCase ASCII (README "Names"). */
export const typeAnchor = (name: string): string => `type-${name}`;

/** The words of a type, with `{}` where the named type it refers to goes. */
function words(t: TypeIR): string {
  switch (t.kind) {
    case 'string':
      return t.format ? `string (${t.format})` : 'string';
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return t.kind;
    case 'const':
      return `${JSON.stringify(t.value)} (constant)`;
    case 'enum':
    case 'alias':
    case 'object':
      return '{}';
    case 'any':
      return 'any JSON value';
    case 'checked':
      return 'any JSON value the schema accepts';
    case 'formatted':
      // A format without a type applies to strings only (JSON Schema 2020-12 §7.1).
      return `any JSON value (a string must be ${t.format})`;
    case 'record':
      return `object of ${words(t.values)}`;
    case 'array':
      return `array of ${words(t.items)}`;
    case 'nullable':
      return `${words(t.inner)} or null`;
    case 'union':
      // oneOf: exactly one branch matches; anyOf: at least one (JSON Schema 2020-12 §10.2.1.2–3).
      return `${t.mode === 'oneOf' ? 'one of' : 'any of'}: ${t.variants.map((v) => ('name' in v ? v.name : words(v))).join(' | ')}`; // branches by name: one link per label
  }
}

/** The named type (enum, alias or object) whose `{}` comes first in {@link words} of `t`, walking as it does. */
function firstNamed(t: TypeIR): { name: string } | undefined {
  switch (t.kind) {
    case 'enum':
    case 'alias':
    case 'object':
      return { name: t.name };
    case 'record':
      return firstNamed(t.values);
    case 'array':
      return firstNamed(t.items);
    case 'nullable':
      return firstNamed(t.inner);
    case 'union':
      for (const v of t.variants) {
        const n = 'name' in v ? undefined : firstNamed(v);
        if (n) return n;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The label of `t`: its words, the first named type it refers to as a link. */
export function typeLabel(t: TypeIR): TypeLabel {
  const named = firstNamed(t);
  const w = words(t);
  const at = w.indexOf('{}');
  if (named === undefined || at === -1) return { before: w, after: '' };
  return { before: w.slice(0, at), link: { name: named.name, anchor: typeAnchor(named.name) }, after: w.slice(at + 2) };
}

/** Most characters of a checked subschema the page shows; a longer one ends with `…`. */
export const CHECKED_SHOWN = 240;

/**
 * A checked subschema as compact JSON (its `$ref`s point into the `$defs` of the checked document, named by
 * place: `#/$defs/Msg.properties.shape`), cut at {@link CHECKED_SHOWN} characters with `…`.
 */
export function checkedText(ir: Pick<IR, 'checked'>, key: string): string {
  const text = JSON.stringify(ir.checked[key] ?? true);
  return [...text].length <= CHECKED_SHOWN ? text : [...text].slice(0, CHECKED_SHOWN - 1).join('') + '…';
}

/** The constraints of a string, number, array, record or checked type, one phrase each (`prefix` names an array's items). */
function own(ir: Pick<IR, 'checked'>, t: TypeIR, prefix: string): string[] {
  const out: string[] = [];
  const add = (s: string): number => out.push(prefix + s);
  if (t.kind === 'string') {
    if (t.minLength !== undefined) add(`minLength ${t.minLength}`);
    if (t.maxLength !== undefined) add(`maxLength ${t.maxLength}`);
    if (t.pattern !== undefined) add(`pattern ${t.pattern}`);
    if (t.format !== undefined) add(`format ${t.format}`);
  } else if (t.kind === 'integer' || t.kind === 'number') {
    if (t.minimum !== undefined) add(`≥ ${t.minimum}`);
    if (t.exclusiveMinimum !== undefined) add(`> ${t.exclusiveMinimum}`);
    if (t.maximum !== undefined) add(`≤ ${t.maximum}`);
    if (t.exclusiveMaximum !== undefined) add(`< ${t.exclusiveMaximum}`);
    if (t.multipleOf !== undefined) add(`multipleOf ${t.multipleOf}`);
  } else if (t.kind === 'array') {
    if (t.minItems !== undefined) add(`minItems ${t.minItems}`);
    if (t.maxItems !== undefined) add(`maxItems ${t.maxItems}`);
    out.push(...own(ir, t.items, prefix + 'items: '));
  } else if (t.kind === 'record') {
    out.push(...own(ir, t.values, prefix + 'values: '));
  } else if (t.kind === 'nullable') {
    out.push(...own(ir, t.inner, prefix));
  } else if (t.kind === 'checked') {
    // JSON Schema 2020-12 decides such a value: the subschema is its constraint.
    add(`schema ${checkedText(ir, t.key)}`);
  }
  return out;
}

/**
 * The constraints a value of `t` must meet. An alias contributes its own (a field typed `MessageId` shows
 * the pattern of MessageId); an enum says how many values it allows; a checked value shows its subschema
 * ({@link checkedText}). Objects are described where they are defined.
 */
export function constraints(ir: IR, t: TypeIR): string[] {
  if (t.kind === 'alias') {
    const a = ir.aliases.find((x) => x.name === t.name);
    return a ? constraints(ir, a.type) : [];
  }
  if (t.kind === 'nullable') return constraints(ir, t.inner);
  if (t.kind === 'enum') {
    const e = ir.enums.find((x) => x.name === t.name);
    return e ? [`one of ${e.members.length} values`] : [];
  }
  return own(ir, t, '');
}
