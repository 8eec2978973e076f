// ajv's verdicts and errors on checked-JSON documents, for test_keywords_ajv.py: the reference the Python
// keyword checker (generator/shipped/python/_keywords.py) must agree with. ajv (Ajv2020) is configured as
// wsgen's TypeScript side runs it: wsgen's format checkers (generated/ts/runtime.js), multipleOf by exact
// decimal arithmetic (generator/decimal-multiple.ts), own properties only, ECMAScript regexes with the u flag.
//
// ajv's own equality (fast-deep-equal, for const, enum and uniqueItems) is replaced by JSON equality unless
// --stock-equal: it compares objects' `constructor` members by reference and calls `toString`/`valueOf` members,
// so {"constructor": {}} differs from itself and {"toString": 1} throws a TypeError.
//
// Usage: node keywords_ajv.mjs <input.json> [--stock-equal]; input {documents: [{$defs}], cases: [[document, key, value]]};
// prints {results: [[valid, validAll, [[instancePath, keyword, params, message], ...]], ...]}, one per case:
// `valid` from ajv's default mode (stop at the first error), `validAll` and the errors with allErrors; null when ajv threw.
import { readFileSync } from 'node:fs';
import { _, str } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import equalModule from 'ajv/dist/runtime/equal.js';
import { decimalOf } from '../../dist/generator/decimal-multiple.js';
import { grammarFormats } from '../../generated/ts/formats.js';
import { decimalMultiple, isDateTime, isUuid } from '../../generated/ts/runtime.js';

const Ajv2020 = Ajv2020Module.default;

/** JSON equality (JSON Schema 2020-12 §4.2.2) of two parsed JSON values. */
function jsonEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}
if (!process.argv.includes('--stock-equal')) equalModule.default = jsonEqual;

/** An Ajv2020 instance with wsgen's formats and multipleOf. */
function wsgenAjv(allErrors) {
  const ajv = new Ajv2020({ strict: false, allErrors, ownProperties: true, unicodeRegExp: true, validateSchema: false });
  const formats = { 'date-time': isDateTime, uuid: isUuid, ...grammarFormats };
  for (const [name, check] of Object.entries(formats)) ajv.addFormat(name, { type: 'string', validate: check });
  ajv.removeKeyword('multipleOf');
  ajv.addKeyword(decimalMultipleOf);
  return ajv;
}

const decimalMultipleOf = {
  keyword: 'multipleOf',
  type: 'number',
  schemaType: 'number',
  error: { message: ({ schemaCode }) => str`must be multiple of ${schemaCode}`, params: ({ schemaCode }) => _`{multipleOf: ${schemaCode}}` },
  code(cxt) {
    const { digits, exponent } = decimalOf(cxt.schema);
    const fn = cxt.gen.scopeValue('func', { ref: decimalMultiple });
    cxt.fail(_`!${fn}(${cxt.data}, ${new _Code(`${digits}n`)}, ${exponent})`);
  },
};

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const modes = [wsgenAjv(false), wsgenAjv(true)];
const compiled = new Map();

/** ajv's verdict and errors, or [null, [the exception]] when the validator throws. */
function judge(validate, value) {
  try {
    const valid = validate(value);
    return [valid, (validate.errors ?? []).map((e) => [e.instancePath, e.keyword, e.params, e.message])];
  } catch (err) {
    return [null, [['', 'exception', {}, String(err)]]];
  }
}

const results = input.cases.map(([doc, key, value]) => {
  const id = `${doc}/${key}`;
  if (!compiled.has(id)) compiled.set(id, modes.map((ajv) => ajv.compile({ ...input.documents[doc], $ref: `#/$defs/${key}` })));
  const [first, all] = compiled.get(id);
  return [judge(first, value)[0], ...judge(all, value)];
});
process.stdout.write(JSON.stringify({ results }));
