/**
 * The Python target: a vendorable `wsgen_protocol` package of Pydantic v2
 * models (pydantic and the standard library only), emitted from the IR.
 *
 * Every model is strict and closed, and every rule pydantic would read more
 * loosely than the TypeScript validators is narrowed by a marker of the shipped
 * modules (generator/shipped/python, re-exported by `_wire.py`): optional fields
 * that refuse null, integral floats, exact booleans and integer consts, the
 * date-time and uuid wire formats. Anything the emitter
 * cannot enforce exactly is refused with WSGEN_UNSUPPORTED instead of being
 * emitted as a looser model.
 */
import { tidyLines } from '../format.js';
import { PY_FORMAT_GRAMMARS } from '../formats.js';
import { openPositions, walkedObjects } from '../open-positions.js';
import { type AliasIR, type EnumIR, type IR, type ObjectIR, type PropertyIR, type TypeIR, discriminatorFields, isOpenType, objectByName, reachability, recursiveFields, recursiveTypes, rootVariantsOf } from '../ir.js';
import { defaultTag } from '../defaults.js';
import { GeneratorErrorCode, WsgenError, pointerJoin } from '../errors.js';
import type { SchemaLocation } from '../types.js';
import { pyDocText, pyLiteral, render } from '../templates.js';
import { type EmitContext, hashBanner } from './banner.js';
import { constraintTags, docText } from './constraints.js';
import { emitPyDescriptor } from './descriptor-python.js';
import { emitShipped } from './shipped.js';
import { planAliases } from './py-aliases.js';
import { fromImport, initImports, naturalOrder, wireImports } from './py-imports.js';
import { PY_PYDANTIC_NAMES, PY_TYPING_NAMES, PY_WIRE_NAMES, isPyKeyword, pyAttrName, pyModuleName, snake } from './py-names.js';
import { objectRulesView } from './py-objects.js';
import { KEYWORD_MODULE, emitPyChecked } from './py-checked.js';
import { PyTypes, kwargs, pyTypeNames } from './py-types.js';
import { defaultsSetLines, pyDefault } from './py-defaults.js';
import { pyRootView } from './py-root.js';

/** The Python package the target emits. */
export const PY_PACKAGE = 'wsgen_protocol';

/** Deepest nesting a message may have (same limit as the TS parser and pydantic's JSON parser). */
const MAX_DEPTH = 200;

/** What protocol.py defines (and the package exports). */
/** The shipped parser of a root that is no tagged union (generator/shipped/python/_root_parser.py). */
const ROOT_PARSER_MODULE = '_root_parser.py';

const DESCRIPTOR_NAMES = ['PROTOCOL', 'CloseCodeSpec', 'ErrorCodeSpec', 'MessageSpec', 'ProtocolDescriptor'] as const;

/** Names the generated modules import or define; a schema type with one of these names would shadow it. */
const RESERVED_NAMES = new Set([
  ...PY_TYPING_NAMES, ...PY_PYDANTIC_NAMES, ...PY_WIRE_NAMES, 'Enum', 'IntEnum', 'StrEnum', 'TypeAdapter', 'ValidationError', 'datetime', 'MESSAGE_META', 'SCHEMA_FULL_HASH', 'SCHEMA_HASH', 'SCHEMA_VERSION',
  'MAX_DEPTH', 'ParseOk', 'ParseError', 'ParseResult', 'ValidationIssue', 'parse_message', 'validate_message', 'dump_message', 'TAGS',
  ...DESCRIPTOR_NAMES,
]);

/** A docstring literal (triple-quoted, escaped), indented. */
function docstring(text: string | undefined, indent: string): string | undefined {
  if (!text) return undefined;
  const body = pyDocText(text);
  const lines = body.split('\n');
  if (lines.length === 1) return `${indent}"""${body}"""`;
  return `${indent}"""${lines[0]}\n${lines.slice(1).map((l) => (l ? indent + l : '')).join('\n')}\n${indent}"""`;
}

interface FieldView {
  line: string;
  doc?: string;
}

