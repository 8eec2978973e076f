/**
 * Standalone ajv validators: one function per union variant, compiled from the
 * IR (never from the raw schema), as plain ESM without any require(): one module
 * per message type, importing the pieces types share (the base's field
 * validator, the closed property sets, runtime.js) instead of inlining them.
 */
import AjvModule, { type KeywordCxt, type KeywordDefinition, _, str } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import dependentRequiredModule from 'ajv/dist/vocabularies/validation/dependentRequired.js';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import { decimalMultiple, decimalOf } from '../decimal-multiple.js';
import { STRING_FORMATS } from '../formats.js';
import { type IR, type ObjectIR, type ObjectRulesIR, type TypeIR, objectByName, recursiveTypes, rootType, rootVariantsOf, sameType } from '../ir.js';
import { jsLiteral } from '../templates.js';
import { CHECKED_KEYWORD, checkedKeyword, keywordKeys } from './ts-checked.js';
import { type EmitContext, slashBanner } from './banner.js';
import { type ModuleParts, type PropertySet, propertiesModule } from './ts-validator-code.js';
import { fieldTable, fieldTableModule } from './ts-field-table.js';
import { StandaloneCompiler, checkedEquivalents } from './ts-validator-reuse.js';
import { TemplatedModules } from './ts-validator-templated.js';
import { composedParts } from './ts-verdict.js';

// ajv is CommonJS: under NodeNext its classes sit on `default`.
const Ajv = AjvModule.default;
// The draft 2020-12 instance (prefixItems, unevaluated*, dependentSchemas, min/maxContains), used only for schemas with
// checked subschemas (checked.ts): its evaluated-keys bookkeeping would change every other schema's validators.
const Ajv2020 = Ajv2020Module.default;
// The draft 2019-09/2020-12 keyword, which the default (draft-07) ajv instance lacks.
// Node reads the CommonJS module as {default: definition}; bundlers that honour __esModule give the definition itself.
const dependentRequired: KeywordDefinition = (dependentRequiredModule as unknown as { default?: KeywordDefinition }).default ?? (dependentRequiredModule as unknown as KeywordDefinition);
/** The ajv id of the checked subschemas' document (IR.checked as its `$defs`). */
const CHECKED_ID = 'wsgen:checked';

type Schema = Record<string, unknown>;

/**
 * ajv's `multipleOf` keyword (same name, message and params) checked by exact decimal arithmetic:
 * the generated code calls runtime.js's `decimalMultiple` (generator/decimal-multiple.ts).
 */
const decimalMultipleOf: KeywordDefinition = {
  keyword: 'multipleOf',
  type: 'number',
  schemaType: 'number',
  error: {
    message: ({ schemaCode }) => str`must be multiple of ${schemaCode}`,
    params: ({ schemaCode }) => _`{multipleOf: ${schemaCode}}`,
  },
  code(cxt: KeywordCxt) {
    const { digits, exponent } = decimalOf(cxt.schema as number);
    const fn = cxt.gen.scopeValue('func', { ref: decimalMultiple, code: _`require("ajv/dist/runtime/decimalMultiple").default` });
    cxt.fail(_`!${fn}(${cxt.data}, ${new _Code(`${digits}n`)}, ${exponent})`);
  },
};

