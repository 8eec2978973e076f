/**
 * `wsgen validate`: checks JSON or NDJSON messages against a schema with the
 * very code `wsgen generate` emits (runtime.js, validators/*.js, parse.js),
 * loaded from a private temporary folder, so verdicts match the generated code.
 */
import { isUtf8 } from 'node:buffer';
import { byteOrderMark } from './json-text.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { emitTs } from './emit/ts.js';
import type { IR } from './ir.js';
import { makeDirs } from './mkdirs.js';

/** One validation problem, as parse.js reports it. */
export interface Issue {
  path: string;
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

/** The parse function of the generated code. */
export type ParseFn = (text: string) => { ok: true; value: unknown } | { ok: false; errors: Issue[] };

/** Emits the JS part of the TS target for `ir` and imports its parseMessage (`allErrors`: validators that report every error). */
export async function loadParser(ir: IR, options: { allErrors?: boolean } = {}): Promise<ParseFn> {
  const files = await emitTs(ir, { source: ir.rootFile, ...options });
  const dir = mkdtempSync(join(tmpdir(), 'wsgen-validate-'));
  try {
    for (const [name, text] of files) {
      if (!name.endsWith('.js')) continue;
      makeDirs(dirname(join(dir, name)));
      writeFileSync(join(dir, name), text);
    }
    const mod = (await import(pathToFileURL(join(dir, 'parse.js')).href)) as { parseMessage: ParseFn };
    return mod.parseMessage;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One message to validate: its text and where it came from (file and line). */
export interface MessageSource {
  file: string;
  line: number;
  text: string;
  /** The message's bytes are not UTF-8 (`text` holds U+FFFD where they fail). */
  badUtf8?: true;
  /** The byte order mark the input file starts with, when it names an encoding other than UTF-8 ('UTF-16 LE', …). */
  foreignMark?: string;
}

/** The issue of a message whose bytes are not UTF-8 (a WebSocket peer closes with 1007 on such a text frame). */
export const BAD_UTF8: Issue = { path: '', keyword: 'unicode', message: 'must be valid UTF-8', params: {} };

/**
 * The issue that stops a message before the parser reads it, as the CLI words it: bytes that are not UTF-8 (naming
 * the file's UTF-16/UTF-32 byte order mark when it has one), or a text that starts with a byte order mark, which
 * no JSON text on the wire carries (RFC 8259 §8.1; the parser rejects it too, as an unexpected character). The
 * verdict is the parser's: only the words are clearer.
 */
export function encodingIssue(m: MessageSource): Issue | undefined {
  if (m.badUtf8) return m.foreignMark === undefined ? BAD_UTF8 : { ...BAD_UTF8, message: `must be valid UTF-8 (the file is ${m.foreignMark}: it starts with that byte order mark; save it as UTF-8)` };
  if (m.text.charCodeAt(0) === 0xfeff) {
    return { path: '', keyword: 'json', message: 'must be valid JSON: starts with a byte order mark (U+FEFF), which a JSON text on the wire never carries (RFC 8259 §8.1); save the file without it', params: {} };
  }
  return undefined;
}

/**
 * JSON whitespace (RFC 8259 §2: space, tab, line feed, carriage return) at the
 * start and end of a text. Nothing else may surround a JSON text: a BOM, a
 * no-break space, U+2028 or a vertical tab must reach the parser, which
 * refuses it exactly as `parseMessage` and Python's `parse_message` do.
 * (`String.prototype.trim` strips all of those, so it is never used here.)
 */
const JSON_WS_EDGES = /^[ \t\n\r]+|[ \t\n\r]+$/g;

/** `text` without leading and trailing JSON whitespace (RFC 8259 §2), and nothing else removed. */
export function trimJsonWhitespace(text: string): string {
  return text.replace(JSON_WS_EDGES, '');
}

/** The number of JSON whitespace characters `text` starts with. */
function leadingJsonWhitespace(text: string): number {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

/**
 * Splits an input into messages: a document that parses as one JSON value is
 * one message; otherwise every line (split at LF, so CRLF works) that holds
 * more than JSON whitespace is one (NDJSON). Only JSON whitespace is removed
 * around a message, so the CLI judges the very bytes `parseMessage` would.
 * Bytes that are not UTF-8 mark the message (or line) they stand in; they are
 * never read as replacement characters silently.
 */
export function splitMessages(file: string, data: Buffer): MessageSource[] {
  const mark = byteOrderMark(data);
  const marked = mark !== undefined && mark !== 'UTF-8' ? { foreignMark: mark } : {};
  return splitText(file, data).map((m) => (m.badUtf8 ? { ...m, ...marked } : m));
}

/** {@link splitMessages} before the file's byte order mark is looked at. */
function splitText(file: string, data: Buffer): MessageSource[] {
  const text = data.toString('utf8');
  const trimmed = trimJsonWhitespace(text);
  if (trimmed === '') return [];
  try {
    JSON.parse(trimmed);
    const line = text.slice(0, leadingJsonWhitespace(text)).split('\n').length;
    return [{ file, line, text: trimmed, ...(isUtf8(data) ? {} : { badUtf8: true as const }) }];
  } catch {
    const out: MessageSource[] = [];
    let start = 0;
    for (let i = 1; start <= data.length; i++) {
      const nl = data.indexOf(0x0a, start);
      const bytes = data.subarray(start, nl === -1 ? data.length : nl);
      const t = trimJsonWhitespace(bytes.toString('utf8'));
      if (t !== '') out.push({ file, line: i, text: t, ...(isUtf8(bytes) ? {} : { badUtf8: true as const }) });
      if (nl === -1) break;
      start = nl + 1;
    }
    return out;
  }
}
