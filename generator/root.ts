/**
 * The root of a schema (issue 9 row 11). A root that is a `oneOf` with a
 * `discriminator` is the tagged message union the runtimes need (buildUnion).
 * Any other root (one object, inline or a `$ref`; an untagged `oneOf`/`anyOf`;
 * an array; a primitive; a schema only a checked subschema expresses) becomes a
 * definition of its own before the hoist (withRootDefinition), named after its
 * `title`, else its file name, and goes through the stages as every `$defs`
 * entry does: it gets types, validators, models and parse functions.
 */
import { TYPE_NAME, typeNameOfKey } from './def-names.js';
import { GeneratorErrorCode as E, type ErrorList, WsgenError, placeText, pointerJoin } from './errors.js';
import type { IR, ObjectIR, RootIR, UnionIR } from './ir.js';
import { type Bundle, type JsonObject, type JsonValue, type NamedDef, isObject, keyedObject } from './load.js';
import type { Normalized } from './normalize.js';
import { duplicateTag } from './unions.js';
import { at, checkTypeName, desc, isTypeName, unsupported } from './ir-keywords.js';

/** The hint of every refusal of a root that is no tagged union, where a tagged one is needed. */
export const TAGGED_ROOT_HINT = 'the runtimes need a root oneOf with a discriminator: {"discriminator": {"propertyName": "type"}, "oneOf": [{"$ref": "#/$defs/..."}]}';

/** Keywords of the root document that say nothing about the root's value (they stay out of its definition). */
const DOCUMENT_KEYWORDS = new Set(['$schema', '$id', '$defs', '$anchor', '$comment', 'x-wsgen-version']);

/** Whether a root schema is the tagged message union: a `discriminator` beside a non-empty `oneOf`. */
export function isTaggedRoot(root: JsonObject): boolean {
  return isObject(root.discriminator) && Array.isArray(root.oneOf) && root.oneOf.length > 0;
}

/**
 * The type name of a root that is no tagged union: its `title` (in PascalCase words), else its
 * file name without `.json` and `.schema` (`point-list.schema.json` → `PointList`).
 */
export function rootTypeName(bundle: Bundle): string {
  const title = bundle.root.json.title;
  if (typeof title === 'string') return typeNameOfKey(title);
  const base = bundle.root.file.split('/').pop()!.replace(/\.json$/i, '').replace(/\.schema$/i, '');
  return typeNameOfKey(base);
}

/**
 * The bundle with a root that is no tagged union added as a definition of its own (see the
 * module comment); a tagged root leaves it as it is. WSGEN_NAME when the name is no
 * PascalCase type name or a `$defs` entry already has it.
 */
export function withRootDefinition(bundle: Bundle): Bundle {
  const json = bundle.root.json;
  if (isTaggedRoot(json)) return bundle;
  const name = rootTypeName(bundle);
  const loc = { file: bundle.root.file, pointer: '' };
  if (!isTypeName(name)) {
    throw new WsgenError(E.NAME, `the root type would be named "${name}" (from its ${typeof json.title === 'string' ? 'title' : 'file name'}), which is ${TYPE_NAME.test(name) ? 'a name the generated code uses' : 'no PascalCase type name'}`, loc,
      'give the root schema a "title" such as "Point"');
  }
  const prev = bundle.defs.get(name);
  if (prev !== undefined) {
    throw new WsgenError(E.NAME, `the root type is named "${name}" (${typeof json.title === 'string' ? 'its title' : 'its file name'}), which the definition at ${placeText(prev.file, prev.pointer)} already has`, loc,
      'give the root schema a "title" of its own, or rename the $defs entry; wsgen never adds numbered suffixes');
  }
  const schema = keyedObject<JsonValue>();
  for (const [k, v] of Object.entries(json)) if (!DOCUMENT_KEYWORDS.has(k)) schema[k] = v;
  const root: NamedDef = { name, schema, file: loc.file, pointer: '' };
  return { ...bundle, defs: new Map([...bundle.defs, [name, root]]) };
}

/** The root of the IR: the tagged union, or the named type a root definition became (`kinds`: each definition's kind). */
export function rootOf(bundle: Bundle, kinds: ReadonlyMap<string, 'enum' | 'object' | 'alias'>, union: UnionIR | undefined): RootIR {
  if (union !== undefined) return { tagged: true, name: union.name };
  const name = rootTypeName(bundle);
  return { tagged: false, name, kind: kinds.get(name)! };
}

