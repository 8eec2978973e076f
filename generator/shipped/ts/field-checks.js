// The checks of a shared base's fields from a table of their JSON Schemas (fieldTable): the fast
// verdict of one field (isStringField, isNumberField, isEnumField, isJsonObject), and the errors ajv's standalone code reports (fieldErrors).
import { ajvError } from './composition.js';
import { ucs2length } from './json-values.js';

/**
 * A standalone ajv validator (composition.js).
 * @typedef {import('./composition.js').Validator} Validator
 */
/**
 * An error as ajv reports it.
 * @typedef {import('./validators/index.js').AjvError} AjvError
 */
/**
 * The JSON Schema (2020-12) of one field of a shared base, as `fieldTable` reads it.
 * @typedef {{ type?: string, enum?: unknown[], const?: unknown, maxLength?: number, minLength?: number, pattern?: string, format?: string,
 *   maximum?: number, minimum?: number, exclusiveMaximum?: number, exclusiveMinimum?: number }} FieldSchema
 */
/**
 * One field of a shared base as `fieldTable` makes it ready to check: its name and JSON Schema, the
 * JSON Pointer of its value (`at`) and the schema path prefix of its keywords (`schemaAt`), and the
 * keywords as the checks read them (an absent bound never fails).
 * @typedef {{ name: string, schema: FieldSchema, type: string | undefined, at: string, schemaAt: string, values: unknown[] | undefined,
 *   maxLength: number, minLength: number, pattern: RegExp | undefined, format: ((s: string) => boolean) | undefined,
 *   maximum: number, minimum: number, exclusiveMaximum: number, exclusiveMinimum: number }} Field
 */

/**
 * A JSON Pointer reference token (RFC 6901 §3): `~` as `~0`, `/` as `~1`.
 * @param {string} name
 * @returns {string}
 */
function pointerToken(name) {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The errors of the present value `x` of field `f` (an entry of a `fieldTable`) as ajv's
 * standalone code reports them: keyword, params and message, in ajv's order (type; then
 * maxLength, minLength, pattern, format; or maximum, minimum, exclusiveMaximum,
 * exclusiveMinimum), every one when `all`, else the first. Run only once a fast check failed.
 * @param {Field} f
 * @param {any} x any JSON value; read as the type `f` checks once that check passed
 * @param {boolean} all
 * @returns {Array<[string, Record<string, unknown>, string]>}
 */
function fieldIssues(f, x, all) {
  /** @type {Array<[string, Record<string, unknown>, string]>} */
  const out = [];
  /** @type {(keyword: string, params: Record<string, unknown>, message: string) => boolean} */
  const add = (keyword, params, message) => out.push([keyword, params, message]) > 0 && !all;
  const s = f.schema;
  if (f.values !== undefined) {
    if (f.values.indexOf(x) === -1) {
      if (s.enum !== undefined) add('enum', { allowedValues: s.enum }, 'must be equal to one of the allowed values');
      else add('const', { allowedValue: s.const }, 'must be equal to constant');
    }
    return out;
  }
  const type = s.type;
  const finite = typeof x === 'number' && isFinite(x);
  const typed =
    type === 'string' || type === 'boolean' ? typeof x === type : type === 'null' ? x === null : type === 'object' ? isJsonObject(x) : finite && (type === 'number' || !(x % 1));
  // Collecting every error, ajv checks an integer's limits on any finite number; other keywords apply to their type only.
  if (!typed && (add('type', { type }, `must be ${type}`) || type !== 'integer' || !finite)) return out;
  if (type === 'string') {
    // ajv's order; `||` stops at the first error unless every one is collected.
    (x.length > f.maxLength && ucs2length(x) > f.maxLength && add('maxLength', { limit: s.maxLength }, `must NOT have more than ${s.maxLength} characters`)) ||
      (x.length < 2 * f.minLength && ucs2length(x) < f.minLength && add('minLength', { limit: s.minLength }, `must NOT have fewer than ${s.minLength} characters`)) ||
      (f.pattern !== undefined && !f.pattern.test(x) && add('pattern', { pattern: s.pattern }, `must match pattern "${s.pattern}"`)) ||
      (f.format !== undefined && !f.format(x) && add('format', { format: s.format }, `must match format "${s.format}"`));
  } else if (finite) {
    (x > f.maximum && add('maximum', { comparison: '<=', limit: s.maximum }, `must be <= ${s.maximum}`)) ||
      (x < f.minimum && add('minimum', { comparison: '>=', limit: s.minimum }, `must be >= ${s.minimum}`)) ||
      (x >= f.exclusiveMaximum && add('exclusiveMaximum', { comparison: '<', limit: s.exclusiveMaximum }, `must be < ${s.exclusiveMaximum}`)) ||
      (x <= f.exclusiveMinimum && add('exclusiveMinimum', { comparison: '>', limit: s.exclusiveMinimum }, `must be > ${s.exclusiveMinimum}`));
  }
  return out;
}

