/**
 * `oneOf` and `anyOf` anywhere (JSON Schema 2020-12 §10.2.1.2, §10.2.1.3):
 * the IR union type, its discriminator (the property every branch requires
 * with its own string const, given by `discriminator` or found), and whether
 * the branches are exclusive (no value matches two), which tells the targets
 * whether `oneOf` needs a count of matching branches.
 */
import { GeneratorErrorCode as E, WsgenError, pointerJoin } from './errors.js';
import type { TypeIR, UnionTypeIR } from './ir.js';
import { type JsonObject, type JsonValue, isObject } from './load.js';
import { listedTypes } from './type-keyword.js';
import type { SchemaLocation } from './types.js';

/** The JSON value classes JSON Schema's `type` tells apart (`integer` is a kind of number). */
export type JsonClass = 'null' | 'boolean' | 'string' | 'number' | 'array' | 'object';
const ALL_CLASSES: readonly JsonClass[] = ['null', 'boolean', 'string', 'number', 'array', 'object'];

/** What the union builder needs from the IR stage. */
export interface UnionContext {
  toType(schema: JsonValue, loc: SchemaLocation): TypeIR;
  /** The normalized schema of a named object or alias, by type name. */
  def(name: string): { schema: JsonObject; kind: 'enum' | 'object' | 'alias' } | undefined;
  /** The value kind of a named enum. */
  enumKind(name: string): 'string' | 'integer';
}

const at = (loc: SchemaLocation, ...tokens: Array<string | number>): SchemaLocation => ({ file: loc.file, pointer: pointerJoin(loc.pointer, ...tokens) });

/** The JSON classes a type accepts values of (through aliases; `seen` stops at a cycle). */
export function jsonClasses(t: TypeIR, ctx: UnionContext, seen: Set<string> = new Set()): Set<JsonClass> {
  switch (t.kind) {
    case 'string':
      return new Set(['string']);
    case 'integer':
    case 'number':
      return new Set(['number']);
    case 'boolean':
      return new Set(['boolean']);
    case 'null':
      return new Set(['null']);
    case 'const':
      return new Set([typeof t.value === 'string' ? 'string' : typeof t.value === 'number' ? 'number' : 'boolean']);
    case 'enum':
      return new Set([ctx.enumKind(t.name) === 'integer' ? 'number' : 'string']);
    case 'object':
    case 'record':
      return new Set(['object']);
    case 'array':
      return new Set(['array']);
    case 'any':
    case 'formatted':
    case 'checked':
      return new Set(ALL_CLASSES);
    case 'nullable':
      return new Set([...jsonClasses(t.inner, ctx, seen), 'null']);
    case 'union':
      return new Set(t.variants.flatMap((v) => [...jsonClasses(v, ctx, seen)]));
    case 'alias': {
      if (seen.has(t.name)) return new Set(ALL_CLASSES);
      seen.add(t.name);
      const d = ctx.def(t.name);
      return d ? jsonClasses(ctx.toType(d.schema, { file: '', pointer: '' }), ctx, seen) : new Set(ALL_CLASSES);
    }
  }
}

/** The named object a branch type is (directly or through aliases), if it is one. */
function branchObject(t: TypeIR, ctx: UnionContext, seen: Set<string> = new Set()): string | undefined {
  if (t.kind === 'object') return t.name;
  if (t.kind !== 'alias' || seen.has(t.name)) return undefined;
  seen.add(t.name);
  const d = ctx.def(t.name);
  if (!d || d.kind !== 'alias' || typeof d.schema.$ref !== 'string' || Object.keys(d.schema).some((k) => k !== '$ref' && !k.startsWith('x-') && !['title', 'description', '$comment'].includes(k))) return undefined;
  return branchObject(ctx.toType(d.schema, { file: '', pointer: '' }), ctx, seen);
}

/**
 * WSGEN_DISCRIMINATOR for two branches of one union (`keyword`: oneOf/anyOf) that require the same tag value:
 * the message names both branches by pointer segment and type name, the location is the later branch.
 */
export function duplicateTag(prop: string, tag: string, keyword: string, branches: readonly [{ index: number; name: string }, { index: number; name: string }], where: SchemaLocation): WsgenError {
  const [a, b] = branches;
  return new WsgenError(E.DISCRIMINATOR, `tag ${JSON.stringify(tag)} is used by two branches: ${keyword}/${a.index} (${a.name}) and ${keyword}/${b.index} (${b.name})`, where,
    `give ${b.name} a "${prop}" const of its own (or drop one of the two branches): the tag picks the branch, so each value names one type`);
}

