/**
 * The check of each field of a shared base's table as a function of its own, with the
 * field's keywords written into it as constants (`isMessageEnvelopeTimestamp(x)`): the
 * base's field validator and every type's fast verdict call these. The same checks as
 * runtime.js's table-driven `isStringField`/`isNumberField`/`isEnumField` (JSON Schema
 * 2020-12 §6.1–6.3 as ajv applies them: lengths in code points, `pattern` as a `u`
 * regular expression, `===` against enum values), without reading the table entry on
 * each call: one function shared by every type reads entries of every field, and the
 * engine then keeps neither the entry's bounds nor which format checker it calls.
 * Measured with bench/ts/parse.mjs --baseline (the table's reads cost 20–40% of a
 * type's verdict). The table stays: the errors of a refused message are built from it.
 */
import { nonCapturing } from '../pattern.js';
import { jsLiteral } from '../templates.js';
import { formatChecker } from './ts-format-checkers.js';
import { dateTimeFractionLimit } from './ts-format-narrowing.js';

type Schema = Record<string, unknown>;

/** The checks of a base's table: per table index the function's name (undefined: the field is checked inline), and the code defining them. */
export interface FieldChecks {
  names: Array<string | undefined>;
  /** Module-level code: the regular expressions and the functions, each exported. */
  code: string[];
  /** runtime.js names the code calls. */
  runtime: Set<string>;
  /** formats.js checkers the code calls (ts-format-checkers.ts names). */
  grammar: Set<string>;
}

/** `name` in PascalCase (`file_uuid` → `FileUuid`), or '' when it has no letter or digit to start one. */
function pascal(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(out) ? out : '';
}

/**
 * The fraction-digit cap `schema`'s pattern puts on its `date-time` format, when the format's checker
 * can take it (ts-format-narrowing.ts): then the check runs no regular expression.
 */
function fractionCap(schema: Schema): number | undefined {
  return schema.format === 'date-time' && typeof schema.pattern === 'string' ? dateTimeFractionLimit(schema.pattern) : undefined;
}

/** The body of the check of a present value `x` against a table schema, or undefined when the check is inline (boolean, null, object). */
function checkBody(schema: Schema, pattern: string, runtime: Set<string>, format: (f: string) => string): string | undefined {
  const values = (schema.enum as unknown[] | undefined) ?? ('const' in schema ? [schema.const] : undefined);
  if (values !== undefined) return values.length ? values.map((v) => `x === ${jsLiteral(v)}`).join(' || ') : 'false';
  const parts: string[] = [];
  if (schema.type === 'string') {
    parts.push("typeof x === 'string'");
    const max = schema.maxLength as number | undefined;
    const min = schema.minLength as number | undefined;
    // A UTF-16 length bounds the code points (each is one or two units): count them only when it cannot decide.
    if (max !== undefined) parts.push(`(x.length <= ${max} || ucs2length(x) <= ${max})`);
    if (min !== undefined && min > 0) parts.push(`(x.length >= ${2 * min} || ucs2length(x) >= ${min})`);
    if (max !== undefined || (min !== undefined && min > 0)) runtime.add('ucs2length');
    const cap = fractionCap(schema);
    if (cap !== undefined) parts.push(`${format('date-time')}(x, ${jsLiteral(cap)})`);
    else {
      if (typeof schema.pattern === 'string') parts.push(`${pattern}.test(x)`);
      if (typeof schema.format === 'string') parts.push(`${format(schema.format)}(x)`);
    }
    return parts.join(' && ');
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    parts.push("typeof x === 'number'", 'isFinite(x)');
    if (schema.type === 'integer') parts.push('!(x % 1)');
    const bounds: Array<[string, string]> = [['maximum', '<='], ['minimum', '>='], ['exclusiveMaximum', '<'], ['exclusiveMinimum', '>']];
    for (const [k, op] of bounds) if (typeof schema[k] === 'number') parts.push(`x ${op} ${jsLiteral(schema[k])}`);
    return parts.join(' && ');
  }
  return undefined;
}

/** fieldChecks' results per table and base: every type's fast verdict asks for its base's (the result is only read). */
const computed = new WeakMap<ReadonlyArray<[string, Schema]>, Map<string, FieldChecks>>();

/** The check functions of base `base`'s table (schema order), named `is<Base><Field>` (the table index when a name is no identifier or repeats). */
export function fieldChecks(base: string, table: ReadonlyArray<[string, Schema]>): FieldChecks {
  let byBase = computed.get(table);
  if (byBase === undefined) computed.set(table, (byBase = new Map()));
  let checks = byBase.get(base);
  if (checks === undefined) byBase.set(base, (checks = checksOf(base, table)));
  return checks;
}

function checksOf(base: string, table: ReadonlyArray<[string, Schema]>): FieldChecks {
  const runtime = new Set<string>();
  const grammar = new Set<string>();
  const format = (f: string): string => {
    const c = formatChecker(f);
    (c.module === 'runtime' ? runtime : grammar).add(c.name);
    return c.name;
  };
  const taken = new Map<string, number>();
  for (const [name] of table) taken.set(pascal(name), (taken.get(pascal(name)) ?? 0) + 1);
  const names: Array<string | undefined> = [];
  const code: string[] = [];
  table.forEach(([name, schema], i) => {
    const word = pascal(name);
    const fn = word !== '' && taken.get(word) === 1 ? `is${base}${word}` : `is${base}Field${i}`;
    const pattern = `${fn.replace(/^is/, '')}Pattern`;
    const body = checkBody(schema, pattern, runtime, format);
    names.push(body === undefined ? undefined : fn);
    if (body === undefined) return;
    if (typeof schema.pattern === 'string' && fractionCap(schema) === undefined) code.push(`const ${pattern} = /* @__PURE__ */ new RegExp(${jsLiteral(nonCapturing(schema.pattern))}, 'u');`);
    code.push(`/** Whether a present value of ${jsLiteral(name)} is valid: ${JSON.stringify(schema).replace(/\*\//g, '*\\/')}. */`, `export function ${fn}(x) {`, `  return ${body};`, '}');
  });
  return { names, code, runtime, grammar };
}
