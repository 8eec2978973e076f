/**
 * Stage 1: load. Reads the schema files, parses them with precise JSON error
 * locations, freezes them (no later stage can mutate the input), finds the root
 * union and resolves every `$ref` to a named `$defs` entry.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { typeNameOfKey } from './def-names.js';
import { GeneratorErrorCode as E, ErrorList, WsgenError, placeText, pointerJoin } from './errors.js';
import { type Resource, fileResources, resolveUri, resourceAt, servedPath } from './resources.js';
import { type JsonObject, type JsonValue, canonical, deepFreeze, isObject, parseJsonFile } from './json-parse.js';
import { childSchemas } from './subschemas.js';
import { semanticHash } from './semantic-hash.js';
import { ioError } from './io-errors.js';
import { didYouMean, nearestName } from './suggest.js';

// JSON values and parsing live in json-parse.ts; the stages import them from here, as before the split.
export { type JsonObject, type JsonValue, canonical, isObject, jsonErrorOffset, keyedObject, parseJsonFile } from './json-parse.js';

/** One parsed schema file. */
export interface SchemaDoc {
  /** Path relative to the schema root folder, with `/` separators: used in messages and banners. */
  file: string;
  /** Absolute path on disk. */
  abs: string;
  /** The document's `$id`, when it has one. */
  id?: string;
  json: JsonObject;
}

/** A `$defs` entry, the unit wsgen names types after. */
export interface NamedDef {
  name: string;
  schema: JsonValue;
  file: string;
  pointer: string;
}

/** What the load stage hands on: the documents, the root, and a `$ref` resolver. */
export interface Bundle {
  root: SchemaDoc;
  docs: readonly SchemaDoc[];
  defs: ReadonlyMap<string, NamedDef>;
  /** SHA-256 (hex) of the canonical JSON of every document, sorted by file. */
  hash: string;
  /** The same with annotations left out (semantic-hash.ts): what the handshake compares. */
  semanticHash: string;
  /** Resolves a `$ref` written in `file` to the named definition it targets (WSGEN_REF when it targets anything else). */
  resolveRef(ref: string, file: string, pointer: string): NamedDef;
  /**
   * Resolves a `$ref` written in `file` at `pointer` to the subschema it targets, wherever it is (a `$defs` entry,
   * any JSON pointer, an `$anchor`, another file): JSON Schema 2020-12 §8.2.3.1, against the base URI of its resource.
   * Also reads the canonical forms normalize.ts writes (`wsgen:Name`, `wsgen-at:file#pointer`).
   */
  locateRef(ref: string, file: string, pointer: string): RefTarget;
  /**
   * The `$ref`s that resolve nowhere (WSGEN_REF), one per place, in document order: loading goes on past them so
   * that one run reports them all with the schema's other errors (issue 9 "All errors in one run"); the pipeline
   * leaves out the errors at or below these places (index.ts), which only follow from the missing targets.
   */
  refErrors: readonly WsgenError[];
}

/** Where a `$ref` points: the file, the JSON pointer in it and the subschema there. */
export interface RefTarget {
  file: string;
  pointer: string;
  schema: JsonValue;
}

/** Prefix of a canonical reference to an exact location: `wsgen-at:` + file + `#` + JSON pointer. */
export const LOCATION_REF_PREFIX = 'wsgen-at:';

/** The value at a JSON pointer (RFC 6901) of `doc`, or undefined when there is none. */
export function valueAt(doc: JsonValue, pointer: string): JsonValue | undefined {
  let v: JsonValue | undefined = doc;
  for (const raw of pointer === '' ? [] : pointer.slice(1).split('/')) {
    const t = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v)) v = /^(0|[1-9][0-9]*)$/.test(t) ? v[Number(t)] : undefined;
    else if (isObject(v)) v = Object.hasOwn(v, t) ? v[t] : undefined;
    else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/**
 * The pointer that `pointer` (RFC 6901) likely meant in `doc`, when it names nothing there: its first token
 * that names nothing replaced by the nearest key of that object (suggest.ts: `/$defs/Teem` → `/$defs/Team`),
 * if the whole pointer then names a value; else undefined.
 */
