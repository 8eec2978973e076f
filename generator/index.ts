/**
 * The wsgen pipeline: load → validate → hoist (names for inline types) → normalize → IR → emit (one emitter per
 * target) → format. Everything happens in memory; writing is a separate step,
 * so a bad schema never leaves a half-written output folder.
 */
import { statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { type PartialBuild, buildIR } from './build-ir.js';
import type { EmitContext } from './emit/banner.js';
import { emitPython } from './emit/python.js';
import { emitTs } from './emit/ts.js';
import { formatFiles } from './format.js';
import { type IR, byCodeUnit } from './ir.js';
import { ErrorList, type FailedErrorList, WsgenError } from './errors.js';
import { type Bundle, loadSchema } from './load.js';
import { type WsgenNotice, defaultNotices } from './default-notices.js';
import { hoistInline } from './hoist.js';
import { AllOfCycle, normalize } from './normalize.js';
import { refuseInPlaceRefCycles } from './ref-cycles.js';
import { withRootDefinition } from './root.js';
import { validateBundle } from './validate.js';
import { checkVersion } from './version.js';
import { checkDefaults, judgeDefaults } from './default-check.js';
import { reachableNames } from './ir.js';

/** Output targets and the sub-folder of the output folder each one owns. */
export const TARGETS = {
  ts: { dir: 'ts', emit: emitTs },
  python: { dir: 'python', emit: emitPython },
} as const;

/** A target name. */
export type Target = keyof typeof TARGETS;

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Schema folder or root file. */
  schema: string;
  /** Unused since banners name the schema from the project root; kept so older callers still compile. */
  out?: string;
  /**
   * The project root (the folder of wsgen.config.json): banners name the schema
   * relative to it. Without one, they name it as `<schema folder name>/<root file>`.
   * Either way the name does not depend on where the output goes.
   */
  projectRoot?: string;
  /** Name of the Python package folder (default `wsgen_protocol`). */
  pythonPackage?: string;
  /** Targets to emit, default all. */
  targets?: readonly Target[];
  /** Called at each stage, for progress output. */
  onStage?: (stage: string, detail?: string) => void;
}

/** The generated files (paths relative to the output folder, `/` separators, sorted), the IR and the warnings. */
export interface GenerateResult {
  files: Map<string, string>;
  ir: IR;
  /** Warnings: generation went on (default-notices.ts: a `default` that is not applied), in file and document order. */
  notices: WsgenNotice[];
}

/**
 * Runs the pipeline up to the IR (used by `generate` and `validate`). Throws WsgenError, whose schema errors
 * have `root` set (their `path` names the file from the working directory).
 */
export function schemaToIR(schema: string, onStage: GenerateOptions['onStage'] = () => {}): IR {
  return inSchema(schema, () => loadIR(schema, onStage).ir);
}

/** The absolute folder the schema files of `schema` (folder or root file) are named relative to (load.ts). */
export function schemaRoot(schema: string): string {
  return statSafe(resolve(schema)) === 'dir' ? resolve(schema) : dirname(resolve(schema));
}

function statSafe(path: string): 'dir' | 'other' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'other';
  }
}

/** Runs `step`; a WsgenError it throws gets the schema root as its errors' `root` (WsgenError.inSchema). */
function inSchema<T>(schema: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof WsgenError) err.inSchema(schemaRoot(schema));
    throw err;
  }
}

/** The IR of `schema` and the schema documents it was built from; `partial` receives what built when it throws (buildIR). */
function loadIR(schema: string, onStage: NonNullable<GenerateOptions['onStage']>, partial?: PartialBuild & { docs?: Bundle['docs'] }): { ir: IR; docs: Bundle['docs'] } {
  onStage('load', schema);
  const bundle = loadSchema(schema);
  if (partial) partial.docs = bundle.docs;
  onStage('validate', `${bundle.docs.length} file(s)`);
  const early = new ErrorList();
  for (const e of bundle.refErrors) early.add(e);
  early.attempt(() => validateBundle(bundle));
  early.attempt(() => checkVersion(bundle));
  early.attempt(() => refuseInPlaceRefCycles(bundle));
  if (early.failed()) throwWithLaterErrors(bundle, early, partial);
  onStage('normalize');
  const named = hoistInline(withRootDefinition(bundle));
  const norm = normalize(named);
  onStage('ir');
  return { ir: buildIR(named, norm, partial), docs: bundle.docs };
}

