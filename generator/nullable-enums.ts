/**
 * Enum definitions that also admit `null` (issue 9 row 8): a `$defs` entry `{"enum": ["red", "blue", null]}`,
 * `{"type": ["string", "null"], "enum": [..., null]}` or a `oneOf` of `{const, title}` members with one
 * `{"const": null}` branch. Such a definition becomes the typed enum of its other members, and every `$ref` to
 * it is that enum or `null` at its place (TypeScript `Color | null`, Python `Color | None`): the same IR as an
 * inline enum with `null` (hoist.ts), so both targets keep one verdict (JSON Schema 2020-12 §6.1.2: `enum`
 * holds when the value equals any member, `null` included).
 */
import type { JsonObject, JsonValue } from './load.js';
import { keyedObject, isObject } from './load.js';
import type { Normalized, NormalizedDef } from './normalize.js';

/** Keys a `{"const": null}` member may carry beside `const` (annotations). */
const MEMBER_ANNOTATIONS = new Set(['title', 'description', '$comment']);

/** Whether `type` (absent, a name or a list) lets `null` through. */
function typeAdmitsNull(type: JsonValue | undefined): boolean {
  return type === undefined || (Array.isArray(type) && type.includes('null'));
}

/** `type` without `"null"` (a list of one becomes its name; absent stays absent). */
function typeWithoutNull(type: JsonValue | undefined): JsonValue | undefined {
  if (!Array.isArray(type)) return type;
  const rest = type.filter((t) => t !== 'null');
  return rest.length === 1 ? rest[0]! : rest;
}

/** Whether a `oneOf` branch is the member `{"const": null}` (annotations allowed). */
function isNullMember(b: JsonValue): boolean {
  return isObject(b) && b.const === null && Object.keys(b).every((k) => k === 'const' || MEMBER_ANNOTATIONS.has(k) || k.startsWith('x-'));
}

/** The schema of the enum without its `null` member, or undefined when `s` is no enum with exactly one `null` member beside others that its `type` admits. */
export function enumWithoutNull(s: JsonObject): JsonObject | undefined {
  if (!typeAdmitsNull(s.type)) return undefined;
  const out = Object.assign(keyedObject<JsonValue>(), s);
  if (Array.isArray(s.enum)) {
    const rest = s.enum.filter((v) => v !== null);
    if (s.enum.length - rest.length !== 1 || rest.length === 0) return undefined;
    out.enum = rest;
  } else if (Array.isArray(s.oneOf) && s.oneOf.every((b) => isObject(b) && 'const' in b)) {
    const rest = s.oneOf.filter((b) => !isNullMember(b));
    if (s.oneOf.length - rest.length !== 1 || rest.length === 0) return undefined;
    out.oneOf = rest;
  } else {
    return undefined;
  }
  const type = typeWithoutNull(s.type);
  if (type === undefined) delete out.type;
  else out.type = type;
  return out;
}

/**
 * The normalized definitions with each enum that admits `null` replaced by its enum without `null`, and the
 * names of those enums. `keep` names a definition left as it is (the root type of an untagged root, whose
 * parse function reads the enum itself).
 */
export function splitNullableEnums(norm: Normalized, keep: string | undefined): { norm: Normalized; nullable: ReadonlySet<string> } {
  const nullable = new Set<string>();
  const defs = new Map<string, NormalizedDef>();
  for (const [name, d] of norm.defs) {
    const stripped = name === keep ? undefined : enumWithoutNull(d.schema);
    if (stripped === undefined) {
      defs.set(name, d);
      continue;
    }
    nullable.add(name);
    defs.set(name, { ...d, schema: stripped });
  }
  return { norm: { ...norm, defs }, nullable };
}
