/**
 * The human-readable report of `wsgen validate`: every error of an invalid
 * message (up to MAX_ERRORS), each explained from the IR: the unknown
 * property and the allowed ones, the allowed enum values, the known message
 * types. The verdict always comes from the exact generated parser; the list of
 * errors from the same IR emitted with ajv's allErrors.
 */
import { type IR, type ObjectIR, type TypeIR, rootType, rootVariantsOf } from '../ir.js';
import type { Issue } from '../validate-messages.js';

/** Errors shown per message; the rest are counted. */
export const MAX_ERRORS = 20;

/** Follows aliases and nullables to the object type a value has, if any. */
function objectOf(ir: IR, t: TypeIR | undefined): ObjectIR | undefined {
  for (let i = 0; t !== undefined && i < 100; i++) {
    if (t.kind === 'object') {
      const name = t.name;
      return ir.objects.find((o) => o.name === name);
    }
    if (t.kind === 'nullable') t = t.inner;
    else if (t.kind === 'alias') {
      const name = t.name;
      t = ir.aliases.find((a) => a.name === name)?.type;
    } else return undefined;
  }
  return undefined;
}

/** The object a JSON pointer of a message lands in (the message's own type for ""), when the IR knows it. */
function objectAt(ir: IR, message: unknown, path: string): ObjectIR | undefined {
  let obj: ObjectIR | undefined;
  if (ir.union === undefined) obj = objectOf(ir, rootType(ir));
  else {
    const tag = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[ir.union.discriminator] : undefined;
    const variant = ir.union.variants.find((v) => v.tag === tag);
    obj = variant ? ir.objects.find((o) => o.name === variant.object) : undefined;
  }
  let type: TypeIR | undefined;
  for (const raw of path.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (obj) type = obj.properties.find((p) => p.name === token)?.type;
    else if (type?.kind === 'array' && /^\d+$/.test(token)) type = type.items;
    else if (type?.kind === 'record') type = type.values;
    else return undefined;
    while (type?.kind === 'nullable') type = type.inner;
    obj = objectOf(ir, type);
  }
  return obj;
}

const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** One error as a sentence, with what the schema allows in its place. */
export function explain(ir: IR, message: unknown, e: Issue): string {
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    const obj = objectAt(ir, message, e.path);
    const allowed = obj ? ` (allowed: ${obj.properties.map((p) => p.name).join(', ')})` : '';
    return `unknown property ${JSON.stringify(e.params.additionalProperty)}${allowed}`;
  }
  if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) return `${e.message}: ${list(e.params.allowedValues)}`;
  if (e.keyword === 'const' && 'allowedValue' in e.params) return `must be ${JSON.stringify(e.params.allowedValue)}`;
  if (e.keyword === 'discriminator') {
    const known = rootVariantsOf(ir).map((v) => v.tag);
    const got = 'tagValue' in e.params ? `${JSON.stringify(e.params.tagValue)}: ` : '';
    return `${got}${e.message} (known: ${known.join(', ')})`;
  }
  return e.message;
}

/** The report lines of one invalid message: one per error, at most MAX_ERRORS, then a count of the rest. */
export function reportLines(ir: IR, where: string, text: string, errors: readonly Issue[]): string[] {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    message = undefined;
  }
  const lines = errors.slice(0, MAX_ERRORS).map((e) => `invalid ${where} at "${e.path}" [${e.keyword}] ${explain(ir, message, e)}`);
  if (errors.length > MAX_ERRORS) lines.push(`invalid ${where} … and ${errors.length - MAX_ERRORS} more error(s)`);
  return lines;
}
