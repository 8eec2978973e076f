/** `wsgen validate`: checks messages with the code `generate` emits (README "CLI reference"). */
import type { Command } from 'commander';
import { schemaToIR } from '../index.js';
import { encodingIssue, loadParser, splitMessages, type MessageSource, type ParseFn } from '../validate-messages.js';
import { ExitCode, configOpt, readInput, schemaOpt } from './common.js';
import { resolveProject } from './project.js';
import { reportLines } from './validate-report.js';

/** Adds `validate` to the program. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate JSON or NDJSON messages (files, or - for stdin) against the schema')
    .argument('<files...>', 'message files (.json: one message; otherwise one message per line), or - for stdin')
    .addOption(schemaOpt())
    .addOption(configOpt())
    .option('--json', 'print one JSON result per message (NDJSON) instead of text')
    .action(async (fileArgs: string[], o: { schema?: string; config?: string; json?: boolean }) => {
      const ir = schemaToIR(resolveProject(o).schema);
      const parse = await loadParser(ir);
      let detailed: ParseFn | undefined;
      const messages: MessageSource[] = fileArgs.flatMap((f) => splitMessages(f === '-' ? '<stdin>' : f, readInput(f)));
      let invalid = 0;
      for (const m of messages) {
        const early = encodingIssue(m);
        const r: ReturnType<ParseFn> = early !== undefined ? { ok: false, errors: [early] } : parse(m.text);
        if (!r.ok) invalid++;
        if (o.json) {
          process.stdout.write(JSON.stringify({ file: m.file, line: m.line, valid: r.ok, errors: r.ok ? [] : r.errors }) + '\n');
        } else if (r.ok) {
          process.stdout.write(`ok      ${m.file}:${m.line}\n`);
        } else {
          // Every error, not only the first: the same IR with ajv's allErrors (the verdict above is the exact parser's).
          detailed ??= await loadParser(ir, { allErrors: true });
          const all = early !== undefined ? r : detailed(m.text);
          const errors = !all.ok && all.errors.length >= r.errors.length ? all.errors : r.errors;
          for (const line of reportLines(ir, `${m.file}:${m.line}`, m.text, errors)) process.stdout.write(line + '\n');
        }
      }
      if (!o.json) process.stdout.write(`${messages.length - invalid} valid, ${invalid} invalid\n`);
      if (invalid > 0) process.exitCode = ExitCode.FAILED;
    });
}
