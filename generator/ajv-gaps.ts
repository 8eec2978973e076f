/**
 * Where ajv (8.x, draft 2020-12) gives a verdict JSON Schema 2020-12 does not, measured on the official
 * JSON-Schema-Test-Suite: wsgen refuses a checked subschema (generator/checked.ts) that combines
 * `unevaluatedItems`/`unevaluatedProperties` (Core §11) with the annotations ajv does not collect for them.
 * - `unevaluatedItems` beside `contains` anywhere in reach: ajv ignores the items `contains` evaluates (§10.3.1.3).
 * - `unevaluated*` beside an `if` without `then` or without `else`: ajv drops the annotations of such an `if` (§10.2.2.1).
 * - `unevaluatedItems` beside `anyOf`/`oneOf` with a branch holding `items`: ajv mixes failed branches' items in.
 * The refusal is made in the IR stage, for every target list alike (test/generator/target-independent.test.ts):
 * the Python checker (_keywords.py) would judge these exactly, but the two targets must agree.
 */
import { GeneratorErrorCode as E, WsgenError } from './errors.js';
import { type JsonValue, isObject } from './load.js';
import { childSchemas } from './subschemas.js';
import type { SchemaLocation } from './types.js';

/** Every subschema object reachable from `schema` through applicators and `#/$defs/<key>` references of `defs`. */
function reach(schema: JsonValue, defs: Record<string, JsonValue>, out: Set<object> = new Set()): Set<object> {
  if (!isObject(schema) || out.has(schema)) return out;
  out.add(schema);
  if (typeof schema.$ref === 'string') reach(defs[schema.$ref.slice('#/$defs/'.length)] ?? true, defs, out);
  for (const c of childSchemas(schema)) reach(c.schema, defs, out);
  return out;
}

/** The first gap of `schema`'s reach, as a reason, or undefined. */
function gapOf(schema: JsonValue, defs: Record<string, JsonValue>): string | undefined {
  const all = [...reach(schema, defs)] as Array<Record<string, JsonValue>>;
  const has = (k: string) => all.some((s) => k in s);
  const items = has('unevaluatedItems');
  if (!items && !has('unevaluatedProperties')) return undefined;
  if (items && has('contains')) return 'unevaluatedItems with contains (ajv does not count the items contains evaluates)';
  if (all.some((s) => 'if' in s && !('then' in s && 'else' in s))) return 'unevaluated* with an "if" lacking "then" or "else" (ajv drops its annotations)';
  const branchItems = (k: string) => all.some((s) => Array.isArray(s[k]) && (s[k] as JsonValue[]).some((b) => isObject(b) && 'items' in b));
  if (items && (branchItems('anyOf') || branchItems('oneOf'))) return 'unevaluatedItems with "items" inside anyOf/oneOf (ajv counts the items of failing branches)';
  return undefined;
}

/** WSGEN_UNSUPPORTED for the first checked subschema (of `checked`, located by `at`) ajv would judge apart from JSON Schema 2020-12, or undefined. */
export function ajvGap(checked: Record<string, JsonValue>, at: Record<string, SchemaLocation>): WsgenError | undefined {
  for (const [key, schema] of Object.entries(checked)) {
    const why = gapOf(schema, checked);
    if (why === undefined) continue;
    return new WsgenError(E.UNSUPPORTED, `keyword "unevaluated*" cannot be enforced identically by every target: ${why}`, at[key]!,
      'write the array or object rules without unevaluated* (list the items or properties explicitly)');
  }
  return undefined;
}
