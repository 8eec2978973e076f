/** `wsgen check`: the CI drift gate (README "CLI reference"). */
import type { Command } from 'commander';
import { findDrift } from '../write.js';
import { ExitCode, configOpt, jsonOpt, outOpt, schemaOpt, shownFolders, targetOpt } from './common.js';
import { generateReporting, printNotices } from './generate.js';
import { noticeJson, printJson } from './json-output.js';
import { schemaRoot } from '../index.js';
import { type ProjectFlags, resolveProject } from './project.js';

/** Adds `check` to the program. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('regenerate in memory and fail (exit 1) when an output folder is stale or has orphan files')
    .addOption(schemaOpt())
    .addOption(outOpt())
    .addOption(targetOpt())
    .addOption(configOpt())
    .addOption(jsonOpt())
    .action(async (o: ProjectFlags & { json?: boolean }) => {
      const project = resolveProject(o);
      const { files, notices } = await generateReporting(project, o.json === true);
      const drift = findDrift(project.folders, files);
      if (drift.length > 0) process.exitCode = ExitCode.FAILED;
      if (o.json) {
        printJson({ ok: drift.length === 0, command: 'check', drift, errors: [], warnings: notices.map((n) => noticeJson(n, schemaRoot(project.schema))) });
        return;
      }
      printNotices(notices, project.schema);
      const out = shownFolders(project);
      if (drift.length === 0) {
        process.stdout.write(`wsgen check: ${out} up to date (${files.size} files)\n`);
        return;
      }
      const hashOnly: string[] = [];
      for (const d of drift) {
        if (d.kind === 'stale' && d.hashOnly) hashOnly.push(d.path);
        else if (d.kind === 'stale') process.stdout.write(`stale: ${d.path}\n${d.diff}\n`);
        else if (d.kind === 'missing') process.stdout.write(`missing: ${d.path}\n`);
        else if (d.kind === 'orphan') process.stdout.write(`orphan: ${d.path} (not generated from the schema; delete it)\n`);
        else process.stdout.write(`foreign: ${d.path} (not written by wsgen; generate stops until it is moved out of the target folder)\n`);
      }
      // A schema change restamps every file; list the files where that is all that changed instead of diffing each.
      if (hashOnly.length > 0) process.stdout.write(`stale, only the schema hash differs (${hashOnly.length}): ${hashOnly.join(', ')}\n`);
      // generate refuses to run while a target folder holds a file it did not write: say that first.
      const next = drift.some((d) => d.kind === 'foreign') ? 'Move the foreign files out of the target folders, then run `wsgen generate`' : 'Run `wsgen generate`';
      process.stdout.write(`wsgen check: ${drift.length} file(s) differ from the schema. ${next} and commit the result.\n`);
    });
}