/**
 * The root union of `ir`, for a command or emitter that needs it; WSGEN_UNTAGGED_ROOT (with the
 * hint that the runtimes need a tagged root) when the root is any other type. `what`: who needs it.
 */
export function taggedUnion(ir: Pick<IR, 'union' | 'root' | 'rootFile'>, what: string): UnionIR {
  if (ir.union !== undefined) return ir.union;
  throw new WsgenError(E.UNTAGGED_ROOT, `${what} needs a root union with a discriminator; the root of this schema is the type ${ir.root.name}`, { file: ir.rootFile, pointer: '' }, TAGGED_ROOT_HINT);
}

/** The names of the `$defs` entries the root union's branches reference (the message types); none for a root that is no tagged union. */
export function rootVariants(bundle: Bundle, norm: Normalized): Set<string> {
  const out = new Set<string>();
  const branches = norm.root.schema.oneOf;
  if (!isTaggedRoot(norm.root.schema) || !Array.isArray(branches)) return out;
  branches.forEach((b, i) => {
    if (!isObject(b) || typeof b.$ref !== 'string') return;
    try {
      out.add(bundle.resolveRef(b.$ref, norm.root.loc.file, pointerJoin('', 'oneOf', i)).name);
    } catch {
      // buildUnion reports it.
    }
  });
  return out;
}

/**
 * The root union of a tagged root (undefined for any other root): each branch a `$ref` to an object that
 * requires the tag with its own string const. Throws WsgenError when the union itself is malformed; an
 * error of one branch goes to `errors` and the union keeps the other branches. A branch whose definition
 * is in `failed` (its own error is already listed) is left out without an error of its own.
 */
export function buildUnion(bundle: Bundle, norm: Normalized, objects: ObjectIR[], failed: ReadonlySet<string>, errors: ErrorList): UnionIR | undefined {
  const root = norm.root;
  if (!isTaggedRoot(root.schema)) return undefined;
  const loc = root.loc;
  checkTypeName(root.name, loc);
  const disc = root.schema.discriminator;
  if (!isObject(disc) || typeof disc.propertyName !== 'string') {
    throw new WsgenError(E.DISCRIMINATOR, 'the root union needs "discriminator": {"propertyName": "..."}', at(loc, 'discriminator'), 'add "discriminator": {"propertyName": "type"}');
  }
  if (disc.mapping !== undefined) throw unsupported('mapping', at(loc, 'discriminator'), 'the tag of each branch comes from its const');
  const prop = disc.propertyName;
  const variants: UnionIR['variants'] = [];
  const tags = new Map<string, { index: number; name: string }>();
  (root.schema.oneOf as JsonValue[]).forEach((b, i) => errors.attempt(() => {
    const bl = at(loc, 'oneOf', i);
    if (!isObject(b) || typeof b.$ref !== 'string') throw new WsgenError(E.DISCRIMINATOR, 'each branch of the root union must be a {"$ref"} to a named object', bl, 'move the branch into $defs');
    const target = bundle.resolveRef(b.$ref, loc.file, bl.pointer);
    if (failed.has(target.name)) return;
    const obj = objects.find((o) => o.name === target.name);
    const tagProp = obj?.properties.find((p) => p.name === prop);
    if (!obj || !tagProp || tagProp.type.kind !== 'const' || typeof tagProp.type.value !== 'string' || !tagProp.required) {
      throw new WsgenError(E.DISCRIMINATOR, `branch ${target.name} must require "${prop}" with a string const`, { file: target.file, pointer: target.pointer },
        `add "properties": {"${prop}": {"const": "..."}} and list "${prop}" in required (directly or through its base)`);
    }
    const tag = tagProp.type.value;
    const first = tags.get(tag);
    if (first) throw duplicateTag(prop, tag, 'oneOf', [first, { index: i, name: obj.name }], bl);
    tags.set(tag, { index: i, name: obj.name });
    obj.tag = tag;
    variants.push({ tag, object: obj.name });
  }));
  return { name: root.name, ...(desc(root.schema) ? { description: desc(root.schema)! } : {}), discriminator: prop, variants, loc };
}
