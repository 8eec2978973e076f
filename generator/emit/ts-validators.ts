/**
 * Standalone ajv validators: one function per union variant, compiled from the
 * IR (never from the raw schema), as plain ESM without any require(). Formats
 * and ajv's runtime helpers come from the generated runtime.js.
 */
import AjvModule from 'ajv';
import { _ } from 'ajv';

const Ajv = AjvModule.default;
import standaloneModule from 'ajv/dist/standalone/index.js';

const standaloneCode = standaloneModule.default;
import type { IR, ObjectIR, TypeIR } from '../ir.js';
import { objectByName } from '../ir.js';
import { type EmitContext, slashBanner } from './banner.js';

type Schema = Record<string, unknown>;

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
      if (seen.has(t.name)) throw new Error(`recursive object type ${t.name} is not supported`);
      return objectSchema(ir, objectByName(ir, t.name), new Set([...seen, t.name]));
    }
    case 'any':
      return {};
    case 'record':
      return { type: 'object', additionalProperties: ajvSchemaOf(ir, t.values, seen) };
    case 'array': {
      const { kind: _k, items, ...rest } = t;
      return { type: 'array', items: ajvSchemaOf(ir, items, seen), ...rest };
    }
    case 'nullable':
      return { anyOf: [ajvSchemaOf(ir, t.inner, seen), { type: 'null' }] };
  }
}

/** The flat, closed JSON Schema of one object. */
export function objectSchema(ir: IR, o: ObjectIR, seen: ReadonlySet<string> = new Set([o.name])): Schema {
  const required = o.properties.filter((p) => p.required).map((p) => p.name);
  return {
    type: 'object',
    properties: Object.fromEntries(o.properties.map((p) => [p.name, ajvSchemaOf(ir, p.type, seen)])),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
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

const RUNTIME_REQUIRE = /require\("ajv\/dist\/runtime\/(ucs2length|equal)"\)\.default/g;

/** Emits validators/<Object>.js for every variant, plus validators/index.js and its .d.ts. */
export function emitTsValidators(ir: IR, ctx: EmitContext): Map<string, string> {
  const ajv = new Ajv({
    code: { source: true, esm: true, lines: true, formats: _`formats` },
    allErrors: false,
    strict: true,
    strictNumbers: true,
    unicodeRegExp: true,
    inlineRefs: false,
    messages: true,
  });
  ajv.addFormat('date-time', () => true);
  ajv.addFormat('uuid', () => true);
  const banner = slashBanner(ir, ctx);
  const files = new Map<string, string>();
  for (const v of ir.union.variants) {
    const id = `wsgen:${v.object}`;
    ajv.addSchema(objectSchema(ir, objectByName(ir, v.object)), id);
    files.set(`validators/${v.object}.js`, moduleCode(banner, v.object, standaloneCode(ajv, { [validatorName(v.object)]: id })));
  }
  const names = ir.union.variants.map((v) => v.object);
  files.set('validators/index.js', `${banner}\n// One standalone validator per message type.\n${names.map((n) => `export { ${validatorName(n)} } from './${n}.js';`).join('\n')}\n`);
  return files;
}

function moduleCode(banner: string, objectName: string, standalone: string): string {
  let code = standalone;
  const used = new Set<string>(['formats']);
  code = code.replace(RUNTIME_REQUIRE, (_m: string, name: string) => {
    used.add(name);
    return name;
  });
  const alias = /const (func\d+) = ucs2length;/.exec(code);
  if (alias) code = guardLengthChecks(code, alias[1]!);
  if (/\brequire\(/.test(code)) throw new Error('internal: ajv standalone output still contains require(): ' + /require\([^)]*\)/.exec(code)![0]);
  code = code.replace(/^"use strict";\n?/, '');
  return `${banner}\n// Standalone ajv validator of ${objectName}. Plain ESM: runs in Node and in browser bundles.\n/* eslint-disable */\nimport { ${[...used].sort().join(', ')} } from '../runtime.js';\n${code}\n`;
}
