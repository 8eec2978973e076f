// wsgen's JSON Schema 2020-12 keyword checker for JavaScript: the exact validity of a value under a checked
// subschema (generator/checked.ts), where ajv's draft 2020-12 instance departs from the standard (the
// annotations unevaluatedItems/unevaluatedProperties read: ajv counts the items of failed subschemas and
// ignores those contains evaluates, generator/ajv-gaps.ts). The JavaScript port of the Python package's
// _keywords.py: the same verdicts, errors (as ajv writes them) and error order, on the same document.
//
// The document is {"$defs": {"<key>": <subschema>, ...}}, self-contained: every $ref is exactly
// "#/$defs/<key>", patterns are ECMAScript regexes read with the u flag, formats are wsgen's asserted ones.
// Keywords: type, enum, const, minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf (exact
// decimal), minLength, maxLength, pattern, format, prefixItems, items, contains, minContains, maxContains,
// minItems, maxItems, uniqueItems, properties, patternProperties, additionalProperties, propertyNames,
// required, dependentRequired, dependentSchemas, minProperties, maxProperties, allOf, anyOf, oneOf, not,
// if/then/else, $ref, unevaluatedProperties, unevaluatedItems and boolean schemas; annotations are ignored.
import { arrayChecks, objectChecks, unevaluatedChecks } from './keyword-applicators.js';
import { Evaluated, Node, fail, has, kindOf, numberChecks, schemaList, stringChecks, typeChecks } from './keyword-checks.js';

/**
 * @typedef {import('./keyword-checks.js').Check} Check
 * @typedef {import('./keyword-checks.js').KeywordError} KeywordError
 * @typedef {import('./keyword-checks.js').Schema} Schema
 * @typedef {import('./keyword-checks.js').Sink} Sink
 */

const VALIDATING = new Set([
  '$ref', 'type', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf', 'minLength', 'maxLength', 'pattern',
  'format', 'prefixItems', 'items', 'contains', 'minContains', 'maxContains', 'minItems', 'maxItems', 'uniqueItems', 'properties', 'patternProperties',
  'additionalProperties', 'propertyNames', 'required', 'dependentRequired', 'dependentSchemas', 'minProperties', 'maxProperties', 'allOf', 'anyOf',
  'oneOf', 'not', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems', 'discriminator',
]);
/** Keywords that carry no assertion (JSON Schema 2020-12 §8.3, §9; Validation §9) and nested $defs. */
const IGNORED = new Set(['$comment', 'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$defs']);
const KEY = /^[A-Za-z0-9_.-]+$/;
const REF = '#/$defs/';
/** The applicators whose subschemas apply to the same value (a $ref cycle through them alone never ends). */
const IN_PLACE = ['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas'];

/** @type {Check} The false schema (§4.3.2): no value is valid. */
const falseSchema = (value, path, sink) => fail(sink, path, 'false schema', {}, 'boolean schema is false');

// --- in-place composition -------------------------------------------------------------------------

/**
 * Indices of the branches `value` passes (at most `stop` when no annotations are collected); annotations of the
 * passing branches go to `seen`, errors of the failing ones to `sink`.
 * @param {Node[]} nodes
 * @param {any} value
 * @param {string} path
 * @param {Sink} sink
 * @param {Evaluated | null} seen
 * @param {number} stop
 */
function passing(nodes, value, path, sink, seen, stop) {
  /** @type {number[]} */
  const passed = [];
  for (let i = 0; i < nodes.length; i++) {
    const own = seen !== null ? new Evaluated() : null;
    if ((/** @type {Node} */ (nodes[i])).run(value, path, sink, own)) {
      passed.push(i);
      if (own !== null && seen !== null) seen.merge(own);
      if (passed.length >= stop && seen === null) break;
    }
  }
  return passed;
}

