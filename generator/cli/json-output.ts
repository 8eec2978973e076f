/**
 * `--json` output. Every command prints one JSON object on stdout:
 * `{ok, command, <result>, errors}` where `<result>` is `files` (generate;
 * init: `files` created and `generated`), `drift` (check), `findings`
 * (breaking), `channels`, `messages` and `document` (asyncapi) or `messages`, `examples`
 * and `html` (docs), and `errors` lists
 * `{code, message, file, path, pointer, hint}` (empty on success; `generate` and `check`
 * also `warnings`, each shaped as an error, on success and on failure). `validate --json`
 * streams one `{file, line, valid, errors}` object per message instead, and the
 * envelope when it cannot start (exit 2 or 3) or, as its last line after the
 * messages of the other inputs, when an input is empty or unreadable (exit 2).
 * README "JSON output".
 */
import { WsgenError } from '../errors.js';
import type { WsgenNotice } from '../default-notices.js';

/**
 * One error in JSON output: `file` as the error's location names it (a schema file relative to the schema root,
 * any other file as given), `path` the same file from the working directory (what editors and CI annotations open).
 */
export interface JsonError {
  code: string;
  message: string;
  file: string;
  path: string;
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
  if (usage) return { code: 'WSGEN_USAGE', message: message.replace(/^error: /, '').trim(), file: '', path: '', pointer: '', hint: 'run wsgen <command> --help' };
  return { code: 'WSGEN_INTERNAL', message, file: '', path: '', pointer: '', hint: 'this is a bug in wsgen: please report it with the schema that caused it' };
}

/** The commands whose output lists warnings (`warnings`, also when they fail): those that run the whole pipeline. */
const WARNING_COMMANDS = ['generate', 'check'];

/**
 * The envelope of a command that failed before producing a result; `generate` and `check` also list the
 * warnings the failing run could still give (`warnings`, each shaped as an error, {@link noticeJson}).
 */
export function failure(command: string, err: unknown, usage = false): { ok: false; command: string; errors: JsonError[]; warnings?: JsonWarning[] } {
  const errors = err instanceof WsgenError ? err.all().map((e) => e.toJSON()) : [jsonError(err, usage)];
  if (!WARNING_COMMANDS.includes(command)) return { ok: false, command, errors };
  const notices = err instanceof WsgenError ? err.notices : [];
  return { ok: false, command, errors, warnings: notices.map((n) => noticeJson(n, err instanceof WsgenError && err.root !== undefined ? err.root : process.cwd())) };
}

/** One warning in JSON output: the shape of an error's ({@link JsonError} without `files`). */
export type JsonWarning = Omit<JsonError, 'files'>;

/** A warning as JSON output gives it; `root` is the absolute folder its file is relative to (the schema root). */
export function noticeJson(n: WsgenNotice, root: string): JsonWarning {
  return { code: n.code, message: n.message, file: n.location.file, path: noticePath(n, root), pointer: n.location.pointer, hint: n.hint };
}

/** A warning's file from the working directory, as WsgenError.path gives an error's; `root` as in {@link noticeJson}. */
export function noticePath(n: WsgenNotice, root: string): string {
  const e = new WsgenError('WSGEN_DEFAULT', n.message, n.location, n.hint);
  e.root = root;
  return e.path;
}
