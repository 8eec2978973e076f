// The checks of wsgen's JSON Schema 2020-12 keyword checker (keywords.js), one builder per keyword family: the
// JavaScript port of the Python package's _keyword_checks.py, with the same verdicts, errors and error order.
//
// A subschema compiles to a Node: checks that apply to any value (type, enum, const, the in-place applicators,
// $ref) and checks by the value's JSON kind (strings, numbers, arrays, objects). A check is
// `check(value, path, sink, seen) -> boolean`: `path` is the value's JSON pointer, `sink` collects errors (null
// when only the verdict matters: stop at the first failure), `seen` collects the annotations that
// unevaluatedProperties/unevaluatedItems read (JSON Schema 2020-12 §11), null when no keyword above needs them.
// Errors read as ajv's: instancePath, keyword, params and message.
import { decimalMultiple, equal, ucs2length } from './runtime.js';

/**
 * @typedef {{ instancePath: string, keyword: string, params: Record<string, unknown>, message: string }} KeywordError
 * @typedef {KeywordError[] | null} Sink
 * @typedef {(value: any, path: string, sink: Sink, seen: Evaluated | null) => boolean} Check
 * @typedef {(schema: unknown, pointer: string) => Node} Compile
 * @typedef {Record<string, any>} Schema
 */

/** The annotations of one instance location that unevaluated* read (§11.2, §11.3): names, item indices evaluated. */
export class Evaluated {
  constructor() {
    /** @type {Set<string>} */
    this.names = new Set();
    this.allNames = false;
    this.prefix = 0;
    /** @type {Set<number>} */
    this.indices = new Set();
    this.allItems = false;
  }

  /**
   * Adds the annotations of a successful subschema at the same location.
   * @param {Evaluated} other
   */
  merge(other) {
    for (const n of other.names) this.names.add(n);
    this.allNames ||= other.allNames;
    this.prefix = Math.max(this.prefix, other.prefix);
    for (const i of other.indices) this.indices.add(i);
    this.allItems ||= other.allItems;
  }
}

/**
 * The JSON kind of a parsed value that selects a Node's specific checks.
 * @param {unknown} value
 * @returns {'string' | 'number' | 'array' | 'object' | 'other'}
 */
export function kindOf(value) {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' && value !== null ? 'object' : 'other';
}

/** The group of each kind, in ajv's order of its typed keyword groups (number, string, array, object; ajv/lib/compile/rules.ts). */
const GROUP_OF = { number: 0, string: 1, array: 2, object: 3 };

/** @type {Check[]} */
const NONE = [];

/**
 * A compiled subschema, checking in ajv's order so that the errors (the first above all) come as ajv's do: `type`
 * first, or, when it names one of the groups number/string/array/object and the subschema has keywords of that group
 * (`deferred`: the group's index), at that group's place (ajv reports it in the group's else branch); then the
 * `generic` checks for any value (`$ref`, `const`, `enum`, `not`, `anyOf`, `oneOf`, `allOf`, `if`); then the
 * `specific` ones of the value's kind. The port of `_keyword_checks.py`'s Node.
 */
export class Node {
  /**
   * @param {Check[]} generic
   * @param {Partial<Record<string, Check[]>>} specific
   * @param {boolean} unevaluated whether the subschema has unevaluated* (then it collects its own annotations)
   * @param {Check | null} [typeCheck] the `type` check, null without `type`
   * @param {number} [deferred] the index of the group the `type` check is deferred to, undefined when it comes first
   */
  constructor(generic, specific, unevaluated, typeCheck = null, deferred = undefined) {
    this.generic = generic;
    this.specific = specific;
    this.unevaluated = unevaluated;
    this.typeCheck = typeCheck;
    this.deferred = deferred;
    /** @type {Record<string, Check[]>} the checks by kind, joined on first use */
    this.joined = {};
  }

