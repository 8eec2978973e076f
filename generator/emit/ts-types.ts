/**
 * TypeScript types: enums as `const` objects plus union types (usable as types
 * and as runtime values), named aliases, and one interface per object. A type
 * that narrows a base extends it (`extends Omit<Base, ...>`) and declares only
 * what it changes, so the file stays small and hovers show the base's docs.
 */
import { appliesDefault, defaultTag, defaultedTypes } from '../defaults.js';
import { GeneratorErrorCode, WsgenError } from '../errors.js';
import { type AliasIR, type EnumIR, type IR, type ObjectIR, type PropertyIR, type TypeIR, objectByName, rootVariantsOf, sameType } from '../ir.js';
import { allowsOtherKeys } from '../object-keywords.js';
import { jsLiteral, jsdocText } from '../templates.js';
import { type EmitContext, slashBanner } from './banner.js';
import { CheckedTypes } from './ts-checked-types.js';
import { constraintTags, docText } from './constraints.js';

/**
 * The TypeScript type expression of an IR type. `input`: the named types whose
 * wire form differs from their parsed form (they hold defaults): the expression
 * of the wire form names their input types (`inputName`). `checked`: the types of the checked values
 * (ts-checked-types.ts); without it a checked value is `unknown`.
 */
export function tsType(t: TypeIR, input?: ReadonlySet<string>, checked?: CheckedTypes): string {
  switch (t.kind) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'const':
      return jsLiteral(t.value);
    case 'enum':
      return t.name;
    case 'alias':
    case 'object':
      return input?.has(t.name) ? inputName(t.name) : t.name;
    case 'checked':
      return checked?.typeOf(t.key) ?? 'unknown';
    case 'any':
    case 'formatted':
      return 'unknown';
    case 'record':
      return `{ [key: string]: ${tsType(t.values, input, checked)} }`;
    case 'array': {
      const inner = tsType(t.items, input, checked);
      return /[ |]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
    }
    case 'nullable':
      return `${tsType(t.inner, input, checked)} | null`;
    case 'union':
      return t.variants.map((v) => (v.kind === 'nullable' ? `(${tsType(v, input, checked)})` : tsType(v, input, checked))).join(' | ');
  }
}

/** The name of a type's wire form, for the types whose parsed form differs (they hold defaults): `ShapeInput`. */
export function inputName(name: string): string {
  return `${name}Input`;
}

/**
 * Which form a declaration is written in: `parsed` (what parseMessage returns: a
 * property with a default is present) or `input` (the wire form, what a sender
 * writes and a guard narrows to: it may be absent). `named`: the types that hold defaults.
 */
interface Form {
  input: boolean;
  named: ReadonlySet<string>;
  /** The types of the checked values (the same in both forms: nothing fills defaults in a checked value). */
  checked: CheckedTypes;
}

function jsdoc(text: string | undefined, indent = ''): string {
  if (!text) return '';
  const lines = jsdocText(text).split('\n');
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ' ' + l : ''}`).join('\n')}\n${indent} */\n`;
}