/** The JSON Schema ajv compiles for an IR type: flat, with enums and aliases inlined. */
export function ajvSchemaOf(ir: IR, t: TypeIR, seen: ReadonlySet<string> = new Set()): Schema {
  switch (t.kind) {
    case 'string': {
      const { kind: _k, ...rest } = t;
      return { type: 'string', ...rest };
    }
    case 'integer':
    case 'number': {
      const { kind, ...rest } = t;
      return { type: kind, ...rest };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'null':
      return { type: 'null' };
    case 'const':
      return { const: t.value };
    case 'enum': {
      const e = ir.enums.find((x) => x.name === t.name)!;
      return { enum: e.members.map((m) => m.value) };
    }
    case 'alias':
      return ajvSchemaOf(ir, ir.aliases.find((x) => x.name === t.name)!.type, seen);
    case 'object': {
      // A type that contains itself is a schema of its own, referenced by id (added by addRecursiveSchemas).
      if (recursive(ir).has(t.name)) return { $ref: recursiveId(t.name) };
      if (seen.has(t.name)) throw new Error(`internal: object ${t.name} contains itself but is not in recursiveTypes`);
      return objectSchema(ir, objectByName(ir, t.name), new Set([...seen, t.name]));
    }
    case 'any':
      return {};
    case 'formatted':
      return { format: t.format };
    case 'checked':
      // A checked subschema whose unevaluated* ajv judges apart from the standard runs wsgen's keyword checker (ts-checked.ts).
      return keywordKeys(ir).has(t.key) ? { [CHECKED_KEYWORD]: t.key } : { $ref: `${CHECKED_ID}#/$defs/${t.key}` };
    case 'record':
      return { type: 'object', additionalProperties: ajvSchemaOf(ir, t.values, seen) };
    case 'array': {
      const { kind: _k, items, ...rest } = t;
      return { type: 'array', items: ajvSchemaOf(ir, items, seen), ...rest };
    }
    case 'nullable':
      return { anyOf: [ajvSchemaOf(ir, t.inner, seen), { type: 'null' }] };
    case 'union': {
      const branches = t.variants.map((v) => ajvSchemaOf(ir, v, seen));
      // ajv's discriminator keyword picks the branch by its tag; every branch requires its own const, so the verdict is oneOf's.
      if (t.discriminator !== undefined) return { type: 'object', discriminator: { propertyName: t.discriminator }, required: [t.discriminator], oneOf: branches };
      return { [t.exclusive ? 'anyOf' : t.mode]: branches };
    }
  }
}

const recursiveByIR = new WeakMap<IR, ReadonlySet<string>>();

/** The objects and aliases of `ir` that contain themselves (computed once per IR). */
function recursive(ir: IR): ReadonlySet<string> {
  let set = recursiveByIR.get(ir);
  if (!set) recursiveByIR.set(ir, (set = recursiveTypes(ir)));
  return set;
}

/** The ajv schema id of a recursive object. */
function recursiveId(name: string): string {
  return `wsgen:object:${name}`;
}

/** Adds the schema of every recursive object under its id, for the `$ref`s ajvSchemaOf writes. */
function addRecursiveSchemas(ajv: InstanceType<typeof Ajv>, ir: IR): void {
  for (const o of ir.objects) if (recursive(ir).has(o.name)) ajv.addSchema(objectSchema(ir, o, new Set()), recursiveId(o.name));
}

/** The flat, closed JSON Schema of one object. */
export function objectSchema(ir: IR, o: ObjectIR, seen: ReadonlySet<string> = new Set([o.name])): Schema {
  const required = o.properties.filter((p) => p.required).map((p) => p.name);
  const r = o.rules;
  return {
    type: 'object',
    properties: Object.fromEntries(o.properties.map((p) => [p.name, ajvSchemaOf(ir, p.type, seen)])),
    ...(required.length ? { required } : {}),
    ...(r === undefined ? { additionalProperties: false } : ruleKeywords(ir, r, seen)),
  };
}

/** The object keywords of `rules`, as JSON Schema writes them (an open object has no additionalProperties). */
function ruleKeywords(ir: IR, r: ObjectRulesIR, seen: ReadonlySet<string>): Schema {
  const out: Schema = {};
  if (r.additional === undefined) out.additionalProperties = false;
  else if (r.additional.kind !== 'any') out.additionalProperties = ajvSchemaOf(ir, r.additional, seen);
  // No prototype: a pattern is any string, "__proto__" included.
  const patterns: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const p of r.patternProperties) patterns[p.pattern] = ajvSchemaOf(ir, p.type, seen);
  if (r.patternProperties.length) out.patternProperties = patterns;
  if (r.propertyNames) out.propertyNames = ajvSchemaOf(ir, r.propertyNames, seen);
  if (r.minProperties !== undefined) out.minProperties = r.minProperties;
  if (r.maxProperties !== undefined) out.maxProperties = r.maxProperties;
  if (r.dependentRequired.length) out.dependentRequired = Object.fromEntries(r.dependentRequired.map((d) => [d.property, d.requires]));
  return out;
}

/** Name of the validator function of a variant object. */
export function validatorName(objectName: string): string {
  return `validate${objectName}`;
}

/**
 * How the validator of one variant is built. A variant that narrows a base is
 * checked by two ajv functions: its own (the object, its required fields, its
 * closed set of properties, and the fields it declares or narrows, the tag
 * among them) and the base's shared field validator (every base field that is
 * present, but those each type of the base checks itself, such as the tag).
 * Their conjunction accepts exactly the flat object; runtime.js's
 * `composed` reports the error the flat object's validator reports first.
 * The base's fields are compiled once for every variant, which keeps the
 * generated code linear in the number of types and one type's validator small.
 */
interface Plan {
  variant: string;
  /** Schema of the variant's validator (flat) or of its own checks (with a base). */
  own: Schema;
  /** The base whose shared field validator completes the own checks. */
  base?: string;
  /** The properties the own validator checks beyond the closed set: the tag, narrowed and added fields. */
  ownNames?: string[];
}

