/**
 * Where the inherited parts of a flattened object were written. normalize.ts
 * merges each `allOf` base into the object that narrows it, so an `x-*`
 * annotation or a `required` entry of the base ends up in every object built on
 * it; an error about it must name the place where it is written (the base),
 * once, not a pointer under each object, which does not exist in the file.
 */
import { pointerJoin } from './errors.js';
import { type JsonObject, isObject, keyedObject } from './load.js';
import type { SchemaLocation } from './types.js';

/**
 * Inherited parts of a flattened object, keyed by a JSON pointer relative to the object
 * (`/x-direction`, `/properties/ref/x-wsgen-role`, `/required/ref`), each with the location
 * of the annotation, or of the `required` array that lists the name, in the base that wrote it.
 */
export type Origins = ReadonlyMap<string, SchemaLocation>;

/** A flattened `allOf` base: its schema, where it is defined, and where its own inherited parts came from. */
export interface FlatBase {
  schema: JsonObject;
  loc: SchemaLocation;
  origins: Origins;
}

const at = (loc: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...tokens) });

/** The relative pointers of the inheritable parts of `schema`: its `x-*` keys, its properties' `x-*` keys, its required names. */
function parts(schema: JsonObject): Array<{ rel: string; tokens: string[] }> {
  const out: Array<{ rel: string; tokens: string[] }> = [];
  for (const k of Object.keys(schema)) if (k.startsWith('x-')) out.push({ rel: pointerJoin('', k), tokens: [k] });
  if (isObject(schema.properties)) {
    for (const [name, p] of Object.entries(schema.properties)) {
      if (!isObject(p)) continue;
      for (const k of Object.keys(p)) if (k.startsWith('x-')) out.push({ rel: pointerJoin('', 'properties', name, k), tokens: ['properties', name, k] });
    }
  }
  if (Array.isArray(schema.required)) {
    for (const r of schema.required) if (typeof r === 'string') out.push({ rel: pointerJoin('', 'required', r), tokens: ['required'] });
  }
  return out;
}

/**
 * The origins of an object flattened from `bases` (in `allOf` order) and its `own` keywords: a later
 * base wins over an earlier one and `own` over every base, as in the merge (normalize.ts `intersect`);
 * what `own` writes itself is at the object's own location, so it has no entry.
 */
export function inheritedOrigins(bases: readonly FlatBase[], own: JsonObject): Map<string, SchemaLocation> {
  const out = new Map<string, SchemaLocation>();
  for (const b of bases) {
    for (const { rel, tokens } of parts(b.schema)) out.set(rel, b.origins.get(rel) ?? at(b.loc, ...tokens));
  }
  for (const { rel } of parts(own)) out.delete(rel);
  return out;
}

/** The annotations of {@link annotatedAt} for the object (key `undefined`) and for each of its properties, read from origins once. */
type AnnotationIndex = Map<string | undefined, Record<string, SchemaLocation>>;

/** The index of each origins map read so far (one pass over an object's origins, not one per property). */
const indexes = new WeakMap<Origins, AnnotationIndex>();

/** The `x-*` key (without the prefix, `~1`/`~0` unescaped) that the relative pointer rest `/x-…` names, or undefined when it names deeper. */
function annotationKey(rest: string): string | undefined {
  return rest.startsWith('/x-') && !rest.includes('/', 1) ? rest.slice(3).replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

/** Reads `origins` into an index of the annotations of the object and of each property (in the order of `origins`). */
function annotationIndex(origins: Origins): AnnotationIndex {
  let index = indexes.get(origins);
  if (index !== undefined) return index;
  index = new Map();
  const entry = (property: string | undefined): Record<string, SchemaLocation> => {
    let out = index!.get(property);
    if (out === undefined) index!.set(property, (out = keyedObject<SchemaLocation>()));
    return out;
  };
  for (const [rel, loc] of origins) {
    const own = annotationKey(rel);
    if (own !== undefined) {
      entry(undefined)[own] = loc;
      continue;
    }
    // `/properties/<name>/x-…` and `/required/<name>`; <name> is one escaped token (it holds no `/`).
    const [, group, token, rest] = /^\/(properties|required)\/([^/]*)(.*)$/.exec(rel) ?? [];
    if (token === undefined) continue;
    const name = token.replace(/~1/g, '/').replace(/~0/g, '~');
    if (group === 'required' && rest === '') entry(name).required = loc;
    const key = group === 'properties' ? annotationKey(rest!) : undefined;
    if (key !== undefined) entry(name)[key] = loc;
  }
  indexes.set(origins, index);
  return index;
}

/**
 * The `x-*` annotations (keys without the prefix, as in the IR's `meta`) inherited by the object (`property`
 * undefined) or by one of its properties, with where each is written; `required` too for a property a base
 * requires. Undefined when nothing is inherited. A new object on each call.
 */
export function annotatedAt(origins: Origins, property?: string): Record<string, SchemaLocation> | undefined {
  if (origins.size === 0) return undefined;
  const found = annotationIndex(origins).get(property);
  return found === undefined ? undefined : Object.assign(keyedObject<SchemaLocation>(), found);
}

/**
 * Where the `x-${key}` annotation of an IR object or property is written: in the `allOf` base it comes
 * from (`annotatedAt`), else under its own location.
 */
export function annotationLoc(x: { loc: SchemaLocation; annotatedAt?: Record<string, SchemaLocation> }, key: string): SchemaLocation {
  return x.annotatedAt?.[key] ?? at(x.loc, `x-${key}`);
}
