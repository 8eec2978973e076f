/**
 * Standalone ajv validators: one function per union variant, compiled from the
 * IR (never from the raw schema), as plain ESM without any require(). Formats
 * and ajv's runtime helpers come from the generated runtime.js.
 */
import AjvModule, { type KeywordCxt, type KeywordDefinition, _, str } from 'ajv';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import { decimalMultiple, decimalOf } from '../decimal-multiple.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import dependentRequiredModule from 'ajv/dist/vocabularies/validation/dependentRequired.js';
import { STRING_FORMATS } from '../formats.js';
import { type IR, type ObjectIR, type ObjectRulesIR, type TypeIR, objectByName, recursiveTypes, sameType } from '../ir.js';
import { jsLiteral } from '../templates.js';
import { type EmitContext, slashBanner } from './banner.js';

// ajv is CommonJS: under NodeNext its classes sit on `default`.
const Ajv = AjvModule.default;
const standaloneCode = standaloneModule.default;
// The draft 2019-09/2020-12 keyword, which the default (draft-07) ajv instance lacks.
// Node reads the CommonJS module as {default: definition}; bundlers that honour __esModule give the definition itself.
const dependentRequired: KeywordDefinition = (dependentRequiredModule as unknown as { default?: KeywordDefinition }).default ?? (dependentRequiredModule as unknown as KeywordDefinition);

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
 * Length checks in code points are O(n); the UTF-16 length bounds the code point
 * count from both sides (units/2 <= code points <= units), so the exact count is
 * only needed near a limit. Rewrites ajv's `f(x) > N` / `f(x) < N` accordingly.
 */
function guardLengthChecks(code: string, fn: string): string {
  const max = new RegExp(`\\b${fn}\\((data\\d*)\\) > (\\d+)\\)`, 'g');
  const min = new RegExp(`\\b${fn}\\((data\\d*)\\) < (\\d+)\\)`, 'g');
  return code
    .replace(max, (_m, d: string, n: string) => `${d}.length > ${n} && ${fn}(${d}) > ${n})`)
    .replace(min, (_m, d: string, n: string) => `${d}.length < ${2 * Number(n)} && ${fn}(${d}) < ${n})`);
}

const RUNTIME_REQUIRE = /require\("ajv\/dist\/runtime\/(ucs2length|equal|decimalMultiple)"\)\.default/g;

/**
 * How the validator of one variant is split. A variant that narrows a base is
 * checked by two functions: its own (tag, required fields, narrowed and added
 * fields, fields it removes) and the base's shared field validator (every base
 * field, closed over the base's fields plus every variant's additions). Their
 * conjunction accepts exactly the flat object; ajv compiles each base field once
 * instead of once per variant, which keeps generation linear and small.
 */
interface Plan {
  variant: string;
  /** Schema of the variant's own validator. */
  own: Schema;
  /** Name of the shared field validator, when the variant has a base. */
  fields?: string;
}

/**
 * Validator layout. `flat`: one self-contained function per type (monomorphic
 * property access, fastest at runtime). `shared`: own + shared field functions
 * (generation linear in the number of types). `auto` picks flat up to
 * FLAT_LAYOUT_MAX_TYPES types.
 */
export type ValidatorLayout = 'flat' | 'shared' | 'auto';

/** Above this many message types, `auto` shares the base's field validator. */
export const FLAT_LAYOUT_MAX_TYPES = 64;

