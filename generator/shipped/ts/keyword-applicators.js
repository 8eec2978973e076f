// The applicator keywords of wsgen's JSON Schema 2020-12 keyword checker (keywords.js) that descend into the
// value: arrays (§10.3.1, §6.4), objects (§10.3.2, §6.5) and unevaluated* (§11), with the annotations
// unevaluatedProperties/unevaluatedItems read. The JavaScript port of the Python package's
// _keyword_applicators.py: the same verdicts, errors and error order.
import { count, fail, has, hasType, kindOf, pointerToken, schemaList, schemaMap, size } from './keyword-checks.js';
import { equal } from './runtime.js';

/**
 * @typedef {import('./keyword-checks.js').Check} Check
 * @typedef {import('./keyword-checks.js').Compile} Compile
 * @typedef {import('./keyword-checks.js').Evaluated} Evaluated
 * @typedef {import('./keyword-checks.js').Node} Node
 * @typedef {import('./keyword-checks.js').Schema} Schema
 * @typedef {import('./keyword-checks.js').Sink} Sink
 */

// --- arrays ---------------------------------------------------------------------------------------

/**
 * `prefixItems` (positional) and `items` (every later item; `keyword`: `items` or a static `unevaluatedItems`);
 * `false` caps the length.
 * @param {Node[]} prefix
 * @param {Node | null} rest
 * @param {boolean} closed
 * @param {string} keyword
 * @returns {Check}
 */
function items(prefix, rest, closed, keyword) {
  const n = prefix.length;
  const message = `must NOT have more than ${n} items`;
  return (value, path, sink, seen) => {
    let ok = true;
    for (let i = 0; i < Math.min(n, value.length); i++) {
      if (!(/** @type {Node} */ (prefix[i])).run(value[i], `${path}/${i}`, sink, null)) {
        if (sink === null) return false;
        ok = false;
      }
    }
    if (closed && value.length > n) ok = fail(sink, path, keyword, { limit: n }, message);
    else if (rest !== null) {
      for (let i = n; i < value.length; i++) {
        if (!rest.run(value[i], `${path}/${i}`, sink, null)) {
          if (sink === null) return false;
          ok = false;
        }
      }
    }
    if (seen !== null) {
      seen.prefix = Math.max(seen.prefix, Math.min(n, value.length));
      seen.allItems ||= rest !== null;
    }
    return ok;
  };
}

/**
 * `contains` with `minContains` (default 1) and `maxContains` (§10.3.1.3, §6.4.4, §6.4.5).
 * @param {Node} node
 * @param {number} least
 * @param {number | undefined} most
 * @returns {Check}
 */
function contains(node, least, most) {
  const params = most === undefined ? { minContains: least } : { minContains: least, maxContains: most };
  const message = `must contain at least ${least}${most === undefined ? '' : ` and no more than ${most}`} valid item(s)`;
  return (value, path, sink, seen) => {
    /** @type {Sink} */
    const itemErrors = sink !== null ? [] : null;
    /** @type {number[]} */
    const matched = [];
    for (let i = 0; i < value.length; i++) if (node.run(value[i], `${path}/${i}`, itemErrors, null)) matched.push(i);
    if (seen !== null) for (const i of matched) seen.indices.add(i);
    if (least <= matched.length && (most === undefined || matched.length <= most)) return true;
    if (sink !== null && itemErrors !== null) sink.push(...itemErrors); // as ajv reports a failed contains: the items' errors, then its own
    return fail(sink, path, 'contains', params, message);
  };
}

/**
 * @type {Check} `uniqueItems: true` with JSON equality (§6.4.3); the error names the pair ajv's pairwise loop finds
 * first (the highest `i` with an equal item below it, `j` the nearest such).
 */