/** PascalCase to SCREAMING_SNAKE: MessageType -> MESSAGE_TYPE. */
export function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function camel(k: string): string {
  return k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function emitEnum(e: EnumIR): string {
  const out: string[] = [];
  out.push(jsdoc(e.description) + `export const ${e.name} = {`);
  for (const m of e.members) out.push(jsdoc(m.description, '  ') + `  ${m.name}: ${jsLiteral(m.value)},`);
  out.push('} as const;\n');
  out.push(jsdoc(e.description) + `export type ${e.name} = (typeof ${e.name})[keyof typeof ${e.name}];\n`);
  out.push(`/** Every ${e.name} value, in schema order. */\nexport const ${screamingSnake(e.name)}_VALUES: readonly ${e.name}[] = Object.freeze(Object.values(${e.name}));\n`);
  out.push(`const ${screamingSnake(e.name)}_SET: ReadonlySet<unknown> = new Set<unknown>(${screamingSnake(e.name)}_VALUES);\n`);
  out.push(`/** Whether \`x\` is a ${e.name} value. */\nexport function is${e.name}(x: unknown): x is ${e.name} {\n  return ${screamingSnake(e.name)}_SET.has(x);\n}\n`);
  const documented = e.members.some((m) => m.description !== undefined || Object.keys(m.meta).length > 0);
  if (documented) {
    out.push(`/** What each ${e.name} value means${e.members.some((m) => Object.keys(m.meta).length) ? ', with its x- annotations' : ''}. */`);
    out.push(`export const ${e.name}Info = {`);
    for (const m of e.members) {
      const fields = [`description: ${jsLiteral(m.description ?? '')}`, ...Object.entries(m.meta).map(([k, v]) => `${camel(k)}: ${jsLiteral(v)}`)];
      out.push(`  ${typeof m.value === 'number' ? m.value : jsLiteral(m.value)}: { ${fields.join(', ')} },`);
    }
    out.push(`} as const satisfies { readonly [K in ${e.name}]: { readonly description: string; readonly [k: string]: unknown } };\n`);
  }
  if (Object.keys(e.meta).length) {
    out.push(`/** Schema annotations (x-*) of ${e.name}. */`);
    out.push(`export const ${e.name}Meta = {`);
    for (const [k, v] of Object.entries(e.meta)) out.push(`  ${camel(k)}: ${jsLiteral(v)},`);
    out.push('} as const;\n');
  }
  return out.join('\n');
}

function emitAlias(a: AliasIR, form: Form): string {
  if (form.input) return `/** The wire form of ${a.name} (properties with a default may be absent); parsing gives ${a.name}. */\nexport type ${inputName(a.name)} = ${tsType(a.type, form.named, form.checked)};\n`;
  return jsdoc(docText(a.description, constraintTags(a.type))) + `export type ${a.name} = ${tsType(a.type, undefined, form.checked)};\n`;
}

/** What a variant changes in its base: the properties it declares itself, and the base keys it omits. */
export function diffFromBase(o: ObjectIR, base: ObjectIR | undefined): { own: PropertyIR[]; omitted: string[] } {
  if (!base) return { own: o.properties, omitted: [] };
  const own = o.properties.filter((p) => {
    const b = base.properties.find((x) => x.name === p.name);
    return !b || !sameType(b.type, p.type) || b.required !== p.required || b.description !== p.description || JSON.stringify(b.default) !== JSON.stringify(p.default);
  });
  const names = new Set(o.properties.map((p) => p.name));
  const omitted = base.properties.filter((b) => !names.has(b.name) || own.some((p) => p.name === b.name)).map((b) => b.name);
  return { own, omitted };
}

/** A property key as TypeScript writes it: bare when it is an ASCII identifier, else a quoted string (`'content-type'`, `'名前'`). */
export function tsKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : jsLiteral(name);
}

function emitProperty(p: PropertyIR, form: Form): string {
  const tags = constraintTags(p.type);
  const dflTag = defaultTag(p);
  if (dflTag !== undefined) tags.push(dflTag);
  // Parsed, a property with a default is always present (parse fills it in); on the wire it may be absent.
  const optional = !p.required && (form.input || !appliesDefault(p));
  return jsdoc(docText(p.description, tags), '  ') + `  ${tsKey(p.name)}${optional ? '?' : ''}: ${tsType(p.type, form.input ? form.named : undefined, form.checked)};`;
}

function emitObject(ir: IR, o: ObjectIR, form: Form): string {
  const base = o.base ? objectByName(ir, o.base) : undefined;
  const { own, omitted } = diffFromBase(o, base);
  const direction = o.meta.direction;
  const name = form.input ? inputName(o.name) : o.name;
  const doc = form.input
    ? `/** The wire form of ${o.name}: what a sender writes and a guard narrows to (properties with a default may be absent); parsing gives ${o.name}. */\n`
    : jsdoc(docText(o.description, direction !== undefined ? [`@direction ${String(direction)}`] : []));
  const baseName = base && form.input && form.named.has(base.name) ? inputName(base.name) : base?.name;
  const ext = base ? ` extends ${omitted.length ? `Omit<${baseName}, ${omitted.map((n) => jsLiteral(n)).join(' | ')}>` : baseName}` : '';
  // Keys beyond the properties (an open object, patternProperties): their values are whatever the rules allow.
  const index = allowsOtherKeys(o.rules) ? ['  [key: string]: unknown;'] : [];
  return `${doc}export interface ${name}${ext} {\n${[...own.map((p) => emitProperty(p, form)), ...index].join('\n')}\n}\n`;
}

/** Refuses an input type name (`ShapeInput`) that another type of the TS target already takes. */
function checkInputNames(ir: IR, named: ReadonlySet<string>): void {
  const taken = new Map<string, string>();
  for (const e of ir.enums) for (const n of [e.name, `${e.name}Info`, `${e.name}Meta`]) taken.set(n, e.name);
  const types = [...ir.aliases, ...ir.objects, ...(ir.union ? [ir.union] : [])];
  for (const x of types) taken.set(x.name, x.name);
  for (const x of types) {
    if (!named.has(x.name)) continue;
    const other = taken.get(inputName(x.name));
    if (other !== undefined) {
      throw new WsgenError(GeneratorErrorCode.NAME, `${x.name} holds defaults, so its wire form is named ${inputName(x.name)}, which type ${other} already takes`, x.loc,
        `rename ${other} (or ${x.name}): wsgen names the wire form of a type with defaults <Name>Input`);
    }
  }
}

