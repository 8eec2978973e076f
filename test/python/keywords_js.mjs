// The JavaScript keyword checker's verdicts and errors on checked-JSON documents (generator/shipped/ts/keywords.js,
// the one the TypeScript target runs where ajv departs from JSON Schema 2020-12), for test_keywords_js.py: it must
// agree with the Python checker (generator/shipped/python/_keywords.py) and with the suite. Formats are wsgen's
// (generated/ts/formats.js, runtime.js isDateTime).
//
// Usage: node keywords_js.mjs <input.json>; input {documents: [{$defs}], cases: [[document, key, value]]};
// prints {results: [[valid, [[instancePath, keyword, params, message], ...]], ...]}, one per case (errors():
// every error, in order, uncapped); [null, [the exception]] when the document does not compile or the check throws.
import { readFileSync } from 'node:fs';
import { grammarFormats } from '../../generated/ts/formats.js';
import { isDateTime } from '../../generated/ts/runtime.js';
import { KeywordSchemas } from '../../generator/shipped/ts/keywords.js';

const formats = { ...grammarFormats, 'date-time': isDateTime };
const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const compiled = new Map();

function checker(doc) {
  if (!compiled.has(doc)) {
    try {
      compiled.set(doc, new KeywordSchemas(input.documents[doc], formats));
    } catch (err) {
      compiled.set(doc, err);
    }
  }
  return compiled.get(doc);
}

const results = input.cases.map(([doc, key, value]) => {
  const schemas = checker(doc);
  try {
    if (schemas instanceof Error) throw schemas;
    return [schemas.isValid(key, value), schemas.errors(key, value, 1e6).map((e) => [e.instancePath, e.keyword, e.params, e.message])];
  } catch (err) {
    return [null, [['', 'exception', {}, String(err)]]];
  }
});
process.stdout.write(JSON.stringify({ results }));