/**
 * `discriminator` beside `oneOf` (README "Checked values"; ajv's `discriminator` option): the branch the tag's value names checks
 * the value (its errors are the value's), a tag that is no string or names no branch is the error; the `oneOf` itself
 * is not checked then (as in ajv). Only objects reach it. An Error when the keyword is outside ajv's rules. The port of
 * `_keywords.py`'s `_discriminator`.
 * @param {Schema} schema
 * @param {Record<string, unknown>} defs
 * @param {string} pointer
 * @param {(schema: unknown, pointer: string) => Node} compile
 * @returns {Check}
 */
function discriminator(schema, defs, pointer, compile) {
  const spec = schema.discriminator;
  const tag = kindOf(spec) === 'object' ? spec.propertyName : undefined;
  if (typeof tag !== 'string' || has(spec, 'mapping') || !has(schema, 'oneOf')) throw new Error(`${pointer}/discriminator: must be {"propertyName": <string>} beside oneOf`);
  const nodes = schemaList(schema, 'oneOf', pointer, compile);
  /** @type {Map<string, Node>} */
  const mapping = new Map();
  schema.oneOf.forEach((/** @type {any} */ branch, /** @type {number} */ i) => {
    const alone = kindOf(branch) === 'object' && Object.keys(branch).length === 1 && typeof branch.$ref === 'string' && branch.$ref.startsWith('#/$defs/');
    /** @type {any} */
    const target = alone ? defs[branch.$ref.slice('#/$defs/'.length)] : branch;
    const prop = kindOf(target) === 'object' && kindOf(target.properties) === 'object' ? target.properties[tag] : undefined;
    const names = kindOf(prop) === 'object' ? (has(prop, 'const') ? [prop.const] : Array.isArray(prop.enum) ? prop.enum : []) : [];
    if (names.length === 0 || names.some((/** @type {unknown} */ n) => typeof n !== 'string' || mapping.has(n))) {
      throw new Error(`${pointer}/oneOf/${i}: a branch of a discriminator must fix ${JSON.stringify(tag)} to strings no other branch has`);
    }
    for (const n of names) mapping.set(n, nodes[i]);
  });
  return (value, path, sink, seen) => {
    if (!has(value, tag)) return fail(sink, path, 'discriminator', { error: 'tag', tag }, `tag "${tag}" must be string`);
    const found = value[tag];
    if (typeof found !== 'string') return fail(sink, path, 'discriminator', { error: 'tag', tag, tagValue: found }, `tag "${tag}" must be string`);
    const node = mapping.get(found);
    if (node === undefined) return fail(sink, path, 'discriminator', { error: 'mapping', tag, tagValue: found }, `value of tag "${tag}" must be in oneOf`);
    return node.run(value, path, sink, seen);
  };
}

/**
 * `not`, `anyOf`, `oneOf`, `allOf`, `if`/`then`/`else` (§10.2): subschemas at the same location, in ajv's order.
 * @param {Schema} schema
 * @param {string} pointer
 * @param {(schema: unknown, pointer: string) => Node} compile
 * @param {boolean} [tagged] whether a `discriminator` stands beside `oneOf` (then it checks instead, {@link discriminator})
 * @returns {Check[]}
 */
