/**
 * Compiled-once validators for message types whose own schemas differ only by their tag
 * (and by which of several identical checked subschemas they reference).
 *
 * ajv compiles each schema into a function of its own, and each compilation costs a fixed
 * overhead (code generation, its optimisation pass, `new Function`) that dominates for the
 * small own schemas of message types (about 1 ms each). Many types of a protocol check the
 * same fields and differ only by the constant of their discriminator (`"type": {"const":
 * "ping"}`): such a schema is compiled once, with a placeholder string in place of the tag,
 * and each type's standalone code is that code with the placeholder's string literal
 * replaced by the tag's, as ajv writes string literals (`safeStringify`: JSON.stringify,
 * U+2028 and U+2029 escaped). Likewise a reference to a checked subschema (`{"$ref":
 * "wsgen:checked#/$defs/<key>"}`, `{"wsgenChecked": "<key>"}`) is compiled as a reference
 * to the first subschema of the same content (`equivalent`), whose code is the same up to
 * the reference's own literal (ajv's errors inside a referenced schema give paths from that
 * schema's root). The result is the code ajv writes for the type's own schema, up to the
 * numbers of ajv's scope names (`validate12`), which stay internal to each module.
 *
 * A replacement is exact only when the replaced string reaches the code as whole string
 * literals (the schema literal, the `!==` comparison, the error's `allowedValue`, the
 * reference): a schema where it occurs otherwise is compiled on its own instead.
 */
import type AjvModule from 'ajv';
import { safeStringify } from 'ajv/dist/compile/codegen/code.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { CHECKED_KEYWORD } from './ts-checked.js';

const standaloneCode = standaloneModule.default;

type Ajv = InstanceType<typeof AjvModule.default>;
type Schema = Record<string, unknown>;

/** The placeholder tag of a template. */
const PLACEHOLDER = 'wsgen:tag-placeholder';
/** The keywords whose whole string value names a subschema (`equivalent` maps it to its representative). */
const REFERENCE_KEYS = ['$ref', CHECKED_KEYWORD];

/**
 * A compiled template: its standalone code before the export's name (`head`), and after it
 * (`pieces`), cut at each replaced literal; `slots[i]` is the index, in a use's list of
 * values, of the value that goes between `pieces[i]` and `pieces[i + 1]`.
 * Without `pieces`, a replaced string reached the code otherwise than as whole literals.
 */
interface Template {
  head?: string;
  pieces?: string[];
  slots?: number[];
  /** The template's own standalone code (exporting {@link TEMPLATE_EXPORT}), when it has `pieces`. */
  code?: string;
  /** The strings a use replaces (the placeholder first), when it has `pieces`. */
  replaced?: readonly string[];
}

/**
 * A template's code cut for filling: the text before `export const <name> = ` (`head`), and after it (`pieces`),
 * cut at each whole string literal of a replaced string; `slots[i]` is the index, in the replaced strings, of the
 * one between `pieces[i]` and `pieces[i + 1]`.
 */
export interface CutCode {
  head: string;
  pieces: string[];
  slots: number[];
}

/**
 * Cuts `code` (exporting `exportName` once) at the string literals (as ajv writes them, `safeStringify`) of `replaced`;
 * undefined when the export is not written once, or a replaced string occurs otherwise than as whole literals.
 */
export function cutCode(code: string, exportName: string, replaced: readonly string[]): CutCode | undefined {
  const exported = code.split(`export const ${exportName} = `);
  const literals = replaced.map(safeStringify);
  if (exported.length !== 2 || !replaced.every((r, i) => count(code, r) === count(code, literals[i]!))) return undefined;
  // Longest first: a literal that is a prefix of another never cuts it.
  const order = literals.map((l, i) => [l, i] as const).sort((a, b) => b[0].length - a[0].length);
  const index = new Map(order.map(([l, i]) => [l, i]));
  // Without a replaced string, nothing is cut (an empty pattern would cut everywhere).
  const cut = new RegExp(order.length ? order.map(([l]) => escapeRegExp(l)).join('|') : '(?!)', 'g');
  const pieces: string[] = [];
  const slots: number[] = [];
  let at = 0;
  for (const m of exported[1]!.matchAll(cut)) {
    pieces.push(exported[1]!.slice(at, m.index));
    slots.push(index.get(m[0])!);
    at = m.index + m[0].length;
  }
  pieces.push(exported[1]!.slice(at));
  return { head: exported[0]!, pieces, slots };
}

