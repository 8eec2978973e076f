/**
 * Schema resources and base URIs (JSON Schema 2020-12 §8.2.1 `$id`, §8.2.2
 * `$anchor`, §9.1.1 initial base URI, §9.2 embedded resources). A subschema
 * with its own `$id` is a resource of its own: a `$ref` inside it resolves
 * against that `$id`, so `"#/$defs/Inner"` there means the `$defs` of the
 * embedded resource, not of the document root.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pointerJoin } from './errors.js';
import type { JsonObject, JsonValue } from './load.js';

/** A resource: where its root sits in its file, its absolute URI, and its anchors. */
export interface Resource {
  /** Absolute URI without fragment. */
  uri: string;
  file: string;
  /** JSON pointer of the resource root in its file. */
  pointer: string;
  json: JsonObject;
  /** `$anchor` name to the JSON pointer (in the file) of the subschema that declares it. */
  anchors: Map<string, string>;
}

/** Keywords whose values are data, not subschemas: a `$id` inside them names nothing. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'examples', 'default']);

function isObj(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The base URI of a file: its `$id` (resolved against its file URL), else its file URL (§9.1.1). */
export function fileBase(abs: string, json: JsonObject): string {
  const fileUrl = pathToFileURL(abs).href;
  return typeof json.$id === 'string' ? resolveUri(json.$id, fileUrl) : fileUrl;
}

/** `ref` resolved against `base`, without its fragment; `undefined` when it is not a URI reference. */
export function resolveUri(ref: string, base: string): string {
  const u = new URL(ref, base);
  u.hash = '';
  return u.href;
}

/**
 * Every resource of one file (the file itself and each subschema with a
 * `$id`), each with the `$anchor`s that belong to it (not to a nested resource).
 */
export function fileResources(file: string, abs: string, json: JsonObject): Resource[] {
  const root: Resource = { uri: fileBase(abs, json), file, pointer: '', json, anchors: new Map() };
  const out = [root];
  const walk = (v: JsonValue, pointer: string, res: Resource): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, pointerJoin(pointer, i), res));
      return;
    }
    if (!isObj(v)) return;
    let here = res;
    if (pointer !== '' && typeof v.$id === 'string') {
      here = { uri: resolveUri(v.$id, res.uri), file, pointer, json: v, anchors: new Map() };
      out.push(here);
    }
    if (typeof v.$anchor === 'string') here.anchors.set(v.$anchor, pointer);
    for (const [k, x] of Object.entries(v)) {
      if (DATA_KEYWORDS.has(k) || k.startsWith('x-')) continue;
      walk(x, pointerJoin(pointer, k), here);
    }
  };
  walk(json, '', root);
  return out;
}

/** The innermost resource of `resources` (of one file) that contains `pointer`. */
export function resourceAt(resources: readonly Resource[], pointer: string): Resource {
  let best = resources[0]!;
  for (const r of resources) {
    if ((pointer === r.pointer || pointer.startsWith(r.pointer + '/')) && r.pointer.length > best.pointer.length) best = r;
  }
  return best;
}

/**
 * The local file a URI retrieves when the schema folder is served where its root file's absolute `$id` says
 * (`rootUri`, such as `https://example.com/schemas/protocol.json`: the folder is served at
 * `https://example.com/schemas/`): the file at the same path below the root file's folder (`rootDir`), kept
 * inside the schema folder (`base`). That URI is the file's retrieval URI, by which a reference may name it even
 * when its own `$id` differs (JSON Schema 2020-12 §9.1.1; the `$id` stays its base URI). Undefined for a URI
 * elsewhere, with a query, a root without an absolute non-file `$id`, or a path that would leave the folder.
 */
export function servedPath(uri: string, rootUri: string, rootDir: string, base: string): string | undefined {
  if (rootUri.startsWith('file:')) return undefined;
  const folder = new URL('.', rootUri).href;
  if (!uri.startsWith(folder) || uri.includes('?')) return undefined;
  let segments: string[];
  try {
    segments = uri.slice(folder.length).split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\'))) return undefined;
  const path = resolve(rootDir, ...segments);
  const inside = relative(base, path);
  return inside === '' || inside.startsWith('..') || isAbsolute(inside) ? undefined : path;
}
