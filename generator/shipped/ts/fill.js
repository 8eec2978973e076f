// Filling of schema defaults into parsed messages (README "Supported JSON Schema", `default`):
// after a message passed validation as sent, every absent optional property with a `default`
// gets a fresh copy of it, at any depth. Copy on write: a filler returns its argument itself
// when nothing below it is absent, else a new object or array that shares the untouched parts,
// so the caller's value is never changed and no two parsed messages share a default.

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `out` with `key` set to `value` as an own data property (a key `__proto__` included, which an
 * assignment would read as the prototype).
 * @param {Record<string, unknown>} out
 * @param {string} key
 * @param {unknown} value
 */
function put(out, key, value) {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

/**
 * Fills the declared properties of one object: for each `[key, makeDefault, fillValue]`, an
 * absent key gets `makeDefault()` (when the property has a default), a present value goes
 * through `fillValue` (when its type holds defaults).
 * @param {Record<string, unknown>} value a valid object of the type
 * @param {ReadonlyArray<readonly [string, (() => unknown) | undefined, ((x: unknown) => unknown) | undefined]>} fields
 * @returns {Record<string, unknown>}
 */
export function fillObject(value, fields) {
  let out = value;
  for (let i = 0; i < fields.length; i++) {
    const [key, makeDefault, fillValue] = fields[i];
    let next;
    if (hasOwn.call(value, key)) {
      if (fillValue === undefined) continue;
      const x = value[key];
      next = fillValue(x);
      if (next === x) continue;
    } else {
      if (makeDefault === undefined) continue;
      next = makeDefault();
    }
    if (out === value) out = { ...value };
    put(out, key, next);
  }
  return out;
}

/**
 * The filler of an array whose items hold defaults.
 * @param {(x: unknown) => unknown} fillItem
 * @returns {(a: unknown[]) => unknown[]}
 */
export function arrayOf(fillItem) {
  return (a) => {
    let out = a;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      const y = fillItem(x);
      if (y === x) continue;
      if (out === a) out = a.slice();
      out[i] = y;
    }
    return out;
  };
}

/**
 * The filler of an object whose every value (a record, `additionalProperties` of a type) holds defaults.
 * @param {(x: unknown) => unknown} fillValue
 * @returns {(r: Record<string, unknown>) => Record<string, unknown>}
 */
export function recordOf(fillValue) {
  return (r) => {
    let out = r;
    for (const key of Object.keys(r)) {
      const x = r[key];
      const y = fillValue(x);
      if (y === x) continue;
      if (out === r) out = { ...r };
      put(out, key, y);
    }
    return out;
  };
}

/**
 * The filler of a nullable place: null stays null.
 * @param {(x: unknown) => unknown} fill
 * @returns {(x: unknown) => unknown}
 */
export function nullOr(fill) {
  return (x) => (x === null ? x : fill(x));
}

/**
 * The filler of a tagged union: the branch that the tag (a string const every branch requires) selects.
 * @param {string} property the discriminator
 * @param {ReadonlyMap<string, (x: unknown) => unknown>} fills by tag value, for the branches that hold defaults
 * @returns {(x: Record<string, unknown>) => unknown}
 */
export function byTag(property, fills) {
  return (x) => {
    const fill = fills.get(/** @type {string} */ (x[property]));
    return fill === undefined ? x : fill(x);
  };
}

/**
 * The filler of a union whose branches have disjoint JSON types: the one branch that takes objects,
 * the one that takes arrays (either may be absent: its values hold no defaults).
 * @param {((x: unknown) => unknown) | undefined} fillObjectBranch
 * @param {((x: unknown) => unknown) | undefined} fillArrayBranch
 * @returns {(x: unknown) => unknown}
 */
export function byJsonType(fillObjectBranch, fillArrayBranch) {
  return (x) => {
    if (typeof x !== 'object' || x === null) return x;
    const fill = Array.isArray(x) ? fillArrayBranch : fillObjectBranch;
    return fill === undefined ? x : fill(x);
  };
}
