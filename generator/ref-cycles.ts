/**
 * Refuses a `$ref` cycle that never descends into the value: subschemas that apply each other to the same value
 * through `$ref` and in-place applicators alone (`allOf`, `anyOf`, `oneOf`, `not`, `if`/`then`/`else`,
 * `dependentSchemas`, JSON Schema 2020-12 Core §10.2), so that checking a value never ends. §9.4.1 leaves the
 * behaviour of such a schema undefined; ajv's standalone code overflows the stack on it. A cycle through a keyword
 * that applies to a child value (`properties`, `items`, `additionalProperties`, `contains`, `unevaluated*`...,
 * §10.3, §11) ends with the value's depth, and stays a recursive type.
 */
import { ErrorList, GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import { type Bundle, type JsonValue, isObject } from './load.js';
import { childSchemas } from './subschemas.js';

/** Applicators whose subschemas apply to the instance itself (Core §10.2), not to a part of it. */
const IN_PLACE: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas']);

/** A subschema of some schema file: its file, JSON pointer and value. */
interface Place {
  file: string;
  pointer: string;
  schema: JsonValue;
}

const keyOf = (p: Pick<Place, 'file' | 'pointer'>): string => `${p.file}#${p.pointer}`;

/**
 * Throws WSGEN_REF (one error per closing `$ref`, in document order) when some `$ref` closes a cycle of
 * subschemas applied to one value in place; the error sits at that `$ref`. A `$ref` that resolves nowhere is
 * left to the stage that reports it.
 */
export function refuseInPlaceRefCycles(bundle: Bundle): void {
  const errors = new ErrorList();
  // The places being visited, each with whether a `$ref` led to it: a cycle is named by the `$ref` targets on it.
  const path: Array<{ key: string; place: Place; viaRef: boolean }> = [];
  const done = new Set<string>();
  const visit = (p: Place, viaRef: boolean): void => {
    const key = keyOf(p);
    if (done.has(key)) return;
    path.push({ key, place: p, viaRef });
    if (isObject(p.schema)) {
      for (const c of childSchemas(p.schema)) {
        if (IN_PLACE.has(String(c.tokens[0]))) visit({ file: p.file, pointer: pointerJoin(p.pointer, ...c.tokens), schema: c.schema }, false);
      }
      const ref = p.schema.$ref;
      const target = typeof ref === 'string' ? locate(bundle, ref, p) : undefined;
      const closes = target === undefined ? -1 : path.findIndex((q) => q.key === keyOf(target));
      if (closes !== -1) {
        const on = [path[closes]!, ...path.slice(closes + 1).filter((q) => q.viaRef), path[closes]!];
        errors.add(cycleError(p, on.map((q) => (q.place.file === p.file ? `#${q.place.pointer}` : q.key))));
      } else if (target !== undefined) visit(target, true);
    }
    path.pop();
    done.add(key);
  };
  for (const doc of bundle.docs) for (const p of places({ file: doc.file, pointer: '', schema: doc.json })) visit(p, false);
  errors.throwIfAny();
}

/** Every subschema of a schema file, itself first, in the order the file writes them (Core §10, §8.2.4 `$defs`). */
function places(p: Place): Place[] {
  if (!isObject(p.schema)) return [p];
  return [p, ...childSchemas(p.schema).flatMap((c) => places({ file: p.file, pointer: pointerJoin(p.pointer, ...c.tokens), schema: c.schema }))];
}

/** Where the `$ref` of `from` points, or undefined when it resolves nowhere (WSGEN_REF is reported by the stages that resolve it). */
function locate(bundle: Bundle, ref: string, from: Place): Place | undefined {
  try {
    return bundle.locateRef(ref, from.file, from.pointer);
  } catch (err) {
    if (err instanceof WsgenError) return undefined;
    throw err;
  }
}

/** WSGEN_REF at the `$ref` of `from`, which closes the cycle through `cycle` (each place a `$ref` led to, `#pointer` in the file of `from`, else `file#pointer`; the first again last). */
function cycleError(from: Place, cycle: string[]): WsgenError {
  return new WsgenError(E.REF, `this $ref closes a cycle of subschemas applied to the same value (${cycle.join(' → ')}) through $ref, allOf, anyOf, oneOf, not, if/then/else or dependentSchemas only: checking a value would never end (JSON Schema 2020-12 §9.4.1)`,
    { file: from.file, pointer: pointerJoin(from.pointer, '$ref') },
    'hold the recursive part in a property or an array item ({"type": "object", "properties": {"next": {"$ref": ...}}} or {"type": "array", "items": {"$ref": ...}}), so that each step descends into the value');
}
