/** `wsgen breaking --against X`: the breaking-change gate (README "wsgen breaking"). */
import type { Command } from 'commander';
import { resolveAgainst } from '../breaking/against.js';
import { findBreaking } from '../breaking/compare.js';
import { schemaToIR } from '../index.js';
import { majorOf } from '../version.js';
import { ExitCode, configOpt, jsonOpt, schemaOpt } from './common.js';
import { printJson } from './json-output.js';
import { resolveProject } from './project.js';

/** Adds `breaking` to the program. */
export function registerBreaking(program: Command): void {
  program
    .command('breaking')
    .description('fail (exit 1) when the schema breaks clients built on another version of it, unless x-wsgen-version bumps its major')
    .requiredOption('--against <ref|dir|file>', 'the old schema: a git ref (same schema path), a schema folder or a root file')
    .addOption(schemaOpt())
    .addOption(configOpt())
    .addOption(jsonOpt())
    .action(async (o: { against: string; schema?: string; config?: string; json?: boolean }) => {
      const project = resolveProject(o);
      const after = schemaToIR(project.schema);
      const against = resolveAgainst(o.against, project.schema);
      let before;
      try {
        before = schemaToIR(against.schema);
      } finally {
        against.cleanup();
      }
      const findings = findBreaking(before, after);
      const majorBump = majorOf(after.version) > majorOf(before.version);
      const failed = findings.length > 0 && !majorBump;
      if (failed) process.exitCode = ExitCode.FAILED;
      if (o.json) {
        printJson({ ok: !failed, command: 'breaking', against: against.label, versions: { before: before.version, after: after.version }, majorBump, findings, errors: [] });
        return;
      }
      for (const f of findings) process.stdout.write(`breaking ${f.rule} [${f.direction}] ${f.file}#${f.pointer}: ${f.message}\n`);
      const versions = `${before.version} → ${after.version}`;
      if (findings.length === 0) process.stdout.write(`wsgen breaking: no breaking change against ${against.label} (${versions})\n`);
      else if (majorBump) process.stdout.write(`wsgen breaking: ${findings.length} breaking change(s) against ${against.label}, allowed by the major version bump (${versions})\n`);
      else process.stdout.write(`wsgen breaking: ${findings.length} breaking change(s) against ${against.label} without a major version bump (${versions}): bump x-wsgen-version to ${majorOf(before.version) + 1}.0.0, or undo them\n`);
    });
}
