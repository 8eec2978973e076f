// Runtime helpers of the standalone validators: exact, dependency-free
// checkers of the date-time and uuid wire formats (the other formats are in
// formats.js, which a validator imports only when it checks one of them), and
// the ajv runtime functions standalone code calls. Nothing here is compiled at runtime.

/**
 * An error as ajv reports it.
 * @typedef {import('./validators/index.js').AjvError} AjvError
 */
/**
 * A standalone ajv validator as validators call one another: `options.instancePath` is the JSON
 * Pointer (RFC 6901) of `data` in the message; `errors` is set when it returns false.
 * @typedef {((data: unknown, options?: { instancePath: string }) => boolean) & { errors?: AjvError[] | null }} Validator
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

const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The value of the `n` decimal digits of `s` from index `i`, or -1 when one is not a digit.
 * @param {string} s
 * @param {number} i
 * @param {number} n
 * @returns {number}
 */
function digits(s, i, n) {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * RFC 3339 date-time as wsgen's wire rule narrows it:
 * YYYY-MM-DDTHH:MM:SS[.1-9 digits](Z|+HH:MM|-HH:MM), uppercase T and Z,
 * year 0001-9999, a real calendar day, no leap second. Nine fraction digits
 * read what .NET (7), Go and Java (up to 9) write by default; the value stays
 * the string, every digit kept.
 * @param {string} s
 * @returns {boolean}
 */
export function isDateTime(s) {
  const n = s.length;
  if (n < 20 || n > 35) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
  const hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS[month])) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      i++;
    }
    if (i === start || i - start > 9) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 90) return i + 1 === n;
  if ((z !== 43 && z !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A UUID in its 8-4-4-4-12 hex form, any case, no braces or urn prefix.
 * @param {string} s
 * @returns {boolean}
 */
export function isUuid(s) {
  return UUID.test(s);
}

/**
 * `multipleOf` by exact decimal arithmetic (README "Numbers"): whether the decimal that `x`'s
 * shortest round-trip text writes, divided by `digits × 10^exponent`, is an integer.
 * @param {number} x
 * @param {bigint} digits
 * @param {number} exponent
 * @returns {boolean}
 */
export function decimalMultiple(x, digits, exponent) {
  if (!Number.isFinite(x)) return false;
  const [mantissa, exp] = String(Math.abs(x)).split("e");
  const dot = mantissa.indexOf(".");
  const value = BigInt(mantissa.replace(".", ""));
  if (value === 0n) return true;
  const k = Number(exp ?? 0) - (dot < 0 ? 0 : mantissa.length - dot - 1) - exponent;
  return k >= 0 ? (value * 10n ** BigInt(k)) % digits === 0n : value % (digits * 10n ** BigInt(-k)) === 0n;
}

/**
 * Length in Unicode code points (JSON Schema's minLength/maxLength).
 * @param {string} str
 * @returns {number}
 */
export function ucs2length(str) {
  const len = str.length;
  let length = 0;
  let pos = 0;
  while (pos < len) {
    length++;
    const value = str.charCodeAt(pos++);
    if (value >= 0xd800 && value <= 0xdbff && pos < len) {
      if ((str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
    }
  }
  return length;
}

/**
 * JSON equality (JSON Schema 2020-12 Core §4.2.2), as `const`, `enum` and `uniqueItems` compare: numbers by
 * value (1 equals 1.0), `true` never equals 1, arrays item by item, objects by their keys whatever their order.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
export function equal(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = /** @type {Record<string, unknown>} */ (a);
  const y = /** @type {Record<string, unknown>} */ (b);
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(y, k) || !equal(x[k], y[k])) return false;
  return true;
}

/**
 * The property of `parent`'s value an error is about (`undefined` at the value
 * itself): the first JSON Pointer token (RFC 6901) after `parent`, unescaped.
 * @param {AjvError} error
 * @param {string} parent the JSON Pointer of the value
 * @returns {string | undefined}
 */
function propertyOf(error, parent) {
  if (error.instancePath.length === parent.length) return undefined;
  const rest = error.instancePath.slice(parent.length + 1);
  const cut = rest.indexOf('/');
  return (cut === -1 ? rest : rest.slice(0, cut)).replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Position of an error's property in schema order: the base's properties first, added ones after them.
 * @param {AjvError} error
 * @param {string} parent the JSON Pointer of the value
 * @param {readonly string[]} order the base's properties in schema order
 * @returns {number}
 */
function rank(error, parent, order) {
  const i = order.indexOf(/** @type {string} */ (propertyOf(error, parent)));
  return i === -1 ? order.length : i;
}

/**
 * The validator of a message type that narrows a shared base, from two ajv
 * validators: `own` checks the object, its required fields, its closed set of
 * properties and the fields the type declares or narrows (`narrowed`, the tag
 * among them); `fields` checks every base field present. Accepts what both
 * accept. The first error is the one the type's flat schema reports first
 * (ajv's order: the object, required, additional properties, then properties
 * in schema order, `order` being the base's): an error about the object wins,
 * else the error at the earlier property, and at the same property own's.
 * @param {Validator} own
 * @param {Validator} fields
 * @param {readonly string[]} order
 * @param {readonly string[]} narrowed
 * @returns {Validator}
 */
export function composed(own, fields, order, narrowed) {
  /** @type {Validator} */
  const validate = (data, options) => {
    if (own(data, options)) {
      if (fields(data, options)) {
        validate.errors = null;
        return true;
      }
      validate.errors = fields.errors;
      return false;
    }
    const parent = options === undefined ? '' : options.instancePath;
    const mine = /** @type {AjvError[]} */ (own.errors);
    const first = propertyOf(mine[0], parent);
    if (first === undefined || fields(data, options)) {
      validate.errors = mine;
      return false;
    }
    const theirs = /** @type {AjvError[]} */ (fields.errors);
    validate.errors = rank(theirs[0], parent, order) < rank(mine[0], parent, order) ? theirs : mine;
    return false;
  };
  return validate;
}

/**
 * `composed` when every error is collected (ajv's allErrors): the errors about
 * the object, then every property error in schema order; at a field the type
 * narrows, only own's, and none at a field the type leaves out (reported as an
 * additional property).
 * @param {Validator} own
 * @param {Validator} fields
 * @param {readonly string[]} order
 * @param {readonly string[]} narrowed
 * @returns {Validator}
 */
export function composedAll(own, fields, order, narrowed) {
  /** @type {Validator} */
  const validate = (data, options) => {
    const parent = options === undefined ? '' : options.instancePath;
    const okOwn = own(data, options);
    const mine = okOwn ? [] : /** @type {AjvError[]} */ (own.errors);
    if (!okOwn && mine[0].keyword === 'type' && propertyOf(mine[0], parent) === undefined) {
      validate.errors = mine;
      return false;
    }
    const okFields = fields(data, options);
    if (okOwn && okFields) {
      validate.errors = null;
      return true;
    }
    // The flat schema checks a narrowed field with the type's schema only, and a field the type leaves out not at all.
    /** @type {Set<string | undefined>} */
    const skip = new Set(narrowed);
    for (const e of mine) if (e.keyword === 'additionalProperties' && propertyOf(e, parent) === undefined) skip.add(/** @type {string} */ (e.params.additionalProperty));
    let theirs = okFields ? [] : /** @type {AjvError[]} */ (fields.errors).filter((e) => !skip.has(propertyOf(e, parent)));
    if (okOwn && theirs.length === 0) theirs = /** @type {AjvError[]} */ (fields.errors);
    const atProperties = [...mine.filter((e) => propertyOf(e, parent) !== undefined), ...theirs];
    atProperties.sort((a, b) => rank(a, parent, order) - rank(b, parent, order));
    validate.errors = [...mine.filter((e) => propertyOf(e, parent) === undefined), ...atProperties];
    return false;
  };
  return validate;
}

/**
 * An error as ajv reports it (its keys, in its order); the standalone
 * validators build every error with it instead of an object literal each.
 * @param {string} instancePath
 * @param {string} schemaPath
 * @param {string} keyword
 * @param {Record<string, unknown>} params
 * @param {string} message
 * @returns {import('./validators/index.js').AjvError}
 */
export function ajvError(instancePath, schemaPath, keyword, params, message) {
  return { instancePath, schemaPath, keyword, params, message };
}

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