/**
 * The names among `names` that one of `texts` holds as a whole word: what `new RegExp(`\\b${n}\\b`).test(text)`
 * says, with each text split into its runs of word characters once instead of scanned once per name (a schema
 * of 1000 types made that scan quadratic). A name of other characters than `\w` is tested with that very regex.
 */
function wholeWordsIn(texts: readonly string[], names: readonly string[]): string[] {
  const words = new Set(texts.flatMap((t) => t.match(/\w+/g) ?? []));
  return names.filter((n) => (/^\w+$/.test(n) ? words.has(n) : texts.some((t) => new RegExp(`\\b${n}\\b`).test(t))));
}

/** Emits enums.ts (enums and aliases) and types.ts (objects, the union, per-type facts). */
export function emitTsTypes(ir: IR, ctx: EmitContext): { enums: string; messages: string } {
  const union = ir.union;
  const variants = rootVariantsOf(ir);
  // Types that hold defaults get a second declaration, their wire form (`<Name>Input`).
  const named = defaultedTypes(ir);
  if (union && variants.some((v) => named.has(v.object))) named.add(union.name);
  checkInputNames(ir, named);
  const checked = new CheckedTypes(ir, named);
  const parsed: Form = { input: false, named, checked };
  const form: Form = { input: true, named, checked };
  const aliasBody = ir.aliases.flatMap((a) => (named.has(a.name) ? [emitAlias(a, parsed), emitAlias(a, form)] : [emitAlias(a, parsed)]));
  // An alias may name an object of types.ts; a type-only import cycle is fine in TypeScript.
  const typeNames = ir.objects.flatMap((o) => (named.has(o.name) ? [o.name, inputName(o.name)] : [o.name]));
  const objectsUsed = wholeWordsIn(aliasBody.map((text) => text.replace(/\/\*\*[\s\S]*?\*\//g, '')), typeNames);
  const enums = [slashBanner(ir, ctx), ...(objectsUsed.length ? ['', `import type { ${objectsUsed.join(', ')} } from './types.js';`] : []), '', ...ir.enums.map(emitEnum), ...aliasBody].join('\n');
  // Bases first, so that a reader meets the envelope before the types that narrow it.
  const variantObjects = new Set(variants.map((v) => v.object));
  const ordered = [...ir.objects.filter((o) => !variantObjects.has(o.name)), ...variants.map((v) => objectByName(ir, v.object))];
  const unionOf = (input: boolean) => variants.map((v) => `  | ${input && named.has(v.object) ? inputName(v.object) : v.object}`).join('\n');
  const body = [
    ...(union ? [jsdoc(union.description) + `export type ${union.name} =\n${unionOf(false)};\n`] : []),
    ...(union && named.has(union.name) ? [`/** The wire form of ${union.name}: what a sender writes and isMessage narrows to (properties with a default may be absent). */\nexport type ${inputName(union.name)} =\n${unionOf(true)};\n`] : []),
    ...ordered.flatMap((o) => (named.has(o.name) ? [emitObject(ir, o, parsed), emitObject(ir, o, form)] : [emitObject(ir, o, parsed)])),
  ].join('\n');
  const namedTypes = [...ir.enums.map((e) => e.name), ...ir.aliases.flatMap((a) => (named.has(a.name) ? [a.name, inputName(a.name)] : [a.name]))];
  const used = wholeWordsIn([body], namedTypes);
  const meta = variants.map((v) => {
    const o = objectByName(ir, v.object);
    const fields = [`name: ${jsLiteral(o.name)}`, ...Object.entries(o.meta).map(([k, val]) => `${camel(k)}: ${jsLiteral(val)}`)];
    return `  ${jsLiteral(v.tag)}: { ${fields.join(', ')} },`;
  });
  const messages = [
    slashBanner(ir, ctx),
    used.length ? `import type { ${used.join(', ')} } from './enums.js';\n` : '',
    body,
    ...(union
      ? [
          `/** Per-type facts from the schema (its name and x- annotations such as direction), by "${union.discriminator}". */`,
          `export const MESSAGE_META = {`,
          ...meta,
          `} as const satisfies { readonly [K in ${union.name}['${union.discriminator}']]: { readonly name: string; readonly [k: string]: unknown } };`,
        ]
      : [`/** Per-type facts by message type: none, as the root (${ir.root.name}) is no tagged union. */`, 'export const MESSAGE_META = {} as const;']),
    '',
  ].join('\n');
  return { enums, messages };
}
