/**
 * Handlebars setup shared by the emitters: templates compiled once, without
 * HTML escaping, with helpers that quote literals safely for each language.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { importBuilt } from './built.js';

const hb = Handlebars.create();

/** A JSON literal, which is also a valid JS and Python literal for strings, numbers and booleans. */
hb.registerHelper('json', (v: unknown) => JSON.stringify(v));
/** A JavaScript literal with single-quoted strings (the house style of the generated TypeScript). */
hb.registerHelper('js', (v: unknown) => jsLiteral(v));

/** Renders a JSON value as a JavaScript literal, strings single-quoted and escaped through JSON.stringify. */
export function jsLiteral(v: unknown): string {
  if (typeof v === 'string') return `'${JSON.stringify(v).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
  if (Array.isArray(v)) return '[' + v.map(jsLiteral).join(', ') + ']';
  if (v !== null && typeof v === 'object') {
    return '{ ' + Object.entries(v as Record<string, unknown>).map(([k, x]) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : jsLiteral(k)) + ': ' + jsLiteral(x)).join(', ') + ' }';
  }
  return JSON.stringify(v);
}

/** Renders a JSON value as a Python literal (True/False/None for JSON's true/false/null). */
export function pyLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(pyLiteral).join(', ') + ']';
  return '{' + Object.entries(v as Record<string, unknown>).map(([k, x]) => JSON.stringify(k) + ': ' + pyLiteral(x)).join(', ') + '}';
}

/**
 * The folder `generator/<name>` (such as `templates` or `shipped`) of the sources, which the npm
 * package also carries (package.json `files`): found from this module in the sources and in dist/.
 */
export function generatorFolder(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'generator', name);
    if (existsSync(candidate)) return candidate;
    const here = join(dir, name);
    if (existsSync(here) && existsSync(join(dir, 'cli.ts'))) return here;
    dir = dirname(dir);
  }
  throw new Error(`internal: generator/${name} not found`);
}

const TEMPLATES_DIR = generatorFolder('templates');
/** Handlebars compile options of the code templates (the build precompiles with the same): code quotes its literals itself. */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;
/** Compile options of the HTML templates (`docs/*`): every `{{value}}` is HTML-escaped (& < > " ' ` =), so no value can add markup. */
export const HTML_TEMPLATE_OPTIONS = { strict: true } as const;

/** The compile options of template `name` (such as `ts/parse.js` or `docs/head.html`). */
export function templateOptions(name: string): CompileOptions {
  return name.startsWith('docs/') ? HTML_TEMPLATE_OPTIONS : TEMPLATE_OPTIONS;
}
const cache = new Map<string, HandlebarsTemplateDelegate>();

/** A template as the build precompiled it, with the SHA-256 of the .hbs source it came from. */
interface Precompiled {
  hash: string;
  spec: TemplateSpecification;
}

/** The hash the build records for a template source. */
export function templateHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** The templates the build precompiled (by name, such as `ts/parse.js`); none when the tests run the sources. */
const PRECOMPILED = (await importBuilt<{ default: Record<string, Precompiled> }>('./templates.compiled.js'))?.default ?? {};

/**
 * Renders `generator/templates/<name>.hbs` with `data`. A precompiled template is
 * used only while its .hbs source is unchanged, so an edited template never
 * renders stale code before the next build.
 */
export function render(name: string, data: unknown): string {
  let t = cache.get(name);
  if (!t) {
    const source = readFileSync(join(TEMPLATES_DIR, name + '.hbs'), 'utf8');
    const pre = PRECOMPILED[name];
    t = pre !== undefined && pre.hash === templateHash(source) ? hb.template(pre.spec) : hb.compile(source, templateOptions(name));
    cache.set(name, t);
  }
  return t(data);
}

/** Makes text safe inside a JSDoc block comment. */
export function jsdocText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/\*\//g, '*\\/')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Makes text safe inside a Python triple-quoted docstring. */
export function pyDocText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\\')
    .replace(/"(?="|$)/g, '\\"')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}
