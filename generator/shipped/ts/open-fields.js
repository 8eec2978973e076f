// The wire rules JSON Schema cannot say, for the open fields of a message (those that hold
// any JSON value): nesting depth and the range of numbers, and the shape of a validation
// issue. open.js checks each type's open fields with these (the fields vary per schema).

/** Deepest nesting a message may have: no value sits inside more than this many arrays or objects. */
export const MAX_DEPTH = 200;

/**
 * The largest integer every target reads exactly, 2^53 − 1 (I-JSON, RFC 7493 §2.2). Every
 * number in an open field must lie within ±MAX_SAFE_INTEGER: beyond it a double cannot tell
 * neighbouring integers apart (9007199254740993 reads as 9007199254740992, a 400-digit
 * integer as Infinity), while Python reads integers exactly.
 */
export const MAX_SAFE_INTEGER = 9007199254740991;

/**
 * One validation problem.
 * @param {string} path JSON Pointer (RFC 6901) of the value
 * @param {string} keyword
 * @param {string} message
 * @param {Record<string, unknown>} [params]
 * @returns {import('./parse.js').ValidationIssue}
 */
export function issue(path, keyword, message, params = {}) {
  return { path, keyword, message, params };
}

/** What a walk of an open value found: bit UNSAFE, a number beyond ±MAX_SAFE_INTEGER. */
export const UNSAFE = 1;
/** What a walk of an open value found: bit DEEP, nesting past MAX_DEPTH. */
export const DEEP = 2;

/**
 * Walks an open value sitting at `depth` (the message is depth 0): DEEP as soon as
 * something sits deeper than MAX_DEPTH, else UNSAFE if a number lies outside
 * ±MAX_SAFE_INTEGER (Infinity and NaN included), else 0.
 * @param {unknown} value
 * @param {number} depth
 * @returns {number}
 */
export function scan(value, depth) {
  if (depth > MAX_DEPTH) return DEEP;
  if (typeof value === 'number') return value <= MAX_SAFE_INTEGER && value >= -MAX_SAFE_INTEGER ? 0 : UNSAFE;
  if (typeof value !== 'object' || value === null) return 0;
  let found = 0;
  if (Array.isArray(value)) {
    for (const x of value) if ((found |= item(x, depth + 1)) & DEEP) return found;
    return found;
  }
  const object = /** @type {Record<string, unknown>} */ (value);
  for (const k in object) if ((found |= item(object[k], depth + 1)) & DEEP) return found;
  return found;
}

/**
 * `scan` of a value inside an array or object, without a call for a string, boolean or null
 * (most items of an open value) unless it sits deeper than MAX_DEPTH.
 * @param {unknown} value
 * @param {number} depth
 * @returns {number}
 */
function item(value, depth) {
  if (depth > MAX_DEPTH || typeof value === 'object' || typeof value === 'number') return scan(value, depth);
  return 0;
}

/**
 * The issue of an open field nesting deeper than MAX_DEPTH.
 * @param {string} path
 */
export function tooDeep(path) {
  return issue(path, 'depth', `must not nest deeper than ${MAX_DEPTH} levels`, { limit: MAX_DEPTH });
}

/**
 * The issue of an open field holding a number beyond ±MAX_SAFE_INTEGER (Python words it alike).
 * @param {string} path
 */
export function unsafeNumber(path) {
  return issue(path, 'number', `must hold only numbers from -${MAX_SAFE_INTEGER} to ${MAX_SAFE_INTEGER}`, { limit: MAX_SAFE_INTEGER });
}

/**
 * For types without open fields: nothing in them can nest or hold any number.
 * @param {object} [_d] the message
 * @returns {undefined}
 */
export function noOpenIssue(_d) {
  return undefined;
}

/**
 * The JSON Pointer token of a key (RFC 6901: `~` as `~0`, `/` as `~1`).
 * @param {string} key
 * @returns {string}
 */
function token(key) {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * The first issue of the open values of a schema-valid object `d` of a type whose open positions are `positions`
 * (open.js's table: `[0, key, pointer]` an open property, `[1, key, pointer, type]` a property holding an object of
 * that type, `[2, key, pointer, tag, types]` one holding a tagged union (a Map of tag value to type), `[3, declared]`
 * the keys not declared, each an open value, in code-unit order), at any depth: the first nesting deeper than
 * MAX_DEPTH counted from the message root, else the first holding a number beyond ±MAX_SAFE_INTEGER, each at the
 * pointer of its open value (Python's `_open_positions.py` walks the same table in the same order).
 * @param {Record<string, unknown>} d
 * @param {readonly unknown[][]} positions
 * @param {ReadonlyMap<string, readonly unknown[][]>} table every type's positions, by name
 * @returns {import('./parse.js').ValidationIssue | undefined}
 */
export function positionsIssue(d, positions, table) {
  const found = { unsafeAt: undefined };
  const deepAt = visit(d, positions, table, '', 0, found);
  if (deepAt !== undefined) return tooDeep(deepAt);
  return found.unsafeAt === undefined ? undefined : unsafeNumber(found.unsafeAt);
}

/**
 * `positionsIssue`'s walk of `d` at `path` and `depth`: the pointer of the first open value nesting too deep, if
 * any; the first holding an unsafe number goes to `found.unsafeAt`.
 * @param {Record<string, unknown>} d
 * @param {readonly unknown[][]} positions
 * @param {ReadonlyMap<string, readonly unknown[][]>} table
 * @param {string} path
 * @param {number} depth
 * @param {{ unsafeAt: string | undefined }} found
 * @returns {string | undefined}
 */
function visit(d, positions, table, path, depth, found) {
  for (const p of positions) {
    const kind = /** @type {number} */ (p[0]);
    if (kind === 3) {
      const declared = /** @type {ReadonlySet<string>} */ (p[1]);
      const keys = Object.keys(d).filter((k) => !declared.has(k)).sort();
      for (const k of keys) {
        const at = open(d[k], `${path}/${token(k)}`, depth + 1, found);
        if (at !== undefined) return at;
      }
      continue;
    }
    const key = /** @type {string} */ (p[1]);
    if (!Object.prototype.hasOwnProperty.call(d, key)) continue;
    const v = d[key];
    const at = path + /** @type {string} */ (p[2]);
    if (kind === 0) {
      const deep = open(v, at, depth + 1, found);
      if (deep !== undefined) return deep;
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) continue;
    const object = /** @type {Record<string, unknown>} */ (v);
    const type = kind === 1 ? p[3] : /** @type {ReadonlyMap<unknown, string>} */ (p[4]).get(object[/** @type {string} */ (p[3])]);
    const inner = type === undefined ? undefined : table.get(/** @type {string} */ (type));
    if (inner === undefined) continue;
    const deep = visit(object, inner, table, at, depth + 1, found);
    if (deep !== undefined) return deep;
  }
  return undefined;
}

/**
 * One open value `v` at `at`, sitting at `depth`: its pointer when it nests too deep; else records it in
 * `found.unsafeAt` when it is the first holding an unsafe number.
 * @param {unknown} v
 * @param {string} at
 * @param {number} depth
 * @param {{ unsafeAt: string | undefined }} found
 * @returns {string | undefined}
 */
function open(v, at, depth, found) {
  if (v === undefined) return undefined;
  const r = scan(v, depth);
  if (r & DEEP) return at;
  if (r !== 0 && found.unsafeAt === undefined) found.unsafeAt = at;
  return undefined;
}
