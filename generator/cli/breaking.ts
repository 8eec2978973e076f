/** `wsgen breaking --against X`: the breaking-change gate (README "wsgen breaking"). */
import type { Command } from 'commander';
import { resolveAgainst } from '../breaking/against.js';
import { findBreaking } from '../breaking/compare.js';
import { schemaToIR } from '../index.js';
import { WsgenError, placeText } from '../errors.js';
import { judgeVersions } from '../breaking/version-gate.js';
import { ExitCode, configOpt, jsonOpt, schemaOpt } from './common.js';
import { printJson } from './json-output.js';
import { resolveProject } from './project.js';

/** Adds `breaking` to the program. */
export function registerBreaking(program: Command): void {
  program
    .command('breaking')
    .description('fail (exit 1) when the schema breaks clients built on another version of it without a major bump of x-wsgen-version, or changes without the version bump the handshake needs')
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
      } catch (err) {
        // The old schema of a git ref is read from a temp folder, removed below: its errors name the file in the schema folder only.
        if (err instanceof WsgenError && against.schema !== o.against) for (const e of err.all()) e.root = undefined;
        throw err;
      } finally {
        against.cleanup();
      }
      const findings = findBreaking(before, after);
      const version = judgeVersions(before, after, findings);
      const majorBump = version.written === 'major';
      if (!version.ok) process.exitCode = ExitCode.FAILED;
      if (o.json) {
        printJson({ ok: version.ok, command: 'breaking', against: against.label, versions: { before: before.version, after: after.version }, majorBump, version, findings, errors: [] });
        return;
      }
      for (const f of findings) process.stdout.write(`breaking ${f.rule} [${f.direction}] ${f.schema === 'old' ? 'old schema ' : ''}${placeText(f.file, f.pointer)}: ${f.message}\n`);
      const versions = `${before.version} → ${after.version}`;
      if (version.rule === 'MAJOR_NOT_BUMPED') {
        process.stdout.write(`wsgen breaking: ${findings.length} breaking change(s) against ${against.label} without a major version bump (${versions}): bump x-wsgen-version to ${version.suggested}, or undo them\n`);
      } else if (version.rule !== undefined) process.stdout.write(`wsgen breaking: ${version.rule} against ${against.label}: ${version.message}\n`);
      else if (findings.length > 0) process.stdout.write(`wsgen breaking: ${findings.length} breaking change(s) against ${against.label}, allowed by the major version bump (${versions})\n`);
      else process.stdout.write(`wsgen breaking: no breaking change against ${against.label} (${versions}${version.required === 'none' ? '' : `, a ${version.required} bump was needed and made`})\n`);
    });
}