export function nearestPointer(doc: JsonValue, pointer: string): string | undefined {
  const tokens = pointer === '' ? [] : pointer.slice(1).split('/');
  for (let i = 0; i < tokens.length; i++) {
    const head = tokens.slice(0, i).map((t) => `/${t}`).join('');
    if (valueAt(doc, head + `/${tokens[i]}`) !== undefined) continue;
    const parent = valueAt(doc, head);
    if (!isObject(parent)) return undefined;
    const key = nearestName(tokens[i]!.replace(/~1/g, '/').replace(/~0/g, '~'), Object.keys(parent));
    if (key === undefined) return undefined;
    const fixed = pointerJoin(head, key) + tokens.slice(i + 1).map((t) => `/${t}`).join('');
    return valueAt(doc, fixed) === undefined ? undefined : fixed;
  }
  return undefined;
}

/** Every `*.json` file below `dir` (recursively), sorted by name at each level; absolute when `dir` is. */
export function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listJsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

/**
 * Loads a schema from a folder (every `*.json` below it) or from one root file
 * (plus the files its `$ref`s reach).
 */
export function loadSchema(path: string): Bundle {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (err) {
    throw ioError('read', 'the schema path', path, err, 'pass --schema a folder of *.json files or a root schema file');
  }
  const base = isDir ? abs : dirname(abs);
  const docs = new Map<string, SchemaDoc>();
  /** Every resource (file or subschema with a `$id`) by absolute URI, and each file's resources in document order. */
  const resources = new Map<string, Resource>();
  const resourcesOf = new Map<string, Resource[]>();

  const readDoc = (p: string, from?: { file: string; pointer: string }): SchemaDoc => {
    const existing = docs.get(p);
    if (existing) return existing;
    const file = relative(base, p).split('\\').join('/');
    let text: Buffer;
    try {
      text = readFileSync(p);
    } catch {
      throw new WsgenError(E.REF, `cannot read ${file}`, from ?? { file, pointer: '' }, 'check the file name in the $ref');
    }
    const json = deepFreeze(parseJsonFile(text, file));
    if (!isObject(json)) throw new WsgenError(E.META, 'a schema file must hold a JSON object', { file, pointer: '' }, 'wrap the schema in { ... }');
    const doc: SchemaDoc = { file, abs: p, json, ...(typeof json.$id === 'string' ? { id: json.$id } : {}) };
    docs.set(p, doc);
    const rs = fileResources(file, p, json);
    for (const r of rs) {
      const prev = resources.get(r.uri);
      if (prev) throw new WsgenError(E.REF, `$id ${r.uri} names two schema resources (${placeText(prev.file, prev.pointer)} and here)`, { file, pointer: r.pointer }, 'give every resource its own $id');
      resources.set(r.uri, r);
    }
    resourcesOf.set(file, rs);
    return doc;
  };

  let root: SchemaDoc;
  if (isDir) {
    const files = listJsonFiles(abs);
    const loaded = files.map((f) => readDoc(f));
    const unions = loaded.filter((d) => isObject(d.json.discriminator) && Array.isArray(d.json.oneOf));
    // A folder of one file without a root union: that file is the root, whatever its type (root.ts).
    const roots = unions.length === 0 && loaded.length === 1 ? loaded : unions;
    if (roots.length !== 1) {
      throw new WsgenError(E.ROOT, roots.length === 0 ? `no root union in ${path}` : `${roots.length} root unions in ${path}: ${roots.map((r) => r.file).join(', ')}`,
        { file: roots[0]?.file ?? '.', pointer: '' },
        'exactly one file must hold, at its top level, the message union: "discriminator": {"propertyName": "type"} with "oneOf" of $refs; a schema of another root type: pass its root file to --schema');
    }
    root = roots[0]!;
  } else {
    root = readDoc(abs);
  }

  const defsOf = (r: Resource): JsonObject => (isObject(r.json.$defs) ? r.json.$defs : {});

  /** The resource a non-empty `$ref` target names, resolved against the base URI `from` sits in (JSON Schema 2020-12 §8.2.1, §9.2). */
  const locate = (target: string, from: Resource, where: { file: string; pointer: string }): Resource => {
    let uri: string;
    try {
      uri = resolveUri(target, from.uri);
    } catch {
      throw new WsgenError(E.REF, `$ref target ${JSON.stringify(target)} is not a URI reference`, where, 'write a relative path or an absolute URI');
    }
    const known = resources.get(uri);
    if (known) return known;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !uri.startsWith('file:')) {
      // A URI below the folder the root file's $id names retrieves the file at that path (its retrieval URI).
      const served = servedPath(uri, resourcesOf.get(root.file)![0]!.uri, dirname(root.abs), base);
      if (served !== undefined) return resourcesOf.get(readDoc(served, where).file)![0]!;
      throw new WsgenError(E.REF, `$ref to ${target}, which no loaded file has as $id`, where,
        "wsgen fetches nothing: reference local files by relative path, by their $id, or by their path below the folder the root file's absolute $id names");
    }
    // A file not read yet: by its file URL, or (from a file with an http(s) $id) by its path relative to the referring file.
    const fromAbs = [...docs.values()].find((d) => d.file === from.file)!.abs;
    const path = uri.startsWith('file:') ? fileURLToPath(uri) : resolve(dirname(fromAbs), target);
    return resourcesOf.get(readDoc(path, where).file)![0]!;
  };

  const docByFile = (file: string): SchemaDoc | undefined => [...docs.values()].find((d) => d.file === file);

  const locateRef = (ref: string, file: string, pointer: string): RefTarget => {
    const where = { file, pointer };
    if (ref.startsWith('wsgen:')) {
      const def = defs.get(ref.slice(6));
      if (def) return def;
      throw new WsgenError(E.REF, `internal: unknown canonical ref ${ref}`, where, 'report this');
    }
    if (ref.startsWith(LOCATION_REF_PREFIX)) {
      const hash = ref.indexOf('#');
      const tfile = ref.slice(LOCATION_REF_PREFIX.length, hash);
      const tpointer = ref.slice(hash + 1);
      const schema = valueAt(docByFile(tfile)?.json ?? null, tpointer);
      if (schema === undefined) throw new WsgenError(E.REF, `internal: unknown canonical ref ${ref}`, where, 'report this');
      return { file: tfile, pointer: tpointer, schema };
    }
    const own = resourcesOf.get(file);
    if (!own) throw new WsgenError(E.REF, `unknown file ${file}`, where, 'internal: refs are resolved from loaded files only');
    const from = resourceAt(own, pointer);
    const hash = ref.indexOf('#');
    const target = hash < 0 ? ref : ref.slice(0, hash);
    let frag: string;
    try {
      frag = decodeURIComponent(hash < 0 ? '' : ref.slice(hash + 1));
    } catch {
      throw new WsgenError(E.REF, `$ref "${ref}" has a malformed percent-encoding in its fragment`, where, 'write the fragment as a JSON pointer or an anchor name');
    }
    const res = target === '' ? from : locate(target, from, where);
    let at: string;
    if (frag !== '' && !frag.startsWith('/')) {
      const found = res.anchors.get(frag);
      if (found === undefined) throw new WsgenError(E.REF, `$ref "${ref}" does not resolve: no $anchor "${frag}" in ${res.uri}`, where, `fix the anchor name, or reference "#/$defs/Name"${didYouMean(frag, res.anchors.keys(), (a) => JSON.stringify(`${target}#${a}`))}`);
      at = found;
    } else {
      at = res.pointer + frag;
    }
    const schema = valueAt(docByFile(res.file)!.json, at);
    if (schema === undefined) {
      const near = nearestPointer(docByFile(res.file)!.json, at);
      const suggestion = near === undefined || !near.startsWith(res.pointer) ? '' : `; did you mean ${JSON.stringify(`${target}#${near.slice(res.pointer.length)}`)}?`;
      throw new WsgenError(E.REF, `$ref "${ref}" does not resolve: ${res.file} has nothing at ${at || '/'}`, where, `fix the JSON pointer, or define the subschema there${suggestion}`);
    }
    return { file: res.file, pointer: at, schema };
  };

  const resolveRef = (ref: string, file: string, pointer: string): NamedDef => {
    const where = { file, pointer };
    if (ref.startsWith('wsgen:')) return locateRef(ref, file, pointer) as NamedDef;
    const { file: tfile, pointer: defPointer } = locateRef(ref, file, pointer);
    // A $defs entry of some resource of the file (an embedded resource may itself be a $defs entry, and its root then names it).
    const m = /^(.*)\/\$defs\/([^/]+)$/.exec(defPointer);
    const owner = m ? resourcesOf.get(tfile)!.find((r) => r.pointer === m[1]) : undefined;
    const name = m ? typeNameOfKey(m[2]!.replace(/~1/g, '/').replace(/~0/g, '~')) : '';
    if (!m || !owner) {
      throw new WsgenError(E.REF, `$ref "${ref}" does not point at a $defs entry of its resource`, where, 'wsgen names every type after its $defs key: move the subschema into $defs and reference "#/$defs/Name"');
    }
    const key = m[2]!.replace(/~1/g, '/').replace(/~0/g, '~');
    const schema = defsOf(owner)[key];
    if (schema === undefined) {
      throw new WsgenError(E.REF, `$ref "${ref}" does not resolve: ${owner.file}${owner.pointer ? '#' + owner.pointer : ''} has no $defs/${key}`, where, `define "${key}" under $defs there, or fix the spelling`);
    }
    return { name, schema, file: owner.file, pointer: defPointer };
  };

  // Walk every reachable document so that all $refs resolve: an unresolved one is kept, with its location, and the walk goes on.
  const seen = new Set<string>();
  const unresolved = new ErrorList();
  const walk = (v: JsonValue, file: string, pointer: string): void => {
    if (!isObject(v)) return;
    if (typeof v.$ref === 'string') {
      const t = unresolved.attempt(() => locateRef(v.$ref as string, file, pointer), (e) => e.code === E.REF);
      const key = t && t.file + '#' + t.pointer;
      if (t && key && !seen.has(key)) {
        seen.add(key);
        walk(t.schema, t.file, t.pointer);
      }
    }
    for (const c of childSchemas(v)) walk(c.schema, file, pointerJoin(pointer, ...c.tokens));
  };
  walk(root.json, root.file, '');
  for (const d of [...docs.values()]) walk(d.json, d.file, '');

  // Every $defs entry of every document becomes a named type; names are global.
  const defs = new Map<string, NamedDef>();
  const ordered = [...docs.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const res of ordered.flatMap((d) => resourcesOf.get(d.file)!)) {
    for (const [key, schema] of Object.entries(defsOf(res))) {
      const name = typeNameOfKey(key);
      const pointer = pointerJoin(res.pointer, '$defs', key);
      const prev = defs.get(name);
      if (prev) {
        throw new WsgenError(E.NAME, `type name "${name}" is defined twice: at ${placeText(prev.file, prev.pointer)} and at ${placeText(res.file, pointer)}`, { file: res.file, pointer },
          'rename one of them: wsgen names types after $defs keys (of every resource, embedded ones included; a key that is not PascalCase gives its words in PascalCase, so "user_id" and "userId" are both UserId) and never adds numbered suffixes');
      }
      defs.set(name, { name, schema, file: res.file, pointer });
    }
  }

  // In document order (files by name), whatever order the walk followed the references in.
  const order = unresolved.empty ? new Map<string, number>() : documentOrder(ordered);
  const rank = (e: WsgenError) => order.get(e.where) ?? order.size;
  const refErrors = [...unresolved.found].sort((a, b) => rank(a) - rank(b));

  const hash = createHash('sha256');
  for (const doc of ordered) hash.update(doc.file + '\n' + canonical(doc.json) + '\n');

  return { root, docs: ordered, defs, hash: hash.digest('hex'), semanticHash: semanticHash(ordered), resolveRef, locateRef, refErrors };
}

/** Every subschema place of `docs` (`file#pointer`), in document order (files in the given order, depth first), with its rank. */
function documentOrder(docs: readonly SchemaDoc[]): Map<string, number> {
  const order = new Map<string, number>();
  const visit = (v: JsonValue, file: string, pointer: string): void => {
    if (!isObject(v)) return;
    order.set(`${file}#${pointer}`, order.size);
    for (const c of childSchemas(v)) visit(c.schema, file, pointerJoin(pointer, ...c.tokens));
  };
  for (const d of docs) visit(d.json, d.file, '');
  return order;
}
