/**
 * The text of a JSON file as bytes arrive: JSON exchanged between systems is
 * UTF-8 (RFC 8259 §8.1). A UTF-8 byte order mark, as some editors write one, is
 * skipped; a UTF-16 or UTF-32 byte order mark, or bytes that are not UTF-8, stop
 * with WSGEN_JSON naming the encoding and the byte offset, instead of a syntax
 * error at an invisible character.
 */
import { isUtf8 } from 'node:buffer';
import { GeneratorErrorCode as E, WsgenError } from './errors.js';

/** Byte order marks of the encodings RFC 8259 rules out, longest first (UTF-32 LE starts like UTF-16 LE). */
const FOREIGN_MARKS: ReadonlyArray<[string, Buffer]> = [
  ['UTF-32 LE', Buffer.from([0xff, 0xfe, 0x00, 0x00])],
  ['UTF-32 BE', Buffer.from([0x00, 0x00, 0xfe, 0xff])],
  ['UTF-16 LE', Buffer.from([0xff, 0xfe])],
  ['UTF-16 BE', Buffer.from([0xfe, 0xff])],
];

/** The UTF-8 byte order mark (U+FEFF encoded). */
const UTF8_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/** The name of the byte order mark `data` starts with ('UTF-8', 'UTF-16 LE', …), if any. */
export function byteOrderMark(data: Buffer): string | undefined {
  if (data.subarray(0, 3).equals(UTF8_MARK)) return 'UTF-8';
  return FOREIGN_MARKS.find(([, mark]) => data.subarray(0, mark.length).equals(mark))?.[0];
}

/** Where the first byte sequence that is not UTF-8 starts: its offset, and its line (1-based). */
function firstBadSequence(data: Buffer): { offset: number; line: number } {
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (n === 0 || !isUtf8(data.subarray(i, i + n))) break; // isUtf8 rules out truncation, overlongs and surrogates
    i += n;
  }
  let line = 1;
  for (let j = data.indexOf(0x0a); j !== -1 && j < i; j = data.indexOf(0x0a, j + 1)) line++;
  return { offset: i, line };
}

/**
 * Decodes a JSON file's bytes (RFC 8259 §8.1: UTF-8; a leading UTF-8 byte order mark is ignored).
 * @throws WsgenError WSGEN_JSON at `file` for a UTF-16/UTF-32 byte order mark or a byte that is not UTF-8.
 */
export function jsonFileText(data: Buffer, file: string): string {
  const mark = byteOrderMark(data);
  if (mark !== undefined && mark !== 'UTF-8') {
    throw new WsgenError(E.JSON, `the file is ${mark} (it starts with a ${mark} byte order mark); JSON files must be UTF-8 (RFC 8259 §8.1)`, { file, pointer: '' },
      'save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8)');
  }
  if (!isUtf8(data)) {
    const at = firstBadSequence(data);
    throw new WsgenError(E.JSON, `not UTF-8 at byte ${at.offset} (line ${at.line}); JSON files must be UTF-8 (RFC 8259 §8.1)`, { file, pointer: '' },
      'save the file as UTF-8; a Latin-1 or Windows-1252 file shows this for any accented letter');
  }
  return data.toString('utf8', mark === 'UTF-8' ? 3 : 0);
}
