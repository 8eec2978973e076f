/**
 * The wsgen pipeline: load → validate → normalize → IR → emit (one emitter per
 * target) → format. Everything happens in memory; writing is a separate step,
 * so a bad schema never leaves a half-written output folder.
 */
import { relative, resolve } from 'node:path';
import { buildIR } from './build-ir.js';
import type { EmitContext } from './emit/banner.js';
import { emitPython } from './emit/python.js';
import { emitTs } from './emit/ts.js';
import { formatFiles } from './format.js';
import { type IR, byCodeUnit } from './ir.js';
import { loadSchema } from './load.js';
import { normalize } from './normalize.js';
import { validateBundle } from './validate.js';

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
  /** Output folder; only used to name the schema in banners relative to the project. */
  out: string;
  /** Targets to emit, default all. */
  targets?: readonly Target[];
  /** Called at each stage, for progress output. */
  onStage?: (stage: string, detail?: string) => void;
}

/** The generated files (paths relative to the output folder, `/` separators, sorted) and the IR. */
export interface GenerateResult {
  files: Map<string, string>;
  ir: IR;
}

/** Runs the pipeline up to the IR (used by `generate` and `validate`). */
export function schemaToIR(schema: string, onStage: GenerateOptions['onStage'] = () => {}): IR {
  onStage('load', schema);
  const bundle = loadSchema(schema);
  onStage('validate', `${bundle.docs.length} file(s)`);
  validateBundle(bundle);
  onStage('normalize');
  const norm = normalize(bundle);
  onStage('ir');
  return buildIR(bundle, norm);
}

/** Runs the whole pipeline in memory. Throws WsgenError on a bad schema. */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const onStage = opts.onStage ?? (() => {});
  const ir = schemaToIR(opts.schema, onStage);
  const schemaRoot = resolve(opts.schema).endsWith('.json') ? resolve(opts.schema, '..') : resolve(opts.schema);
  const source = relative(resolve(opts.out, '..'), resolve(schemaRoot, ir.rootFile)).split('\\').join('/');
  const ctx: EmitContext = { source };
  const files = new Map<string, string>();
  for (const target of opts.targets ?? (Object.keys(TARGETS) as Target[])) {
    const t = TARGETS[target];
    onStage(`emit ${target}`, `${ir.union.variants.length} message types`);
    const emitted = await t.emit(ir, ctx);
    onStage(`format ${target}`);
    for (const [name, text] of await formatFiles(emitted)) files.set(`${t.dir}/${name}`, text);
  }
  return { files: new Map([...files].sort(([a], [b]) => byCodeUnit(a, b))), ir };
}
