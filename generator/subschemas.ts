/**
 * Where JSON Schema 2020-12 puts subschemas (Core §10 applicators, §8.2.4 `$defs`): the
 * keywords whose values are a schema, a list of schemas, or a map of names to schemas.
 * Everything else is data (`const`, `enum`, `default`, ...) or an unknown keyword, whose
 * value holds no subschema and no reference (§6.5: unknown keywords are annotations).
 */
import type { JsonObject, JsonValue } from './load.js';

/** Keywords whose value is one subschema (§10.2.2, §10.3, §11 unevaluated*). */
export const SCHEMA_KEYWORDS: ReadonlySet<string> = new Set(['items', 'contains', 'additionalProperties', 'propertyNames', 'if', 'then', 'else', 'not', 'unevaluatedItems', 'unevaluatedProperties']);
/** Keywords whose value is a non-empty list of subschemas (§10.2.1, §10.3.1.1). */
export const SCHEMA_LIST_KEYWORDS: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names (or patterns) to subschemas (§10.3.2, §10.2.2.4, §8.2.4). */
export const SCHEMA_MAP_KEYWORDS: ReadonlySet<string> = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs']);

/** One subschema below a schema: the pointer tokens from the schema to it, and its value. */
export interface Subschema {
  tokens: Array<string | number>;
  schema: JsonValue;
}

/** The subschemas directly below `schema` (one level), in the order the schema writes its keywords. */
export function childSchemas(schema: JsonObject): Subschema[] {
  const out: Subschema[] = [];
  for (const [k, v] of Object.entries(schema)) {
    if (SCHEMA_KEYWORDS.has(k)) out.push({ tokens: [k], schema: v });
    else if (SCHEMA_LIST_KEYWORDS.has(k) && Array.isArray(v)) v.forEach((s, i) => out.push({ tokens: [k, i], schema: s }));
    else if (SCHEMA_MAP_KEYWORDS.has(k) && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [name, s] of Object.entries(v as JsonObject)) out.push({ tokens: [k, name], schema: s });
    }
  }
  return out;
}
