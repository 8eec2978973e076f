// wsgen asyncapi: the AsyncAPI 3.0 document is read by @asyncapi/parser with no
// error, warning or unexpected diagnostic (bundled protocol and whiteboard
// fixture), and says what the schema says: every message type once, operations
// by direction from the server's point of view, channel parameters with their
// enum, the code tables, and payload schemas that accept the valid vectors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { schemaToIR } from '../../generator/index.js';
import type { IR } from '../../generator/ir.js';
import { RUNTIME_CLOSE_CODES } from '../../generator/roles.js';
import { loadVectors } from '../conformance/vectors.js';
import { ROOT, captureStdio, tempDir, writeSchema } from './helpers.js';

const io = captureStdio();
const BUNDLED = join(ROOT, 'schema');
const WHITEBOARD = join(ROOT, 'test', 'fixtures', 'whiteboard');
const BUNDLED_ENDPOINTS = ['--endpoint', 'guide=/api/ws/guide', '--endpoint', 'liaison=/api/ws/liaison/{pillar:PillarType}'];
/** Spectral severities (DiagnosticSeverity): 0 error, 1 warning, 2 information, 3 hint. */
const ERROR = 0;
const WARNING = 1;
/**
 * The one non-hint diagnostic a valid 3.0.0 document gets: information-level advice that 3.1.0 exists. The
 * export targets 3.0.0 on purpose: 3.1.0 only adds to 3.0.0 (ROS 2 bindings, examples of any type, 3.1.0
 * schema format names), the export uses none of it, and a document that declares 3.0.0 is read by every 3.x
 * tool while one that declares 3.1.0 is refused by tools not yet updated. The test below shows the same
 * document is valid as 3.1.0 too. So errors and warnings fail the test; only this information is allowed.
 */
const ALLOWED_INFO = new Set(['asyncapi-latest-version']);

type Doc = { [k: string]: any };

/** Runs `wsgen asyncapi` into a file and returns its text. */
async function exportText(args: string[]): Promise<string> {
  const out = join(tempDir(), 'asyncapi.json');
  expect(await main(['asyncapi', ...args, '--out', out])).toBe(ExitCode.OK);
  return readFileSync(out, 'utf8');
}

/** Parses with @asyncapi/parser and asserts no error or warning, and no information other than the allowed one. */
async function parseClean(text: string) {
  const r = await new Parser().parse(text);
  const serious = r.diagnostics.filter((d) => d.severity === ERROR || d.severity === WARNING);
  expect(serious.map((d) => `${d.code} ${d.path.join('/')}: ${d.message}`)).toEqual([]);
  const info = r.diagnostics.filter((d) => d.severity < 3 && !ALLOWED_INFO.has(String(d.code)));
  expect(info.map((d) => `${d.code} ${d.path.join('/')}: ${d.message}`)).toEqual([]);
  expect(r.document).toBeDefined();
  return r.document!;
}