/** The string const a named object requires on `prop`, if it does. */
function tagOf(object: string, prop: string, ctx: UnionContext): string | undefined {
  const s = ctx.def(object)?.schema;
  if (!s || !isObject(s.properties)) return undefined;
  const p = s.properties[prop];
  const required = Array.isArray(s.required) && s.required.includes(prop);
  return required && isObject(p) && typeof p.const === 'string' ? p.const : undefined;
}

/** The property (of the first branch, in its order) that every branch requires with its own string const; `undefined` when none does. */
function findDiscriminator(objects: string[], ctx: UnionContext): string | undefined {
  const first = ctx.def(objects[0]!)?.schema;
  if (!first || !isObject(first.properties)) return undefined;
  return Object.keys(first.properties).find((prop) => {
    const tags = objects.map((o) => tagOf(o, prop, ctx));
    return tags.every((x) => x !== undefined) && new Set(tags).size === tags.length;
  });
}

/** Whether no two of the class sets meet. */
function disjoint(sets: Array<Set<JsonClass>>): boolean {
  const seen = new Set<JsonClass>();
  for (const s of sets) {
    for (const c of s) if (seen.has(c)) return false;
    for (const c of s) seen.add(c);
  }
  return true;
}

/**
 * The union type of a schema with `oneOf` or `anyOf` (`keyword`) of two or more
 * branches. Beside it only annotations, `discriminator` and a `type` that every
 * branch already satisfies are accepted (anything else would narrow the union,
 * which JSON Schema allows and wsgen does not map yet).
 */
export function unionType(schema: JsonObject, keyword: 'oneOf' | 'anyOf', loc: SchemaLocation, ctx: UnionContext): UnionTypeIR {
  const alts = schema[keyword] as readonly JsonValue[];
  const variants = alts.map((b, i) => ctx.toType(b, at(loc, keyword, i)));
  const classes = variants.map((v) => jsonClasses(v, ctx));
  const listed = listedTypes(schema, loc);
  if (listed !== undefined) {
    const allowed = new Set(listed.map((x) => (x === 'integer' ? 'number' : x)));
    // integer is narrower than number: refuse it beside a branch that accepts numbers.
    const narrows = listed.includes('integer') && classes.some((c) => c.has('number'));
    if (narrows || classes.some((c) => [...c].some((x) => !allowed.has(x)))) {
      throw new WsgenError(E.UNSUPPORTED, `keyword "type" cannot be enforced identically by every target: beside ${keyword} it would narrow the branches (${JSON.stringify(schema.type)})`, at(loc, 'type'),
        `put the type into each branch of ${keyword}, or drop it`);
    }
  }
  const objects = variants.map((v) => branchObject(v, ctx));
  const named = objects.every((o): o is string => o !== undefined);
  const disc = schema.discriminator;
  let discriminator: string | undefined;
  if (disc !== undefined) {
    if (!isObject(disc) || typeof disc.propertyName !== 'string' || Object.keys(disc).some((k) => k !== 'propertyName')) {
      throw new WsgenError(E.DISCRIMINATOR, 'discriminator must be {"propertyName": "..."} (the tag of each branch comes from its const; mapping is not supported)', at(loc, 'discriminator'), 'write "discriminator": {"propertyName": "kind"}');
    }
    const prop = disc.propertyName;
    alts.forEach((_b, i) => {
      const o = objects[i];
      if (o === undefined || tagOf(o, prop, ctx) === undefined) {
        throw new WsgenError(E.DISCRIMINATOR, `branch ${keyword}/${i}${o === undefined ? '' : ` (${o})`} must be a named object that requires "${prop}" with a string const`, at(loc, keyword, i), `$ref an object with "properties": {"${prop}": {"const": "..."}} and "${prop}" in required`);
      }
    });
    const tags = (objects as string[]).map((o) => tagOf(o, prop, ctx)!);
    const dup = tags.findIndex((x, i) => tags.indexOf(x) !== i);
    if (dup !== -1) {
      const first = tags.indexOf(tags[dup]!);
      throw duplicateTag(prop, tags[dup]!, keyword, [{ index: first, name: objects[first]! }, { index: dup, name: objects[dup]! }], at(loc, keyword, dup));
    }
    discriminator = prop;
  } else if (named && alts.length > 1) {
    discriminator = findDiscriminator(objects, ctx);
  }
  // A tagged union's branches are its objects themselves (aliases of them resolved): the targets' tagged unions need the model.
  const branches: TypeIR[] = discriminator !== undefined ? (objects as string[]).map((name) => ({ kind: 'object', name })) : variants;
  return { kind: 'union', mode: keyword, variants: branches, ...(discriminator !== undefined ? { discriminator } : {}), exclusive: discriminator !== undefined || disjoint(classes) };
}
