/** `wsgen validate`: checks messages with the code `generate` emits (README "CLI reference"). */
import type { Command } from 'commander';
import { GeneratorErrorCode as E, ErrorList, WsgenError } from '../errors.js';
import { schemaToIR } from '../index.js';
import { encodingIssue, loadParser, splitMessages, type MessageSource, type ParseFn } from '../validate-messages.js';
import { ExitCode, configOpt, readInput, schemaOpt } from './common.js';
import { resolveProject } from './project.js';
import { oneErrorPerFault } from './validate-errors.js';
import { reportLines } from './validate-report.js';

/** The parsed message of `text` (undefined when it is no JSON): where the error report looks values up. */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The every-error list of a message, from the validators built with ajv's `allErrors` (`load`, built on first
 * use). It only adds detail to the exact parser's verdict, so it must never end the run: when building or
 * running it throws (ajv's allErrors code has thrown a TypeError on some recursive schemas), the result is
 * undefined, the caller keeps the exact parser's errors, and `note` is told once why the list is shorter.
 */
export function everyError(load: () => Promise<ParseFn>, note: (line: string) => void): (text: string) => Promise<ReturnType<ParseFn> | undefined> {
  let fn: Promise<ParseFn | undefined> | undefined;
  let noted = false;
  const failed = (err: unknown): undefined => {
    if (!noted) note(`note: listing every error failed (${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}); each invalid message shows the exact parser's errors, whose verdicts stand`);
    noted = true;
    return undefined;
  };
  return async (text) => {
    fn ??= Promise.resolve().then(load).catch(failed);
    const f = await fn;
    if (f === undefined) return undefined;
    try {
      return f(text);
    } catch (err) {
      return failed(err);
    }
  };
}

/**
 * The messages of every input (a file, or `-` for stdin), in order. An input that holds none (empty, or JSON
 * whitespace only) is WSGEN_EMPTY_INPUT (exit 2, bad input), and one that cannot be read WSGEN_IO: one error per
 * such input, added to `errors`, located at the input (`<stdin>` for `-`) with the empty pointer; the other inputs'
 * messages are still returned, so they are judged and reported before the errors (a broken export must not pass
 * as "0 valid, 0 invalid", nor hide the verdicts of the good inputs beside it).
 */
export function inputMessages(fileArgs: readonly string[], errors: ErrorList): MessageSource[] {
  const out: MessageSource[] = [];
  for (const f of fileArgs) {
    const name = f === '-' ? '<stdin>' : f;
    const bytes = errors.attempt(() => readInput(f));
    if (bytes === undefined) continue;
    const found = splitMessages(name, bytes);
    if (found.length === 0) {
      errors.add(new WsgenError(E.EMPTY_INPUT, 'the input holds no message: it is empty or JSON whitespace only', { file: name, pointer: '' },
        'check what wrote it (an export that failed?); validate needs at least one JSON message per input'));
    }
    out.push(...found);
  }
  return out;
}

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
      const detailed = everyError(() => loadParser(ir, { allErrors: true }), (line) => process.stderr.write(line + '\n'));
      const refused = new ErrorList();
      const messages = inputMessages(fileArgs, refused);
      let invalid = 0;
      for (const m of messages) {
        const early = encodingIssue(m);
        const r: ReturnType<ParseFn> = early !== undefined ? { ok: false, errors: [early] } : parse(m.text);
        if (!r.ok) invalid++;
        if (o.json) {
          process.stdout.write(JSON.stringify({ file: m.file, line: m.line, valid: r.ok, errors: r.ok ? [] : oneErrorPerFault(parsedOrUndefined(m.text), r.errors) }) + '\n');
        } else if (r.ok) {
          process.stdout.write(`ok      ${m.file}:${m.line}\n`);
        } else {
          // Every error, not only the first: the same IR with ajv's allErrors (the verdict above is the exact parser's).
          const all = early !== undefined ? undefined : await detailed(m.text);
          const errors = all !== undefined && !all.ok && all.errors.length >= r.errors.length ? all.errors : r.errors;
          for (const line of reportLines(ir, `${m.file}:${m.line}`, m.text, oneErrorPerFault(parsedOrUndefined(m.text), errors))) process.stdout.write(line + '\n');
        }
      }
      const inputs = refused.found.length;
      const count = inputs === 0 ? '' : `, ${inputs} input${inputs === 1 ? '' : 's'} refused (see the errors)`;
      if (!o.json && messages.length > 0) process.stdout.write(`${messages.length - invalid} valid, ${invalid} invalid${count}\n`);
      if (invalid > 0) process.exitCode = ExitCode.FAILED;
      // The refused inputs last, after every verdict: exit 2 (bad input), through the CLI's error report.
      refused.throwIfAny();
    });
}
