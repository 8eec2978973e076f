/**
 * Stage 4: IR. Turns the normalized definitions into the typed IR. This is where
 * wsgen refuses what a target cannot enforce exactly: every keyword is either
 * mapped, an annotation, or an error that names it and its JSON pointer.
 */
import { MEMBER_NAME, memberNameOf } from './def-names.js';
import { GeneratorErrorCode as E, ErrorList, WsgenError, collectErrors, pointerJoin } from './errors.js';
import { type AliasIR, type EnumIR, type EnumMemberIR, type IR, type ObjectIR, type PropertyIR, type StringFormat, type TypeIR, aliasCycle, namedTypeRefs, nestedTypes, reachability, ruleTypes } from './ir.js';
import { type Bundle, type JsonObject, type JsonValue, isObject, keyedObject } from './load.js';
import { type Normalized, type NormalizedDef, appliedInPlace, intersect } from './normalize.js';
import { annotatedAt } from './origins.js';
import { ANNOTATIONS, TYPED_NARROWING, at, checkKeywords, checkTypeName, classify, defined, desc, formattedType, integerType, isTypeName, meta, multipleOf, nonNegInt, num, safeInteger, unsupported } from './ir-keywords.js';
import { buildUnion, isTaggedRoot, rootOf, rootTypeName, rootVariants } from './root.js';
import { splitNullableEnums } from './nullable-enums.js';
import { checkStringFormat } from './formats.js';
import { checkPortablePattern } from './pattern.js';
import { deriveRoles } from './roles.js';
import { ambiguousDefaults } from './defaults.js';
import { checkDerivedNames } from './type-names.js';
import { checkObjectType, checkValuesTyped, typeForMapping } from './type-keyword.js';
import type { SchemaLocation } from './types.js';
import { type UnionContext, unionType } from './unions.js';
import { OBJECT_RULE_KEYWORDS, hasObjectRules, readObjectRules } from './object-keywords.js';
import { CheckedSchemas, isCheckedFallback } from './checked.js';
import { retargetAliases } from './checked-defs.js';
import { jsonTypeOf, restatesType, typeList } from './ref-type-null.js';
import { undeclaredRequired } from './undeclared-required.js';

/**
 * Builds the IR from normalized definitions. Throws WsgenError with every error found (issue 9 "All
 * errors in one run"): each definition's first error, then those of the stages after it (the root
 * union, the roles, the derived names), which run on the definitions that built.
 */
