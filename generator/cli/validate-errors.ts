/**
 * One error per fault, in wsgen's terms: the errors of a union or a nullable
 * value as its schema's author wrote it (`X | null`, `anyOf`/`oneOf` of
 * branches), not as ajv evaluated the `anyOf` the schema normalises to.
 *
 * ajv reports a failed `anyOf`/`oneOf` (JSON Schema 2020-12 §10.2.1.2–3) as
 * every branch's errors followed by its own `must match a schema in anyOf`;
 * for `"type": ["string", "null"]` with an enum, a nullable `$ref`, a hoisted
 * nullable object, an `X | Y | null` union, that is the real fault plus
 * `must be null` plus the composition error. {@link oneErrorPerFault}
 * rewrites each such group:
 * - the branches whose type the value has are the ones it was meant for:
 *   their errors stay, the other branches' `type` errors and the composition
 *   error go (`"z"` for `"x" | "y" | null`: only the enum error);
 * - a value of a type no branch has gets one `type` error listing every
 *   branch's type (`true` for `string | integer | null`:
 *   `must be string, integer or null`, params `{type: [...]}`);
 * - a `oneOf` that failed because several branches matched (ajv's
 *   `passingSchemas`) keeps its error: that is the fault.
 */
import type { Issue } from '../validate-messages.js';

/** Whether `value` has JSON Schema type `type` (2020-12 §6.1.1; `integer`: a number with no fraction). */
function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** The value a JSON pointer (RFC 6901) selects in `doc` (undefined when it selects nothing). */
function valueAt(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const raw of pointer.split('/').slice(1)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** Whether `path` is `at` or inside it. */
const within = (path: string, at: string) => path === at || path.startsWith(at + '/');

/** The branch types a `type` error expects (ajv writes one type, or a comma-separated list). */
const expected = (e: Issue): string[] => (Array.isArray(e.params['type']) ? (e.params['type'] as string[]) : String(e.params['type']).split(','));

/** `a, b or c`. */
function orList(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The errors that replace one failed composition (`comp`) and its branches' errors (`branch`), for `value`. */
function collapse(comp: Issue, branch: Issue[], value: unknown): Issue[] {
  const mistyped = (e: Issue) => e.keyword === 'type' && e.path === comp.path && !expected(e).some((t) => hasType(value, t));
  const kept = branch.filter((e) => !mistyped(e));
  if (kept.length > 0) return kept;
  const types = [...new Set(branch.flatMap(expected))];
  if (types.length === 0) return [comp];
  return [{ path: comp.path, keyword: 'type', message: `must be ${orList(types)}`, params: { type: types } }];
}

/**
 * `errors` (ajv's order, as the generated validators report them) of the
 * message `message` (parsed; undefined when it is no JSON), with each failed
 * `anyOf`/`oneOf` and its branches' errors rewritten as the module comment
 * says. Errors of other keywords pass unchanged, in order. Pure.
 */
export function oneErrorPerFault(message: unknown, errors: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const e of errors) {
    const composition = (e.keyword === 'anyOf' || e.keyword === 'oneOf') && !Array.isArray(e.params['passingSchemas']);
    if (!composition) {
      out.push(e);
      continue;
    }
    // ajv pushes a composition's branch errors just before its own: they are the run of errors at or under its path.
    let start = out.length;
    while (start > 0 && within(out[start - 1]!.path, e.path)) start--;
    const branch = out.splice(start);
    out.push(...collapse(e, branch, valueAt(message, e.path)));
  }
  return out;
}