function plan(ir: IR, layout: ValidatorLayout): { plans: Plan[]; fields: Map<string, Schema> } {
  const shared = layout === 'shared' || (layout === 'auto' && ir.union.variants.length > FLAT_LAYOUT_MAX_TYPES);
  const fields = new Map<string, Schema>();
  const extrasByBase = new Map<string, Set<string>>();
  const plans: Plan[] = [];
  for (const v of ir.union.variants) {
    const o = objectByName(ir, v.object);
    // An object with rules beyond closed properties keeps one flat validator.
    const base = shared && o.base && o.rules === undefined ? objectByName(ir, o.base) : undefined;
    if (!base) {
      plans.push({ variant: o.name, own: objectSchema(ir, o) });
      continue;
    }
    const extras = extrasByBase.get(base.name) ?? new Set<string>();
    for (const p of o.properties) if (!base.properties.some((b) => b.name === p.name)) extras.add(p.name);
    extrasByBase.set(base.name, extras);
    plans.push({ variant: o.name, own: {}, fields: `${base.name}Fields` });
  }
  for (const [baseName, extras] of extrasByBase) {
    const base = objectByName(ir, baseName);
    fields.set(`${baseName}Fields`, {
      type: 'object',
      properties: { ...Object.fromEntries(base.properties.map((p) => [p.name, ajvSchemaOf(ir, p.type)])), ...Object.fromEntries([...extras].map((n) => [n, true])) },
      additionalProperties: false,
    });
  }
  for (const pl of plans) {
    if (!pl.fields) continue;
    const o = objectByName(ir, pl.variant);
    const base = objectByName(ir, o.base!);
    const extras = extrasByBase.get(base.name)!;
    const names = new Set(o.properties.map((p) => p.name));
    // No prototype: a property named "__proto__" becomes an own key.
    const props: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const p of o.properties) {
      const b = base.properties.find((x) => x.name === p.name);
      if (!b || !sameType(b.type, p.type)) props[p.name] = ajvSchemaOf(ir, p.type);
    }
    for (const b of base.properties) if (!names.has(b.name)) props[b.name] = false;
    for (const x of extras) if (!names.has(x)) props[x] = false;
    const required = o.properties.filter((p) => p.required).map((p) => p.name);
    pl.own = { type: 'object', properties: props, ...(required.length ? { required } : {}) };
  }
  return { plans, fields };
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

/** Emits validators/<Name>.js (one per variant, one per shared base), validators/index.js composing them. */
export function emitTsValidators(ir: IR, ctx: EmitContext, layout: ValidatorLayout = 'auto'): Map<string, string> {
  const ajv = new Ajv({
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
    unicodeRegExp: true,
    inlineRefs: false,
    validateSchema: false,
    messages: true,
    ownProperties: needsOwnProperties(ir),
    discriminator: true,
  });
  // Placeholders: the generated code calls the checkers of runtime.js (`formats`), never these.
  for (const f of STRING_FORMATS) ajv.addFormat(f, () => true);
  ajv.addKeyword(dependentRequired);
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword(decimalMultipleOf);
  addRecursiveSchemas(ajv, ir);
  const banner = slashBanner(ir, ctx);
  const files = new Map<string, string>();
  const propertySets = new Map<string, { fn: string; names: string[]; users: string[] }>();
  const compileTo = (fileBase: string, exportName: string, schema: Schema): void => {
    const id = `wsgen:${fileBase}`;
    ajv.addSchema(schema, id);
    const nameFor = (names: string[]): string => {
      const key = JSON.stringify(names);
      const set = propertySets.get(key) ?? { fn: `isPropertyOf${fileBase}`, names, users: [] };
      set.users.push(fileBase);
      propertySets.set(key, set);
      return set.fn;
    };
    files.set(`validators/${fileBase}.js`, moduleCode(banner, fileBase, standaloneCode(ajv, { [exportName]: id }), nameFor));
  };
  const { plans, fields } = plan(ir, layout);
  for (const [name, schema] of fields) compileTo(name, `validate${name}`, schema);
  const lines: string[] = [banner, '// One validator per message type; a type that narrows a base runs its own checks, then the base\'s shared field checks.'];
  for (const name of fields.keys()) lines.push(`import { validate${name} } from './${name}.js';`);
  for (const pl of plans) {
    if (pl.fields) {
      compileTo(pl.variant, `${validatorName(pl.variant)}Own`, pl.own);
      lines.push(`import { ${validatorName(pl.variant)}Own } from './${pl.variant}.js';`);
    } else {
      compileTo(pl.variant, validatorName(pl.variant), pl.own);
      lines.push(`export { ${validatorName(pl.variant)} } from './${pl.variant}.js';`);
    }
  }
  if (plans.some((p) => p.fields)) {
    lines.push(
      '',
      '/** Runs `own` then `fields`; the first failure\'s errors become the result\'s. */',
      'function both(own, fields) {',
      '  const validate = (data) => {',
      '    if (!own(data)) {',
      '      validate.errors = own.errors;',
      '      return false;',
      '    }',
      '    if (!fields(data)) {',
      '      validate.errors = fields.errors;',
      '      return false;',
      '    }',
      '    validate.errors = null;',
      '    return true;',
      '  };',
      '  return validate;',
      '}',
      '',
    );
    for (const pl of plans) if (pl.fields) lines.push(`export const ${validatorName(pl.variant)} = both(${validatorName(pl.variant)}Own, validate${pl.fields});`);
  }
  files.set('validators/index.js', lines.join('\n') + '\n');
  if (propertySets.size) files.set('validators/properties.js', propertiesModule(banner, propertySets));
  return files;
}