/**
 * A document the metaschema refuses at one place still has errors elsewhere: builds the IR anyway to report them in
 * the same run (issue 9 "All errors in one run"), leaving out what lies at or below a place already refused, then
 * throws them all with the `early` ones first.
 */
function throwWithLaterErrors(bundle: Bundle, early: FailedErrorList, partial?: PartialBuild): never {
  const refused = early.found.map((e) => e.location);
  const inside = (e: WsgenError) => refused.some((r) => r.file === e.location.file && (e.location.pointer === r.pointer || e.location.pointer.startsWith(`${r.pointer}/`)));
  try {
    const named = hoistInline(withRootDefinition(bundle));
    buildIR(named, normalize(named), partial);
  } catch (err) {
    // Anything but a WsgenError here comes from a document already known to be invalid: its own error is the report.
    // An allOf cycle (normalize's AllOfCycle) is one of the in-place cycles refused early: it is listed once, there.
    if (err instanceof WsgenError) for (const e of err.all()) if (!inside(e) && !(e instanceof AllOfCycle)) early.add(e.alone());
  }
  return early.throwAll();
}

/**
 * The root schema file as banners name it: relative to `projectRoot` when given
 * and the schema lies inside it, else `<schema folder name>/<root file>`; `/`
 * separators. It never depends on the output folder or the working directory.
 */
export function bannerSource(schema: string, rootFile: string, projectRoot?: string): string {
  const schemaRoot = resolve(schema).endsWith('.json') ? resolve(schema, '..') : resolve(schema);
  const abs = resolve(schemaRoot, rootFile);
  if (projectRoot !== undefined) {
    const rel = relative(resolve(projectRoot), abs);
    if (!rel.startsWith('..') && !isAbsolute(rel)) return rel.split('\\').join('/');
  }
  return `${basename(schemaRoot)}/${rootFile}`;
}

/**
 * The warnings of a run that failed (issue: warnings were withheld until every error was fixed): the defaults
 * of the definitions that built, judged as a passing run judges them; none where the run failed (the failed
 * definitions, the places of the errors) or where a default's type reaches a failed definition. Best effort: a
 * judge that cannot be built from the partial IR gives no warning rather than a second failure.
 */
async function partialNotices(partial: PartialBuild & { docs?: Bundle['docs'] }, err: WsgenError): Promise<WsgenNotice[]> {
  const { ir, docs } = partial;
  if (ir === undefined || docs === undefined) return [];
  const known = new Set([...ir.objects, ...ir.aliases, ...ir.enums].map((x) => x.name));
  const judged = ir.objects.map((o) => ({ ...o, properties: o.properties.filter((p) => [...reachableNames(ir, [p.type])].every((n) => known.has(n))) }));
  try {
    await judgeDefaults({ ...ir, objects: judged });
  } catch {
    return [];
  }
  return defaultNotices(docs, ir, [...(partial.failedAt ?? []), ...err.all().map((e) => e.location)]);
}

/**
 * Runs the whole pipeline in memory. Throws WsgenError on a bad schema, with the warnings the run could still
 * give in its `notices` (the defaults of the definitions that built).
 */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const partial: PartialBuild & { docs?: Bundle['docs'] } = {};
  try {
    return await generateIn(opts, partial);
  } catch (err) {
    if (err instanceof WsgenError) {
      err.inSchema(schemaRoot(opts.schema));
      err.notices = await partialNotices(partial, err);
    }
    throw err;
  }
}

async function generateIn(opts: GenerateOptions, partial: PartialBuild & { docs?: Bundle['docs'] }): Promise<GenerateResult> {
  const onStage = opts.onStage ?? (() => {});
  const { ir, docs } = loadIR(opts.schema, onStage, partial);
  await checkDefaults(ir);
  const notices = defaultNotices(docs, ir);
  const ctx: EmitContext = { source: bannerSource(opts.schema, ir.rootFile, opts.projectRoot), ...(opts.pythonPackage ? { pythonPackage: opts.pythonPackage } : {}) };
  const files = new Map<string, string>();
  for (const target of opts.targets ?? (Object.keys(TARGETS) as Target[])) {
    const t = TARGETS[target];
    onStage(`emit ${target}`, ir.union ? `${ir.union.variants.length} message types` : `root type ${ir.root.name}`);
    const emitted = await t.emit(ir, ctx);
    onStage(`format ${target}`);
    for (const [name, text] of await formatFiles(emitted)) files.set(`${t.dir}/${name}`, text);
  }
  return { files: new Map([...files].sort(([a], [b]) => byCodeUnit(a, b))), ir, notices };
}
