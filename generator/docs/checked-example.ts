/**
 * A value for a checked field in the examples of `wsgen docs` (example.ts): the subschema's own `const`, else
 * its `enum` values (the first ENUM_TRIED), else the first of a few fixed JSON values that the subschema accepts, judged by ajv's
 * draft 2020-12 validator on the checked document (IR.checked as `$defs`). The generated parser still judges
 * the whole example, so a value ajv's reading lets through and the targets refuse never reaches the page.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import type { IR } from '../ir.js';
import { isObject } from '../load.js';
import type { JsonValue } from '../types.js';

// ajv is CommonJS: under NodeNext its class sits on `default`.
const Ajv2020 = Ajv2020Module.default;

/** Most `enum` values tried, in order. */
const ENUM_TRIED = 20;

/** Values tried in order after the subschema's own `const` and `enum` values. */
const FALLBACKS: readonly JsonValue[] = [{}, [], 'example', 0, 1, true, false, null, ''];

/** The ajv id of the checked document. */
const CHECKED_ID = 'wsgen:checked-docs';

/** Compiled checks of each IR's checked document (one per IR: docs builds one page per run). */
const compiled = new WeakMap<object, (key: string, value: JsonValue) => boolean>();

/** A check of `value` against the checked subschema `key` of `ir`. */
function checker(ir: Pick<IR, 'checked'>): (key: string, value: JsonValue) => boolean {
  const known = compiled.get(ir.checked);
  if (known !== undefined) return known;
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  ajv.addSchema({ $defs: ir.checked }, CHECKED_ID);
  const check = (key: string, value: JsonValue): boolean => {
    // The key as a JSON pointer token (RFC 6901) inside a URI fragment (RFC 3986 §3.5).
    const token = encodeURIComponent(key.replace(/~/g, '~0').replace(/\//g, '~1'));
    const validate = ajv.getSchema(`${CHECKED_ID}#/$defs/${token}`);
    return validate !== undefined && validate(value) === true;
  };
  compiled.set(ir.checked, check);
  return check;
}

/** A value the checked subschema `key` accepts, or undefined when none of the tried ones is. */
export function checkedValue(ir: Pick<IR, 'checked'>, key: string): JsonValue | undefined {
  const schema = ir.checked[key];
  const own: JsonValue[] = isObject(schema) ? [...('const' in schema ? [schema.const!] : []), ...(Array.isArray(schema.enum) ? schema.enum.slice(0, ENUM_TRIED) : [])] : [];
  const accepts = checker(ir);
  return [...own, ...FALLBACKS].find((v) => accepts(key, v));
}