/**
 * ajv checks `additionalProperties` of a large object with
 * `hasOwnProperty.call(schema.properties, key)`; a switch over the (quoted)
 * names is about twice as fast. The root schema's names are known here:
 * `nameFor` returns the shared switch function (validators/properties.js) of
 * that list of names, and the call is rewritten to it.
 */
function switchKnownProperties(code: string, nameFor: (names: string[]) => string): { code: string; fn?: string } {
  const hop = /const (func\d+) = Object\.prototype\.hasOwnProperty;/.exec(code);
  const root = /^const (schema\d+) = (\{.*\});$/m.exec(code);
  if (!hop || !root) return { code };
  const call = new RegExp(`${hop[1]}\\.call\\(${root[1]}\\.properties, (key\\d+)\\)`, 'g');
  if (!call.test(code)) return { code };
  const fn = nameFor(Object.keys((JSON.parse(root[2]!) as { properties: Record<string, unknown> }).properties));
  return { code: code.replace(call, `${fn}($1)`), fn };
}

/** validators/properties.js: one `switch` per distinct list of property names, named after the first type that has it. */
function propertiesModule(banner: string, sets: ReadonlyMap<string, { fn: string; names: string[]; users: string[] }>): string {
  const fns = [...sets.values()].map(({ fn, names, users }) =>
    [
      `/** Whether \`key\` is a property of ${users.join(', ')}. */`,
      `export function ${fn}(key) {`,
      '  switch (key) {',
      ...names.map((n) => `    case ${jsLiteral(n)}:`),
      '      return true;',
      '    default:',
      '      return false;',
      '  }',
      '}',
    ].join('\n'),
  );
  return `${banner}\n// The closed property sets of the validators, shared by every type that has the same set.\n\n${fns.join('\n\n')}\n`;
}

/**
 * A top-level standalone validator destructures an options object with
 * defaults on every call; when the body uses only instancePath, read it directly.
 */
function simplifySignature(code: string): string {
  if (/\b(parentData|parentDataProperty|rootData|dynamicAnchors)\b/.test(code.replace(/\{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}/g, ''))) return code;
  return code.replace(
    /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g,
    'function $1(data, options){\nconst instancePath = options === undefined ? "" : options.instancePath;',
  );
}

function moduleCode(banner: string, objectName: string, standalone: string, nameFor: (names: string[]) => string): string {
  const known = switchKnownProperties(standalone, nameFor);
  let code = simplifySignature(known.code);
  const used = new Set<string>(['formats']);
  code = code.replace(RUNTIME_REQUIRE, (_m: string, name: string) => {
    used.add(name);
    return name;
  });
  const alias = /const (func\d+) = ucs2length;/.exec(code);
  if (alias) code = guardLengthChecks(code, alias[1]!);
  if (/\brequire\(/.test(code)) throw new Error('internal: ajv standalone output still contains require(): ' + /require\([^)]*\)/.exec(code)![0]);
  code = code.replace(/^"use strict";\n?/, '');
  const imports = [`import { ${[...used].sort().join(', ')} } from '../runtime.js';`, ...(known.fn ? [`import { ${known.fn} } from './properties.js';`] : [])];
  return `${banner}\n// Standalone ajv validator of ${objectName}. Plain ESM: runs in Node and in browser bundles.\n/* eslint-disable */\n${imports.join('\n')}\n${code}\n`;
}