/**
 * Whether the present value `x` of string field `f` (an entry of a `fieldTable`) is valid: what
 * `fieldIssues` finds no error, by the shortest means. A base's field validator calls the check of each
 * field's kind (isStringField, isNumberField, isEnumField) on every message.
 * @param {Field} f
 * @param {unknown} x
 * @returns {boolean}
 */
export function isStringField(f, x) {
  return (
    typeof x === 'string' &&
    (x.length <= f.maxLength || ucs2length(x) <= f.maxLength) &&
    (x.length >= 2 * f.minLength || ucs2length(x) >= f.minLength) &&
    (f.pattern === undefined || f.pattern.test(x)) &&
    (f.format === undefined || f.format(x))
  );
}

/**
 * Whether the present value `x` of number or integer field `f` is valid (finite, an integer when `f` says so, within its limits).
 * @param {Field} f
 * @param {unknown} x
 * @returns {boolean}
 */
export function isNumberField(f, x) {
  return (
    typeof x === 'number' && isFinite(x) && (f.type === 'number' || !(x % 1)) &&
    x <= f.maximum && x >= f.minimum && x < f.exclusiveMaximum && x > f.exclusiveMinimum
  );
}

/**
 * Whether the present value `x` of enum or const field `f` is one of its values (`===`, as ajv compares JSON scalars).
 * @param {Field} f
 * @param {unknown} x
 * @returns {boolean}
 */
export function isEnumField(f, x) {
  return /** @type {unknown[]} */ (f.values).indexOf(x) !== -1;
}

/**
 * Whether `x` is a JSON object (not null, not an array): the check of a field holding any object.
 * @param {unknown} x
 * @returns {boolean}
 */
export function isJsonObject(x) {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * The fields of a shared base, from a table of their JSON Schemas (2020-12) in schema order,
 * made ready to check as ajv's standalone code checks them. Each schema is one of: `{enum}`
 * or `{const}` of JSON scalars; `{type: "string"}` with maxLength, minLength, pattern (a `u`
 * regular expression) and format; `{type: "number" | "integer"}` with maximum, minimum,
 * exclusiveMaximum, exclusiveMinimum; `{type: "boolean" | "null"}`; `{type: "object"}`
 * holding any values. A property that accepts any value has no entry.
 * @param {ReadonlyArray<readonly [string, FieldSchema]>} table
 * @param {Readonly<Record<string, (s: string) => boolean>>} checkers the format checkers the table names
 * @returns {Field[]}
 */
export function fieldTable(table, checkers) {
  return table.map(([name, schema]) => ({
    name,
    schema,
    type: schema.type,
    at: '/' + pointerToken(name),
    schemaAt: '#/properties/' + encodeURIComponent(pointerToken(name)) + '/',
    // The checks' reading of the keywords: an absent bound never fails.
    values: schema.enum ?? ('const' in schema ? [schema.const] : undefined),
    maxLength: schema.maxLength ?? Infinity,
    minLength: schema.minLength ?? 0,
    pattern: schema.pattern === undefined ? undefined : new RegExp(/** @type {string} */ (schema.pattern), 'u'),
    format: schema.format === undefined ? undefined : checkers[/** @type {string} */ (schema.format)],
    maximum: schema.maximum ?? Infinity,
    minimum: schema.minimum ?? -Infinity,
    exclusiveMaximum: schema.exclusiveMaximum ?? Infinity,
    exclusiveMinimum: schema.exclusiveMinimum ?? -Infinity,
  }));
}

/**
 * The errors of a base's fields as ajv's standalone validator of `{type: "object",
 * properties}` reports them (every one when `all`, else the first, in schema order), set on
 * `validate.errors`; returns the verdict. Reads each field as ajv does (`data[name]`, own
 * properties only when `ownProperties`).
 * @param {Validator} validate
 * @param {readonly Field[]} fields
 * @param {unknown} data
 * @param {{ instancePath: string } | undefined} options
 * @param {boolean} all
 * @param {boolean} ownProperties
 * @returns {boolean}
 */
export function fieldErrors(validate, fields, data, options, all, ownProperties) {
  const path = options === undefined ? '' : options.instancePath;
  if (!(data && typeof data === 'object' && !Array.isArray(data))) {
    validate.errors = [ajvError(path, '#/type', 'type', { type: 'object' }, 'must be object')];
    return false;
  }
  const out = [];
  for (const f of fields) {
    const x = /** @type {Record<string, unknown>} */ (data)[f.name];
    if (x === undefined || (ownProperties && !Object.prototype.hasOwnProperty.call(data, f.name))) continue;
    for (const [keyword, params, message] of fieldIssues(f, x, all)) out.push(ajvError(path + f.at, f.schemaAt + keyword, keyword, params, message));
    if (out.length !== 0 && !all) break;
  }
  validate.errors = out.length === 0 ? null : out;
  return out.length === 0;
}
