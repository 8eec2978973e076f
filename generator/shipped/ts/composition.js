// The validator of a message type that narrows a shared base, composed of the type's own ajv
// validator and the base's field validator, and the ajv error shape the validators build.

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
 * The validator of a type with a fast verdict: `accepts` decides (no errors built), and only
 * for a value it refuses does `errorsOf` run, for the errors the flat schema reports.
 * `accepts` and `errorsOf` give the same verdict (test/conformance/fast-verdicts.test.ts).
 * @param {(data: unknown) => boolean} accepts
 * @param {Validator} errorsOf
 * @returns {Validator}
 */
export function verdictFirst(accepts, errorsOf) {
  /** @type {Validator} */
  const validate = (data, options) => {
    if (accepts(data)) {
      validate.errors = null;
      return true;
    }
    const valid = errorsOf(data, options);
    validate.errors = errorsOf.errors;
    return valid;
  };
  return validate;
}
