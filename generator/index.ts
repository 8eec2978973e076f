/**
 * The wsgen pipeline: load → validate → hoist (names for inline types) → normalize → IR → emit (one emitter per
 * target) → format. Everything happens in memory; writing is a separate step,
 * so a bad schema never leaves a half-written output folder.
 */
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { buildIR } from './build-ir.js';
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
import { checkDefaults } from './default-check.js';

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

/** Runs the pipeline up to the IR (used by `generate` and `validate`). */
export function schemaToIR(schema: string, onStage: GenerateOptions['onStage'] = () => {}): IR {
  return loadIR(schema, onStage).ir;
}

/** The IR of `schema` and the schema documents it was built from. */
function loadIR(schema: string, onStage: NonNullable<GenerateOptions['onStage']>): { ir: IR; docs: Bundle['docs'] } {
  onStage('load', schema);
  const bundle = loadSchema(schema);
  onStage('validate', `${bundle.docs.length} file(s)`);
  const early = new ErrorList();
  for (const e of bundle.refErrors) early.add(e);
  early.attempt(() => validateBundle(bundle));
  early.attempt(() => checkVersion(bundle));
  early.attempt(() => refuseInPlaceRefCycles(bundle));
  if (early.failed()) throwWithLaterErrors(bundle, early);
  onStage('normalize');
  const named = hoistInline(withRootDefinition(bundle));
  const norm = normalize(named);
  onStage('ir');
  return { ir: buildIR(named, norm), docs: bundle.docs };
}

/**
 * A document the metaschema refuses at one place still has errors elsewhere: builds the IR anyway to report them in
 * the same run (issue 9 "All errors in one run"), leaving out what lies at or below a place already refused, then
 * throws them all with the `early` ones first.
 */
function throwWithLaterErrors(bundle: Bundle, early: FailedErrorList): never {
  const refused = early.found.map((e) => e.location);
  const inside = (e: WsgenError) => refused.some((r) => r.file === e.location.file && (e.location.pointer === r.pointer || e.location.pointer.startsWith(`${r.pointer}/`)));
  try {
    const named = hoistInline(withRootDefinition(bundle));
    buildIR(named, normalize(named));
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

/** Runs the whole pipeline in memory. Throws WsgenError on a bad schema. */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const onStage = opts.onStage ?? (() => {});
  const { ir, docs } = loadIR(opts.schema, onStage);
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