/** Whether JSON null is a legal value of the type (then an optional field may be null too). */
function acceptsNull(ir: IR, t: TypeIR): boolean {
  switch (t.kind) {
    case 'nullable':
    case 'any':
    case 'formatted':
    case 'checked':
    case 'null':
      return true;
    case 'alias':
      return acceptsNull(ir, ir.aliases.find((a) => a.name === t.name)!.type);
    case 'union':
      return t.variants.some((v) => acceptsNull(ir, v));
    default:
      return false;
  }
}

/** One field of a model: `name: annotation [= default]` plus its docstring. */
function fieldView(types: PyTypes, p: PropertyIR, tag: boolean): FieldView {
  const py = pyAttrName(p.name, types.typeNames);
  const aliased = py !== p.name;
  const base = types.type(p.type, p.loc, tag);
  const nullable = acceptsNull(types.ir, p.type);
  let ann: string;
  let dflt: string | undefined;
  const dflKwargs: Array<[string, string]> = [];
  const schemaDefault = pyDefault(types, p);
  if (p.required) {
    ann = base;
  } else if (schemaDefault !== undefined) {
    // Absent, the field takes the schema default (generator/defaults.ts): the value is always there.
    ann = base;
    if ('literal' in schemaDefault) dflt = schemaDefault.literal;
    else dflKwargs.push(...schemaDefault.kwargs);
  } else if (nullable) {
    // null is a legal value of the type: absent and null both read as None; dump_message keeps them apart (exclude_unset).
    // The type already admits None (an alias of a nullable or null type among them): `Alias | None` would be `None | None` at run time.
    // A checked tuple's type admits None for type checkers only (`OrNone[...]`): the checker still judges null.
    ann = types.isShaped(p.type) ? types.orNone(base) : base;
    dflt = 'None';
  } else {
    types.used.add('Annotated');
    types.used.add('NotNull');
    ann = `Annotated[${base} | None, NotNull]`;
    dflt = 'None';
  }
  let rhs = dflt;
  if (aliased || dflKwargs.length) {
    types.used.add('Field');
    const aliases: Array<[string, string | undefined]> = aliased ? [['validation_alias', pyLiteral(p.name)], ['serialization_alias', pyLiteral(p.name)]] : [];
    rhs = `Field(${kwargs([['default', dflt], ...dflKwargs, ...aliases])})`;
  }
  const tags = constraintTags(p.type);
  const dflTag = defaultTag(p);
  if (dflTag !== undefined) tags.push(dflTag);
  return { line: `    ${py}: ${ann}${rhs !== undefined ? ` = ${rhs}` : ''}`, doc: docstring(docText(p.description, tags), '    ') };
}

