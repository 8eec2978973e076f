/**
 * Required names an object does not declare under `properties`. JSON Schema 2020-12 (Validation §6.5.3)
 * only asks that such a key be present; its value is judged by the keywords for undeclared keys
 * (Core §10.3.2.3 `additionalProperties`). So:
 *  - in an open object (`additionalProperties` absent, `true` or a schema) the name is a required property
 *    whose value is any JSON value, or a value of the `additionalProperties` schema: typed exactly as one
 *    (TS `leader: unknown`, a required Python field of any JSON value), with the same verdicts;
 *  - in a closed object (`additionalProperties: false`, or `unevaluatedProperties: false`, which normalize.ts
 *    writes as it) no value can be valid: almost surely an author's mistake, refused with WSGEN_REQUIRED
 *    at the `required` entry (the one in the `allOf` base that lists it, when inherited);
 *  - beside `patternProperties` or `propertyNames`, which may also decide the key, the object is a checked
 *    value (checked.ts), exact as well.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import type { PropertyIR, TypeIR } from './ir.js';
import { unsupported } from './ir-keywords.js';
import { type JsonObject, type JsonValue, type SchemaDoc, valueAt } from './load.js';
import type { SchemaLocation } from './types.js';

/** The `required` entry that lists `name`: in `arrayAt` (a `required` array of the object or of the base it inherits from), at the name's index. */
function requiredEntry(docs: readonly SchemaDoc[], arrayAt: SchemaLocation, name: string): SchemaLocation {
  const list = valueAt(docs.find((d) => d.file === arrayAt.file)?.json ?? null, arrayAt.pointer);
  const i = Array.isArray(list) ? list.indexOf(name) : -1;
  return i < 0 ? arrayAt : { file: arrayAt.file, pointer: pointerJoin(arrayAt.pointer, i) };
}

/** An object being built: its name, normalized schema and location, and where each required name it inherits is listed (origins.ts). */
export interface RequiredSource {
  name: string;
  schema: JsonObject;
  loc: SchemaLocation;
  inheritedRequired: (name: string) => SchemaLocation | undefined;
}

/**
 * The properties for the required names `o` does not declare, and the WSGEN_REQUIRED errors of a closed object (see above).
 * @param typeOf maps the `additionalProperties` schema, the type of such a property's value.
 * @throws {WsgenError} WSGEN_UNSUPPORTED (a checked-value fallback) beside `patternProperties` or `propertyNames`.
 */
export function undeclaredRequired(o: RequiredSource, docs: readonly SchemaDoc[], typeOf: (s: JsonValue, l: SchemaLocation) => TypeIR): { properties: PropertyIR[]; errors: WsgenError[] } {
  const declared = (o.schema.properties ?? {}) as JsonObject;
  const names = ((o.schema.required as string[] | undefined) ?? []).filter((r) => !Object.hasOwn(declared, r));
  const out = { properties: [] as PropertyIR[], errors: [] as WsgenError[] };
  if (names.length === 0) return out;
  const ap = o.schema.additionalProperties;
  for (const keyword of ['patternProperties', 'propertyNames']) {
    if (o.schema[keyword] !== undefined) throw unsupported('required', o.loc, `"${names[0]}" is required but not a property, and ${keyword} may decide it`);
  }
  for (const r of names) {
    const entry = requiredEntry(docs, o.inheritedRequired(r) ?? { file: o.loc.file, pointer: pointerJoin(o.loc.pointer, 'required') }, r);
    if (ap === false) {
      out.errors.push(new WsgenError(E.REQUIRED, `"${r}" is required but not a property of ${o.name}, which allows no other property: no value can be valid`, entry,
        `define "${r}" under properties (with its schema), or drop it from required`));
      continue;
    }
    const type: TypeIR = ap === undefined || ap === true ? { kind: 'any' } : typeOf(ap, { file: o.loc.file, pointer: pointerJoin(o.loc.pointer, 'additionalProperties') });
    out.properties.push({ name: r, required: true, type, meta: {}, loc: entry });
  }
  return out;
}
