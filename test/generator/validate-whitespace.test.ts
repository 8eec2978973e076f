// `wsgen validate` judges the very text parseMessage and Python's parse_message judge:
// only JSON whitespace (RFC 8259 §2: space, tab, LF, CR) may surround a document or an
// NDJSON line. Every other character JavaScript's String.prototype.trim strips (a BOM,
// no-break spaces, U+2028, \v, \f, …) stays in the message and makes it invalid, as it
// does on the wire.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../generated/ts/parse.js';
import { ExitCode, main } from '../../generator/cli.js';
import { schemaToIR } from '../../generator/index.js';
import { type ParseFn, loadParser, splitMessages, trimJsonWhitespace } from '../../generator/validate-messages.js';
import { runPython } from '../conformance/python.js';
import { captureStdio, ROOT, tempDir } from './helpers.js';

const SCHEMA = join(ROOT, 'schema');
const MESSAGE = JSON.stringify({ type: 'ping', timestamp: '2024-05-01T10:00:00Z' });

/** JSON whitespace: may surround a message. */
const JSON_WS = [' ', '\t', '\n', '\r'];
/** Every other character String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator), plus near misses it keeps. */
const NOT_JSON_WS = [
  '\u000b', '\u000c', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008',
  '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u200b', '\u001c',
];
const hex = (c: string) => 'U+' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');

const io = captureStdio();

describe('wsgen validate strips only JSON whitespace', () => {
  const cases = [...JSON_WS, ...NOT_JSON_WS].flatMap((c) => [
    { name: `leading ${hex(c)}`, text: c + MESSAGE },
    { name: `trailing ${hex(c)}`, text: MESSAGE + c },
  ]);
  const python = runPython('judge.py', cases.map((c) => c.text));
  let parse: ParseFn;
  beforeAll(async () => {
    parse = await loadParser(schemaToIR(SCHEMA));
  });
  /** The verdicts of the CLI's pipeline (split, then the parser of the generated code) on a file's bytes. */
  const verdicts = (content: string) => splitMessages('f', Buffer.from(content)).map((m) => parse(m.text).ok);

  it.each(cases.map((c, i) => [c.name, c.text, i] as const))('a message with a %s: same verdict as parseMessage and Python', (_n, text, i) => {
    const expected = JSON_WS.some((w) => text.startsWith(w) || text.endsWith(w));
    expect(parseMessage(text).ok).toBe(expected);
    expect(python[i]).toBe(expected ? '1' : '0');
    // As a whole file (one document), and as a line between two valid NDJSON lines.
    expect(verdicts(text)).toEqual([expected]);
    if (text.includes('\n')) expect(verdicts(`${MESSAGE}\n${text}\n${MESSAGE}\n`)).toEqual([true, true, true]);
    else expect(verdicts(`${MESSAGE}\n${text}\n${MESSAGE}\n`)).toEqual([true, expected, true]);
  });

  it('the command reports every such line invalid, end to end (exit 1)', async () => {
    const file = join(tempDir(), 'in.ndjson');
    writeFileSync(file, [MESSAGE, ...NOT_JSON_WS.flatMap((c) => [c + MESSAGE, MESSAGE + c]), ` \t${MESSAGE}\r`].join('\n') + '\n');
    expect(await main(['validate', '--json', '--schema', SCHEMA, file])).toBe(ExitCode.FAILED);
    const results = io.out().trim().split('\n').map((l) => JSON.parse(l) as { line: number; valid: boolean });
    expect(results.map((r) => r.valid)).toEqual([true, ...NOT_JSON_WS.flatMap(() => [false, false]), true]);
    expect(results.map((r) => r.line)).toEqual(results.map((_r, i) => i + 1));
  });

  it('reads CRLF line ends and counts lines from 1 after leading blank lines', () => {
    expect(splitMessages('f', Buffer.from(`\r\n\r\n${MESSAGE}\r\nnot json\r\n`))).toEqual([
      { file: 'f', line: 3, text: MESSAGE },
      { file: 'f', line: 4, text: 'not json' },
    ]);
  });

  it('gives the line of a one-document file after leading JSON whitespace, and keeps a BOM in the text', () => {
    expect(splitMessages('f', Buffer.from(`\n \t\n${MESSAGE}\n`))).toEqual([{ file: 'f', line: 3, text: MESSAGE }]);
    expect(splitMessages('f', Buffer.from(`\ufeff${MESSAGE}`))).toEqual([{ file: 'f', line: 1, text: `\ufeff${MESSAGE}` }]);
  });

  it('trimJsonWhitespace removes exactly the four JSON whitespace characters', () => {
    for (const c of NOT_JSON_WS) expect(trimJsonWhitespace(`${c} x ${c}`)).toBe(`${c} x ${c}`);
    expect(trimJsonWhitespace(' \t\r\n x \n\r\t ')).toBe('x');
  });
});