function compositionChecks(schema, pointer, compile, tagged = false) {
  /** @type {Check[]} */
  const checks = [];
  // ajv's order (its applicator vocabulary): not, anyOf, oneOf, allOf, if.
  if (has(schema, 'not')) {
    const node = compile(schema.not, `${pointer}/not`);
    checks.push((value, path, sink) => !node.run(value, path, null, null) || fail(sink, path, 'not', {}, 'must NOT be valid'));
  }
  if (has(schema, 'anyOf')) {
    const nodes = schemaList(schema, 'anyOf', pointer, compile);
    checks.push((value, path, sink, seen) => {
      /** @type {Sink} */
      const branchErrors = sink !== null ? [] : null;
      if (passing(nodes, value, path, branchErrors, seen, 1).length > 0) return true;
      if (sink !== null && branchErrors !== null) sink.push(...branchErrors);
      return fail(sink, path, 'anyOf', {}, 'must match a schema in anyOf');
    });
  }
  if (has(schema, 'oneOf') && !tagged) {
    const nodes = schemaList(schema, 'oneOf', pointer, compile);
    checks.push((value, path, sink, seen) => {
      /** @type {Sink} */
      const branchErrors = sink !== null ? [] : null;
      const own = seen !== null ? new Evaluated() : null;
      const passed = passing(nodes, value, path, branchErrors, own, 2);
      if (passed.length === 1) {
        if (seen !== null && own !== null) seen.merge(own);
        return true;
      }
      if (sink !== null && branchErrors !== null) sink.push(...branchErrors);
      return fail(sink, path, 'oneOf', { passingSchemas: passed.length > 0 ? passed : null }, 'must match exactly one schema in oneOf');
    });
  }
  if (has(schema, 'allOf')) {
    const nodes = schemaList(schema, 'allOf', pointer, compile);
    checks.push((value, path, sink, seen) => {
      let ok = true;
      for (const node of nodes) {
        if (!node.run(value, path, sink, seen)) {
          if (sink === null) return false;
          ok = false;
        }
      }
      return ok;
    });
  }
  if (has(schema, 'if')) {
    const condition = compile(schema.if, `${pointer}/if`);
    const then = has(schema, 'then') ? compile(schema.then, `${pointer}/then`) : null;
    const otherwise = has(schema, 'else') ? compile(schema.else, `${pointer}/else`) : null;
    checks.push((value, path, sink, seen) => {
      const own = seen !== null ? new Evaluated() : null;
      const holds = condition.run(value, path, null, own);
      if (holds && own !== null && seen !== null) seen.merge(own);
      const [branch, name] = holds ? [then, 'then'] : [otherwise, 'else'];
      if (branch === null || branch.run(value, path, sink, seen)) return true;
      return fail(sink, path, 'if', { failingKeyword: name }, `must match "${name}" schema`);
    });
  }
  return checks;
}

// --- the document ---------------------------------------------------------------------------------

/**
 * The key of `$ref: "#/$defs/<key>"` (§8.2.3.1), undefined without `$ref`; an Error for any other reference.
 * @param {Schema} schema
 * @param {Schema} defs
 * @param {string} pointer
 */
function refKey(schema, defs, pointer) {
  if (!has(schema, '$ref')) return undefined;
  const ref = schema.$ref;
  const key = typeof ref === 'string' && ref.startsWith(REF) ? ref.slice(REF.length) : undefined;
  if (key === undefined || !has(defs, key)) throw new Error(`${pointer}/$ref: ${JSON.stringify(ref)} is not '#/$defs/<key>' of a key of the document`);
  return key;
}

/**
 * Throws when a `$ref` cycle never descends into the value (checking would never end): a key reached again
 * through in-place applicators and `$ref`s alone.
 * @param {Schema} defs
 */
function refuseInPlaceCycles(defs) {
  /** @type {Set<unknown>} */
  const done = new Set();
  /** @type {string[]} */
  const path = [];
  /** @param {unknown} schema @param {string | undefined} key */
  const walk = (schema, key) => {
    if (key !== undefined) {
      if (path.includes(key)) throw new Error(`#/$defs/${key}: $ref cycle ${[...path.slice(path.indexOf(key)), key].join(' → ')} never descends into the value`);
      path.push(key);
    }
    if (kindOf(schema) === 'object' && !done.has(schema)) {
      const s = /** @type {Schema} */ (schema);
      for (const k of IN_PLACE) {
        if (!has(s, k)) continue;
        const sub = s[k];
        const subs = k === 'dependentSchemas' && kindOf(sub) === 'object' ? Object.values(sub) : Array.isArray(sub) ? sub : [sub];
        for (const x of subs) walk(x, undefined);
      }
      if (typeof s.$ref === 'string' && s.$ref.startsWith(REF)) walk(defs[s.$ref.slice(REF.length)], s.$ref.slice(REF.length));
      done.add(schema);
    }
    if (key !== undefined) path.pop();
  };
  for (const key of Object.keys(defs)) walk(defs[key], key);
}