/**
 * Validator layout. `flat`: one self-contained function per type. `shared`:
 * own + shared field functions wherever a type narrows a base, so that the
 * base's fields are compiled once. `auto` is `shared`.
 */
export type ValidatorLayout = 'flat' | 'shared' | 'auto';

/**
 * Whether `o` keeps its base's property order (the base's properties in order,
 * narrowed ones in place, added ones after them): then the composition reports
 * the first error in the flat object's order.
 */
function keepsBaseOrder(o: ObjectIR, base: ObjectIR): boolean {
  let last = -1;
  let added = false;
  for (const p of o.properties) {
    const i = base.properties.findIndex((b) => b.name === p.name);
    if (i === -1) {
      added = true;
      continue;
    }
    if (added || i < last) return false;
    last = i;
  }
  return true;
}

function plan(ir: IR, layout: ValidatorLayout): { plans: Plan[]; bases: Map<string, Schema> } {
  const bases = new Map<string, Schema>();
  const plans: Plan[] = [];
  // A root that is no tagged union: one validator of the root type.
  const root = rootType(ir);
  if (root !== undefined) plans.push({ variant: ir.root.name, own: ajvSchemaOf(ir, root) });
  for (const v of rootVariantsOf(ir)) {
    const o = objectByName(ir, v.object);
    // An object with rules beyond closed properties keeps one flat validator.
    const base = layout !== 'flat' && o.base && o.rules === undefined ? objectByName(ir, o.base) : undefined;
    if (!base || !keepsBaseOrder(o, base)) {
      plans.push({ variant: o.name, own: objectSchema(ir, o) });
      continue;
    }
    // No prototype: a property named "__proto__" becomes an own key.
    const props: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    const ownNames: string[] = [];
    for (const p of o.properties) {
      const b = base.properties.find((x) => x.name === p.name);
      const own = !b || !sameType(b.type, p.type);
      props[p.name] = own ? ajvSchemaOf(ir, p.type) : true;
      if (own) ownNames.push(p.name);
    }
    const required = o.properties.filter((p) => p.required).map((p) => p.name);
    plans.push({
      variant: o.name,
      own: { type: 'object', properties: props, ...(required.length ? { required } : {}), additionalProperties: false },
      base: base.name,
      ownNames,
    });
  }
  for (const pl of plans) {
    if (!pl.base || bases.has(pl.base)) continue;
    const base = objectByName(ir, pl.base);
    const users = plans.filter((x) => x.base === pl.base);
    // A field every type of the base checks itself (the tag, always) is left out of the shared validator.
    const checked = base.properties.filter((p) => !users.every((u) => u.ownNames!.includes(p.name)));
    bases.set(base.name, { type: 'object', properties: Object.fromEntries(checked.map((p) => [p.name, ajvSchemaOf(ir, p.type)])) });
  }
  return { plans, bases };
}

/** Names every plain object inherits (`toString`, `constructor`, `__proto__`, ...). */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Whether some property is named like an inherited member of Object.prototype.
 * ajv reads `data.toString !== undefined` as "present" unless `ownProperties`
 * makes it check own properties; the check costs a call per property, so it is
 * on only for schemas that need it.
 */
function needsOwnProperties(ir: IR): boolean {
  return ir.objects.some((o) => o.properties.some((p) => INHERITED.has(p.name)));
}

/** Whether a JSON value holds a string or key named like an inherited member of Object.prototype (a checked subschema's `required: ["toString"]`). */
function mentionsInherited(v: unknown): boolean {
  if (typeof v === 'string') return INHERITED.has(v);
  if (Array.isArray(v)) return v.some(mentionsInherited);
  if (typeof v === 'object' && v !== null) return Object.entries(v).some(([k, x]) => INHERITED.has(k) || mentionsInherited(x));
  return false;
}

/**
 * Emits validators/<Name>.js (one per variant, one per shared base), validators/index.js re-exporting the variants' validators.
 * `reuse`: own schemas that differ only by their tag are compiled once (ts-validator-reuse.ts); false compiles each one.
 */
