/**
 * `--json` output. Every command prints one JSON object on stdout:
 * `{ok, command, <result>, errors}` where `<result>` is `files` (generate;
 * init: `files` created and `generated`), `drift` (check), `findings`
 * (breaking), `channels`, `messages` and `document` (asyncapi) or `messages`, `examples`
 * and `html` (docs), and `errors` lists
 * `{code, message, file, pointer, hint}` (empty on success). `validate --json`
 * streams one `{file, line, valid, errors}` object per message instead, and the
 * envelope when it cannot start (exit 2 or 3) or, as its last line after the
 * messages of the other inputs, when an input is empty or unreadable (exit 2).
 * README "JSON output".
 */
import { WsgenError } from '../errors.js';

/** One error in JSON output. */
export interface JsonError {
  code: string;
  message: string;
  file: string;
  pointer: string;
  hint: string;
  files?: string[];
}

/** The commands that take `--json`. */
export const JSON_COMMANDS = ['init', 'generate', 'check', 'validate', 'breaking', 'asyncapi', 'docs'] as const;

/** Prints one JSON value and a newline on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/** Whether argv asks a JSON-capable command for JSON output; returns that command's name. */
export function jsonCommand(argv: readonly string[]): string | undefined {
  const dash = argv.indexOf('--');
  const opts = dash === -1 ? argv : argv.slice(0, dash);
  const command = argv.find((a) => !a.startsWith('-'));
  return opts.includes('--json') && (JSON_COMMANDS as readonly string[]).includes(command ?? '') ? command : undefined;
}

/** The JSON form of any error the CLI catches: a WsgenError as it is, a usage error as WSGEN_USAGE, anything else as WSGEN_INTERNAL. */
export function jsonError(err: unknown, usage: boolean): JsonError {
  if (err instanceof WsgenError) return err.toJSON();
  const message = err instanceof Error ? err.message : String(err);
  if (usage) return { code: 'WSGEN_USAGE', message: message.replace(/^error: /, '').trim(), file: '', pointer: '', hint: 'run wsgen <command> --help' };
  return { code: 'WSGEN_INTERNAL', message, file: '', pointer: '', hint: 'this is a bug in wsgen: please report it with the schema that caused it' };
}

/** The envelope of a command that failed before producing a result. */
export function failure(command: string, err: unknown, usage = false): { ok: false; command: string; errors: JsonError[] } {
  return { ok: false, command, errors: err instanceof WsgenError ? err.all().map((e) => e.toJSON()) : [jsonError(err, usage)] };
}
