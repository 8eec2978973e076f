/**
 * Generate-time check of every optional property's `default` (defaults.ts): it is
 * applied only when valid against the property's own schema, judged by the very
 * code the TS target emits (ajv's standalone validators, wsgen's format checkers,
 * the open-field number and depth checks), so a parsed message never holds a
 * value that a message could not carry. Python's verdicts equal the TS ones (the
 * conformance suite holds them equal), so one judge serves both targets.
 */
import { collectErrors } from './errors.js';
import { ambiguousDefaults, candidateDefaults, unsafeInteger } from './defaults.js';
import { MAX_SAFE_INTEGER } from './numbers.js';
import { type IR, type ObjectIR, type PropertyIR, reachableNames } from './ir.js';
import { type Issue, loadParser } from './validate-messages.js';
import { valueAt } from './load.js';
import type { JsonValue } from './types.js';

/** The wire name of the wrapper property that carries the default under test. */
const VALUE = 'value';

/**
 * The IR that judges defaults: one message type per judged property, `{tag, value}` with
 * `value` of the property's type, beside the named types those types reach (reachableNames: the
 * other message types of a large protocol are left out, so the judge's code does not grow with them).
 */
function judgeIR(ir: IR, properties: readonly PropertyIR[]): { ir: IR; tag: string } {
  const taken = new Set([...ir.objects, ...ir.aliases, ...ir.enums].map((x) => x.name));
  let prefix = 'DefaultOf';
  while ([...taken].some((n) => n.startsWith(prefix))) prefix = `Wsgen${prefix}`;
  const tag = 'tag';
  const loc = ir.union?.loc ?? { file: ir.rootFile, pointer: '' };
  const wrappers: ObjectIR[] = properties.map((property, i) => ({
    name: `${prefix}${i}`,
    properties: [
      { name: tag, required: true, type: { kind: 'const', value: String(i) }, meta: {}, loc: property.loc },
      { name: VALUE, required: true, type: property.type, meta: {}, loc: property.loc },
    ],
    meta: {},
    loc,
  }));
  const reached = reachableNames(ir, properties.map((p) => p.type));
  const variants = wrappers.map((w, i) => ({ tag: String(i), object: w.name }));
  return {
    tag,
    ir: {
      ...ir,
      objects: [...ir.objects.filter((o) => reached.has(o.name)), ...wrappers],
      aliases: ir.aliases.filter((a) => reached.has(a.name)),
      union: { name: `${prefix}Message`, discriminator: tag, variants, loc },
      root: { tagged: true, name: `${prefix}Message` },
      roles: { messages: variants.map((v) => ({ ...v, direction: 'both', priority: 'normal', fields: [] })), roles: [], fields: [], tables: [], capabilities: [] },
    },
  };
}

/** How many allowed values a refusal lists before it says how many there are in all. */
const LISTED_VALUES = 10;
/** How many characters of a refused value a refusal quotes. */
const QUOTED_CHARS = 60;

/** `value` as JSON, cut to QUOTED_CHARS characters (with `…`). */
function quoted(value: JsonValue | undefined): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text;
}

/** The JSON type name of `value` (RFC 8259 §3: object, array, string, number, boolean, null). */
function jsonType(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** One refusal reason in ajv's words, with the allowed values of an `enum` (the first LISTED_VALUES) or the `const`. */
function reasonOf(issue: Issue): string {
  if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
    const all = issue.params.allowedValues as JsonValue[];
    const more = all.length > LISTED_VALUES ? `, … (${all.length} in all)` : '';
    return `${issue.message}: ${all.slice(0, LISTED_VALUES).map(quoted).join(', ')}${more}`;
  }
  return issue.keyword === 'const' ? `${issue.message} ${quoted(issue.params.allowedValue as JsonValue)}` : issue.message;
}

/**
 * Why the judge refused a default (`issues`: the judge's parse errors, `value`: the default), in ajv's words with
 * what they leave out: the allowed values of an `enum`, the `const`, every type of a `type` list, every branch of
 * an `anyOf`/`oneOf` that fails at the same place (a nullable enum is "one of … or null"), and the refused value.
 */
export function refusal(issues: readonly Issue[], value: JsonValue): string {
  const first = issues[0]!;
  const here = issues.filter((i) => i.path === first.path);
  const union = here.findIndex((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf');
  const branches = union === -1 ? [first] : here.slice(0, union);
  const types = [...new Set(branches.filter((i) => i.keyword === 'type').flatMap((i) => String(i.params.type).split(',')))];
  const reasons = branches.filter((i) => i.keyword !== 'type').map(reasonOf);
  if (types.length > 0) reasons.push(`must be ${types.join(' or ')}`);
  const path = first.path.slice(`/${VALUE}`.length);
  const found = valueAt(value, path);
  const seen = found === undefined ? '' : ` (found ${quoted(found)}, ${jsonType(found)})`;
  return `the property's schema refuses it${path ? ` at ${path}` : ''}: ${reasons.join(', or ')}${seen}`;
}

/**
 * Judges every optional property's `default` and records the verdict on the
 * property (`defaultApplied`): applied, or why not (the property's own schema
 * refuses it, or it holds an integer beyond ±(2^53 − 1)); JSON Schema 2020-12
 * §9.2 lets a default be any value, so such a schema is still generated, with the
 * default as documentation only and a WSGEN_DEFAULT_INVALID warning (default-notices.ts). Throws WSGEN_DEFAULT (every one found, up to the
 * usual cap) for defaults inside a union whose branch the targets could choose
 * differently. Idempotent: a checked IR is left as it is.
 */
export async function checkDefaults(ir: IR): Promise<void> {
  collectErrors(ambiguousDefaults(ir), (e) => {
    throw e;
  });
  await judgeDefaults(ir);
}

/**
 * Judges the optional properties' defaults of `ir` not judged yet and records each verdict on its property
 * (`defaultApplied`), as {@link checkDefaults} does, without its check of ambiguous defaults: a failing run
 * (index.ts) judges the defaults of the definitions that built, whose ambiguity buildIR has reported already.
 */
export async function judgeDefaults(ir: IR): Promise<void> {
  const pending = candidateDefaults(ir).filter((p) => p.defaultApplied === undefined);
  if (pending.length === 0) return;
  // One judged message per distinct (type, default): the same value against the same type gets the same verdict,
  // and a protocol repeats them (a `level` default of 5 on hundreds of message types); judging each copy made the
  // judge's validators grow with the number of properties instead of the number of distinct defaults.
  const keyOf = (p: PropertyIR): string => JSON.stringify([p.type, p.default]);
  const distinct = [...new Map(pending.map((p) => [keyOf(p), p])).values()];
  const judge = judgeIR(ir, distinct);
  const parse = await loadParser(judge.ir);
  const verdictOf = new Map(distinct.map((property, i): [string, true | string] => {
    const big = unsafeInteger(property.default);
    if (big !== undefined) return [keyOf(property), `it holds ${big}, beyond ±${MAX_SAFE_INTEGER} (2^53 − 1), which JavaScript reads rounded and Python exactly`];
    const r = parse(JSON.stringify({ [judge.tag]: String(i), [VALUE]: property.default }));
    if (r.ok) return [keyOf(property), true];
    return [keyOf(property), refusal(r.errors, property.default!)];
  }));
  for (const property of pending) property.defaultApplied = verdictOf.get(keyOf(property))!;
}
