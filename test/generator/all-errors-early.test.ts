import { describe, expect, it } from 'vitest';
import { failure } from '../../generator/cli/json-output.js';
import { WsgenError } from '../../generator/errors.js';
import { schemaToIR } from '../../generator/index.js';
import { catchWsgen, writeSchema } from './helpers.js';

// Issue 9 "All errors in one run", for the checks before the IR (the metaschema, OpenAPI's `nullable`,
// `$schema`, `x-wsgen-version`) and for an object's own errors beside its properties': a trial's schema
// with five mistakes printed only the first kind.

const S = 'https://json-schema.org/draft/2020-12/schema';
const bid = (props: object, extra: object = {}) => ({ type: 'object', properties: { type: { const: 'bid' }, ...props }, required: ['type'], additionalProperties: false, ...extra });
const ping = { type: 'object', 'x-wsgen-role': 'stream-chunks', properties: { type: { const: 'ping' } }, required: ['type'], additionalProperties: false };
const write = (bidSchema: object, root: object = {}) =>
  writeSchema({ 'p.json': JSON.stringify({ $schema: S, discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/Bid' }, { $ref: '#/$defs/Ping' }], $defs: { Bid: bidSchema, Ping: ping }, ...root }) });
const listed = async (dir: string) => (await catchWsgen(() => schemaToIR(dir))).all().map((e) => [e.code, e.location.pointer]);

const MISTAKES = { code: { type: 'string', pattern: '^\\d+$' }, host: { type: 'string', format: 'hostnamex' } };
const LATER = [
  ['WSGEN_REQUIRED', '/$defs/Bid/required/1'],
  ['WSGEN_PATTERN', '/$defs/Bid/properties/code/pattern'],
  ['WSGEN_UNSUPPORTED', '/$defs/Bid/properties/host/format'],
  ['WSGEN_ROLE', '/$defs/Ping/x-wsgen-role'],
];

describe('one run lists the errors before the IR with the IR errors', () => {
  it("the trial's schema: OpenAPI nullable, a metaschema error, a required field with no property, a \\d pattern, an unknown format and a wrong role", async () => {
    const dir = write(bid({ ...MISTAKES, note: { type: 'string', nullable: true }, lot: { type: 'string', minLength: -1 } }, { required: ['type', 'missing'] }));
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.all().map((e) => [e.code, e.location.pointer])).toEqual([
      ['WSGEN_META', '/$defs/Bid/properties/lot/minLength'],
      ['WSGEN_UNSUPPORTED', '/$defs/Bid/properties/note/nullable'],
      ...LATER,
    ]);
    // The IR's own complaint about the same minLength is not listed twice; the text and --json list each error once.
    expect(err.format().match(/^error /gm)).toHaveLength(6);
    expect(err.format()).toMatch(/\n6 errors$/);
    expect(failure('generate', err).errors).toHaveLength(6);
  });

  it.each([
    ['an unsupported $schema', { $schema: 'http://json-schema.org/draft-07/schema#' }, ['WSGEN_META', '/$schema']],
    ['a malformed x-wsgen-version', { 'x-wsgen-version': 'v1' }, ['WSGEN_VERSION', '/x-wsgen-version']],
  ])('%s and the errors of the definitions', async (_what, root, first) => {
    expect(await listed(write(bid(MISTAKES, { required: ['type', 'missing'] }), root))).toEqual([first, ...LATER]);
  });

  it("an object's own error (a required name with no property) and its properties' errors together", async () => {
    expect(await listed(write(bid(MISTAKES, { required: ['type', 'missing'] })))).toEqual(LATER);
  });

  it('a document the later stages cannot read reports its metaschema error, never a crash', async () => {
    const err = await catchWsgen(() => schemaToIR(write(bid({ lot: { type: 'string', minLength: 'x' }, odd: { properties: 7 } }))));
    expect(err).toBeInstanceOf(WsgenError);
    expect(err.all()[0]).toMatchObject({ code: 'WSGEN_META' });
  });

  it('errors nested in errors are listed once, flattened', () => {
    const at = (p: string) => ({ file: 'p.json', pointer: p });
    const a = new WsgenError('WSGEN_META', 'a', at('/a'), 'h');
    const b = new WsgenError('WSGEN_META', 'b', at('/b'), 'h');
    const c = new WsgenError('WSGEN_META', 'c', at('/c'), 'h');
    b.more = [c];
    a.more = [b, c];
    expect(a.all().map((e) => e.message)).toEqual(['a', 'b', 'c']);
    expect(a.format()).toMatch(/^error WSGEN_META: a\n[^]*error WSGEN_META: b\n[^]*error WSGEN_META: c\n[^]*\n3 errors$/);
  });
});
