/**
 * Generate-time check of every applied `default` (defaults.ts): the value must be
 * valid against its property's own schema, judged by the very code the TS target
 * emits (ajv's standalone validators, wsgen's format checkers, the open-field
 * number and depth checks), so a default is never a value that a message could
 * not carry. Python's verdicts equal the TS ones (the conformance suite holds
 * them equal), so one judge serves both targets.
 */
import { collectErrors } from './errors.js';
import { appliedDefaults, defaultShapeErrors, invalidDefault } from './defaults.js';
import type { IR, ObjectIR } from './ir.js';
import { loadParser } from './validate-messages.js';

/** The wire name of the wrapper property that carries the default under test. */
const VALUE = 'value';

/**
 * The IR that judges defaults: one message type per applied default, `{tag, value}`
 * with `value` of the property's type, beside every named type of `ir`.
 */
function judgeIR(ir: IR, count: number): { ir: IR; tag: string } {
  const taken = new Set([...ir.objects, ...ir.aliases, ...ir.enums].map((x) => x.name));
  let prefix = 'DefaultOf';
  while ([...taken].some((n) => n.startsWith(prefix))) prefix = `Wsgen${prefix}`;
  const tag = 'tag';
  const wrappers: ObjectIR[] = [];
  for (let i = 0; i < count; i++) wrappers.push({ name: `${prefix}${i}`, properties: [], meta: {}, loc: ir.union.loc });
  const { objects } = ir;
  const variants = wrappers.map((w, i) => ({ tag: String(i), object: w.name }));
  return {
    tag,
    ir: {
      ...ir,
      objects: [...objects, ...wrappers],
      union: { name: `${prefix}Message`, discriminator: tag, variants, loc: ir.union.loc },
      roles: { messages: variants.map((v) => ({ ...v, direction: 'both', priority: 'normal', fields: [] })), roles: [], fields: [], tables: [], capabilities: [] },
    },
  };
}

/**
 * Throws WSGEN_DEFAULT (every problem found, up to the usual cap) when a default
 * cannot be applied exactly on both targets: invalid against its property's
 * schema, an integer beyond ±(2^53 − 1), or inside an ambiguous union.
 */
export async function checkDefaults(ir: IR): Promise<void> {
  const shape = defaultShapeErrors(ir);
  const applied = appliedDefaults(ir);
  const problems = [...shape];
  if (applied.length > 0 && shape.length === 0) {
    const judge = judgeIR(ir, applied.length);
    applied.forEach(({ property }, i) => {
      const w = judge.ir.objects[ir.objects.length + i]!;
      w.properties = [
        { name: judge.tag, required: true, type: { kind: 'const', value: String(i) }, meta: {}, loc: property.loc },
        { name: VALUE, required: true, type: property.type, meta: {}, loc: property.loc },
      ];
    });
    const parse = await loadParser(judge.ir);
    applied.forEach(({ object, property }, i) => {
      const r = parse(JSON.stringify({ [judge.tag]: String(i), [VALUE]: property.default }));
      if (!r.ok) {
        const first = r.errors[0]!;
        problems.push(invalidDefault(object, property, { path: first.path.slice(`/${VALUE}`.length), message: first.message }));
      }
    });
  }
  collectErrors(problems, (e) => {
    throw e;
  });
}
