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
import { loadParser } from './validate-messages.js';

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
    const first = r.errors[0]!;
    const path = first.path.slice(`/${VALUE}`.length);
    return [keyOf(property), `the property's schema refuses it${path ? ` at ${path}` : ''}: ${first.message}`];
  }));
  for (const property of pending) property.defaultApplied = verdictOf.get(keyOf(property))!;
}