/** Objects in dependency order (a nested object before its users, cycles cut where they close), otherwise in IR order. */
function orderObjects(ir: IR): ObjectIR[] {
  const out: ObjectIR[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const deps = (t: TypeIR, acc: string[]): void => {
    if (t.kind === 'object') acc.push(t.name);
    else if (t.kind === 'record') deps(t.values, acc);
    else if (t.kind === 'array') deps(t.items, acc);
    else if (t.kind === 'nullable') deps(t.inner, acc);
    else if (t.kind === 'union') for (const v of t.variants) deps(v, acc);
    else if (t.kind === 'alias') deps(ir.aliases.find((a) => a.name === t.name)!.type, acc);
  };
  const visit = (o: ObjectIR): void => {
    if (done.has(o.name) || visiting.has(o.name)) return;
    visiting.add(o.name);
    const acc: string[] = [];
    for (const p of o.properties) deps(p.type, acc);
    for (const d of acc) visit(objectByName(ir, d));
    visiting.delete(o.name);
    done.add(o.name);
    out.push(o);
  };
  for (const o of ir.objects) visit(o);
  return out;
}

function checkName(name: string, loc: SchemaLocation): void {
  if (RESERVED_NAMES.has(name) || isPyKeyword(name) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new WsgenError(GeneratorErrorCode.NAME, `type name ${JSON.stringify(name)} clashes with a name of the generated Python package`, loc, 'rename the type (its title)');
  }
}

function enumView(e: EnumIR) {
  const documented = e.members.some((m) => m.description !== undefined || Object.keys(m.meta).length > 0);
  return {
    name: e.name,
    base: e.valueKind === 'integer' ? 'IntEnum' : 'StrEnum',
    doc: docstring(e.description ?? `The ${e.name} enumeration.`, '    '),
    members: e.members.map((m) => ({ line: `    ${m.name} = ${pyLiteral(m.value)}`, doc: docstring(m.description, '    ') })),
    valuesName: `${snake(e.name).toUpperCase()}_VALUES`,
    info: documented
      ? {
          name: `${e.name}Info`,
          withMeta: e.members.some((m) => Object.keys(m.meta).length > 0),
          entries: e.members.map((m) => {
            const fields = [`"description": ${pyLiteral(m.description ?? '')}`, ...Object.entries(m.meta).map(([k, v]) => `${pyLiteral(snake(k))}: ${pyLiteral(v)}`)];
            return `    ${e.name}.${m.name}: {${fields.join(', ')}},`;
          }),
        }
      : undefined,
    meta: Object.keys(e.meta).length ? { name: `${e.name}Meta`, entries: Object.entries(e.meta).map(([k, v]) => `    ${pyLiteral(snake(k))}: ${pyLiteral(v)},`) } : undefined,
  };
}

function aliasView(types: PyTypes, a: AliasIR) {
  const base = types.type(a.type, a.loc);
  // mypy reads `X = None` as a variable, not a type alias; say it is one.
  if (base === 'None') types.used.add('TypeAlias');
  return { name: a.name, line: base === 'None' ? `${a.name}: TypeAlias = None` : `${a.name} = ${base}`, doc: docstring(docText(a.description, constraintTags(a.type)), '') };
}

/** Emits the `wsgen_protocol` package as a map of file name (relative to the python target folder) to content. */
export async function emitPython(ir: IR, ctx: EmitContext): Promise<Map<string, string>> {
  const banner = hashBanner(ir, ctx);
  for (const e of ir.enums) checkName(e.name, e.loc);
  for (const a of ir.aliases) checkName(a.name, a.loc);
  for (const o of ir.objects) checkName(o.name, o.loc);
  if (ir.union) checkName(ir.union.name, ir.union.loc);

  // enums.py
  const enums = ir.enums.map(enumView);
  const enumImports = [...new Set(enums.map((e) => e.base))].sort();
  const enumNames = enums.flatMap((v) => [v.name, v.valuesName, ...(v.info ? [v.info.name] : []), ...(v.meta ? [v.meta.name] : [])]);
  // Any types the values of the Info and Meta tables (from x- annotations), when there are any.
  const enumTyping = enums.some((e) => e.info !== undefined || e.meta !== undefined) ? 'Any, Final' : 'Final';

  // aliases.py, and models/_aliases.py for aliases that reach an object, each in dependency order
  const aliasPlan = planAliases(ir);
  const aliasTypes = new PyTypes(ir, { local: new Set(aliasPlan.plain.map((a) => a.name)) });
  const aliases = aliasPlan.plain.map((a) => aliasView(aliasTypes, a));
  const objectAliasTypes = new PyTypes(ir, { local: aliasPlan.objectAliasNames });
  const objectAliases = aliasPlan.ofObjects.map((a) => aliasView(objectAliasTypes, a));

  // models/<object>.py, one module per object, and models/__init__.py with the union
  const union = ir.union;
  const variantByObject = new Map(rootVariantsOf(ir).map((v) => [v.object, v.tag]));
  const modules = new Map<string, string>();
  const tagFields = discriminatorFields(ir);
  const reach = reachability(ir);
  const models = orderObjects(ir).map((o) => {
    const module = pyModuleName(o.name);
    const clash = modules.get(module);
    if (clash !== undefined) throw new WsgenError(GeneratorErrorCode.NAME, `types ${clash} and ${o.name} both map to the Python module ${module}.py`, o.loc, 'rename one of them');
    modules.set(module, o.name);
    const direction = o.meta.direction;
    const tags = direction !== undefined ? [`@direction ${String(direction)}`] : [];
    const tag = variantByObject.get(o.name);
    if (tag !== undefined && union) {
      const d = o.properties.find((p) => p.name === union.discriminator);
      if (!d || !d.required || d.type.kind !== 'const' || d.type.value !== tag) {
        throw new WsgenError(GeneratorErrorCode.DISCRIMINATOR, `variant ${o.name} does not fix "${union.discriminator}" to ${JSON.stringify(tag)}`, o.loc, 'give the variant a required const discriminator');
      }
    }
    const types = new PyTypes(ir, { inline: aliasPlan.objectAliasNames });
    const rules = objectRulesView(types, o);
    // Objects that reach this one back: a module cycle, imported for type checkers only.
    const deferred = new Set([...(reach.get(o.name) ?? [])].filter((n) => n !== o.name && reach.get(n)?.has(o.name)));
    const fields = o.properties.map((p) => fieldView(types, p, tagFields.has(`${o.name}\u0000${p.name}`)));
    const postInit = defaultsSetLines(types, o);
    return {
      name: o.name,
      module,
      banner,
      doc: docstring(docText(o.description ?? `The ${o.name} object.`, tags), '    '),
      fields,
      baseClass: rules.baseClass,
      rules: rules.lines,
      postInit,
      imports: wireImports(types.used, '..', deferred, o.name),
    };
  });
  const meta = rootVariantsOf(ir).map((v) => {
    const o = objectByName(ir, v.object);
    const fields = [`"name": ${pyLiteral(o.name)}`, ...Object.entries(o.meta).map(([k, val]) => `${pyLiteral(snake(k))}: ${pyLiteral(val)}`)];
    return `    ${pyLiteral(v.tag)}: {${fields.join(', ')}},`;
  });

  const typeNames = pyTypeNames(ir);
  const variants = rootVariantsOf(ir).map((v) => {
    const o = objectByName(ir, v.object);
    return {
      tag: v.tag,
      tagLiteral: pyLiteral(v.tag),
      object: v.object,
      openFields: o.properties.filter((p) => isOpenType(ir, p.type)).map((p) => pyLiteral(pyAttrName(p.name, typeNames))),
      deepFields: recursiveFields(ir, o, reach).map((p) => pyLiteral(p.name)),
    };
  });

  // The open positions below the message types' own fields (open-positions.ts), by model class, for _open_positions.py.
  const positionRoots = union ? rootVariantsOf(ir).map((v) => objectByName(ir, v.object)) : ir.root.tagged === false && ir.root.kind === 'object' ? [objectByName(ir, ir.root.name)] : [];
  const openPositionRows = walkedObjects(ir, positionRoots).map((o) => ({ key: pyLiteral(o.name), rows: pyPositionRows(ir, o, typeNames) }));
  const data = {
    banner,
    pkg: PY_PACKAGE,
    openPositions: openPositionRows,
    // The row kinds parse.py's table uses, for its import line (ruff: no unused import).
    positionImports: positionRowKinds(ir, walkedObjects(ir, positionRoots)).join(', '),
    maxDepth: MAX_DEPTH,
    union: ir.root.name,
    tagged: union !== undefined,
    root: pyRootView(ir, aliasPlan, typeNames),
    unionDoc: docstring(union?.description, ''),
    ...(union
      ? { discriminator: pyLiteral(union.discriminator), discriminatorAttr: pyLiteral(pyAttrName(union.discriminator, typeNames)), discriminatorPointer: pyLiteral(pointerJoin('', union.discriminator)) }
      : {}),
    variants,
    hash: pyLiteral(ir.hash),
    semanticHash: pyLiteral(ir.semanticHash),
    version: pyLiteral(ir.version),
    enums,
    enumImports: enumImports.join(', '),
    enumTyping,
    aliases,
    aliasImports: wireImports(aliasTypes.used),
    models,
    meta,
    enumBlocks: enums.map((e) => render('python/enum.py', e)),
    initImports: initImports(aliasPlan, enumNames, models.map((m) => m.name), union?.name, DESCRIPTOR_NAMES),
    modelImports: [...models].sort((a, b) => naturalOrder(a.module, b.module)).flatMap((m) => fromImport(`.${m.module}`, [m.name])),
    hasDeep: variants.some((v) => v.deepFields.length > 0),
    hasOpen: variants.some((v) => v.openFields.length > 0),
    // With recursive types, every model is built again once all exist, in dependency order.
    rebuild: recursiveTypes(ir).size > 0 ? models.map((m) => m.name) : [],
    exportsAll: [
      ...new Set([
        'MAX_DEPTH', 'MESSAGE_META', 'SCHEMA_FULL_HASH', 'SCHEMA_HASH', 'SCHEMA_VERSION', 'TAGS', 'WireModel', ir.root.name,
        'ParseError', 'ParseOk', 'ParseResult', 'ValidationIssue', 'dump_message', 'parse_message', 'validate_message', ...DESCRIPTOR_NAMES,
        ...enumNames,
        ...ir.aliases.map((a) => a.name),
        ...models.map((m) => m.name),
      ]),
    ]
      .sort()
      .map((n) => pyLiteral(n)),
  };

  const files = new Map<string, string>();
  const pkg = ctx.pythonPackage ?? PY_PACKAGE;
  const put = (name: string, text: string) => files.set(`${pkg}/${name}`, tidy(text));
  put('__init__.py', render('python/__init__.py', data));
  const checked = emitPyChecked(ir, banner);
  // The keyword checker only where a checked subschema needs it; the root parser only for a root that is no tagged union.
  const ships = (name: string): boolean => (checked.size > 0 || !KEYWORD_MODULE.test(name)) && (name !== ROOT_PARSER_MODULE || union === undefined);
  for (const [name, text] of emitShipped('python', banner)) if (ships(name)) files.set(`${pkg}/${name}`, text);
  for (const [name, text] of checked) put(name, text);
  put('_limits.py', render('python/_limits.py', data));
  put('_formats.py', render('python/_formats.py', { banner: data.banner, formatGrammars: Object.entries(PY_FORMAT_GRAMMARS).map(([name, source]) => `    ${pyLiteral(name)}: re.compile(${pyLiteral(source)}),`).join('\n') }));
  put('enums.py', render('python/enums.py', data));
  put('aliases.py', render('python/aliases.py', { ...data, aliasesDoc: 'Named scalar and record types of the schema, as reusable annotated types.' }));
  if (objectAliases.length) {
    put('models/_aliases.py', render('python/aliases.py', { ...data, aliases: objectAliases, aliasImports: wireImports(objectAliasTypes.used, '..'), aliasesDoc: 'Named types of the schema that reach an object type (the object modules write them out in place).' }));
  }
  put('models/__init__.py', render('python/models.py', data));
  for (const m of models) put(`models/${m.module}.py`, render('python/model.py', m));
  put('parse.py', render('python/parse.py', data));
  put('protocol.py', emitPyDescriptor(ir, banner));
  files.set(`${pkg}/py.typed`, '');
  return files;
}

/** Trailing spaces off, at most two blank lines in a row, exactly one final newline. */
function tidy(text: string): string {
  return tidyLines(text);
}

/** The row kinds (`_open_positions` constants) the tables of `objects` use, in import order. */
function positionRowKinds(ir: IR, objects: readonly ObjectIR[]): string[] {
  const used = new Set<string>(objects.flatMap((o) => openPositions(ir, o).map((p) => (p.kind === 'extra' ? 'EXTRA' : p.kind === 'open' ? 'OPEN' : 'OBJECT'))));
  return ['EXTRA', 'OBJECT', 'OPEN'].filter((k) => used.has(k));
}

/** One model's rows of parse.py's open positions (`_open_positions.Positions`), as a Python tuple display. */
function pyPositionRows(ir: IR, o: ObjectIR, typeNames: ReadonlySet<string>): string {
  const rows = openPositions(ir, o).map((p) => (p.kind === 'extra' ? '(EXTRA,)' : `(${p.kind === 'open' ? 'OPEN' : 'OBJECT'}, ${pyLiteral(pyAttrName(p.name, typeNames))}, ${pyLiteral(p.name)})`));
  return `(${rows.join(', ')}${rows.length === 1 ? ',' : ''})`;
}