/** Cut code filled: `export const <exportName> = `, and `values[slot]`'s literal in each slot. */
export function fillCode(cut: CutCode, exportName: string, values: readonly string[]): string {
  const literals = values.map(safeStringify);
  let out = `${cut.head}export const ${exportName} = ${cut.pieces[0]}`;
  for (let i = 1; i < cut.pieces.length; i++) out += literals[cut.slots[i - 1]!]! + cut.pieces[i];
  return out;
}

/**
 * ajv's standalone code of one schema (`code`). `template`, when the code was filled from a compiled template: the
 * template's own code (the same object for every use of it), the strings a use replaces, this use's values of them
 * and its export name; `code` is then `fillCode(cutCode(template.code, TEMPLATE_EXPORT, replaced), exportName, values)`.
 */
export interface Standalone {
  code: string;
  template?: { code: string; replaced: readonly string[]; values: readonly string[]; exportName: string };
}

/** The export name of a template's own standalone code (a use's code exports its own name instead). */
export const TEMPLATE_EXPORT = 'wsgenTemplateExport';

/** One use of a template: the template's schema as JSON, its replaced strings (the placeholder first), and this type's values of them. */
interface Use {
  key: string;
  generic: Schema;
  replaced: string[];
  values: string[];
}

/** The number of occurrences of `part` in `text`. */
function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** `s` as a literal inside a regular expression. */
function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/**
 * The standalone code of own schemas, compiled once per schema up to the tag and to the
 * representatives of the checked subschemas they reference.
 */
export class StandaloneCompiler {
  readonly #ajv: Ajv;
  readonly #reuse: boolean;
  readonly #equivalent: ReadonlyMap<string, string>;
  readonly #templates = new Map<string, Template>();
  /** ajv compilations made so far (templates and schemas compiled on their own). */
  compilations = 0;

  /**
   * `equivalent`: for a reference (`$ref` or `wsgenChecked`, a NUL, its value), the value of the
   * first reference to a subschema of the same content, whose compiled code is the same up to
   * that value (see {@link checkedEquivalents}). `reuse: false` compiles every schema on its own (the reference the
   * tests compare with).
   */
  constructor(ajv: Ajv, reuse = true, equivalent: ReadonlyMap<string, string> = new Map()) {
    this.#ajv = ajv;
    this.#reuse = reuse;
    this.#equivalent = equivalent;
  }

  /**
   * ajv's standalone ESM code of `schema` exporting its validator as `exportName`;
   * `id` names the schema in ajv. `tag`: the property whose `{"const": <string>}` is
   * the type's tag (the root union's discriminator), if any.
   */
  code(schema: Schema, id: string, exportName: string, tag?: string): string {
    return this.standalone(schema, id, exportName, tag).code;
  }

