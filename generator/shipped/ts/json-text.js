// The reading of one message's JSON text, the same for every schema: the text must be
// well-formed Unicode (no lone UTF-16 surrogate, as a string built in code may hold and
// Python refuses), valid JSON (RFC 8259), and free of \u escapes of lone surrogates (I-JSON,
// RFC 7493 §2.1, which Python's parser refuses). Also the ajv error as a ValidationIssue.

import { syntaxIssue } from './json-syntax.js';

/**
 * One validation problem, in the shape parse.d.ts declares.
 * @typedef {{ path: string, keyword: string, message: string, params: Record<string, unknown> }} ValidationIssue
 */
/**
 * The outcome of parsing or validating a message.
 * @template T
 * @typedef {{ ok: true, value: T } | { ok: false, errors: ValidationIssue[] }} ParseResult
 */

/**
 * Whether the JSON text holds a \u escape of a lone UTF-16 surrogate (Python's parser refuses those).
 * @param {string} text
 * @returns {boolean}
 */
export function hasLoneSurrogateEscape(text) {
  for (let i = text.indexOf('\\'); i !== -1; i = text.indexOf('\\', i)) {
    if (text.charCodeAt(i + 1) !== 117) {
      i += 2;
      continue;
    }
    const unit = parseInt(text.slice(i + 2, i + 6), 16);
    if (unit >= 0xdc00 && unit <= 0xdfff) return true;
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = text.charCodeAt(i + 6) === 92 && text.charCodeAt(i + 7) === 117 ? parseInt(text.slice(i + 8, i + 12), 16) : -1;
      if (!(low >= 0xdc00 && low <= 0xdfff)) return true;
      i += 12;
      continue;
    }
    i += 6;
  }
  return false;
}

/** A lone UTF-16 surrogate, for engines without String.prototype.isWellFormed. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;

/**
 * Whether the text has no lone surrogate, so that it can be UTF-8 (text off the
 * wire always can; a string built in code may not, and Python refuses it).
 * @type {(text: string) => boolean}
 */
export const isWellFormed =
  // String.prototype.isWellFormed is ES2024; the regular expression serves older engines.
  typeof (/** @type {{ isWellFormed?: unknown }} */ (String.prototype)).isWellFormed === 'function'
    ? (text) => (/** @type {{ isWellFormed(): boolean }} */ (/** @type {unknown} */ (text))).isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

/**
 * One issue of the text itself (path "": the whole message).
 * @param {string} keyword `unicode` or `json`
 * @param {string} message
 * @param {Record<string, unknown>} [params]
 * @returns {{ ok: false, errors: ValidationIssue[] }}
 */
function textFailure(keyword, message, params = {}) {
  return { ok: false, errors: [{ path: '', keyword, message, params }] };
}

/**
 * Parses one message's JSON text and hands the value to `run` (the schema's validation).
 * Never throws: a text that is not well-formed Unicode, not JSON, or escapes a lone
 * surrogate gives a failed result with one issue (keyword `unicode` or `json`, path "").
 * @template T
 * @param {string} text the JSON text of one message
 * @param {(data: unknown) => ParseResult<T>} run validates the parsed value
 * @returns {ParseResult<T>}
 */
export function readJsonText(text, run) {
  if (!isWellFormed(text)) return textFailure('unicode', 'must be valid Unicode text (no lone surrogates)');
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    // The engine's own words differ between engines and from Python's: json-syntax.js says where, as Python does.
    const { message, params } = syntaxIssue(text);
    return textFailure('json', message, params);
  }
  if (text.includes('\\u') && hasLoneSurrogateEscape(text)) return textFailure('unicode', 'must not contain a lone UTF-16 surrogate escape');
  return run(data);
}

/**
 * An ajv error as a ValidationIssue (its instancePath, keyword, message and params).
 * @param {import('./validators/index.js').AjvError} e
 * @returns {ValidationIssue}
 */
export function toIssue(e) {
  return { path: e.instancePath, keyword: e.keyword, message: e.message ?? e.keyword, params: e.params };
}
