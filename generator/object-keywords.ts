/**
 * The object keywords beside `properties` (JSON Schema 2020-12 §10.3.2,
 * §6.5): `additionalProperties` (absent or `true`: an open object; a schema:
 * the type of every other key's value; `false`: closed), `patternProperties`,
 * `propertyNames`, `minProperties`/`maxProperties` and `dependentRequired`.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import type { ObjectRulesIR, TypeIR } from './ir.js';
import { type JsonObject, type JsonValue, isObject } from './load.js';
import { checkPortablePattern } from './pattern.js';
import type { SchemaLocation } from './types.js';

/** The keywords readObjectRules maps. */
export const OBJECT_RULE_KEYWORDS = ['additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties', 'dependentRequired'] as const;

const at = (loc: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...tokens) });

function count(schema: JsonObject, k: string, loc: SchemaLocation): number | undefined {
  const v = schema[k];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new WsgenError(E.META, `"${k}" must be a non-negative integer`, at(loc, k), 'write a whole number');
  return v;
}

/** The names a property-name schema may check: a string type, an enum of strings or a string const. */
function checkNameType(t: TypeIR, loc: SchemaLocation): void {
  const ok = t.kind === 'string' ? t.format === undefined : t.kind === 'enum' || (t.kind === 'const' && typeof t.value === 'string') || t.kind === 'alias';
  if (!ok) {
    throw new WsgenError(E.UNSUPPORTED, 'keyword "propertyNames" cannot be enforced identically by every target: only a string schema (length, pattern), a string enum or a string const is supported', at(loc, 'propertyNames'),
      'write "propertyNames": {"type": "string", "pattern": "..."}');
  }
}

/**
 * The object rules of a named object's schema. `closedByDefault`: an object
 * without `additionalProperties` counts as closed (an allOf base, whose
 * openness its narrowings decide).
 */
export function readObjectRules(schema: JsonObject, loc: SchemaLocation, toType: (s: JsonValue, l: SchemaLocation) => TypeIR, closedByDefault: boolean): ObjectRulesIR {
  const rules: ObjectRulesIR = { patternProperties: [], dependentRequired: [] };
  const ap = schema.additionalProperties;
  if (ap === undefined) {
    if (!closedByDefault) rules.additional = { kind: 'any' };
  } else if (ap !== false) {
    rules.additional = ap === true ? { kind: 'any' } : toType(ap, at(loc, 'additionalProperties'));
  }
  const pp = schema.patternProperties;
  if (pp !== undefined) {
    if (!isObject(pp)) throw new WsgenError(E.META, '"patternProperties" must be an object of patterns', at(loc, 'patternProperties'), 'write {"^x-": {...}}');
    for (const [pattern, s] of Object.entries(pp)) {
      checkPortablePattern(pattern, at(loc, 'patternProperties', pattern));
      rules.patternProperties.push({ pattern, type: toType(s, at(loc, 'patternProperties', pattern)) });
    }
  }
  if (schema.propertyNames !== undefined) {
    const t = toType(schema.propertyNames, at(loc, 'propertyNames'));
    checkNameType(t, loc);
    rules.propertyNames = t;
  }
  const min = count(schema, 'minProperties', loc);
  const max = count(schema, 'maxProperties', loc);
  if (min !== undefined) rules.minProperties = min;
  if (max !== undefined) rules.maxProperties = max;
  const dr = schema.dependentRequired;
  if (dr !== undefined) {
    if (!isObject(dr)) throw new WsgenError(E.META, '"dependentRequired" must be an object of name lists', at(loc, 'dependentRequired'), 'write {"card": ["billing_address"]}');
    for (const [property, list] of Object.entries(dr)) {
      if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new WsgenError(E.META, `"dependentRequired/${property}" must be a list of property names`, at(loc, 'dependentRequired', property), 'write ["name", ...]');
      rules.dependentRequired.push({ property, requires: [...(list as string[])] });
    }
  }
  return rules;
}

/** Whether an object may hold keys beyond its `properties` (then its targets keep them). */
export function allowsOtherKeys(r: ObjectRulesIR | undefined): boolean {
  return r !== undefined && (r.additional !== undefined || r.patternProperties.length > 0);
}

/** Whether the rules say more than "closed": the Python model then checks them itself. */
export function hasObjectRules(r: ObjectRulesIR | undefined): boolean {
  return r !== undefined && (allowsOtherKeys(r) || r.propertyNames !== undefined || r.minProperties !== undefined || r.maxProperties !== undefined || r.dependentRequired.length > 0);
}
