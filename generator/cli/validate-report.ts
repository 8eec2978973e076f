/**
 * The human-readable report of `wsgen validate`: every error of an invalid
 * message (up to MAX_ERRORS), each explained from the IR: the unknown
 * property and the allowed ones, the allowed enum values, the known message
 * types. The verdict always comes from the exact generated parser; the list of
 * errors from the same IR emitted with ajv's allErrors.
 */
import { type IR, type ObjectIR, type TypeIR, rootType, rootVariantsOf } from '../ir.js';
import { unionTag } from '../defaults.js';
import type { Issue } from '../validate-messages.js';

/** Errors shown per message; the rest are counted. */
export const MAX_ERRORS = 20;

/** Follows aliases and nullables to the type a value has (an object, a union, …). */
function resolved(ir: IR, t: TypeIR | undefined): TypeIR | undefined {
  for (let i = 0; t !== undefined && i < 100; i++) {
    if (t.kind === 'nullable') t = t.inner;
    else if (t.kind === 'alias') {
      const name = t.name;
      t = ir.aliases.find((a) => a.name === name)?.type;
    } else return t;
  }
  return undefined;
}

/** The object of a named object type. */
const objectNamed = (ir: IR, t: TypeIR | undefined): ObjectIR | undefined => (t?.kind === 'object' ? ir.objects.find((o) => o.name === t.name) : undefined);

/** The tag values of a tagged union type, in branch order (the branch selection of defaults.ts `unionTag`). */
function unionTags(ir: IR, t: TypeIR | undefined): string[] | undefined {
  const tag = t?.kind === 'union' && t.discriminator !== undefined ? unionTag(ir, t) : undefined;
  return tag === undefined ? undefined : [...tag.values.values()];
}

/** The branch of a tagged union a value picks by its tag, resolved. */
function branchOf(ir: IR, t: TypeIR, value: unknown): TypeIR | undefined {
  const tag = t.kind === 'union' && typeof value === 'object' && value !== null ? unionTag(ir, t) : undefined;
  if (tag === undefined) return undefined;
  const picked = (value as Record<string, unknown>)[tag.property];
  const name = [...tag.values].find(([, v]) => v === picked)?.[0];
  return name === undefined ? undefined : { kind: 'object', name };
}

/**
 * What the IR knows of the place a JSON pointer of a message lands in: its object (the message's own
 * type for "") and its type, following properties, array items, record values and tagged union branches.
 */
function placeAt(ir: IR, message: unknown, path: string): { obj?: ObjectIR; type?: TypeIR } {
  let obj: ObjectIR | undefined;
  let type: TypeIR | undefined;
  if (ir.union === undefined) {
    // A root that is no tagged union: its own type, an object or a union to pick a branch of.
    type = resolved(ir, rootType(ir));
    obj = objectNamed(ir, type) ?? objectNamed(ir, type && branchOf(ir, type, message));
  } else {
    const tag = typeof message === 'object' && message !== null ? (message as Record<string, unknown>)[ir.union.discriminator] : undefined;
    const variant = ir.union.variants.find((v) => v.tag === tag);
    obj = variant ? ir.objects.find((o) => o.name === variant.object) : undefined;
  }
  let value = message;
  for (const raw of path.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (obj) type = obj.properties.find((p) => p.name === token)?.type;
    else if (type?.kind === 'array' && /^\d+$/.test(token)) type = type.items;
    else if (type?.kind === 'record') type = type.values;
    else return {};
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[token] : undefined;
    type = resolved(ir, type);
    obj = objectNamed(ir, type) ?? objectNamed(ir, type && branchOf(ir, type, value));
  }
  return { obj, type };
}

const list = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

/** One error as a sentence, with what the schema allows in its place. */
export function explain(ir: IR, message: unknown, e: Issue): string {
  if (e.keyword === 'additionalProperties' && typeof e.params.additionalProperty === 'string') {
    const { obj } = placeAt(ir, message, e.path);
    const allowed = obj ? ` (allowed: ${obj.properties.map((p) => p.name).join(', ')})` : '';
    return `unknown property ${JSON.stringify(e.params.additionalProperty)}${allowed}`;
  }
  if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues)) return `${e.message}: ${list(e.params.allowedValues)}`;
  if (e.keyword === 'const' && 'allowedValue' in e.params) return `must be ${JSON.stringify(e.params.allowedValue)}`;
  if (e.keyword === 'discriminator') {
    // A nested tagged union (ajv's error stands at the union) names its own branches; the root union
    // (its error stands at the tag property) the message types.
    const known = (e.path === '' && ir.union !== undefined ? undefined : unionTags(ir, placeAt(ir, message, e.path).type)) ?? rootVariantsOf(ir).map((v) => v.tag);
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