function unique(value, path, sink) {
  for (let i = value.length - 1; i > 0; i--) {
    for (let j = i - 1; j >= 0; j--) {
      if (equal(value[i], value[j])) return fail(sink, path, 'uniqueItems', { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`);
    }
  }
  return true;
}

/**
 * The `type` names of `items` when ajv checks `uniqueItems` with its hash-map loop: `items` is a schema with a `type`
 * that names neither object nor array; undefined otherwise (ajv's pairwise loop).
 * @param {Record<string, unknown>} schema
 * @returns {string[] | undefined}
 */
function scalarItemTypes(schema) {
  const items = schema.items;
  if (typeof items !== 'object' || items === null || Array.isArray(items) || !has(items, 'type')) return undefined;
  const names = /** @type {Record<string, unknown>} */ (items).type;
  const listed = /** @type {string[]} */ (Array.isArray(names) ? names : [names]);
  return listed.length === 0 || listed.includes('object') || listed.includes('array') ? undefined : listed;
}

/**
 * `uniqueItems: true` as ajv checks it when `items` has only scalar types: from the last item down, an item of another
 * type is skipped (`items` reports it), and the first item equal to one above it fails, `i` its index and `j` the index
 * of that item above. A Map keys numbers by value (`1` and `1.0`, `0` and `-0` are one key), as JSON equality reads them.
 * @param {string[]} types
 * @returns {Check}
 */
function uniqueScalars(types) {
  return (value, path, sink) => {
    const above = new Map();
    for (let i = value.length - 1; i >= 0; i--) {
      const item = value[i];
      if (!types.some((t) => hasType(item, t))) continue;
      const j = above.get(item);
      if (j !== undefined) return fail(sink, path, 'uniqueItems', { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`);
      above.set(item, i);
    }
    return true;
  };
}

/**
 * `maxItems`, `minItems`, `prefixItems`, `items`, `contains` (+ `minContains`/`maxContains`), `uniqueItems`, in ajv's order.
 * @param {Schema} schema
 * @param {string} pointer
 * @param {Compile} compile
 * @returns {Check[]}
 */
export function arrayChecks(schema, pointer, compile) {
  /** @type {Check[]} */
  const checks = [];
  // ajv's order: maxItems, minItems (its validation vocabulary), its applicators, then uniqueItems (they go before it).
  for (const k of ['maxItems', 'minItems']) {
    const limit = count(schema, k, pointer);
    if (limit !== undefined) checks.push(size(k, limit, 'items', (v) => v.length));
  }
  if (has(schema, 'uniqueItems') && typeof schema.uniqueItems !== 'boolean') throw new Error(`${pointer}/uniqueItems: must be a boolean`);
  const prefix = has(schema, 'prefixItems') ? schemaList(schema, 'prefixItems', pointer, compile) : [];
  const keyword = has(schema, 'unevaluatedItems') && !has(schema, 'items') && staticItems(schema) ? 'unevaluatedItems' : 'items';
  const rest = has(schema, keyword) ? schema[keyword] : undefined;
  if (prefix.length > 0 || rest !== undefined) {
    checks.push(items(prefix, rest === undefined || rest === false ? null : compile(rest, `${pointer}/${keyword}`), rest === false, keyword));
  }
  if (has(schema, 'contains')) {
    const least = count(schema, 'minContains', pointer);
    checks.push(contains(compile(schema.contains, `${pointer}/contains`), least ?? 1, count(schema, 'maxContains', pointer)));
  }
  if (schema.uniqueItems === true) {
    const types = scalarItemTypes(schema);
    checks.push(types === undefined ? unique : uniqueScalars(types));
  }
  return checks;
}

// --- objects --------------------------------------------------------------------------------------

/**
 * ajv's params and message of `additionalProperties: false` / `unevaluatedProperties: false`.
 * @param {string} keyword
 * @param {string} name
 * @returns {[Record<string, unknown>, string]}
 */
function closedMember(keyword, name) {
  if (keyword === 'unevaluatedProperties') return [{ unevaluatedProperty: name }, 'must NOT have unevaluated properties'];
  return [{ additionalProperty: name }, 'must NOT have additional properties'];
}

/**
 * `properties` without `patternProperties` or `additionalProperties` (§10.3.2.1): each member the schema names,
 * in the schema's order (ajv's).
 * @param {Map<string, Node>} properties
 * @returns {Check}
 */
function propertiesOnly(properties) {
  return (value, path, sink, seen) => {
    let ok = true;
    for (const [name, node] of properties) {
      if (!has(value, name)) continue;
      if (!node.run(value[name], `${path}/${pointerToken(name)}`, sink, null)) {
        if (sink === null) return false;
        ok = false;
      }
      if (seen !== null) seen.names.add(name);
    }
    return ok;
  };
}

/**
 * `additionalProperties` (§10.3.2.3), or a static `unevaluatedProperties`: the members that neither `properties` nor
 * `patternProperties` names, by the value's key order; `closed`: the keyword whose `false` `additional` is.
 * @param {Map<string, Node>} properties
 * @param {Array<[RegExp, Node]>} patterns
 * @param {Node} additional
 * @param {string | null} closed
 * @returns {Check}
 */
function additionalMembers(properties, patterns, additional, closed) {
  return (value, path, sink, seen) => {
    let ok = true;
    for (const name of Object.keys(value)) {
      if (properties.has(name) || patterns.some(([regex]) => regex.test(name))) continue;
      const valid = closed !== null ? fail(sink, path, closed, ...closedMember(closed, name)) : additional.run(value[name], `${path}/${pointerToken(name)}`, sink, null);
      if (!valid) {
        if (sink === null) return false;
        ok = false;
      }
      if (seen !== null) seen.names.add(name);
    }
    return ok;
  };
}

/**
 * `properties` (the schema's order) then `patternProperties` (each pattern's members, by the value's key order), as
 * ajv checks them (§10.3.2.1, §10.3.2.2).
 * @param {Map<string, Node>} properties
 * @param {Array<[RegExp, Node]>} patterns
 * @returns {Check}
 */
function members(properties, patterns) {
  const named = propertiesOnly(properties);
  return (value, path, sink, seen) => {
    let ok = named(value, path, sink, seen);
    if (!ok && sink === null) return false;
    for (const [regex, patternNode] of patterns) {
      for (const name of Object.keys(value)) {
        if (!regex.test(name)) continue;
        if (!patternNode.run(value[name], `${path}/${pointerToken(name)}`, sink, null)) {
          if (sink === null) return false;
          ok = false;
        }
        if (seen !== null) seen.names.add(name);
      }
    }
    return ok;
  };
}

/**
 * `propertyNames` (§10.3.2.4); a bad name reports the name's errors (at the object), then its own, as ajv does.
 * @param {Node} node
 * @returns {Check}
 */
function propertyNames(node) {
  return (value, path, sink) => {
    let ok = true;
    for (const name of Object.keys(value)) {
      if (!node.run(name, path, sink, null)) {
        ok = fail(sink, path, 'propertyNames', { propertyName: name }, 'property name must be valid');
        if (sink === null) return false;
      }
    }
    return ok;
  };
}

/**
 * @param {string[]} names
 * @returns {Check}
 */
function required(names) {
  return (value, path, sink) => {
    let ok = true;
    for (const name of names) {
      if (!has(value, name)) {
        ok = fail(sink, path, 'required', { missingProperty: name }, `must have required property '${name}'`);
        if (sink === null) return false;
      }
    }
    return ok;
  };
}

/**
 * @param {Array<[string, string[]]>} dependencies
 * @returns {Check}
 */
function dependentRequired(dependencies) {
  return (value, path, sink) => {
    let ok = true;
    for (const [name, needed] of dependencies) {
      const missing = has(value, name) ? needed.filter((n) => !has(value, n)) : [];
      if (missing.length === 0) continue;
      const deps = needed.join(', ');
      const params = { property: name, missingProperty: missing[0], depsCount: needed.length, deps };
      ok = fail(sink, path, 'dependentRequired', params, `must have ${needed.length === 1 ? 'property' : 'properties'} ${deps} when property ${name} is present`);
      if (sink === null) return false;
    }
    return ok;
  };
}

/**
 * @param {Map<string, Node>} nodes
 * @returns {Check}
 */
function dependentSchemas(nodes) {
  return (value, path, sink, seen) => {
    let ok = true;
    for (const [name, node] of nodes) {
      if (has(value, name) && !node.run(value, path, sink, seen)) {
        if (sink === null) return false;
        ok = false;
      }
    }
    return ok;
  };
}

/**
 * @param {Schema} schema
 * @param {string} keyword
 * @param {string} pointer
 * @returns {string[]}
 */
function names(schema, keyword, pointer) {
  const list = schema[keyword];
  if (!Array.isArray(list) || list.some((n) => typeof n !== 'string') || new Set(list).size !== list.length) throw new Error(`${pointer}/${keyword}: must be an array of distinct strings`);
  return list;
}

/**
 * `maxProperties`, `minProperties`, `required`, `propertyNames`, `additionalProperties`, `properties`,
 * `patternProperties`, `dependentRequired`, `dependentSchemas`, in ajv's order (its validation vocabulary, its
 * applicators, then its "next" vocabulary).
 * @param {Schema} schema
 * @param {string} pointer
 * @param {Compile} compile
 * @returns {Check[]}
 */
export function objectChecks(schema, pointer, compile) {
  /** @type {Check[]} */
  const checks = [];
  for (const k of ['maxProperties', 'minProperties']) {
    const limit = count(schema, k, pointer);
    if (limit !== undefined) checks.push(size(k, limit, 'properties', (v) => Object.keys(v).length));
  }
  if (has(schema, 'required')) {
    const list = names(schema, 'required', pointer);
    if (list.length > 0) checks.push(required(list));
  }
  if (has(schema, 'propertyNames')) checks.push(propertyNames(compile(schema.propertyNames, `${pointer}/propertyNames`)));
  const properties = has(schema, 'properties') ? schemaMap(schema, 'properties', pointer, compile) : new Map();
  const patterns = has(schema, 'patternProperties') ? [...schemaMap(schema, 'patternProperties', pointer, compile)].map(([source, node]) => /** @type {[RegExp, Node]} */ ([new RegExp(source, 'u'), node])) : [];
  const keyword = has(schema, 'unevaluatedProperties') && !has(schema, 'additionalProperties') && staticProperties(schema) ? 'unevaluatedProperties' : 'additionalProperties';
  const additional = has(schema, keyword) ? compile(schema[keyword], `${pointer}/${keyword}`) : null;
  const rest = additional === null ? null : additionalMembers(properties, patterns, additional, schema[keyword] === false ? keyword : null);
  if (rest !== null && keyword === 'additionalProperties') checks.push(rest);
  if (properties.size > 0 && patterns.length === 0) checks.push(propertiesOnly(properties));
  else if (properties.size > 0 || patterns.length > 0) checks.push(members(properties, patterns));
  if (has(schema, 'dependentRequired')) {
    const deps = schema.dependentRequired;
    if (kindOf(deps) !== 'object') throw new Error(`${pointer}/dependentRequired: must be an object`);
    checks.push(dependentRequired(Object.keys(deps).map((name) => [name, names(deps, name, `${pointer}/dependentRequired`)])));
  }
  if (has(schema, 'dependentSchemas')) checks.push(dependentSchemas(schemaMap(schema, 'dependentSchemas', pointer, compile)));
  // A static unevaluatedProperties (nothing in place can evaluate more) is checked as additionalProperties would be,
  // but last, where ajv checks unevaluatedProperties.
  if (rest !== null && keyword === 'unevaluatedProperties') checks.push(rest);
  return checks;
}

// --- unevaluated ----------------------------------------------------------------------------------

/** The keywords that may evaluate members or items of the value they apply to (so unevaluated* must see their annotations). */
const ANNOTATING = ['$ref', 'allOf', 'anyOf', 'oneOf', 'if', 'dependentSchemas'];

/**
 * Whether only properties/patternProperties/additionalProperties evaluate members here: then
 * unevaluatedProperties is additionalProperties, with no annotations to collect.
 * @param {Schema} schema
 */
export function staticProperties(schema) {
  return !ANNOTATING.some((k) => has(schema, k));
}

/**
 * Whether only prefixItems/items evaluate items here: then unevaluatedItems is items.
 * @param {Schema} schema
 */
export function staticItems(schema) {
  return !has(schema, 'contains') && staticProperties(schema);
}

/**
 * `unevaluatedProperties` or `unevaluatedItems`: `node` applies to each member or item no other keyword evaluated
 * (`closed`: there is none); afterwards every member or item counts as evaluated.
 * @param {string} keyword
 * @param {Node} node
 * @param {boolean} closed
 * @returns {Check}
 */
function unevaluated(keyword, node, closed) {
  const onObject = keyword === 'unevaluatedProperties';
  return (value, path, sink, seen) => {
    const own = /** @type {Evaluated} */ (seen); // a node with unevaluated* always collects its own annotations
    if (onObject ? own.allNames : own.allItems) return true;
    /** @type {Array<string | number>} */
    const rest = [];
    if (onObject) for (const name of Object.keys(value)) { if (!own.names.has(name)) rest.push(name); }
    else for (let i = own.prefix; i < value.length; i++) { if (!own.indices.has(i)) rest.push(i); }
    let ok = true;
    for (const token of rest) {
      if (closed) {
        ok = onObject ? fail(sink, path, keyword, ...closedMember(keyword, String(token))) : fail(sink, path, keyword, { limit: own.prefix }, `must NOT have more than ${own.prefix} items`);
        if (!onObject) break;
      } else if (!node.run(value[token], `${path}/${pointerToken(token)}`, sink, null)) ok = false;
      if (!ok && sink === null) return false;
    }
    if (onObject) own.allNames = true;
    else own.allItems = true;
    return ok;
  };
}

/**
 * `unevaluatedProperties` and `unevaluatedItems` (§11.2, §11.3) where they read annotations (not static), as
 * [object checks, array checks], to run after every other keyword of the subschema.
 * @param {Schema} schema
 * @param {string} pointer
 * @param {Compile} compile
 * @returns {[Check[], Check[]]}
 */
export function unevaluatedChecks(schema, pointer, compile) {
  /** @type {[Check[], Check[]]} */
  const checks = [[], []];
  if (has(schema, 'unevaluatedProperties') && !staticProperties(schema)) {
    checks[0].push(unevaluated('unevaluatedProperties', compile(schema.unevaluatedProperties, `${pointer}/unevaluatedProperties`), schema.unevaluatedProperties === false));
  }
  if (has(schema, 'unevaluatedItems') && !staticItems(schema)) {
    checks[1].push(unevaluated('unevaluatedItems', compile(schema.unevaluatedItems, `${pointer}/unevaluatedItems`), schema.unevaluatedItems === false));
  }
  return checks;
}