/** The subschemas of one checked document ({"$defs": {...}}), compiled once; then `isValid` and `errors` by key. */
export class KeywordSchemas {
  /**
   * An Error naming the JSON pointer for a document outside the contract: an unknown keyword, a `$ref` other than
   * `#/$defs/<key>`, a format not in `formats`, a malformed keyword value, or a `$ref` cycle that never descends.
   * @param {unknown} document
   * @param {Readonly<Record<string, (s: string) => boolean>>} formats the asserted formats, by name
   */
  constructor(document, formats) {
    const doc = /** @type {Schema} */ (document);
    const defs = kindOf(document) === 'object' ? doc.$defs : undefined;
    if (kindOf(defs) !== 'object' || Object.keys(doc).length !== 1) throw new Error('#: the document must be {"$defs": {"<key>": <subschema>, ...}} and nothing else');
    refuseInPlaceCycles(defs);
    /** @type {Map<string, Node>} */
    this.nodes = new Map();
    /** @type {(schema: unknown, pointer: string) => Node} */
    const compile = (schema, pointer) => {
      if (typeof schema === 'boolean') return new Node(schema ? [] : [falseSchema], {}, false);
      if (kindOf(schema) !== 'object') throw new Error(`${pointer}: a schema must be an object or a boolean, not ${JSON.stringify(schema)}`);
      const s = /** @type {Schema} */ (schema);
      for (const k of Object.keys(s)) {
        if (!VALIDATING.has(k) && !IGNORED.has(k) && !k.startsWith('x-')) throw new Error(`${pointer}/${k}: keyword outside wsgen's checked JSON Schema subset`);
      }
      const { typeCheck, deferred, checks: values } = typeChecks(s, pointer);
      const key = refKey(s, defs, pointer);
      // ajv's order of the keywords of no type: $ref (core), const and enum (validation), then the applicators.
      /** @type {Check[]} */
      const generic = [];
      if (key !== undefined) generic.push((value, path, sink, seen) => /** @type {Node} */ (this.nodes.get(key)).run(value, path, sink, seen));
      const tagged = has(s, 'discriminator') ? discriminator(s, defs, pointer, compile) : null;
      generic.push(...values, ...compositionChecks(s, pointer, compile, tagged !== null));
      const numbers = numberChecks(s, pointer);
      const [unevaluatedProps, unevaluatedItems] = unevaluatedChecks(s, pointer, compile);
      const specific = {
        string: stringChecks(s, pointer, formats),
        number: numbers,
        array: [...arrayChecks(s, pointer, compile), ...unevaluatedItems],
        object: [...objectChecks(s, pointer, compile), ...(tagged !== null ? [tagged] : []), ...unevaluatedProps],
      };
      return new Node(generic, specific, unevaluatedProps.length > 0 || unevaluatedItems.length > 0, typeCheck, deferred);
    };
    for (const key of Object.keys(defs)) {
      if (!KEY.test(key)) throw new Error(`#/$defs/${key}: a key must match ^[A-Za-z0-9_.\\-]+$`);
      this.nodes.set(key, compile(defs[key], `#/$defs/${key}`));
    }
  }

  /**
   * Whether `value` (a parsed JSON value) is valid under the subschema `key`; an Error for an unknown key.
   * @param {string} key
   * @param {unknown} value
   * @returns {boolean}
   */
  isValid(key, value) {
    return this.node(key).run(value, '', null, null);
  }

  /**
   * The keywords `value` fails under the subschema `key` (empty when valid), at most `limit`, in schema order, as
   * ajv reports them with allErrors: instancePath (a JSON pointer into the value), keyword, params, message.
   * @param {string} key
   * @param {unknown} value
   * @param {number} [limit]
   * @returns {KeywordError[]}
   */
  errors(key, value, limit = 50) {
    /** @type {KeywordError[]} */
    const sink = [];
    this.node(key).run(value, '', sink, null);
    return sink.slice(0, limit);
  }

  /** @param {string} key */
  node(key) {
    const node = this.nodes.get(key);
    if (node === undefined) throw new Error(`unknown checked key ${JSON.stringify(key)}`);
    return node;
  }
}
