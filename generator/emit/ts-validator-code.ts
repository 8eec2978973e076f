/**
 * Post-processing of ajv's standalone output into the modules of
 * generated/ts/validators: plain ESM without any require(), ajv's runtime
 * helpers imported from the generated runtime.js, closed property sets checked
 * by a shared `switch`, and length checks in code points only near a limit.
 * The validation code itself stays ajv's.
 */
import { jsLiteral } from '../templates.js';
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

const RUNTIME_REQUIRE = /require\("ajv\/dist\/runtime\/(ucs2length|equal|decimalMultiple)"\)\.default/g;

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
function simplifySignature(code: string): string {
  if (/\b(parentData|parentDataProperty|rootData|dynamicAnchors)\b/.test(code.replace(/\{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}/g, ''))) return code;
  return code.replace(
    /function (validate\d+)\(data, \{instancePath="", parentData, parentDataProperty, rootData=data\}=\{\}\)\{/g,
    'function $1(data, options){\nconst instancePath = options === undefined ? "" : options.instancePath;',
  );
}

/** The keys of an ajv error object, in ajv's order: runtime.js's `ajvError` takes them in this order. */
const ERROR_KEYS = ['instancePath', 'schemaPath', 'keyword', 'params', 'message'];

/**
 * Splits the object literal that opens at `code[start]` (`{`) into its
 * top-level members, reading strings and nested brackets; `end` is the index
 * after its closing `}`. Undefined when the literal does not close.
 */
function objectMembers(code: string, start: number): { members: string[]; end: number } | undefined {
  const members: string[] = [];
  let depth = 0;
  let from = start + 1;
  for (let i = start; i < code.length; i++) {
    const c = code[i];
    if (c === '"' || c === "'") {
      for (i++; i < code.length && code[i] !== c; i++) if (code[i] === '\\') i++;
    } else if (c === '{' || c === '[' || c === '(') depth++;
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

const FORMAT_READ = /\bformats(?:\["([^"\\]+)"\]|\.([A-Za-z_$][\w$]*))/g;

/**
 * ajv reads a format checker as `formats["date-time"]` from one object of them all, which
 * would keep every checker (and every format grammar) in a bundle: each read becomes the
 * checker's own name (ts-format-checkers.ts), imported from runtime.js (added to `used`)
 * or from formats.js (added to `grammar`).
 */
function namedFormatCheckers(code: string, used: Set<string>, grammar: Set<string>): string {
  return code.replace(FORMAT_READ, (_m: string, quoted: string | undefined, dotted: string | undefined) => {
    const c = formatChecker((quoted ?? dotted)!);
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

/** One validator module: the banner, its imports, ajv's standalone code (post-processed), then `parts.tail`. */
export function moduleCode(banner: string, standalone: string, nameFor: (names: string[]) => string, parts: ModuleParts): string {
  const known = switchKnownProperties(standalone, nameFor);
  const compact = compactErrors(simplifySignature(known.code));
  let code = compact.code;
  const used = new Set<string>([...(parts.runtime ?? []), ...(compact.used ? ['ajvError'] : [])]);
  code = code.replace(RUNTIME_REQUIRE, (_m: string, name: string) => {
    used.add(name);
    return name;
  });
  // The keyword checker's entry point (ts-checked.ts) is checked.js's.
  const keywordChecked = code.includes(CHECKED_REQUIRE);
  code = code.split(CHECKED_REQUIRE).join('checkedErrors');
  const grammar = new Set<string>(parts.grammar);
  code = namedFormatCheckers(code, used, grammar);
  const alias = /const (func\d+) = ucs2length;/.exec(code);
  if (alias) code = guardLengthChecks(code, alias[1]!);
  if (/\brequire\(/.test(code)) throw new Error('internal: ajv standalone output still contains require(): ' + /require\([^)]*\)/.exec(code)![0]);
  code = code.replace(/^"use strict";\n?/, '');
  const imports = [
    ...(used.size ? [`import { ${[...used].sort().join(', ')} } from '../runtime.js';`] : []),
    ...formatsImport(grammar),
    ...(keywordChecked ? [`import { checkedErrors } from '../checked.js';`] : []),
    ...(known.fn ? [`import { ${known.fn} } from './properties.js';`] : []),
    ...(parts.imports ?? []),
  ];
  // A name imported twice (the properties switch, the grammar checkers) is one import.
  return `${banner}\n// ${parts.what} Plain ESM: runs in Node and in browser bundles.\n/* eslint-disable */\n${[...new Set(imports)].join('\n')}\n${code}\n${parts.tail ?? ''}`;
}
