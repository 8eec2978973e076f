// Proof that the wrapping (wrap.mjs) is honest: ajv's draft 2020-12 validator gives the same
// verdict on every test instance for the raw group schema and for the wrapped schema with
// the instance in its message. It also finds the remote documents a group needs (ajv's
// loadSchema is asked for each one), so wsgen is given exactly those.
import { createRequire } from 'node:module';
import { REMOTE_BASE, readRemote } from './suite.mjs';
import { CASE_TAG, VALUE_FIELD, embeddedText, wrapText } from './wrap.mjs';

const require = createRequire(import.meta.url);
/** @type {typeof import('ajv/dist/2020.js').default} */
const Ajv2020 = require('ajv/dist/2020.js').default;
/** @type {typeof import('ajv-formats').default} */
const addFormats = require('ajv-formats').default;

/** Remote documents fetched by the loader of the ajv in use (url → document), reset per group. */
let fetched = new Map();

/**
 * An ajv 2020-12 validator that loads the suite's remotes on demand (into `fetched`).
 * Formats: asserted (ajv-formats) for the `format` set; annotations only for the main set,
 * the 2020-12 default that the suite's main files assume.
 * @param {string} dir              the suite folder
 * @param {boolean} assertFormats
 */
function makeAjv(dir, assertFormats) {
  const ajv = new Ajv2020({
    strict: false,
    logger: false,
    discriminator: true,
    validateFormats: assertFormats,
    loadSchema: async (uri) => {
      const url = uri.split('#')[0];
      const remote = readRemote(dir, url);
      if (!remote) throw new Error(`no remote document ${uri}`);
      fetched.set(url, remote);
      return remote.json;
    },
  });
  if (assertFormats) addFormats(ajv);
  return ajv;
}

/** Shared validators per format mode: building one compiles the metaschema (~0.1 s), so groups share them. */
const shared = new Map();

/**
 * Compiles `schema` (after `extra`, documents to add first) with a shared ajv when the group is
 * self-contained, else with a fresh one, so that remotes and `$id`s never leak between groups.
 * @returns {Promise<{ fn?: Function, error?: string }>}
 */
async function compile(dir, assertFormats, schema, isolated, extra = []) {
  const attempt = async (ajv) => {
    for (const doc of extra) ajv.addSchema(doc);
    return { fn: await ajv.compileAsync(schema) };
  };
  const key = `${dir}|${assertFormats}`;
  if (!isolated && extra.length === 0) {
    if (!shared.has(key)) shared.set(key, makeAjv(dir, assertFormats));
    try {
      return await attempt(shared.get(key));
    } catch {
      shared.delete(key); // maybe an $id clash with an earlier group: judge it alone below
    }
  }
  try {
    return await attempt(makeAjv(dir, assertFormats));
  } catch (err) {
    return { error: String(err.message ?? err).split('\n')[0] };
  }
}

/** ajv's verdict, or the error its validation function throws (a stack overflow on a recursive schema). */
function verdict(fn, data) {
  try {
    return fn(data);
  } catch (err) {
    return `${err.name}: ${err.message}`;
  }
}

const show = (v) => (v === true ? 'valid' : v === false ? 'invalid' : `an error (${v})`);

/**
 * @typedef {object} Honesty
 * @property {'proven' | 'unproven' | 'excluded'} status  `unproven`: ajv compiles neither schema, so the group is
 *   kept on the strength of the construction alone; `excluded`: ajv's verdicts differ, or it compiles only one of the two
 * @property {string} [reason]   why a group is unproven or excluded
 * @property {string} [note]     how the proof was made, when not on the wrapped schema itself
 * @property {Map<string, {text: string, json: unknown}>} remotes  remote documents the group reaches (url → document)
 * @property {number} ajvDisagrees  tests where ajv's verdict (raw and wrapped alike) differs from the suite's
 */

/**
 * The first test where `fn` on the wrapped message and `raw` on the instance disagree, as a sentence.
 * @returns {string | undefined}
 */
function firstDifference(group, raw, fn) {
  for (const t of group.tests) {
    const r = verdict(raw, t.data);
    const w = verdict(fn, { type: CASE_TAG, [VALUE_FIELD]: t.data });
    if (r !== w) return `"${t.description}" is ${show(r)} raw and ${show(w)} wrapped`;
  }
  return undefined;
}

/**
 * Compares ajv's verdicts on the raw and the wrapped schema of a group, test by test.
 *
 * ajv 8 has bugs with embedded resources (a stack overflow on chains of `$ref`s inside one, a
 * `$dynamicRef` to a boolean schema): when the embedded form fails, the same resource as a
 * document of its own, referenced by its `$id` (its bundled-equivalent form, JSON Schema 2020-12
 * §9.3), is tried, and the group counts as proven when that form agrees with the raw schema.
 * @param {string} dir
 * @param {import('./suite.mjs').SuiteGroup} group
 * @param {boolean} assertFormats
 * @returns {Promise<Honesty>}
 */
export async function proveWrapping(dir, group, assertFormats) {
  fetched = new Map();
  const isObj = typeof group.schema === 'object' && group.schema !== null;
  const isolated = group.schemaText.includes(REMOTE_BASE) || (isObj && '$id' in group.schema);
  const raw = await compile(dir, assertFormats, group.schema, isolated);
  const remotes = fetched;
  const done = (status, extra) => ({ status, remotes, ajvDisagrees: 0, ...extra });
  const embedded = await compile(dir, assertFormats, JSON.parse(wrapText(group)), isolated);
  if (raw.error) {
    if (embedded.error) return done('unproven', { reason: `ajv compiles neither the raw nor the wrapped schema: ${raw.error}` });
    return done('excluded', { reason: `ajv compiles only the wrapped schema (raw: ${raw.error})` });
  }
  const problem = embedded.error ? `ajv fails on it: ${embedded.error}` : firstDifference(group, raw.fn, embedded.fn);
  let fn = embedded.fn;
  let note;
  if (problem !== undefined) {
    const doc = isObj ? JSON.parse(embeddedText(group)) : undefined;
    const bundled = doc && (await compile(dir, assertFormats, JSON.parse(wrapText({ ...group, schema: true, schemaText: JSON.stringify({ $ref: doc.$id }) })), true, [doc]));
    if (!bundled || bundled.error || firstDifference(group, raw.fn, bundled.fn) !== undefined) return done('excluded', { reason: `ajv on the wrapped schema: ${problem}` });
    fn = bundled.fn;
    note = `proven on the bundled-equivalent form (value: {"$ref": ${JSON.stringify(doc.$id)}}); on the embedded form, ${problem}`;
  }
  const ajvDisagrees = group.tests.filter((t) => verdict(raw.fn, t.data) !== t.valid).length;
  return { status: 'proven', remotes, ajvDisagrees, ...(note ? { note } : {}) };
}