  /**
   * The checks a value of `kind` runs, in order (joined once per kind).
   * @param {string} kind
   * @returns {Check[]}
   */
  sequence(kind) {
    const known = this.joined[kind];
    if (known !== undefined) return known;
    const own = this.specific[kind] ?? NONE;
    const type = this.typeCheck;
    /** @type {Check[]} */
    let all;
    if (type === null) all = [...this.generic, ...own];
    else if (this.deferred === undefined) all = [type, ...this.generic, ...own];
    else {
      const group = /** @type {Record<string, number>} */ (GROUP_OF)[kind] ?? -1;
      all = group < this.deferred ? [...this.generic, ...own, type] : [...this.generic, type, ...own];
    }
    this.joined[kind] = all;
    return all;
  }

  /**
   * Whether `value` is valid; errors go to `sink`, annotations (when valid) to `seen`.
   * @param {any} value
   * @param {string} path
   * @param {Sink} sink
   * @param {Evaluated | null} seen
   * @returns {boolean}
   */
  run(value, path, sink, seen) {
    const own = this.unevaluated ? new Evaluated() : seen;
    let ok = true;
    for (const check of this.sequence(kindOf(value))) {
      if (!check(value, path, sink, own)) {
        if (sink === null) return false;
        ok = false;
      }
    }
    if (ok && own !== seen && own !== null && seen !== null) seen.merge(own);
    return ok;
  }
}

/**
 * Records one error (when errors are collected) and returns false.
 * @param {Sink} sink
 * @param {string} path
 * @param {string} keyword
 * @param {Record<string, unknown>} params
 * @param {string} message
 * @returns {false}
 */
export function fail(sink, path, keyword, params, message) {
  if (sink !== null) sink.push({ instancePath: path, keyword, params, message });
  return false;
}

/**
 * One reference token of a JSON pointer (RFC 6901 §3: `~` as `~0`, `/` as `~1`).
 * @param {string | number} name
 */
