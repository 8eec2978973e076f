// Text encodings of JSON inputs (RFC 8259 §8.1: JSON between systems is UTF-8). A schema or config file in
// UTF-16/UTF-32 or with bytes that are not UTF-8 is WSGEN_JSON naming the encoding or the byte, never a syntax
// error at an invisible character nor a silent U+FFFD; `wsgen validate` says "byte order mark" for the messages
// that start with one and names a UTF-16 file's encoding, with the parser's verdict unchanged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { schemaToIR } from '../../generator/index.js';
import { captureStdio, catchWsgen, ROOT, tempDir } from './helpers.js';

const SCHEMA = join(ROOT, 'schema');
const S = 'https://json-schema.org/draft/2020-12/schema';
const ROOT_SCHEMA = JSON.stringify({
  $schema: S,
  title: 'Msg',
  discriminator: { propertyName: 'type' },
  oneOf: [{ $ref: '#/$defs/A' }],
  $defs: { A: { type: 'object', properties: { type: { const: 'a' }, note: { type: 'string', description: 'café' } }, required: ['type'], additionalProperties: false } },
});

/** `text` encoded as UTF-16 LE / BE or UTF-32 LE, each with its byte order mark. */
function utf16le(text: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}
function utf16be(text: string): Buffer {
  return utf16le(text).swap16();
}
function utf32le(text: string): Buffer {
  const out = Buffer.alloc(4 + text.length * 4);
  out.set([0xff, 0xfe, 0, 0]);
  for (let i = 0; i < text.length; i++) out.writeUInt32LE(text.charCodeAt(i), 4 + i * 4);
  return out;
}
/** `text` in Latin-1 (é is the single byte 0xE9, not UTF-8). */
function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** A schema folder holding one file m.json with these bytes. */
function schemaDir(bytes: Buffer): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'm.json'), bytes);
  return dir;
}

describe('schema files', () => {
  it.each([
    ['UTF-16 LE', utf16le(ROOT_SCHEMA)],
    ['UTF-16 BE', utf16be(ROOT_SCHEMA)],
    ['UTF-32 LE', utf32le(ROOT_SCHEMA)],
  ])('a %s file is WSGEN_JSON naming its encoding', async (name, bytes) => {
    const err = await catchWsgen(() => schemaToIR(schemaDir(bytes)));
    expect(err.code).toBe('WSGEN_JSON');
    expect(err.message).toBe(`the file is ${name} (it starts with a ${name} byte order mark); JSON files must be UTF-8 (RFC 8259 §8.1)`);
    expect(err.location).toEqual({ file: 'm.json', pointer: '' });
    expect(err.hint).toMatch(/save the file as UTF-8/);
  });

  it('a Latin-1 byte is WSGEN_JSON naming its offset and line, not a silent U+FFFD in a description', async () => {
    const text = ROOT_SCHEMA.replace('{"$schema"', '{\n"$schema"');
    const err = await catchWsgen(() => schemaToIR(schemaDir(latin1(text))));
    expect(err.code).toBe('WSGEN_JSON');
    expect(err.message).toBe(`not UTF-8 at byte ${Buffer.from(text, 'latin1').indexOf(0xe9)} (line 2); JSON files must be UTF-8 (RFC 8259 §8.1)`);
  });

  it.each([
    ['a truncated sequence', Buffer.from([0xe2, 0x82])],
    ['an overlong encoding', Buffer.from([0xc0, 0xaf])],
    ['a UTF-16 surrogate encoded in UTF-8', Buffer.from([0xed, 0xa0, 0x80])],
  ])('%s in a string is WSGEN_JSON at its byte', async (_name, bad) => {
    const [head, tail] = ROOT_SCHEMA.split('café');
    const bytes = Buffer.concat([Buffer.from(head!), bad, Buffer.from(tail!)]);
    const err = await catchWsgen(() => schemaToIR(schemaDir(bytes)));
    expect(err.message).toBe(`not UTF-8 at byte ${Buffer.byteLength(head!)} (line 1); JSON files must be UTF-8 (RFC 8259 §8.1)`);
  });

  it('a UTF-8 file with a UTF-8 byte order mark and non-ASCII text reads as written', async () => {
    const ir = await schemaToIR(schemaDir(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROOT_SCHEMA)])));
    expect(JSON.stringify(ir)).toContain('café');
  });
});

describe('CLI', () => {
  const io = captureStdio();

  it('a UTF-16 wsgen.config.json is WSGEN_CONFIG naming the encoding (exit 2)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wsgen.config.json'), utf16le(JSON.stringify({ schema: SCHEMA })));
    expect(await main(['generate', '--config', join(dir, 'wsgen.config.json'), '--out', join(dir, 'gen')])).toBe(ExitCode.SCHEMA);
    expect(io.err()).toMatch(/^error WSGEN_CONFIG: the file is UTF-16 LE/);
  });

  const PING = JSON.stringify({ type: 'ping', timestamp: '2026-01-01T00:00:00.000Z' });

  it.each([
    ['one message', `\ufeff${PING}`, 1],
    ['the first NDJSON line', `\ufeff${PING}\n${PING}\n`, 1],
  ])('validate: %s starting with a UTF-8 byte order mark is invalid, and the error says so', async (_name, text, line) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.ndjson'), text);
    expect(await main(['validate', '--schema', SCHEMA, join(dir, 'm.ndjson')])).toBe(ExitCode.FAILED);
    expect(io.out()).toContain(`m.ndjson:${line} at "" [json] must be valid JSON: starts with a byte order mark (U+FEFF)`);
  });

  it.each([['UTF-16 LE', utf16le(PING)], ['UTF-16 BE', utf16be(PING)]])('validate: a %s file is invalid, and the error names the encoding', async (name, bytes) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.json'), bytes);
    expect(await main(['validate', '--json', '--schema', SCHEMA, join(dir, 'm.json')])).toBe(ExitCode.FAILED);
    const results = io.out().trim().split('\n').map((l) => JSON.parse(l) as { valid: boolean; errors: Array<{ keyword: string; message: string }> });
    expect(results.every((r) => !r.valid)).toBe(true);
    expect(results[0]!.errors[0]).toMatchObject({ keyword: 'unicode', message: `must be valid UTF-8 (the file is ${name}: it starts with that byte order mark; save it as UTF-8)` });
  });
});
