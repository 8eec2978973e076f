/**
 * Post-processing of ajv's standalone output into the modules of
 * generated/ts/validators: plain ESM without any require(), ajv's runtime
 * helpers imported from the generated runtime.js, closed property sets checked
 * by a shared `switch`, and length checks in code points only near a limit.
 * The validation code itself stays ajv's. Every rewrite reads the code with its
 * literals masked (js-literals.ts): a schema's string (a `const`, `enum`,
 * `pattern`, `default` or message text) can never match a rewrite's pattern.
 */
import { jsLiteral } from '../templates.js';
import { MARKER, maskLiterals, stringLiteral, unmaskLiterals } from './js-literals.js';
import { CHECKED_REQUIRE } from './ts-checked.js';
import { formatChecker, formatsImport } from './ts-format-checkers.js';

/** A closed property set shared by the validators that check it: the switch function, its names, the modules that use it. */
export interface PropertySet {
  fn: string;
  names: string[];
  users: string[];
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

/** A `require("<module>").default` in masked code; group 1 is the module literal's index. */
const REQUIRE_DEFAULT = new RegExp(`\\brequire\\(${MARKER}\\)\\.default`, 'g');
/** The ajv runtime helpers the validators use, imported from runtime.js under the same names. */
const AJV_RUNTIME = /^ajv\/dist\/runtime\/(ucs2length|equal|decimalMultiple)$/;

/**
 * ajv's `require("ajv/dist/runtime/<helper>").default` becomes the helper's name (added to `used`), and the keyword
 * checker's `require("wsgen/checked").default` (ts-checked.ts) becomes checked.js's `checkedErrors`; `keyword` says
 * whether there was one. Any other require stays (and is refused by the caller).
 */
function importRequires(code: string, value: LiteralValue, used: Set<string>): { code: string; keyword: boolean } {
  let keyword = false;
  const out = code.replace(REQUIRE_DEFAULT, (m: string, n: string) => {
    const module = value(n) ?? '';
    if (`require(${JSON.stringify(module)}).default` === CHECKED_REQUIRE) {
      keyword = true;
      return 'checkedErrors';
    }
    const helper = AJV_RUNTIME.exec(module)?.[1];
    if (helper === undefined) return m;
    used.add(helper);
    return helper;
  });
  return { code: out, keyword };
}

/**
 * ajv checks `additionalProperties` of a large object with
 * `hasOwnProperty.call(schema.properties, key)`; a switch over the (quoted)
 * names is about twice as fast. The root schema's names are known here:
 * `nameFor` returns the shared switch function (validators/properties.js) of
 * that list of names, and the call is rewritten to it.
 */
function switchKnownProperties(code: string, literals: readonly string[], nameFor: (names: string[]) => string): { code: string; known?: KnownProperties } {
  const hop = /\bconst (func\d+) = Object\.prototype\.hasOwnProperty;/.exec(code);
  const root = /^const (schema\d+) = (\{.*\});$/m.exec(code);
  if (!hop || !root) return { code };
  const call = new RegExp(`\\b${hop[1]}\\.call\\(${root[1]}\\.properties, (key\\d+)\\)`, 'g');
  if (!call.test(code)) return { code };
  const names = Object.keys((JSON.parse(unmaskLiterals(root[2]!, literals)) as { properties: Record<string, unknown> }).properties);
  const fn = nameFor(names);
  return { code: code.replace(call, `${fn}($1)`), known: { names, fn } };
}

/** validators/properties.js: one `switch` per distinct list of property names, named after the first type that has it. */
export function propertiesModule(banner: string, sets: ReadonlyMap<string, PropertySet>): string {
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
function simplifySignature(code: string, value: LiteralValue): string {
  // ajv's destructuring default `instancePath=""`: the empty string is a masked literal.
  const params = new RegExp(`\\{instancePath=${MARKER}, parentData, parentDataProperty, rootData=data\\}=\\{\\}`, 'g');
  const emptyDefault = (n: string): boolean => value(n) === '';
  if (/\b(parentData|parentDataProperty|rootData|dynamicAnchors)\b/.test(code.replace(params, (m: string, n: string) => (emptyDefault(n) ? '' : m)))) return code;
  const signature = new RegExp(`\\bfunction (validate\\d+)\\(data, \\{instancePath=${MARKER}, parentData, parentDataProperty, rootData=data\\}=\\{\\}\\)\\{`, 'g');
  return code.replace(signature, (m: string, fn: string, n: string) =>
    emptyDefault(n) ? `function ${fn}(data, options){\nconst instancePath = options === undefined ? "" : options.instancePath;` : m,
  );
}

/** The keys of an ajv error object, in ajv's order: runtime.js's `ajvError` takes them in this order. */
const ERROR_KEYS = ['instancePath', 'schemaPath', 'keyword', 'params', 'message'];

/**
 * Splits the object literal that opens at `code[start]` (`{`) of masked code
 * into its top-level members, reading nested brackets (strings are masked);
 * `end` is the index after its closing `}`. Undefined when the literal does not close.
 */
function objectMembers(code: string, start: number): { members: string[]; end: number } | undefined {
  const members: string[] = [];
  let depth = 0;
  let from = start + 1;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      if (--depth === 0) {
        members.push(code.slice(from, i));
        return { members, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      members.push(code.slice(from, i));
      from = i + 1;
    }
  }
  return undefined;
}

/**
 * ajv writes every error it reports as an object literal with the same five
 * keys; as a call of runtime.js's `ajvError` (which builds the same object, keys
 * in the same order) each costs about 45 bytes less in a minified bundle. A
 * literal of any other shape is left as it is.
 */
function compactErrors(code: string): { code: string; used: boolean } {
  let out = '';
  let at = 0;
  let used = false;
  for (let i = code.indexOf('{instancePath'); i !== -1; i = code.indexOf('{instancePath', at)) {
    const parsed = objectMembers(code, i);
    if (!parsed) break;
    const values = parsed.members.map((m, k) => {
      const key = ERROR_KEYS[k];
      return m === key ? key : m.startsWith(`${key}:`) ? m.slice(key!.length + 1) : undefined;
    });
    out += code.slice(at, i);
    if (values.length === ERROR_KEYS.length && values.every((v) => v !== undefined)) {
      out += `ajvError(${values.join(',')})`;
      used = true;
    } else out += code.slice(i, parsed.end);
    at = parsed.end;
  }
  return { code: out + code.slice(at), used };
}

/** ajv's read of a format checker in masked code: `formats[<literal>]` (group 1, the literal's index) or `formats.<name>` (group 2). */
const FORMAT_READ = new RegExp(`(?<![\\w$.])formats(?:\\[${MARKER}\\]|\\.([A-Za-z_$][\\w$]*))`, 'g');

/**
 * ajv reads a format checker as `formats["date-time"]` from one object of them all, which
 * would keep every checker (and every format grammar) in a bundle: each read becomes the
 * checker's own name (ts-format-checkers.ts), imported from runtime.js (added to `used`)
 * or from formats.js (added to `grammar`).
 */
function namedFormatCheckers(code: string, literals: readonly string[], value: LiteralValue, used: Set<string>, grammar: Set<string>): string {
  return code.replace(FORMAT_READ, (_m: string, quoted: string | undefined, dotted: string | undefined) => {
    const name = quoted !== undefined ? value(quoted) : dotted;
    if (name === undefined) throw new Error(`internal: a format read by a literal that is not a JSON string: ${literals[Number(quoted)]}`);
    const c = formatChecker(name);
    (c.module === 'runtime' ? used : grammar).add(c.name);
    return c.name;
  });
}

/** What a validator module imports besides runtime.js and properties.js, and what it adds after ajv's code. */
export interface ModuleParts {
  /** A line saying what the module validates. */
  what: string;
  /** Further runtime.js names the tail uses. */
  runtime?: string[];
  /** Further import lines (sibling validator modules). */
  imports?: string[];
  /** Further formats.js checkers the tail uses (ts-format-checkers.ts names). */
  grammar?: string[];
  /** Code after ajv's (exports composed from it). */
  tail?: string;
}

/** The value of masked literal `n` (its index, as a marker holds it) when it is a JSON string, else undefined. */
type LiteralValue = (n: string) => string | undefined;

/** A closed property set the code checks by a switch: its names and the switch function (validators/properties.js). */
export interface KnownProperties {
  names: string[];
  fn: string;
}

/** ajv's standalone code rewritten ({@link rewriteAjvCode}), with what the rewrites made it use. */
export interface RewrittenCode {
  code: string;
  /** runtime.js names the code uses. */
  runtime: ReadonlySet<string>;
  /** formats.js checkers the code uses. */
  grammar: ReadonlySet<string>;
  /** Whether the code calls checked.js's `checkedErrors` (the keyword checker). */
  keyword: boolean;
  known?: KnownProperties;
  /** The values of the string literals whose contents the rewrites read (the property names of `known` aside). */
  read: readonly string[];
}

/**
 * Rewrites ajv's standalone code (the rewrites of this module, each on the code with its literals masked).
 * @throws {Error} (internal) when a `require()` other than ajv's runtime helpers and the keyword checker's stays.
 */
export function rewriteAjvCode(standalone: string, nameFor: (names: string[]) => string): RewrittenCode {
  const { text, literals } = maskLiterals(standalone);
  const read: string[] = [];
  const value: LiteralValue = (n) => {
    const v = stringLiteral(literals, n);
    if (v !== undefined) read.push(v);
    return v;
  };
  const known = switchKnownProperties(text, literals, nameFor);
  const compact = compactErrors(simplifySignature(known.code, value));
  let code = compact.code;
  const runtime = new Set<string>(compact.used ? ['ajvError'] : []);
  const requires = importRequires(code, value, runtime);
  code = requires.code;
  const grammar = new Set<string>();
  code = namedFormatCheckers(code, literals, value, runtime, grammar);
  const alias = /\bconst (func\d+) = ucs2length;/.exec(code);
  if (alias) code = guardLengthChecks(code, alias[1]!);
  if (/\brequire\(/.test(code)) throw new Error('internal: ajv standalone output still contains require(): ' + unmaskLiterals(/\brequire\([^)]*\)/.exec(code)![0], literals));
  code = code.replace(new RegExp(`^${MARKER};\\n?`), (m: string, n: string) => (value(n) === 'use strict' ? '' : m));
  code = unmaskLiterals(code, literals);
  return { code, runtime, grammar, keyword: requires.keyword, ...(known.known ? { known: known.known } : {}), read };
}

/** One validator module from rewritten code: the banner, its imports, the code, then `parts.tail`. */
export function assembleModule(banner: string, rewritten: RewrittenCode, parts: ModuleParts): string {
  const used = new Set<string>([...(parts.runtime ?? []), ...rewritten.runtime]);
  const imports = [
    ...(used.size ? [`import { ${[...used].sort().join(', ')} } from '../runtime.js';`] : []),
    ...formatsImport([...(parts.grammar ?? []), ...rewritten.grammar]),
    ...(rewritten.keyword ? [`import { checkedErrors } from '../checked.js';`] : []),
    ...(rewritten.known ? [`import { ${rewritten.known.fn} } from './properties.js';`] : []),
    ...(parts.imports ?? []),
  ];
  // A name imported twice (the properties switch, the grammar checkers) is one import.
  return `${banner}\n// ${parts.what} Plain ESM: runs in Node and in browser bundles.\n/* eslint-disable */\n${[...new Set(imports)].join('\n')}\n${rewritten.code}\n${parts.tail ?? ''}`;
}

/** One validator module: the banner, its imports, ajv's standalone code (post-processed), then `parts.tail`. */
export function moduleCode(banner: string, standalone: string, nameFor: (names: string[]) => string, parts: ModuleParts): string {
  return assembleModule(banner, rewriteAjvCode(standalone, nameFor), parts);
}
