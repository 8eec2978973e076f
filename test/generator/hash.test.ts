import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate, schemaToIR } from '../../generator/index.js';
import { stripAnnotations } from '../../generator/semantic-hash.js';
import { ROOT, catchWsgen, schemaVariant } from './helpers.js';

const SCHEMA = join(ROOT, 'schema');
const base = schemaToIR(SCHEMA);
const ROOT_FILE = 'websocket-message.schema.json';
/** The UserMessage definition of a schema variant. */
const userMessage = (f: Record<string, any>) => f[ROOT_FILE].$defs.UserMessage;

describe('two schema hashes', () => {
  it.each<[string, (f: Record<string, any>) => void]>([
    ['description', (f) => (userMessage(f).description = 'Reworded.')],
    ['title', (f) => (userMessage(f).title = 'A user message')],
    ['examples', (f) => (userMessage(f).examples = [{ type: 'user_message' }])],
    ['$comment', (f) => (f['enums.schema.json'].$comment = 'note')],
    ['deprecated', (f) => (userMessage(f).deprecated = true)],
    ['a property description', (f) => (userMessage(f).properties.message.description = 'Typo fixed.')],
    ['x-wsgen-version (minor bump)', (f) => (f[ROOT_FILE]['x-wsgen-version'] = '2.1.0')],
  ])('editing only %s changes the full hash but not the semantic one', (_what, edit) => {
    const ir = schemaToIR(schemaVariant(edit));
    expect(ir.hash).not.toBe(base.hash);
    expect(ir.semanticHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ir.semanticHash).toBe(base.semanticHash);
  });

  it.each<[string, (f: Record<string, any>) => void]>([
    ['a maxLength', (f) => (userMessage(f).properties.message.maxLength = 10)],
    ['an enum value', (f) => f['enums.schema.json'].$defs.Realm.enum.push('new_realm')],
    ['x-direction', (f) => (f[ROOT_FILE].$defs.SystemMessage['x-direction'] = 'both')],
    ['a default', (f) => (userMessage(f).properties.message.default = 'hi')],
  ])('changing %s changes both', (_what, edit) => {
    const ir = schemaToIR(schemaVariant(edit));
    expect(ir.hash).not.toBe(base.hash);
    expect(ir.semanticHash).not.toBe(base.semanticHash);
  });

  it('strips annotations only where a schema stands: a property named "description" or "title" is kept', () => {
    const schema = { type: 'object', description: 'x', properties: { description: { type: 'string', maxLength: 3, title: 't' }, title: true }, examples: [{ description: 'kept?' }], default: { title: 'data' } };
    expect(stripAnnotations(schema)).toEqual({ type: 'object', properties: { description: { type: 'string', maxLength: 3 }, title: true }, default: { title: 'data' } });
  });

  it('emits SCHEMA_HASH (semantic, the handshake) and SCHEMA_FULL_HASH (full, as the banner) on both targets', async () => {
    const { files } = await generate({ schema: SCHEMA });
    const ts = files.get('ts/index.ts')!;
    expect(ts).toContain(`export const SCHEMA_HASH = '${base.semanticHash}';`);
    expect(ts).toContain(`export const SCHEMA_FULL_HASH = '${base.hash}';`);
    expect(ts.split('\n')[1]).toBe(`// Schema hash: sha256:${base.hash}`);
    const py = files.get('python/wsgen_protocol/__init__.py')!;
    expect(py).toContain(`SCHEMA_HASH: Final[str] = "${base.semanticHash}"`);
    expect(py).toContain(`SCHEMA_FULL_HASH: Final[str] = "${base.hash}"`);
    expect(base.semanticHash).not.toBe(base.hash);
  });
});

describe('x-wsgen-version', () => {
  it.each([['2.0'], ['v2.0.0'], ['2.0.0.1'], ['02.0.0'], [2]])('refuses %j with WSGEN_VERSION at /x-wsgen-version', async (v) => {
    const e = await catchWsgen(() => schemaToIR(schemaVariant((f) => (f[ROOT_FILE]['x-wsgen-version'] = v))));
    expect(e.code).toBe('WSGEN_VERSION');
    expect(e.location).toEqual({ file: ROOT_FILE, pointer: '/x-wsgen-version' });
    expect(e.hint).toMatch(/MAJOR\.MINOR\.PATCH/);
  });

  it.each([['2.0.0'], ['3.1.4-rc.1'], ['1.0.0+build.5']])('accepts the semantic version %j', (v) => {
    expect(schemaToIR(schemaVariant((f) => (f[ROOT_FILE]['x-wsgen-version'] = v))).version).toBe(v);
  });
});
