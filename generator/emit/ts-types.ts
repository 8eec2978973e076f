/**
 * TypeScript types: enums as `const` objects plus union types (usable as types
 * and as runtime values), named aliases, and the message interfaces and union,
 * emitted through json-schema-to-typescript from the IR.
 */
import { compile } from 'json-schema-to-typescript';
import type { JSONSchema4 } from 'json-schema';
import type { AliasIR, EnumIR, IR, TypeIR } from '../ir.js';
import { jsdocText } from '../templates.js';
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
      return JSON.stringify(t.value);
    case 'enum':
    case 'alias':
    case 'object':
      return t.name;
    case 'any':
      return 'unknown';
    case 'record':
      return `{ [key: string]: ${tsType(t.values)} }`;
    case 'array': {
      const inner = tsType(t.items);
      return /[ |]/.test(inner) ? `Array<${inner}>` : `${inner}[]`;
    }
    case 'nullable':
      return `${tsType(t.inner)} | null`;
  }
}

/** The json-schema-to-typescript input of a property type: named objects stay $refs (so that they are declared), the rest is a tsType. */
function json2tsSchema(t: TypeIR): JSONSchema4 {
  switch (t.kind) {
    case 'object':
      return { $ref: `#/$defs/${t.name}` };
    case 'array':
      return t.items.kind === 'object' ? { type: 'array', items: json2tsSchema(t.items) } : { tsType: tsType(t) };
    case 'nullable':
      return t.inner.kind === 'object' ? { anyOf: [json2tsSchema(t.inner), { type: 'null' }] } : { tsType: tsType(t) };
    default:
      return { tsType: tsType(t) };
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
  for (const m of e.members) out.push(jsdoc(m.description, '  ') + `  ${m.name}: ${JSON.stringify(m.value)},`);
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
      const fields = [`description: ${JSON.stringify(m.description ?? '')}`, ...Object.entries(m.meta).map(([k, v]) => `${camel(k)}: ${JSON.stringify(v)}`)];
      out.push(`  ${JSON.stringify(m.value)}: { ${fields.join(', ')} },`);
    }
    out.push(`} as const satisfies { readonly [K in ${e.name}]: { readonly description: string; readonly [k: string]: unknown } };\n`);
  }
  if (Object.keys(e.meta).length) {
    out.push(`/** Schema annotations (x-*) of ${e.name}. */`);
    out.push(`export const ${e.name}Meta = {`);
    for (const [k, v] of Object.entries(e.meta)) out.push(`  ${camel(k)}: ${JSON.stringify(v)},`);
    out.push('} as const;\n');
  }
  return out.join('\n');
}

function emitAlias(a: AliasIR): string {
  return jsdoc(docText(a.description, constraintTags(a.type))) + `export type ${a.name} = ${tsType(a.type)};\n`;
}

/** Emits enums.ts (enums and aliases) and types.ts (messages, union, per-type facts). */
export async function emitTsTypes(ir: IR, ctx: EmitContext): Promise<{ enums: string; messages: string }> {
  const defs: Record<string, JSONSchema4> = {};
  for (const o of ir.objects) {
    const direction = o.meta.direction;
    const objDoc = docText(o.description, direction !== undefined ? [`@direction ${String(direction)}`] : []);
    defs[o.name] = {
      title: o.name,
      ...(objDoc ? { description: objDoc } : {}),
      type: 'object',
      properties: Object.fromEntries(
        o.properties.map((p) => {
          const tags = constraintTags(p.type);
          if (p.default !== undefined) tags.push(`@default ${JSON.stringify(p.default)}`);
          const d = docText(p.description, tags);
          return [p.name, { ...json2tsSchema(p.type), ...(d ? { description: d } : {}) }];
        }),
      ),
      required: o.properties.filter((p) => p.required).map((p) => p.name),
      additionalProperties: false,
    };
  }
  const root: JSONSchema4 = {
    title: ir.union.name,
    ...(ir.union.description ? { description: ir.union.description } : {}),
    oneOf: ir.union.variants.map((v) => ({ $ref: `#/$defs/${v.object}` })),
    $defs: defs,
  };
  const options = {
    bannerComment: '',
    format: false,
    additionalProperties: false,
    declareExternallyReferenced: true,
    strictIndexSignatures: true,
    ignoreMinAndMaxItems: true,
  };
  // The union reaches every variant and the objects they reference; bases such as the envelope are reached by nothing, so each gets its own pass.
  const reached = new Set<string>();
  const reach = (name: string): void => {
    if (reached.has(name)) return;
    reached.add(name);
    const o = ir.objects.find((x) => x.name === name)!;
    const visit = (t: TypeIR): void => {
      if (t.kind === 'object') reach(t.name);
      else if (t.kind === 'array') visit(t.items);
      else if (t.kind === 'nullable') visit(t.inner);
      else if (t.kind === 'record') visit(t.values);
    };
    for (const p of o.properties) visit(p.type);
  };
  for (const v of ir.union.variants) reach(v.object);
  const parts = [await compile(root, ir.union.name, options)];
  for (const o of ir.objects) {
    if (!reached.has(o.name)) parts.push(await compile({ ...defs[o.name]!, $defs: defs }, o.name, options));
  }
  const objects = parts.join('\n');

  const meta = ir.union.variants.map((v) => {
    const o = ir.objects.find((x) => x.name === v.object)!;
    const fields = [`name: ${JSON.stringify(o.name)}`, ...Object.entries(o.meta).map(([k, val]) => `${camel(k)}: ${JSON.stringify(val)}`)];
    return `  ${JSON.stringify(v.tag)}: { ${fields.join(', ')} },`;
  });

  const enums = [slashBanner(ir, ctx), '', ...ir.enums.map(emitEnum), ...ir.aliases.map(emitAlias)].join('\n');
  const named = [...ir.enums.map((e) => e.name), ...ir.aliases.map((a) => a.name)];
  const used = named.filter((n) => new RegExp(`\\b${n}\\b`).test(objects));
  const messages = [
    slashBanner(ir, ctx),
    used.length ? `import type { ${used.join(', ')} } from './enums.js';\n` : '',
    objects.trim(),
    '',
    `/** Per-type facts from the schema (its name and x- annotations such as direction), by "${ir.union.discriminator}". */`,
    `export const MESSAGE_META = {`,
    ...meta,
    `} as const satisfies { readonly [K in ${ir.union.name}['${ir.union.discriminator}']]: { readonly name: string; readonly [k: string]: unknown } };`,
    '',
  ].join('\n');
  return { enums, messages };
}
