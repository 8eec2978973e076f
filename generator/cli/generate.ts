/** `wsgen generate`: runs the pipeline and writes every target into its folder (README "CLI reference"). */
import type { Command } from 'commander';
import { type GenerateResult, generate, schemaRoot } from '../index.js';
import type { WsgenNotice } from '../default-notices.js';
import type { TargetFolder } from '../layout.js';
import { writeOutput } from '../write.js';
import { WsgenError, placeText } from '../errors.js';
import { configOpt, folder, jsonOpt, outOpt, progress, schemaOpt, shownFolders, targetOpt } from './common.js';
import { noticeJson, noticePath, printJson } from './json-output.js';
import { type Project, type ProjectFlags, resolveProject } from './project.js';
import { rootGuard, watchSchema } from './watch.js';

/** Options of `wsgen generate`. */
export interface GenerateFlags extends ProjectFlags {
  quiet?: boolean;
  progress?: boolean;
  json?: boolean;
  watch?: boolean;
}

/** Runs the pipeline for a project in memory (nothing written). Throws WsgenError. */
export function generateFor(project: Project, onStage?: (stage: string, detail?: string) => void): Promise<GenerateResult> {
  return generate({
    schema: project.schema,
    targets: project.targets,
    ...(project.root ? { projectRoot: project.root } : {}),
    ...(project.pythonPackage ? { pythonPackage: project.pythonPackage } : {}),
    ...(onStage ? { onStage } : {}),
  });
}

/** The paths of the files a result writes, as the CLI prints them (owned folder + path in it). */
export function writtenPaths(folders: readonly TargetFolder[], files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const f of folders) for (const p of files.keys()) if (p.startsWith(f.prefix)) out.push(`${folder(f.dir)}/${p.slice(f.prefix.length)}`);
  return out;
}

/**
 * Prints each warning on stderr, quiet or not, also on a run that failed (the warnings it could give):
 * `wsgen: warning CODE path#pointer: message (hint)`, the path from the working directory.
 */
export function printNotices(notices: readonly WsgenNotice[], schema: string): void {
  const root = schemaRoot(schema);
  for (const n of notices) process.stderr.write(`wsgen: warning ${n.code} ${placeText(noticePath(n, root), n.location.pointer)}: ${n.message} (${n.hint})\n`);
}

/**
 * Runs the pipeline for a project in memory as {@link generateFor} does; when it fails, first prints the warnings
 * the run could still give on stderr (without `json`: with it, the JSON envelope lists them, json-output.ts).
 */
export async function generateReporting(project: Project, json: boolean, onStage?: (stage: string, detail?: string) => void): Promise<GenerateResult> {
  try {
    return await generateFor(project, onStage);
  } catch (err) {
    if (err instanceof WsgenError && !json) printNotices(err.notices, project.schema);
    throw err;
  }
}

/**
 * Generates and writes once, then prints the outcome (a line, or the JSON object); warnings go to stderr.
 * `beforeWrite` sees the root schema file and may refuse the run by throwing a WsgenError (watch.ts rootGuard).
 */
export async function generateOnce(project: Project, o: GenerateFlags, beforeWrite?: (rootFile: string) => void): Promise<void> {
  const started = performance.now();
  const { files, ir, notices } = await generateReporting(project, o.json === true, progress(!o.quiet && !o.json && (o.progress ?? process.stderr.isTTY === true)));
  beforeWrite?.(ir.rootFile);
  writeOutput(project.folders, files);
  if (o.json) {
    printJson({ ok: true, command: 'generate', files: writtenPaths(project.folders, files), schema: { version: ir.version, hash: ir.hash, semanticHash: ir.semanticHash }, errors: [], warnings: notices.map((n) => noticeJson(n, schemaRoot(project.schema))) });
    return;
  }
  printNotices(notices, project.schema);
  if (!o.quiet) {
    const where = shownFolders(project);
    process.stdout.write(`wsgen: wrote ${files.size} files to ${where} (${ir.union ? `${ir.union.variants.length} message types` : `root type ${ir.root.name}`}, schema sha256:${ir.hash.slice(0, 12)}) in ${Math.round(performance.now() - started)} ms\n`);
  }
}

/** Adds `generate` to the program. */
export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('generate code for every target into its output folder')
    .addOption(schemaOpt())
    .addOption(outOpt())
    .addOption(targetOpt())
    .addOption(configOpt())
    .option('--quiet', 'print nothing on success')
    .option('--progress', 'print each pipeline stage (default when stderr is a terminal)')
    .option('--watch', 'regenerate whenever a schema file changes (debounced); a bad schema keeps the last good output')
    .addOption(jsonOpt())
    .action(async (o: GenerateFlags) => {
      const project = resolveProject(o);
      if (o.watch) {
        const sameRoot = rootGuard();
        await watchSchema(project, (p) => generateOnce(p, o, sameRoot), o.json === true);
      }
      else await generateOnce(project, o);
    });
}