export function buildIR(bundle: Bundle, normalized: Normalized): IR {
  // Enums that admit null: the enum of their other members, nullable at every $ref (nullable-enums.ts).
  const { norm, nullable: nullableEnums } = splitNullableEnums(normalized, isTaggedRoot(normalized.root.schema) ? undefined : rootTypeName(bundle));
  const errors = new ErrorList();
  /** Definitions that failed: the later stages skip what depends on them, so they report no consequence of an error already listed. */
  const failed = new Set<string>();
  const kinds = new Map<string, 'enum' | 'object' | 'alias'>();
  for (const d of norm.defs.values()) kinds.set(d.name, classify(d.schema));

  const checked = new CheckedSchemas(bundle);
  // Definitions that are no typed type (a name outside PascalCase, or a definition normalize could not flatten): used through checked subschemas only.
  // A misnamed definition at the top of a file's $defs stays an error (WSGEN_NAME, with its hint); one nested in a subschema is the subschema's business.
  const nestedDef = (name: string) => norm.defs.get(name)!.loc.pointer !== pointerJoin('', '$defs', name);
  const untyped = new Set([...[...norm.untyped.keys()].filter((n) => !isTypeName(n)), ...[...norm.defs.keys()].filter((n) => !isTypeName(n) && nestedDef(n))]);
  // Definitions normalize could not flatten, with a legal name: aliases of their checked subschema.
  const checkedDefs = new Set([...norm.untyped.keys()].filter(isTypeName));
  for (const n of checkedDefs) kinds.set(n, 'alias');
  // A message type must be a typed object: its own error stands.
  const variants = rootVariants(bundle, norm);
  for (const v of variants) {
    if (!norm.untyped.has(v)) continue;
    errors.add(norm.untyped.get(v)!);
    failed.add(v);
  }
  const enums: EnumIR[] = [];
  const aliases: AliasIR[] = [];
  const objects: ObjectIR[] = [];

  const toType = (schema: JsonValue, loc: SchemaLocation): TypeIR => {
    if (schema === true) return { kind: 'any' };
    if (!isObject(schema)) throw new WsgenError(E.UNSUPPORTED, 'a false schema here can never validate', loc, 'remove the property instead (properties: {"name": false} in a per-type narrowing)');
    if (typeof schema.$ref === 'string') return refType(schema, loc);
    if ('const' in schema) {
      checkKeywords(schema, ['const', 'type'], loc, 'a const');
      const v = schema.const;
      checkValuesTyped(schema, [v!], loc);
      if (v === null) return { kind: 'null' };
      if (typeof v === 'string' || typeof v === 'boolean') return { kind: 'const', value: v };
      if (typeof v === 'number') return { kind: 'const', value: safeInteger(v, at(loc, 'const'), 'const') };
      throw unsupported('const', loc, 'only string, integer, boolean and null constants are supported');
    }
    if ('enum' in schema) throw unsupported('enum', loc, 'inline enums have no name; move the enum into $defs and $ref it');
    for (const k of ['oneOf', 'anyOf'] as const) {
      const alts = schema[k];
      if (Array.isArray(alts)) {
        const nonNull = alts.filter((a) => !(isObject(a) && a.type === 'null'));
        if (alts.length === 2 && nonNull.length === 1) {
          checkKeywords(schema, [k], loc, 'a nullable union');
          const inner = toType(nonNull[0]!, at(loc, k, alts.indexOf(nonNull[0]!)));
          if (k === 'oneOf' && admitsNull(inner, new Set())) throw unsupported(k, loc, 'both branches accept null, so oneOf rejects it; wsgen would accept it');
          return { kind: 'nullable', inner };
        }
        if (alts.length === 1) {
          // One branch: a value is valid exactly when it is valid against it, for oneOf as for anyOf.
          checkKeywords(schema, [k], loc, `a ${k} of one branch`);
          return toType(alts[0]!, at(loc, k, 0));
        }
        if (alts.length === 0) throw new WsgenError(E.META, `${k} needs at least one branch`, at(loc, k), 'list the branches');
        checkKeywords(schema, [k, 'type', 'discriminator'], loc, `a ${k} union`);
        const u = unionType(schema, k, loc, unionContext);
        // A branch holding a checked part: the whole union is checked, so both targets list one error sequence (ajv's).
        if (nestedTypes(u).some((t) => t.kind === 'checked')) throw unsupported(k, loc, 'a union with a checked branch');
        return u;
      }
    }
    const { type: t, nullable } = typeForMapping(schema, loc);
    if (nullable) return { kind: 'nullable', inner: toType({ ...schema, type: t! }, loc) };
    switch (t) {
      case undefined:
        if (schema.format !== undefined) return formattedType(schema, loc);
        checkKeywords(schema, [], loc, 'a schema without "type"');
        return { kind: 'any' };
      case 'string': {
        checkKeywords(schema, ['type', 'minLength', 'maxLength', 'pattern', 'format'], loc, 'a string');
        const pattern = schema.pattern;
        if (pattern !== undefined) {
          if (typeof pattern !== 'string') throw new WsgenError(E.META, 'pattern must be a string', at(loc, 'pattern'), 'write a regular expression string');
          checkPortablePattern(pattern, at(loc, 'pattern'));
        }
        const format = schema.format;
        if (format !== undefined) checkStringFormat(format, at(loc, 'format'));
        if (format === 'date-time') {
          // A pattern may narrow the wire text (the bundled Timestamp keeps 1 to 6 fraction digits this way).
          const extra = ['minLength', 'maxLength'].find((k) => schema[k] !== undefined);
          if (extra !== undefined) throw unsupported(extra, loc, 'a length beside format date-time (the date-time grammar already fixes the shape; drop the keyword, or narrow the text with a pattern)');
        }
        return defined({ kind: 'string' as const, minLength: nonNegInt(schema, 'minLength', loc), maxLength: nonNegInt(schema, 'maxLength', loc), pattern: pattern as string | undefined, format: format as StringFormat | undefined });
      }
      case 'integer':
      case 'number':
        checkKeywords(schema, ['type', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'], loc, `a ${t}`);
        return t === 'integer' ? integerType(schema, loc) : defined({ kind: t, minimum: num(schema, 'minimum', loc), maximum: num(schema, 'maximum', loc), exclusiveMinimum: num(schema, 'exclusiveMinimum', loc), exclusiveMaximum: num(schema, 'exclusiveMaximum', loc), multipleOf: multipleOf(schema, loc) });
      case 'boolean':
        checkKeywords(schema, ['type'], loc, 'a boolean');
        return { kind: 'boolean' };
      case 'null':
        checkKeywords(schema, ['type'], loc, 'null');
        return { kind: 'null' };
      case 'array':
        checkKeywords(schema, ['type', 'items', 'minItems', 'maxItems'], loc, 'an array');
        return defined({ kind: 'array' as const, items: schema.items === undefined ? { kind: 'any' as const } : typeOf(schema.items, at(loc, 'items')), minItems: nonNegInt(schema, 'minItems', loc), maxItems: nonNegInt(schema, 'maxItems', loc) });
      case 'object': {
        if (schema.properties !== undefined) throw unsupported('properties', loc, 'inline objects have no name; move the object into $defs and $ref it');
        checkKeywords(schema, ['type', 'additionalProperties'], loc, 'a record');
        const ap = schema.additionalProperties;
        if (ap === false) throw unsupported('additionalProperties', loc, 'an object that allows no property at all');
        return { kind: 'record', values: ap === undefined || ap === true ? { kind: 'any' } : typeOf(ap, at(loc, 'additionalProperties')) };
      }
      default:
        throw new WsgenError(E.META, `unknown type ${JSON.stringify(t)}`, at(loc, 'type'), 'use string, integer, number, boolean, null, array or object');
    }
  };

  /** The typed mapping of a subschema where there is one, else a checked subschema (checked.ts), exact either way. */
  const typeOf = (schema: JsonValue, loc: SchemaLocation): TypeIR => {
    try {
      return toType(schema, loc);
    } catch (err) {
      if (!isCheckedFallback(err)) throw err;
      return checked.add(schema, loc);
    }
  };

  const refType = (schema: JsonObject, loc: SchemaLocation): TypeIR => {
    const target = bundle.resolveRef(schema.$ref as string, loc.file, loc.pointer);
    if (untyped.has(target.name)) throw unsupported('$ref', loc, `${target.name} is no typed definition`);
    const kind = kinds.get(target.name)!;
    const { $ref: _r, ...siblings } = schema;
    const written = Object.keys(siblings).filter((k) => !ANNOTATIONS.has(k) && !k.startsWith('x-'));
    // A "type" alone beside the $ref that restates the target's type: the target decides (null aside, below).
    const restated = written.length === 1 && written[0] === 'type' && restatesType(siblings.type, targetTypes(target.name, kind)) && (kind !== 'alias' || aliasKeepsNull(target.name, siblings.type));
    const constraints = restated ? [] : written;
    if (constraints.length === 0) {
      const named: TypeIR = { kind: kind === 'alias' ? 'alias' : kind, name: target.name };
      // A restated "type" without null refuses the null of a nullable enum: $ref and "type" hold together.
      const nullAllowed = !restated || typeList(siblings.type).includes('null');
      return nullableEnums.has(target.name) && nullAllowed ? { kind: 'nullable', inner: named } : named;
    }
    if (kind === 'enum' && constraints.length === 1 && constraints[0] === 'const') {
      const v = siblings.const;
      if (v === null && nullableEnums.has(target.name)) return { kind: 'null' };
      const e = enums.find((x) => x.name === target.name) ?? buildEnum(norm.defs.get(target.name)!);
      if (!e.members.some((m) => m.value === v)) throw new WsgenError(E.MERGE, `const ${JSON.stringify(v)} is not a value of ${target.name}`, at(loc, 'const'), `use one of: ${e.members.map((m) => JSON.stringify(m.value)).join(', ')}`);
      return { kind: 'const', value: v as string | number, enum: target.name };
    }
    if (checkedDefs.has(target.name)) throw unsupported(constraints[0]!, loc, `narrowing the checked definition ${target.name}`);
    if (kind === 'alias') {
      const tdef = norm.defs.get(target.name)!;
      const own = keyedObject<JsonValue>();
      for (const k of constraints) own[k] = siblings[k]!;
      let narrowed: JsonObject;
      try {
        narrowed = intersect(tdef.schema, own, loc);
      } catch (err) {
        // Keywords no typed type has (prefixItems, contains, …) that do not intersect hold as they are written: a checked
        // value. A clash of typed keywords (two patterns) stays WSGEN_MERGE, with its hint.
        const untypedKeyword = constraints.find((k) => !TYPED_NARROWING.has(k));
        if (err instanceof WsgenError && err.code === E.MERGE && untypedKeyword !== undefined) throw unsupported(untypedKeyword, loc, `a $ref to "${target.name}" with "${untypedKeyword}" beside it, which no one typed schema expresses`);
        throw err;
      }
      return toType(narrowed, loc);
    }
    throw unsupported(constraints[0]!, loc, `narrowing a $ref to ${kind} "${target.name}" with "${constraints[0]}"`);
  };

  /** The JSON types (2020-12 Validation §6.1.1) of the members of enum `name`, null included when it admits null. */
  const enumMemberTypes = (name: string): string[] => {
    const e = enums.find((x) => x.name === name) ?? buildEnum(norm.defs.get(name)!);
    const types = e.members.map((m) => jsonTypeOf(m.value));
    return nullableEnums.has(name) ? [...types, 'null'] : types;
  };

  /** The JSON types of the values of definition `name` where its schema says them (`type`, else its enum's values); [] when it does not. */
  const targetTypes = (name: string, kind: 'enum' | 'object' | 'alias'): string[] => {
    if (kind === 'object') return ['object'];
    if (kind === 'enum') return enumMemberTypes(name);
    const d = norm.defs.get(name)?.schema;
    if (d === undefined) return [];
    const listed = typeList(d.type);
    if (listed.length > 0 || !Array.isArray(d.enum)) return listed;
    return d.enum.map(jsonTypeOf);
  };

  /** Whether alias `name` admits null only where the sibling `type` does too (an alias has no non-null form to narrow to). */
  const aliasKeepsNull = (name: string, type: JsonValue | undefined): boolean => !targetTypes(name, 'alias').includes('null') || typeList(type).includes('null');

  const unionContext: UnionContext = {
    toType,
    def: (name) => {
      const d = norm.defs.get(name);
      return d ? { schema: d.schema, kind: kinds.get(name)! } : undefined;
    },
    enumKind: (name) => {
      const d = norm.defs.get(name)!.schema;
      const first = Array.isArray(d.enum) ? d.enum[0] : (d.oneOf as JsonObject[])[0]!.const;
      return typeof first === 'number' ? 'integer' : 'string';
    },
  };

  /** Whether null is a valid value of a type (through aliases; `seen` stops at a cycle, which is refused elsewhere). */
  const admitsNull = (t: TypeIR, seen: Set<string>): boolean => {
    if (t.kind === 'nullable' || t.kind === 'any' || t.kind === 'formatted' || t.kind === 'null' || t.kind === 'checked') return true;
    if (t.kind === 'union') return t.variants.some((v) => admitsNull(v, seen));
    if (t.kind !== 'alias' || seen.has(t.name)) return false;
    seen.add(t.name);
    if (checkedDefs.has(t.name)) return true;
    const d = norm.defs.get(t.name)!;
    return admitsNull(toType(d.schema, d.loc), seen);
  };

  const buildEnum = (d: NormalizedDef): EnumIR => {
    const s = d.schema;
    checkTypeName(d.name, d.loc);
    checkKeywords(s, ['type', 'enum', 'oneOf'], d.loc, 'an enum');
    const members: EnumMemberIR[] = [];
    if (Array.isArray(s.enum)) {
      s.enum.forEach((v, i) => {
        if (typeof v !== 'string') throw unsupported('enum', at(d.loc, 'enum', i), 'enum values written with "enum" must be strings; write integer enums as oneOf of {const, title}', true);
        members.push({ name: memberNameOf(v), value: v, meta: {} });
      });
    } else {
      (s.oneOf as JsonValue[]).forEach((b, i) => {
        const bl = at(d.loc, 'oneOf', i);
        const branch = b as JsonObject;
        checkKeywords(branch, ['const'], bl, 'an enum member');
        if (typeof branch.title !== 'string') throw new WsgenError(E.NAME, 'an enum member written as {const} needs a "title" for its name', bl, 'add "title": "MEMBER_NAME"');
        const v = branch.const;
        if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) throw unsupported('const', bl, 'enum members must be strings or integers');
        if (typeof v === 'number') safeInteger(v, at(bl, 'const'), 'const');
        members.push(defined({ name: branch.title, value: v, description: typeof branch.description === 'string' ? branch.description : undefined, meta: meta(branch) }));
      });
    }
    checkValuesTyped(s, members.map((m) => m.value), d.loc);
    const valueKind = typeof members[0]?.value === 'number' ? 'integer' : 'string';
    if (members.length === 0) throw new WsgenError(E.META, 'an enum needs at least one value', d.loc, 'list the values');
    const seenV = new Map<string | number, number>();
    const seenN = new Map<string, number>();
    members.forEach((m, i) => {
      const where = at(d.loc, Array.isArray(s.enum) ? 'enum' : 'oneOf', i);
      if (typeof m.value !== (valueKind === 'integer' ? 'number' : 'string')) throw unsupported('enum', Array.isArray(s.enum) ? where : at(where, 'const'), 'an enum mixes strings and numbers', true);
      if (seenV.has(m.value)) throw new WsgenError(E.ENUM_DUPLICATE, `${d.name} lists ${JSON.stringify(m.value)} twice (entries ${seenV.get(m.value)} and ${i})`, where, 'remove the duplicate value');
      seenV.set(m.value, i);
      if (!MEMBER_NAME.test(m.name)) throw new WsgenError(E.NAME, `enum member name "${m.name}" is not UPPER_SNAKE_CASE`, where, 'use values (or titles) that become identifiers, such as user_message or USER_MESSAGE');
      if (seenN.has(m.name)) throw new WsgenError(E.NAME, `${d.name} has two members named ${m.name} (entries ${seenN.get(m.name)} and ${i})`, where, 'values that differ only in case or punctuation map to one name; rename one');
      seenN.set(m.name, i);
    });
    const e: EnumIR = defined({ name: d.name, description: desc(s), valueKind, members, meta: meta(s), loc: d.loc });
    return e;
  };

  const buildObject = (d: NormalizedDef): ObjectIR => {
    const s = d.schema;
    checkTypeName(d.name, d.loc);
    checkKeywords(s, ['type', 'properties', 'required', ...OBJECT_RULE_KEYWORDS], d.loc, 'an object');
    checkObjectType(s, d.loc);
    const rules = readObjectRules(s, d.loc, typeOf, d.isBase);
    const required = new Set((s.required as string[] | undefined) ?? []);
    // The object's own errors and each property's first error are reported together, not only the object's first.
    const own = new ErrorList();
    // Required names without a property: typed as required properties of an open object, refused in a closed one.
    const undeclared = undeclaredRequired({ name: d.name, schema: s, loc: d.loc, inheritedRequired: (r) => annotatedAt(d.origins, r)?.required }, bundle.docs, typeOf);
    for (const e of undeclared.errors) own.add(e);
    const properties: PropertyIR[] = [];
    const inherited = annotatedAt(d.origins);
    const object = (): ObjectIR => ({ name: d.name, ...(desc(s) ? { description: desc(s)! } : {}), properties, ...(hasObjectRules(rules) ? { rules } : {}), meta: meta(s), loc: d.loc, ...(d.base ? { base: d.base } : {}), ...(d.isBase ? { isBase: true as const } : {}), ...(inherited ? { annotatedAt: inherited } : {}) });
    own.attempt(() => collectErrors(Object.entries(s.properties as JsonObject), ([name, ps]) => {
      // Any JSON string is a property name (JSON Schema 2020-12 §10.3.2.1); each target maps it safely (quoted keys, Python aliases).
      const ploc = at(d.loc, 'properties', name);
      const pobj = isObject(ps) ? ps : {};
      properties.push(defined({ name, description: desc(pobj), required: required.has(name), type: typeOf(ps, ploc), default: pobj.default, meta: meta(pobj), loc: ploc, annotatedAt: annotatedAt(d.origins, name) }));
    }));
    properties.push(...undeclared.properties);
    // The properties that built still get their role and default checks (issue 9 "All errors in one run").
    if (!own.empty) partials.push(object());
    own.throwIfAny();
    return object();
  };

  // Objects that failed on some properties, with the properties that built (role and default checks only; never emitted).
  const partials: ObjectIR[] = [];
  // Every definition is built even after one fails, so that one run reports every definition's first error.
  for (const d of norm.defs.values()) {
    if (untyped.has(d.name) || failed.has(d.name)) continue;
    const before = errors.found.length;
    errors.attempt(() => buildDef(d));
    if (errors.found.length > before) failed.add(d.name);
  }

  function buildDef(d: NormalizedDef): void {
    const k = kinds.get(d.name)!;
    try {
      if (k === 'enum') enums.push(buildEnum(d));
      else if (k === 'object') objects.push(buildObject(d));
      else {
        checkTypeName(d.name, d.loc);
        aliases.push(defined({ name: d.name, description: desc(d.schema), type: typeOf(d.schema, d.loc), loc: d.loc }));
      }
    } catch (err) {
      if (!isCheckedFallback(err) || variants.has(d.name)) throw err;
      // A definition no typed type expresses: a named alias of its checked subschema.
      const def = bundle.defs.get(d.name)!;
      aliases.push(defined({ name: d.name, description: desc(d.schema), type: checked.add(def.schema, d.loc), loc: d.loc }));
      kinds.set(d.name, 'alias');
    }
  }
  for (const name of checkedDefs) {
    const def = bundle.defs.get(name)!;
    const loc = { file: def.file, pointer: def.pointer };
    // A checked definition that cannot be copied (a $ref in it resolves nowhere) fails on its own, as a typed one does.
    const type = errors.attempt(() => checked.add(def.schema, loc));
    if (type === undefined) failed.add(name);
    else aliases.push(defined({ name, description: isObject(def.schema) ? desc(def.schema) : undefined, type, loc }));
  }
  retargetAliases(objects, aliases);

  errors.attempt(() => refuseRecursion(aliases));
  errors.attempt(() => refuseCyclicRules(objects, aliases));
  const union = errors.attempt(() => buildUnion(bundle, norm, objects, failed, errors));
  const root = rootOf(bundle, kinds, union);
  const version = typeof norm.root.schema['x-wsgen-version'] === 'string' ? (norm.root.schema['x-wsgen-version'] as string) : '0.0.0';
  const base = { version, hash: bundle.hash, semanticHash: bundle.semanticHash, rootFile: bundle.root.file, enums, aliases, objects, ...(union ? { union } : {}), root, checked: checked.defs, checkedAt: checked.at };
  // Without the union of a tagged root (its discriminator is refused) no type is known to be a message: the roles wait for it.
  // Message types the union refused (a duplicate tag, no tag const), with their own error listed: their roles are checked as
  // message types still, never reported as roles outside a message type.
  const refused = objects.filter((o) => variants.has(o.name) && !union?.variants.some((v) => v.object === o.name));
  const partialMessages = [...partials.filter((o) => variants.has(o.name)), ...refused];
  // What a message type that failed or was refused applies with a $ref at its top (beside its properties, or as an alias): its roles are not misplaced.
  const refusedIncludes = appliedInPlace(norm, [...variants].filter((v) => failed.has(v) || !union?.variants.some((x) => x.object === v)));
  const roles = union === undefined && isTaggedRoot(norm.root.schema) ? undefined : errors.attempt(() => deriveRoles(base, failed, partialMessages, refusedIncludes));
  // Defaults in unions the targets could resolve differently, also in the objects that built only in part.
  errors.attempt(() => collectErrors(ambiguousDefaults({ ...base, objects: [...objects, ...partials] }, failed), (e) => {
    throw e;
  }));
  const ir: IR = { ...base, roles: roles ?? { messages: [], roles: [], fields: [], tables: [], capabilities: [] } };
  errors.attempt(() => checkDerivedNames(ir));
  errors.throwIfAny();
  return ir;
}

/**
 * Refuses a named alias that contains itself through aliases only (`Json =
 * string | Json[]`): the Python target has no name to point back to. A cycle
 * through an object (a tree of nodes, a comment thread) is a recursive model,
 * bounded by the nesting limit on both targets.
 */
function refuseRecursion(aliases: AliasIR[]): void {
  const cycle = aliasCycle(aliases);
  if (cycle !== undefined) {
    throw unsupported('$ref', cycle.loc, `an alias that contains itself through aliases only (${cycle.names.join(' → ')}): give the recursive part a name as an object ({"type": "object", "properties": ...}), which may contain itself`, true);
  }
}

/**
 * Refuses an object whose rules for other keys (additionalProperties, patternProperties,
 * propertyNames) hold a type that contains the object: the Python model lists its rules
 * as a class attribute, made before the types of its own cycle exist.
 */
function refuseCyclicRules(objects: ObjectIR[], aliases: AliasIR[]): void {
  const reach = reachability({ objects, aliases });
  for (const o of objects) {
    const cyclic = ruleTypes(o).flatMap((t) => namedTypeRefs(t)).find((r) => r.name === o.name || reach.get(r.name)?.has(o.name));
    if (cyclic !== undefined) {
      throw unsupported('additionalProperties', o.loc, `the rules for other keys of ${o.name} (additionalProperties, patternProperties or propertyNames) hold ${cyclic.name}, which contains ${o.name}; hold the recursive part in a declared property instead`, true);
    }
  }
}