export function pointerToken(name) {
  return String(name).replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Whether a parsed JSON object has the member `name` (its own: never an inherited one such as `toString`).
 * @param {object} value
 * @param {string} name
 */
export function has(value, name) {
  return Object.prototype.hasOwnProperty.call(value, name);
}

/**
 * A non-negative integer keyword value, undefined when absent; an Error otherwise.
 * @param {Schema} schema
 * @param {string} keyword
 * @param {string} pointer
 * @returns {number | undefined}
 */
export function count(schema, keyword, pointer) {
  if (!has(schema, keyword)) return undefined;
  const value = schema[keyword];
  if (typeof value !== 'number' || value < 0 || !Number.isInteger(value)) throw new Error(`${pointer}/${keyword}: must be a non-negative integer, not ${JSON.stringify(value)}`);
  return value;
}

/**
 * A number keyword value, undefined when absent; an Error otherwise.
 * @param {Schema} schema
 * @param {string} keyword
 * @param {string} pointer
 * @returns {number | undefined}
 */
function numberOf(schema, keyword, pointer) {
  if (!has(schema, keyword)) return undefined;
  const value = schema[keyword];
  if (typeof value !== 'number') throw new Error(`${pointer}/${keyword}: must be a number, not ${JSON.stringify(value)}`);
  return value;
}

/**
 * A non-empty array of subschemas, compiled.
 * @param {Schema} schema
 * @param {string} keyword
 * @param {string} pointer
 * @param {Compile} compile
 * @returns {Node[]}
 */
export function schemaList(schema, keyword, pointer, compile) {
  const value = schema[keyword];
  if (!Array.isArray(value) || value.length === 0) throw new Error(`${pointer}/${keyword}: must be a non-empty array of schemas`);
  return value.map((sub, i) => compile(sub, `${pointer}/${keyword}/${i}`));
}

/**
 * An object of subschemas by name, compiled, in the schema's order.
 * @param {Schema} schema
 * @param {string} keyword
 * @param {string} pointer
 * @param {Compile} compile
 * @returns {Map<string, Node>}
 */
export function schemaMap(schema, keyword, pointer, compile) {
  const value = schema[keyword];
  if (kindOf(value) !== 'object') throw new Error(`${pointer}/${keyword}: must be an object of schemas`);
  return new Map(Object.keys(value).map((name) => [name, compile(value[name], `${pointer}/${keyword}/${pointerToken(name)}`)]));
}

const TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

/**
 * Whether a parsed value has the JSON Schema type `name` (§6.1.1; "integer": a number with a zero fractional part).
 * @param {unknown} value
 * @param {string} name
 */
export function hasType(value, name) {
  switch (name) {
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    case 'boolean':
    case 'number':
      return typeof value === name;
    default:
      return kindOf(value) === name;
  }
}

/**
 * The keywords of each typed group of ajv, by which ajv defers a one-name `type` to its group's place (Node).
 * @type {Record<string, [number, string[]]>}
 */
const GROUP_KEYWORDS = {
  number: [0, ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf', 'format']],
  string: [1, ['maxLength', 'minLength', 'pattern', 'format']],
  array: [2, ['maxItems', 'minItems', 'uniqueItems', 'prefixItems', 'items', 'contains', 'minContains', 'maxContains', 'unevaluatedItems']],
  object: [3, ['maxProperties', 'minProperties', 'required', 'propertyNames', 'additionalProperties', 'dependencies', 'properties', 'patternProperties', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties', 'discriminator']],
};

/**
 * `type` (a name or a list, §6.1.1), then `const` (§6.1.3) and `enum` (§6.1.2) with JSON equality, in ajv's order:
 * the `type` check (null without `type`), the index of the group it is deferred to (Node; undefined when it comes
 * first), and the value checks.
 * @param {Schema} schema
 * @param {string} pointer
 * @returns {{ typeCheck: Check | null, deferred: number | undefined, checks: Check[] }}
 */
export function typeChecks(schema, pointer) {
  /** @type {Check[]} */
  const checks = [];
  /** @type {Check | null} */
  let typeCheck = null;
  /** @type {number | undefined} */
  let deferred;
  if (has(schema, 'type')) {
    const names = schema.type;
    const listed = Array.isArray(names) ? names : [names];
    if (listed.length === 0 || listed.some((n) => !TYPES.has(n)) || new Set(listed).size !== listed.length) {
      throw new Error(`${pointer}/type: must be a type name or a list of distinct ones, not ${JSON.stringify(names)}`);
    }
    const message = `must be ${listed.join(',')}`;
    typeCheck = (value, path, sink) => listed.some((n) => hasType(value, n)) || fail(sink, path, 'type', { type: names }, message);
    const group = listed.length === 1 ? GROUP_KEYWORDS[listed[0]] : undefined;
    if (group !== undefined && group[1].some((k) => has(schema, k))) deferred = group[0];
  }
  if (has(schema, 'const')) {
    const allowedValue = schema.const;
    checks.push((value, path, sink) => equal(allowedValue, value) || fail(sink, path, 'const', { allowedValue }, 'must be equal to constant'));
  }
  if (has(schema, 'enum')) {
    const allowedValues = schema.enum;
    if (!Array.isArray(allowedValues)) throw new Error(`${pointer}/enum: must be an array`);
    checks.push((value, path, sink) => allowedValues.some((v) => equal(v, value)) || fail(sink, path, 'enum', { allowedValues }, 'must be equal to one of the allowed values'));
  }
  return { typeCheck, deferred, checks };
}

/** @type {Record<string, [string, (a: number, b: number) => boolean]>} */
const COMPARISONS = {
  maximum: ['<=', (a, b) => a <= b],
  minimum: ['>=', (a, b) => a >= b],
  exclusiveMaximum: ['<', (a, b) => a < b],
  exclusiveMinimum: ['>', (a, b) => a > b],
};

/**
 * `multipleOf` by exact decimal arithmetic (README "Numbers", runtime.js `decimalMultiple`).
 * @param {number} limit
 * @param {string} pointer
 * @returns {Check}
 */
function multipleOf(limit, pointer) {
  if (!(limit > 0) || !Number.isFinite(limit)) throw new Error(`${pointer}/multipleOf: must be a positive finite number, not ${limit}`);
  const [mantissa, exp] = String(limit).split('e');
  const dot = /** @type {string} */ (mantissa).indexOf('.');
  const digits = BigInt(/** @type {string} */ (mantissa).replace('.', ''));
  const exponent = Number(exp ?? 0) - (dot < 0 ? 0 : /** @type {string} */ (mantissa).length - dot - 1);
  const message = `must be multiple of ${limit}`;
  return (value, path, sink) => decimalMultiple(value, digits, exponent) || fail(sink, path, 'multipleOf', { multipleOf: limit }, message);
}

/**
 * `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (§6.2) and `multipleOf`.
 * @param {Schema} schema
 * @param {string} pointer
 * @returns {Check[]}
 */
export function numberChecks(schema, pointer) {
  /** @type {Check[]} */
  const checks = [];
  for (const [keyword, [sign, holds]] of Object.entries(COMPARISONS)) {
    const limit = numberOf(schema, keyword, pointer);
    if (limit === undefined) continue;
    const message = `must be ${sign} ${limit}`;
    checks.push((value, path, sink) => holds(value, limit) || fail(sink, path, keyword, { comparison: sign, limit }, message));
  }
  const multiple = numberOf(schema, 'multipleOf', pointer);
  if (multiple !== undefined) checks.push(multipleOf(multiple, pointer));
  return checks;
}

/**
 * `minLength`/`maxLength` (code points), `minItems`/`maxItems`, `minProperties`/`maxProperties`, as ajv's
 * "must NOT have more than 2 items".
 * @param {string} keyword
 * @param {number} limit
 * @param {string} unit
 * @param {(value: any) => number} measure
 * @returns {Check}
 */
export function size(keyword, limit, unit, measure) {
  const atMost = keyword.startsWith('max');
  const message = `must NOT have ${atMost ? 'more' : 'fewer'} than ${limit} ${unit}`;
  return (value, path, sink) => {
    const n = measure(value);
    return (atMost ? n <= limit : n >= limit) || fail(sink, path, keyword, { limit }, message);
  };
}

/**
 * `minLength`/`maxLength` in code points (§6.3.1), `pattern` (§6.3.3, ECMAScript with the u flag) and `format`
 * asserted with wsgen's checkers (`formats`: name to checker).
 * @param {Schema} schema
 * @param {string} pointer
 * @param {Readonly<Record<string, (s: string) => boolean>>} formats
 * @returns {Check[]}
 */
export function stringChecks(schema, pointer, formats) {
  /** @type {Check[]} */
  const checks = [];
  for (const keyword of ['maxLength', 'minLength']) {
    const limit = count(schema, keyword, pointer);
    if (limit !== undefined) checks.push(size(keyword, limit, 'characters', ucs2length));
  }
  if (has(schema, 'pattern')) {
    const source = schema.pattern;
    if (typeof source !== 'string') throw new Error(`${pointer}/pattern: must be a string`);
    const regex = new RegExp(source, 'u');
    const message = `must match pattern "${source}"`;
    checks.push((value, path, sink) => regex.test(value) || fail(sink, path, 'pattern', { pattern: source }, message));
  }
  if (has(schema, 'format')) {
    const name = schema.format;
    const holds = typeof name === 'string' && has(formats, name) ? formats[name] : undefined;
    if (holds === undefined) throw new Error(`${pointer}/format: ${JSON.stringify(name)} is not a format wsgen asserts (${Object.keys(formats).sort().join(', ')})`);
    const message = `must match format "${name}"`;
    checks.push((value, path, sink) => holds(value) || fail(sink, path, 'format', { format: name }, message));
  }
  return checks;
}
