/**
 * TypeScript types: enums as `const` objects plus union types (usable as types
 * and as runtime values), named aliases, and one interface per object. A type
 * that narrows a base extends it (`extends Omit<Base, ...>`) and declares only
 * what it changes, so the file stays small and hovers show the base's docs.
 */
import { type AliasIR, type EnumIR, type IR, type ObjectIR, type PropertyIR, type TypeIR, objectByName, rootVariantsOf, sameType } from '../ir.js';
import { allowsOtherKeys } from '../object-keywords.js';
import { jsLiteral, jsdocText } from '../templates.js';
import { type EmitContext, slashBanner } from './banner.js';
import { constraintTags, docText } from './constraints.js';

/** The TypeScript type expression of an IR type. */
export function tsType(t: TypeIR): string {
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
    case 'alias':
    case 'object':
      return t.name;
    case 'any':
    case 'formatted':
    case 'checked':
      return 'unknown';
    case 'record':
      return `{ [key: string]: ${tsType(t.values)} }`;
    case 'array': {
      const inner = tsType(t.items);
      return /[ |]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
    }
    case 'nullable':
      return `${tsType(t.inner)} | null`;
    case 'union':
      return t.variants.map((v) => (v.kind === 'nullable' ? `(${tsType(v)})` : tsType(v))).join(' | ');
  }
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

function emitAlias(a: AliasIR): string {
  return jsdoc(docText(a.description, constraintTags(a.type))) + `export type ${a.name} = ${tsType(a.type)};\n`;
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

function emitProperty(p: PropertyIR): string {
  const tags = constraintTags(p.type);
  if (p.default !== undefined) tags.push(`@default ${JSON.stringify(p.default)}`);
  return jsdoc(docText(p.description, tags), '  ') + `  ${tsKey(p.name)}${p.required ? '' : '?'}: ${tsType(p.type)};`;
}

function emitObject(ir: IR, o: ObjectIR): string {
  const base = o.base ? ir.objects.find((x) => x.name === o.base) : undefined;
  const { own, omitted } = diffFromBase(o, base);
  const direction = o.meta.direction;
  const doc = jsdoc(docText(o.description, direction !== undefined ? [`@direction ${String(direction)}`] : []));
  const ext = base ? ` extends ${omitted.length ? `Omit<${base.name}, ${omitted.map((n) => jsLiteral(n)).join(' | ')}>` : base.name}` : '';
  // Keys beyond the properties (an open object, patternProperties): their values are whatever the rules allow.
  const index = allowsOtherKeys(o.rules) ? ['  [key: string]: unknown;'] : [];
  return `${doc}export interface ${o.name}${ext} {\n${[...own.map(emitProperty), ...index].join('\n')}\n}\n`;
}

/** Emits enums.ts (enums and aliases) and types.ts (objects, the union, per-type facts). */
export function emitTsTypes(ir: IR, ctx: EmitContext): { enums: string; messages: string } {
  const aliasBody = ir.aliases.map(emitAlias);
  // An alias may name an object of types.ts; a type-only import cycle is fine in TypeScript.
  const objectsUsed = ir.objects.map((o) => o.name).filter((n) => aliasBody.some((text) => new RegExp(`\\b${n}\\b`).test(text.replace(/\/\*\*[\s\S]*?\*\//g, ''))));
  const enums = [slashBanner(ir, ctx), ...(objectsUsed.length ? ['', `import type { ${objectsUsed.join(', ')} } from './types.js';`] : []), '', ...ir.enums.map(emitEnum), ...aliasBody].join('\n');
  const union = ir.union;
  const variants = rootVariantsOf(ir);
  // Bases first, so that a reader meets the envelope before the types that narrow it.
  const ordered = [...ir.objects.filter((o) => !variants.some((v) => v.object === o.name)), ...variants.map((v) => objectByName(ir, v.object))];
  const body = [
    ...(union ? [jsdoc(union.description) + `export type ${union.name} =\n${union.variants.map((v) => `  | ${v.object}`).join('\n')};\n`] : []),
    ...ordered.map((o) => emitObject(ir, o)),
  ].join('\n');
  const named = [...ir.enums.map((e) => e.name), ...ir.aliases.map((a) => a.name)];
  const used = named.filter((n) => new RegExp(`\\b${n}\\b`).test(body));
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
