/**
 * OpenAPI's `nullable: true` (3.0) and Swagger's `x-nullable: true` (2.0) are not JSON Schema
 * keywords: draft 2020-12 reads them as annotations (Core §6.5), so a schema that says
 * `{"type": "string", "nullable": true}` refuses `null` on both targets, the opposite of what
 * its author meant. wsgen refuses them (WSGEN_UNSUPPORTED) with the 2020-12 form as the hint,
 * every one of them in one run.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import { type JsonObject, type JsonValue, isObject } from './load.js';
import { childSchemas } from './subschemas.js';

const KEYWORDS = ['nullable', 'x-nullable'] as const;

/** The 2020-12 way to write a schema that also admits null. */
function nullableForm(s: JsonObject): string {
  if (typeof s.$ref === 'string') return `{"oneOf": [{"$ref": ${JSON.stringify(s.$ref)}}, {"type": "null"}]}`;
  const type = typeof s.type === 'string' ? `"type": [${JSON.stringify(s.type)}, "null"]` : Array.isArray(s.type) ? `"type": ${JSON.stringify([...s.type, 'null'])}` : '';
  const inEnum = Array.isArray(s.enum) ? 'null in its "enum"' : '';
  const parts = [type, inEnum].filter(Boolean);
  return parts.length ? parts.join(' and ') : `{"oneOf": [<this schema>, {"type": "null"}]}`;
}

/** The errors of every `nullable: true` / `x-nullable: true` in schema position in `json` (a schema document of `file`). */
export function openApiNullables(json: JsonValue, file: string): WsgenError[] {
  const out: WsgenError[] = [];
  const walk = (s: JsonValue, pointer: string): void => {
    if (!isObject(s)) return;
    for (const k of KEYWORDS) {
      if (s[k] !== true) continue;
      out.push(new WsgenError(E.UNSUPPORTED, `"${k}": true is OpenAPI's, not JSON Schema's: JSON Schema 2020-12 ignores it, so this schema refuses null`, { file, pointer: pointerJoin(pointer, k) },
        `to admit null, write ${nullableForm(s)} and drop "${k}"`));
    }
    for (const c of childSchemas(s)) walk(c.schema, pointerJoin(pointer, ...c.tokens));
  };
  walk(json, '');
  return out;
}
