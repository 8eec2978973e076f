/**
 * Where ajv (8.x, draft 2020-12) gives a verdict JSON Schema 2020-12 does not, measured on the official
 * JSON-Schema-Test-Suite and on seeded random schemas (test/python/test_keywords_ajv.py AJV_DEVIATIONS):
 * - the annotations `unevaluatedItems`/`unevaluatedProperties` read (Core §11): ajv ignores the items `contains`
 *   evaluates (§10.3.1.3), drops the annotations of an `if` without `then` or `else` (§10.2.2.1), keeps the items
 *   of failed subschemas (an `anyOf`/`oneOf` branch, an `if` that fails, with `items` or `prefixItems`), and
 *   counts inherited members such as `toString` as evaluated;
 * - `contains` beside `prefixItems`: ajv skips `contains` on an array shorter than the prefix (`[]` passes);
 * - `""` in `required` or in a `dependentRequired` list: without allErrors, ajv lets a missing `""` pass.
 * On the TypeScript target, a checked subschema (generator/checked.ts) that reaches one of these is decided by
 * wsgen's keyword checker (generator/shipped/ts/keywords.js, the port of the Python target's _keywords.py), never
 * by ajv's code: both targets judge it by the standard. The rest stays ajv's.
 */
import { type JsonValue, isObject } from './load.js';
import { childSchemas } from './subschemas.js';

/** Every subschema object reachable from `schema` through applicators and `#/$defs/<key>` references of `defs`. */
function reach(schema: JsonValue, defs: Record<string, JsonValue>, out: Set<object> = new Set()): Set<object> {
  if (!isObject(schema) || out.has(schema)) return out;
  out.add(schema);
  if (typeof schema.$ref === 'string') reach(defs[schema.$ref.slice('#/$defs/'.length)] ?? true, defs, out);
  for (const c of childSchemas(schema)) reach(c.schema, defs, out);
  return out;
}

/** Whether a list of names (of `required` or `dependentRequired`) holds `""`. */
const namesEmpty = (v: JsonValue | undefined): boolean => Array.isArray(v) && v.includes('');

/** Whether ajv judges one subschema (its own keywords) apart from the standard, as the module comment lists. */
function ajvDeparts(s: Record<string, JsonValue>): boolean {
  if ('unevaluatedItems' in s || 'unevaluatedProperties' in s) return true;
  if ('contains' in s && 'prefixItems' in s) return true;
  const deps = s.dependentRequired;
  return namesEmpty(s.required) || (isObject(deps) && Object.values(deps).some(namesEmpty));
}

/**
 * The keys of the checked document `defs` whose subschema reaches (through applicators and references) a
 * subschema ajv judges apart from the standard: the ones the TypeScript target decides with the keyword checker.
 */
export function keywordCheckedKeys(defs: Record<string, JsonValue>): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const [key, schema] of Object.entries(defs)) {
    if ([...reach(schema, defs)].some((s) => ajvDeparts(s as Record<string, JsonValue>))) keys.add(key);
  }
  return keys;
}
