/**
 * Checked subschemas (generator/checked.ts) as AsyncAPI Schema Objects. The validators enforce each
 * checked value with JSON Schema 2020-12 (`IR.checked`, one `{"$defs"}` document); the AsyncAPI 3.0.0
 * document declares no `schemaFormat`, so its schemas are read in the default format, the AsyncAPI
 * Schema Object, "a superset of JSON Schema Draft 07" (AsyncAPI 3.0.0 §Schema Object; §Multi Format
 * Schema Object: a missing `schemaFormat` defaults to `application/vnd.aai.asyncapi+json;version=3.0.0`,
 * and 3.0.0 lists no 2020-12 format). So each subschema is written in draft-07 words:
 *
 * - `prefixItems` becomes the array form of `items`, and the 2020-12 `items` beside it `additionalItems`
 *   (2020-12 Core §10.3.1.1–2, draft-07 Validation §6.4.1–2);
 * - `dependentRequired` and `dependentSchemas` become `dependencies` (2020-12 Validation §6.5.4, Core
 *   §10.2.2.4; draft-07 §6.5.7), both of one property as `{"required": [...], "allOf": [schema]}`;
 * - `$ref` to `#/$defs/<key>` becomes `#/components/schemas/checked.<key>`, and a `$ref` with siblings is
 *   moved into `allOf` (draft-07 §8.3 ignores the siblings of `$ref`; 2020-12 §8.2.3.1 applies them);
 * - a `contains` with `minContains: 0` is written `anyOf: [{"not": {"contains": S}}, {"contains": S, ...}]`,
 *   which a draft-07 reader reads as "any array" and a 2020-12 reader as the original.
 *
 * `unevaluatedItems`, `unevaluatedProperties`, `minContains` and `maxContains` have no draft-07 form: they
 * are kept as written (a 2020-12 reader applies them, a draft-07 reader ignores them, §6.5 of 2020-12 and
 * draft-07 alike: unknown keywords are annotations) and named in the schema's
 * `x-wsgen-json-schema-2020-12` list. So the draft-07 reading of a component accepts every value the
 * validators accept, and the same values exactly when that list is absent.
 */
import type { JsonValue } from '../types.js';
import type { SchemaObject } from './schemas.js';

/** Prefix of checked components (`checked.<key>`): named IR types are identifiers (no `.`), so the two never clash. */
export const CHECKED_PREFIX = 'checked.';

/** The keywords of JSON Schema 2020-12 that draft-07 has no word for (see the module comment). */
const ONLY_2020_12: readonly string[] = ['minContains', 'maxContains', 'unevaluatedItems', 'unevaluatedProperties'];

/** Keywords whose value is one subschema, the same in both drafts. */
const ONE = new Set(['additionalProperties', 'propertyNames', 'contains', 'if', 'then', 'else', 'not', 'unevaluatedItems', 'unevaluatedProperties']);
/** Keywords whose value is a list of subschemas, the same in both drafts. */
const LIST = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names or patterns to subschemas, the same in both drafts. */
const MAP = new Set(['properties', 'patternProperties']);

/** The `$ref` of the checked component `key`. */
export function checkedRef(key: string): SchemaObject {
  return { $ref: `#/components/schemas/${CHECKED_PREFIX}${key}` };
}

type Obj = { [key: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `#/$defs/<key>` (the only `$ref` form checked.ts writes) as the component's reference. */
function ref(v: JsonValue): string {
  const s = String(v);
  if (!s.startsWith('#/$defs/')) throw new Error(`internal: checked $ref ${s} is not #/$defs/<key>`);
  return checkedRef(s.slice('#/$defs/'.length)).$ref as string;
}

/** `dependencies` from `dependentRequired` and `dependentSchemas`, property order of the first, then the second. */
function dependencies(required: JsonValue | undefined, schemas: JsonValue | undefined, found: Set<string>): Obj {
  const out: Obj = {};
  const req = isObj(required) ? required : {};
  const sch = isObj(schemas) ? schemas : {};
  for (const [name, list] of Object.entries(req)) out[name] = list;
  for (const [name, s] of Object.entries(sch)) {
    const schema = toDraft07(s, found);
    out[name] = Object.hasOwn(out, name) ? { required: out[name]!, allOf: [schema] } : schema;
  }
  return out;
}

/**
 * One checked subschema (`IR.checked[key]` or a part of one) in draft-07 words; adds to `found` the
 * 2020-12-only keywords it keeps (in schema positions only: `const` and `enum` data are not read).
 */
export function toDraft07(v: JsonValue, found: Set<string>): JsonValue {
  if (!isObj(v)) return v;
  const out: Obj = {};
  const sub = (x: JsonValue): JsonValue => toDraft07(x, found);
  for (const [k, x] of Object.entries(v)) {
    if (ONLY_2020_12.includes(k)) found.add(k);
    if (k === '$ref') continue;
    else if (k === 'prefixItems') out.items = (x as JsonValue[]).map(sub);
    else if (k === 'items') out[Object.hasOwn(v, 'prefixItems') ? 'additionalItems' : 'items'] = sub(x);
    else if (k === 'dependentRequired' || k === 'dependentSchemas') {
      if (!Object.hasOwn(out, 'dependencies')) out.dependencies = dependencies(v.dependentRequired, v.dependentSchemas, found);
    } else if (ONE.has(k)) out[k] = sub(x);
    else if (LIST.has(k)) out[k] = (x as JsonValue[]).map(sub);
    else if (MAP.has(k)) out[k] = Object.fromEntries(Object.entries(x as Obj).map(([n, s]) => [n, sub(s)]));
    else out[k] = x;
  }
  if (v.minContains === 0 && Object.hasOwn(out, 'contains')) {
    const counted: Obj = { contains: out.contains! };
    for (const k of ['minContains', 'maxContains']) if (Object.hasOwn(out, k)) counted[k] = out[k]!;
    delete out.contains;
    delete out.minContains;
    delete out.maxContains;
    out.anyOf = [...(Array.isArray(out.anyOf) ? out.anyOf : []), { not: { contains: counted.contains! } }, counted];
  }
  if (Object.hasOwn(v, '$ref')) {
    const r = { $ref: ref(v.$ref!) };
    if (Object.keys(out).length === 0) return r;
    out.allOf = [r, ...(Array.isArray(out.allOf) ? out.allOf : [])];
  }
  return out;
}

/**
 * `components.schemas` entries `checked.<key>` for every checked subschema, in `IR.checked` order, each in
 * draft-07 words with `x-wsgen-json-schema-2020-12` listing the keywords a draft-07 reader ignores there.
 */
export function checkedComponents(checked: Record<string, JsonValue>): SchemaObject {
  const out: SchemaObject = {};
  for (const [key, schema] of Object.entries(checked)) {
    const found = new Set<string>();
    const body = toDraft07(schema, found);
    const list = ONLY_2020_12.filter((k) => found.has(k));
    out[CHECKED_PREFIX + key] = list.length === 0 ? body : typeof body === 'boolean' ? body : { ...(body as Obj), 'x-wsgen-json-schema-2020-12': list };
  }
  return out;
}