/** Every `$ref` in the document, as written. */
function refs(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => refs(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === '$ref' ? out.push(x as string) : refs(x, out);
  return out;
}

/** The server's action for each direction: clients send what the server receives. */
function expectedActions(direction: string): string[] {
  return direction === 'client' ? ['receive'] : direction === 'server' ? ['send'] : ['receive', 'send'];
}

/** Asserts every message type once, each in the operations of its direction on every channel, and nothing else. */
function expectMessagesByDirection(doc: Doc, ir: IR, channels: string[]): void {
  const tags = ir.union!.variants.map((v) => v.tag);
  expect(Object.keys(doc.components.messages)).toEqual(tags);
  expect(Object.keys(doc.channels)).toEqual(channels);
  for (const ch of channels) {
    expect(Object.keys(doc.channels[ch].messages)).toEqual(tags);
    for (const v of ir.union!.variants) {
      const direction = (ir.objects.find((o) => o.name === v.object)!.meta['direction'] as string | undefined) ?? 'both';
      const actions = ['receive', 'send'].filter((a) => (doc.operations[`${ch}.${a}`]?.messages ?? []).some((m: Doc) => m.$ref === `#/channels/${ch}/messages/${v.tag}`));
      expect(actions, `${ch} ${v.tag} (${direction})`).toEqual(expectedActions(direction));
      expect(doc.components.messages[v.tag].payload).toEqual({ $ref: `#/components/schemas/${v.object}` });
    }
    for (const a of ['receive', 'send']) expect(doc.operations[`${ch}.${a}`]).toMatchObject({ action: a, channel: { $ref: `#/channels/${ch}` } });
  }
}

/** Validates each valid conformance vector against its message's payload schema (draft-07, as AsyncAPI reads it). */
function expectVectorsAccepted(doc: Doc): void {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const valid = loadVectors().filter((v) => v.valid && v.message !== undefined);
  expect(valid.length).toBeGreaterThan(20);
  const validate = ajv.compile({ components: doc.components, anyOf: Object.values(doc.components.messages).map((m: any) => m.payload) });
  for (const v of valid) expect(validate(v.message), `${v.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
  expect(validate({ ...(valid[0]!.message as object), not_in_schema: 1 }), 'objects are closed').toBe(false);
}

describe('wsgen asyncapi', () => {
  it('bundled protocol: @asyncapi/parser reads it clean; channels, pillar parameter, directions, payloads as the schema says', async () => {
    const text = await exportText(['--schema', BUNDLED, ...BUNDLED_ENDPOINTS]);
    const parsed = await parseClean(text);
    const doc: Doc = JSON.parse(text);
    const ir = schemaToIR(BUNDLED);
    expect(doc.asyncapi).toBe('3.0.0');
    expect(doc.info).toMatchObject({ version: ir.version, 'x-wsgen-schema-hash': ir.hash, 'x-wsgen-semantic-hash': ir.semanticHash });
    expectMessagesByDirection(doc, ir, ['guide', 'liaison']);
    expect(doc.channels.guide.address).toBe('/api/ws/guide');
    expect(doc.channels.liaison.address).toBe('/api/ws/liaison/{pillar}');
    const pillars = ir.enums.find((e) => e.name === 'PillarType')!.members.map((m) => m.value);
    expect(pillars).toEqual(['content', 'insights', 'operations', 'business_outcomes']);
    expect(parsed.channels().get('liaison')!.parameters().get('pillar')!.schema()!.enum()).toEqual(pillars);
    expect(parsed.channels().get('guide')!.parameters().length).toBe(0);
    expect(parsed.allMessages().length).toBe(ir.union!.variants.length);
    expect(refs(doc).filter((r) => !r.startsWith('#/'))).toEqual([]);
    expectVectorsAccepted(doc);
  });

  it('bundled protocol: roles, error codes and close codes are in the document', async () => {
    const doc: Doc = JSON.parse(await exportText(['--schema', BUNDLED, ...BUNDLED_ENDPOINTS]));
    const ir = schemaToIR(BUNDLED);
    for (const [role, tag] of ir.roles.roles) expect(doc.components.messages[tag]['x-wsgen-role']).toBe(role);
    expect(doc.components.messages.ping['x-wsgen-role']).toBe('ping');
    expect(doc.components.messages.user_message['x-wsgen-role']).toBeUndefined();
    expect(doc.info['x-wsgen-capabilities']).toEqual(ir.roles.capabilities);
    const errorEnum = ir.enums.find((e) => e.name === 'ErrorCode')!;
    expect(doc.info['x-wsgen-error-codes'].map((r: Doc) => r.value)).toEqual(errorEnum.members.map((m) => m.value));
    expect(doc.info['x-wsgen-error-codes'].find((r: Doc) => r.value === 'RATE_LIMITED')).toMatchObject({ retryable: true });
    const closeEnum = ir.enums.find((e) => e.name === 'CloseCode')!;
    const close = doc.info['x-wsgen-close-codes'];
    expect(close.map((r: Doc) => r.value)).toEqual(closeEnum.members.map((m) => m.value));
    expect(close.find((r: Doc) => r.value === 4000)).toMatchObject({ retryable: true });
    expect(close.find((r: Doc) => r.value === 4504)).toMatchObject({ name: 'PROTOCOL_MISMATCH', retryable: false });
    expect(doc.components.schemas.ErrorCode['x-wsgen-role']).toBe('error-codes');
  });

  it('whiteboard fixture: parser reads it clean, with and without endpoints; directions and self-contained refs hold', async () => {
    const ir = schemaToIR(WHITEBOARD);
    const plain: Doc = JSON.parse(await exportText(['--schema', WHITEBOARD]));
    await parseClean(JSON.stringify(plain));
    expect(plain.channels.protocol.address).toBeNull();
    expectMessagesByDirection(plain, ir, ['protocol']);
    const text = await exportText(['--schema', WHITEBOARD, '--endpoint', 'board=/ws/board/{format:ExportFormat}']);
    const parsed = await parseClean(text);
    const doc: Doc = JSON.parse(text);
    expectMessagesByDirection(doc, ir, ['board']);
    expect(parsed.channels().get('board')!.parameters().get('format')!.schema()!.enum()).toEqual(ir.enums.find((e) => e.name === 'ExportFormat')!.members.map((m) => m.value));
    expect(doc.info.version).toBe('1.2.0');
    expect(doc.info['x-wsgen-error-codes'].length).toBe(ir.enums.find((e) => e.name === 'BoardErrorCode')!.members.length);
    expect(refs(doc).filter((r) => !r.startsWith('#/'))).toEqual([]);
  });

  it('a protocol without roles or code tables: parser reads it clean; no error codes; the close codes the runtimes use', async () => {
    const msg = (tag: string, direction?: string) => ({ type: 'object', ...(direction ? { 'x-direction': direction } : {}), properties: { kind: { const: tag }, n: { type: ['integer', 'null'] } }, required: ['kind'], additionalProperties: false });
    const defs = { Up: msg('up', 'client'), Down: msg('down', 'server'), Either: msg('either') };
    const dir = writeSchema({ 'p.json': JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Tiny', discriminator: { propertyName: 'kind' }, oneOf: Object.keys(defs).map((d) => ({ $ref: `#/$defs/${d}` })), $defs: defs }) });
    const text = await exportText(['--schema', dir, '--endpoint', 'tiny=/tiny']);
    await parseClean(text);
    const doc: Doc = JSON.parse(text);
    expectMessagesByDirection(doc, schemaToIR(dir), ['tiny']);
    expect(doc.info).toMatchObject({ title: 'Tiny', version: '0.0.0', 'x-wsgen-capabilities': [], 'x-wsgen-error-codes': [] });
    expect(doc.info['x-wsgen-close-codes'].map((r: Doc) => [r.name, r.value, r.retryable])).toEqual(Object.entries(RUNTIME_CLOSE_CODES).map(([n, v]) => [n, v, v < 4500]));
    expect(doc.components.messages.up).not.toHaveProperty('x-wsgen-role');
  });

  it('3.0.0 is a choice, not a limit: the same document declared as 3.1.0 gets no diagnostic at all', async () => {
    for (const args of [['--schema', BUNDLED, ...BUNDLED_ENDPOINTS], ['--schema', WHITEBOARD]]) {
      const doc = JSON.parse(await exportText(args)) as Doc;
      expect(doc.asyncapi).toBe('3.0.0');
      const as30 = await new Parser().parse(JSON.stringify(doc));
      expect(as30.diagnostics.filter((d) => d.severity < 3).map((d) => String(d.code))).toEqual(['asyncapi-latest-version']);
      const as31 = await new Parser().parse(JSON.stringify({ ...doc, asyncapi: '3.1.0' }));
      expect(as31.diagnostics.filter((d) => d.severity < 3).map((d) => `${d.code}: ${d.message}`)).toEqual([]);
    }
  });

  it('the parser check has teeth: a document with a dangling message reference is an error', async () => {
    const doc: Doc = JSON.parse(await exportText(['--schema', WHITEBOARD]));
    delete doc.components.messages[Object.keys(doc.components.messages)[0]!];
    const r = await new Parser().parse(JSON.stringify(doc));
    expect(r.diagnostics.some((d) => d.severity === ERROR)).toBe(true);
  });

  it('output is deterministic: two runs give the same bytes, on stdout as in --out', async () => {
    const a = await exportText(['--schema', BUNDLED, ...BUNDLED_ENDPOINTS]);
    const b = await exportText(['--schema', BUNDLED, ...BUNDLED_ENDPOINTS]);
    expect(b).toBe(a);
    const before = io.out().length;
    expect(await main(['asyncapi', '--schema', BUNDLED, ...BUNDLED_ENDPOINTS])).toBe(ExitCode.OK);
    expect(io.out().slice(before)).toBe(a);
  });

  it('--json: {ok, command, out, channels, messages, document, errors}; with --out the file instead of the document', async () => {
    expect(await main(['asyncapi', '--json', '--schema', WHITEBOARD])).toBe(ExitCode.OK);
    const r = JSON.parse(io.out());
    expect(r).toMatchObject({ ok: true, command: 'asyncapi', out: null, channels: ['protocol'], errors: [] });
    expect(r.document.asyncapi).toBe('3.0.0');
    expect(r.messages).toEqual(schemaToIR(WHITEBOARD).union!.variants.map((v) => v.tag));
    const out = join(tempDir(), 'a.json');
    const before = io.out().length;
    expect(await main(['asyncapi', '--json', '--schema', WHITEBOARD, '--out', out])).toBe(ExitCode.OK);
    const w = JSON.parse(io.out().slice(before));
    expect(w).toMatchObject({ ok: true, command: 'asyncapi', out, channels: ['protocol'], errors: [] });
    expect(w).not.toHaveProperty('document');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(r.document);
  });

  it.each([
    ['no =', 'guide'],
    ['a path without /', 'guide=api'],
    ['a parameter without its enum', 'liaison=/api/ws/liaison/{pillar}'],
    ['a parameter inside a segment', 'liaison=/api/ws/x{pillar:PillarType}'],
    ['an unknown enum', 'liaison=/api/ws/liaison/{pillar:NoSuchEnum}'],
    ['a bad channel name', 'a b=/x'],
  ])('--endpoint with %s is a usage error (exit 3) naming the flag', async (_what, value) => {
    expect(await main(['asyncapi', '--schema', BUNDLED, '--endpoint', value])).toBe(ExitCode.USAGE);
    expect(io.err()).toContain('--endpoint');
  });

  it('the same endpoint name twice is a usage error', async () => {
    expect(await main(['asyncapi', '--schema', BUNDLED, '--endpoint', 'a=/x', '--endpoint', 'a=/y'])).toBe(ExitCode.USAGE);
    expect(io.err()).toContain('given twice');
  });

  it('an unwritable --out is WSGEN_IO (exit 2)', async () => {
    expect(await main(['asyncapi', '--schema', BUNDLED, '--out', join(tempDir(), 'no', 'such', 'dir', 'a.json')])).toBe(ExitCode.SCHEMA);
    expect(io.err()).toContain('WSGEN_IO');
  });
});
