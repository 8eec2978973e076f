/**
 * The semantic schema hash: SHA-256 of the schema with what validation never
 * reads left out, so that a documentation-only edit keeps it (and the
 * connection handshake, which compares it) unchanged. The full hash (load.ts)
 * covers every byte of meaning and stamps banners for drift detection.
 *
 * Left out, wherever a schema stands (JSON Schema 2020-12 Validation §9, the
 * meta-data vocabulary, and Core §8.3): `title`, `description`, `$comment`,
 * `examples`, `deprecated`, `readOnly`, `writeOnly`; and `x-wsgen-version`,
 * which the handshake compares on its own. Kept: every assertion, `default`
 * (Pydantic fills it in, so it changes parsed values), and every other `x-*`
 * annotation (`x-direction`, `x-retryable`, … reach the generated code and the
 * runtimes act on them). Property names and `$defs` keys are data, never
 * stripped: a property named `description` stays.
 */
import { createHash } from 'node:crypto';
import { type JsonObject, type JsonValue, type SchemaDoc, canonical, isObject } from './load.js';

/** Keywords left out of the semantic hash. */
export const NON_SEMANTIC = new Set(['title', 'description', '$comment', 'examples', 'deprecated', 'readOnly', 'writeOnly', 'x-wsgen-version']);

/** Keywords whose value is a map of name to schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is an array of schemas. */
const SCHEMA_ARRAYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value is one schema. */
const SCHEMA_VALUES = new Set(['additionalProperties', 'unevaluatedProperties', 'items', 'contains', 'not', 'if', 'then', 'else', 'propertyNames', 'unevaluatedItems', 'contentSchema']);

/** A schema with the non-semantic keywords removed at every schema position (values of other keywords are data and stay as written). */
export function stripAnnotations(schema: JsonValue): JsonValue {
  if (!isObject(schema)) return schema;
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (NON_SEMANTIC.has(k)) continue;
    if (SCHEMA_MAPS.has(k) && isObject(v)) {
      const m: Record<string, JsonValue> = {};
      for (const [name, sub] of Object.entries(v)) m[name] = stripAnnotations(sub);
      out[k] = m;
    } else if (SCHEMA_ARRAYS.has(k) && Array.isArray(v)) out[k] = v.map(stripAnnotations);
    else if (SCHEMA_VALUES.has(k)) out[k] = stripAnnotations(v);
    else out[k] = v;
  }
  return out as JsonObject;
}

/** SHA-256 (hex) of every document's canonical JSON with annotations stripped, in the order given (load.ts sorts by file). */
export function semanticHash(docs: readonly SchemaDoc[]): string {
  const hash = createHash('sha256');
  for (const doc of docs) hash.update(doc.file + '\n' + canonical(stripAnnotations(doc.json)) + '\n');
  return hash.digest('hex');
}