  /** As {@link code}, saying which template the code was filled from, if any ({@link Standalone}). */
  standalone(schema: Schema, id: string, exportName: string, tag?: string): Standalone {
    const use = this.#reuse && tag !== undefined ? this.#use(schema, tag) : undefined;
    const template = use === undefined ? undefined : this.#template(use);
    if (use !== undefined && template?.pieces !== undefined) {
      const code = fillCode(template as CutCode, exportName, use.values);
      return { code, template: { code: template.code!, replaced: template.replaced!, values: use.values, exportName } };
    }
    this.#ajv.addSchema(schema, id);
    this.compilations++;
    return { code: standaloneCode(this.#ajv, { [exportName]: id }) };
  }

  /** The template use of `schema`, or undefined when it has no string tag or its references cannot be told apart. */
  #use(schema: Schema, tag: string): Use | undefined {
    const props = schema.properties as Schema | undefined;
    const own = props?.[tag] as Schema | undefined;
    if (own === undefined || Object.keys(own).length !== 1 || typeof own.const !== 'string') return undefined;
    const replaced = [PLACEHOLDER];
    const values = [own.const];
    /** Per representative: the reference it stands for here, and at how many positions. */
    const representatives = new Map<string, { ref: string; positions: number }>();
    let distinct = true;
    /** `v` with each reference replaced by its representative's (recorded in `replaced`/`values`). */
    const generic = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(generic);
      if (v === null || typeof v !== 'object') return v;
      const entries = Object.entries(v as Schema);
      if (entries.length === 1 && REFERENCE_KEYS.includes(entries[0]![0]) && typeof entries[0]![1] === 'string') {
        const [k, ref] = entries[0] as [string, string];
        const rep = this.#equivalent.get(`${k}\u0000${ref}`) ?? ref;
        const seen = representatives.get(rep);
        if (seen === undefined) {
          representatives.set(rep, { ref, positions: 1 });
          replaced.push(rep);
          values.push(ref);
        } else if (seen.ref !== ref) distinct = false; // two references to one representative could not be told apart in the code
        else seen.positions++;
        return { [k]: rep };
      }
      // fromEntries: a property named "__proto__" stays an own key.
      return Object.fromEntries(entries.map(([k, x]) => [k, generic(x)]));
    };
    const genericProps = Object.fromEntries(Object.entries(props!).map(([k, x]) => [k, k === tag ? { const: PLACEHOLDER } : generic(x)]));
    const g = { ...schema, properties: genericProps };
    const key = JSON.stringify(g);
    // Each replaced string must come from its own positions alone (the placeholder from the tag, a representative from its references).
    if (!distinct || count(key, PLACEHOLDER) !== 1) return undefined;
    for (const [rep, { positions }] of representatives) {
      if (count(key, rep) !== positions || count(key, JSON.stringify(rep)) !== positions || replaced.some((r) => r !== rep && r.includes(rep))) return undefined;
    }
    return { key, generic: g, replaced, values };
  }

  /** The compiled template of `use` (compiled on first use). */
  #template(use: Use): Template {
    let t = this.#templates.get(use.key);
    if (t !== undefined) return t;
    const id = `wsgen:template:${this.#templates.size}`;
    this.#ajv.addSchema(use.generic, id);
    this.compilations++;
    const code = standaloneCode(this.#ajv, { [TEMPLATE_EXPORT]: id });
    const cut = cutCode(code, TEMPLATE_EXPORT, use.replaced);
    t = cut === undefined ? {} : { ...cut, code, replaced: use.replaced };
    this.#templates.set(use.key, t);
    return t;
  }
}

/**
 * The representatives of the references to checked subschemas (IR.checked, the document `id`):
 * each key's reference maps to the first key's of the same content and the same checker (ajv's
 * `$ref`, or the keyword checker's `wsgenChecked` for the keys in `keywordKeys`), as
 * {@link StandaloneCompiler} takes them. ajv compiles a referenced schema into a function whose
 * errors give paths from that schema's root, so its code does not depend on the key.
 */
export function checkedEquivalents(checked: Readonly<Record<string, unknown>>, id: string, keywordKeys: ReadonlySet<string>): Map<string, string> {
  const first = new Map<string, string>();
  const out = new Map<string, string>();
  for (const [key, schema] of Object.entries(checked)) {
    const keyword = keywordKeys.has(key);
    const content = `${keyword}\u0000${JSON.stringify(schema)}`;
    const rep = first.get(content) ?? key;
    first.set(content, rep);
    if (keyword) out.set(`${CHECKED_KEYWORD}\u0000${key}`, rep);
    else out.set(`$ref\u0000${id}#/$defs/${key}`, `${id}#/$defs/${rep}`);
  }
  return out;
}