export function emitTsValidators(ir: IR, ctx: EmitContext, layout: ValidatorLayout = 'auto', reuse = true): Map<string, string> {
  const hasChecked = Object.keys(ir.checked).length > 0;
  const ajv = new (hasChecked ? Ajv2020 : Ajv)({
    code: { source: true, esm: true, lines: true, formats: _`formats`, optimize: 1 },
    allErrors: ctx.allErrors === true,
    // strictRequired is off because an own validator requires fields that the shared field validator types.
    strict: true,
    // A format without type applies to strings only (JSON Schema 2020-12 §7.1), which strictTypes would flag.
    strictTypes: false,
    strictRequired: false,
    // A declared property may match a patternProperties pattern: both schemas apply (JSON Schema 2020-12 §10.3.2.2).
    allowMatchingProperties: true,
    strictNumbers: true,
    // A checked subschema is JSON Schema as written: "if" without "then", a tuple without minItems are legal there (2020-12 §10.2.2.1, §10.3.1.1).
    ...(hasChecked ? { strictSchema: false, strictTuples: false } : {}),
    unicodeRegExp: true,
    inlineRefs: false,
    validateSchema: false,
    messages: true,
    ownProperties: needsOwnProperties(ir) || (hasChecked && mentionsInherited(ir.checked)),
    discriminator: true,
  });
  // Placeholders: the generated code calls the checkers of runtime.js (`formats`), never these.
  for (const f of STRING_FORMATS) ajv.addFormat(f, () => true);
  if (!hasChecked) ajv.addKeyword(dependentRequired);
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword(decimalMultipleOf);
  addRecursiveSchemas(ajv, ir);
  if (hasChecked) ajv.addSchema({ $defs: ir.checked }, CHECKED_ID);
  if (hasChecked) ajv.addKeyword(checkedKeyword);
  const banner = slashBanner(ir, ctx);
  const files = new Map<string, string>();
  const propertySets = new Map<string, PropertySet>();
  /** The switch function of a closed property set, shared by every module (`fileBase`) that checks the same names. */
  const propertySet = (fileBase: string, names: string[]): string => {
    const key = JSON.stringify(names);
    const set = propertySets.get(key) ?? { fn: `isPropertyOf${fileBase}`, names, users: [] };
    if (!set.users.includes(fileBase)) set.users.push(fileBase);
    propertySets.set(key, set);
    return set.fn;
  };
  const compiler = new StandaloneCompiler(ajv, reuse, checkedEquivalents(ir.checked, CHECKED_ID, keywordKeys(ir)));
  const modules = new TemplatedModules();
  /** Compiles `schema` into validators/<fileBase>.js; `tag`: the property holding the type's tag, if any. */
  const compileTo = (fileBase: string, exportName: string, schema: Schema, parts: ModuleParts, tag?: string): void => {
    const nameFor = (names: string[]): string => propertySet(fileBase, names);
    files.set(`validators/${fileBase}.js`, modules.moduleCode(banner, compiler.standalone(schema, `wsgen:${fileBase}`, exportName, tag), nameFor, parts));
  };
  const tag = ir.union?.discriminator;
  const tables = new Map<string, Array<[string, Schema]>>();
  const ownProperties = needsOwnProperties(ir);
  const { plans, bases } = plan(ir, layout);
  for (const [name, schema] of bases) {
    const names = objectByName(ir, name).properties.map((p) => p.name);
    const tail = `\n/** ${name}'s properties in schema order (those every type checks itself included): the order in which the first error is reported. */\nexport const ${name}FieldNames = ${jsLiteral(names)};\n`;
    const table = fieldTable(schema.properties as Record<string, unknown>);
    if (table) {
      // A field named like an Object.prototype member cannot be read by name: no fast verdicts then.
      if (!ownProperties) tables.set(name, table);
      const m = { base: name, exportName: `validate${name}Fields`, tail, allErrors: ctx.allErrors === true, ownProperties, tableExport: ownProperties ? undefined : `${name}FieldTable` };
      files.set(`validators/${name}Fields.js`, fieldTableModule(banner, table, m));
      continue;
    }
    compileTo(`${name}Fields`, `validate${name}Fields`, schema, {
      what: `Standalone ajv validator of the fields every type based on ${name} shares (each one present; the types check the rest).`,
      tail,
    });
  }
  const compose = ctx.allErrors === true ? 'composedAll' : 'composed';
  const lines: string[] = [banner, '// One validator per message type: import only those you use, the others stay out of a bundle.'];
  for (const pl of plans) {
    const fn = validatorName(pl.variant);
    lines.push(`export { accepts${pl.variant}, ${fn} } from './${pl.variant}.js';`);
    if (!pl.base) {
      compileTo(pl.variant, fn, pl.own, { what: `Standalone ajv validator of ${pl.variant}.`, tail: `\n/** Whether \`data\` is a valid ${pl.variant} (${fn}'s verdict). */\nexport { ${fn} as accepts${pl.variant} };\n` }, tag);
      continue;
    }
    compileTo(pl.variant, `${fn}Own`, pl.own, composedParts({ variant: pl.variant, own: pl.own, base: pl.base, ownNames: pl.ownNames! }, fn, compose, tables.get(pl.base), propertySet), tag);
  }
  files.set('validators/index.js', lines.join('\n') + '\n');
  if (propertySets.size) files.set('validators/properties.js', propertiesModule(banner, propertySets));
  return files;
}
