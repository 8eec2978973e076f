/**
 * Validator modules of types whose standalone code was filled from one compiled template
 * (ts-validator-reuse.ts): the rewrites of ajv's code (ts-validator-code.ts) run once on the
 * template's own code, and each type's code is that result filled with the type's export name
 * and replaced strings, as the template's code is filled. The result is the module the rewrites
 * make of the type's own code, because the rewrites commute with the filling when
 *  - they read the value of no string literal holding a replaced string, and no property name
 *    of the switched property set holds one (their decisions are then the same for every use);
 *  - they keep each replaced string's literal as often as the template's code has it (the
 *    filling then finds the same places), and the template's cut is found again in their output;
 *  - the export name is an identifier beginning with `validate` (no rewrite pattern matches in one).
 * A template for which the first of them fails is rewritten for each use instead.
 */
import { safeStringify } from 'ajv/dist/compile/codegen/code.js';
import { type ModuleParts, type RewrittenCode, assembleModule, moduleCode, rewriteAjvCode } from './ts-validator-code.js';
import { type CutCode, type Standalone, TEMPLATE_EXPORT, cutCode, fillCode } from './ts-validator-reuse.js';

/** An export name the rewrites read nothing in: `validate` and identifier characters (see the module comment). */
const SAFE_EXPORT = /^validate[\w$]*$/;

/** The number of occurrences of `part` in `text`. */
function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** A template's rewritten code, cut for filling; null when the rewrites do not commute with the filling. */
type Entry = { rewritten: RewrittenCode; cut: CutCode } | null;

/** The rewritten code of each template (keyed by the template's own code), made on its first use. */
export class TemplatedModules {
  readonly #entries = new Map<string, Entry>();

  /**
   * The validator module of `source` (ts-validator-code.ts `moduleCode`): from its template's rewritten code when it
   * was filled from a template the rewrites commute with, else from its own code.
   * @throws {Error} (internal) as moduleCode does.
   */
  moduleCode(banner: string, source: Standalone, nameFor: (names: string[]) => string, parts: ModuleParts): string {
    const t = source.template;
    if (t === undefined || !SAFE_EXPORT.test(t.exportName)) return moduleCode(banner, source.code, nameFor, parts);
    let entry = this.#entries.get(t.code);
    if (entry === undefined) this.#entries.set(t.code, (entry = prepare(t.code, t.replaced, nameFor)));
    else if (entry?.rewritten.known !== undefined && nameFor(entry.rewritten.known.names) !== entry.rewritten.known.fn) {
      throw new Error(`internal: the property set of ${t.exportName} has another switch than its template's`);
    }
    if (entry === null) return moduleCode(banner, source.code, nameFor, parts);
    return assembleModule(banner, { ...entry.rewritten, code: fillCode(entry.cut, t.exportName, t.values) }, parts);
  }
}

/** The template's code rewritten and cut, or null when the rewrites do not commute with the filling (module comment). */
function prepare(code: string, replaced: readonly string[], nameFor: (names: string[]) => string): Entry {
  const rewritten = rewriteAjvCode(code, nameFor);
  const holds = (s: string): boolean => replaced.some((r) => s.includes(r));
  if (rewritten.read.some(holds) || rewritten.known?.names.some(holds)) return null;
  if (replaced.some((r) => count(rewritten.code, safeStringify(r)) !== count(code, safeStringify(r)))) return null;
  const cut = cutCode(rewritten.code, TEMPLATE_EXPORT, replaced);
  return cut === undefined ? null : { rewritten, cut };
}
