/**
 * The TypeScript side of the checked subschemas (generator/checked.ts) that ajv judges apart from JSON Schema
 * 2020-12 (generator/ajv-gaps.ts): those run wsgen's keyword checker (generator/shipped/ts/keywords.js, the port
 * of the Python package's _keywords.py) instead of ajv's code. The validators reach it through the ajv keyword
 * {@link checkedKeyword}, whose standalone code calls `checkedErrors` of the generated `checked.js`; its errors
 * read as ajv's (instancePath, keyword, params, message). Every other checked subschema stays ajv's (speed).
 */
import { type KeywordCxt, type KeywordDefinition, _ } from 'ajv';
import { strConcat } from 'ajv/dist/compile/codegen/index.js';
import namesModule from 'ajv/dist/compile/names.js';
import { keywordCheckedKeys } from '../ajv-gaps.js';
import { STRING_FORMATS } from '../formats.js';
import type { IR } from '../ir.js';
import { jsLiteral } from '../templates.js';
import { checkerTable, formatsImport } from './ts-format-checkers.js';

// ajv is CommonJS: Node reads the module as {default: names}; bundlers (and vitest) that honour __esModule give the names themselves.
const N = (namesModule as unknown as { default?: typeof namesModule.default }).default ?? (namesModule as unknown as typeof namesModule.default);

/** The ajv keyword of a value the keyword checker decides: its value is the checked key. */
export const CHECKED_KEYWORD = 'wsgenChecked';

/** The `require` ajv's standalone code writes for `checkedErrors`; ts-validator-code.ts makes it an import of ../checked.js. */
export const CHECKED_REQUIRE = 'require("wsgen/checked").default';

/** The shipped modules of the keyword checker (generator/shipped/ts), copied only into outputs that use it. */
export const KEYWORD_MODULE = /^keyword(s|-[a-z]+)\.(js|d\.ts)$/;

const byIR = new WeakMap<IR, ReadonlySet<string>>();

/** The checked keys of `ir` the keyword checker decides on the TS target (computed once per IR). */
export function keywordKeys(ir: IR): ReadonlySet<string> {
  let keys = byIR.get(ir);
  if (!keys) byIR.set(ir, (keys = keywordCheckedKeys(ir.checked)));
  return keys;
}

/** A placeholder for ajv's in-memory compile: the generated code calls checked.js's `checkedErrors`, never this. */
function notCalled(): never {
  throw new Error('internal: the keyword checker runs in the generated checked.js');
}

/**
 * `{"wsgenChecked": "<key>"}`: the value is valid when the keyword checker finds no error under the checked key;
 * else its errors join ajv's, at the value's instance path: every one, in either mode, as the Python target lists a
 * checked value's errors (_errors.py), so that both targets word the same issues.
 */
export const checkedKeyword: KeywordDefinition = {
  keyword: CHECKED_KEYWORD,
  schemaType: 'string',
  code(cxt: KeywordCxt) {
    const { gen, it } = cxt;
    const fn = gen.scopeValue('func', { ref: notCalled, code: _`require("wsgen/checked").default` });
    const errs = gen.const('errs', _`${fn}(${cxt.schema as string}, ${cxt.data}, ${strConcat(N.instancePath, it.errorPath)})`);
    cxt.result(_`${errs} === null`, undefined, () => {
      gen.assign(N.vErrors, _`${N.vErrors} === null ? ${errs} : ${N.vErrors}.concat(${errs})`);
      gen.assign(N.errors, _`${N.vErrors}.length`);
    });
  },
};

/**
 * The asserted formats named anywhere in the checked subschemas, sorted: every string value of a `format` key
 * (a `const` or `enum` value holding such a key adds a checker that is never called, never one that is missing;
 * KeywordSchemas refuses a schema whose format has no checker).
 */
function formatsIn(value: unknown, found = new Set<string>()): string[] {
  if (Array.isArray(value)) for (const v of value) formatsIn(v, found);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'format' && typeof v === 'string' && ASSERTED_FORMATS.has(v)) found.add(v);
      formatsIn(v, found);
    }
  }
  return [...found].sort();
}

const ASSERTED_FORMATS: ReadonlySet<string> = new Set(STRING_FORMATS);

/** `checked.js` (file name to text) when the keyword checker decides some checked key, else nothing. */
export function emitTsChecked(ir: IR, banner: string): Map<string, string> {
  const files = new Map<string, string>();
  if (keywordKeys(ir).size === 0) return files;
  const runtime = new Set<string>(), grammar = new Set<string>();
  const checkers = checkerTable(formatsIn(ir.checked), runtime, grammar);
  const imports = [...formatsImport(grammar, './formats.js'), `import { KeywordSchemas } from './keywords.js';`, ...(runtime.size ? [`import { ${[...runtime].sort().join(', ')} } from './runtime.js';`] : [])];
  const text = `${banner}
// Checked values that wsgen's keyword checker (keywords.js) decides: the subschemas whose unevaluated* ajv judges
// apart from JSON Schema 2020-12. The document holds every checked subschema, each under its key; every $ref
// in it is "#/$defs/<key>". Plain ESM: runs in Node and in browser bundles.
${imports.join('\n')}

const SCHEMAS = new KeywordSchemas(JSON.parse(${jsLiteral(JSON.stringify({ $defs: ir.checked }))}), ${checkers});

/**
 * The errors of \`data\` under the checked subschema \`key\` as ajv writes them (at \`instancePath\` plus the
 * pointer into the value; every one, at most 50, as the Python target lists them), or null when it is valid.
 * @param {string} key
 * @param {unknown} data
 * @param {string} instancePath
 */
export function checkedErrors(key, data, instancePath) {
  if (SCHEMAS.isValid(key, data)) return null;
  const schemaPath = '#/$defs/' + key;
  return SCHEMAS.errors(key, data).map((e) => ({ instancePath: instancePath + e.instancePath, schemaPath, keyword: e.keyword, params: e.params, message: e.message }));
}
`;
  files.set('checked.js', text);
  return files;
}
