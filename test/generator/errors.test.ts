import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { failure } from '../../generator/cli/json-output.js';
import { schemaToIR } from '../../generator/index.js';
import { catchWsgen, schemaVariant, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const root = (defs: object, extra: object = {}) =>
  JSON.stringify({ $schema: S, title: 'Msg', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/A' }], $defs: defs, ...extra });
const objA = (props: object, extra: object = {}) => ({ type: 'object', properties: { type: { const: 'a' }, ...props }, required: ['type'], additionalProperties: false, ...extra });

describe('bad schemas stop generation with code, file, pointer and hint', () => {
  it.each([
    ['invalid JSON', { 'm.json': '{"title": "Msg",\n  "oneOf": [}' }, 'WSGEN_JSON', 'm.json', ''],
    ['unresolved $ref', { 'm.json': root({ A: objA({ x: { $ref: '#/$defs/Nope' } }) }) }, 'WSGEN_REF', 'm.json', '/$defs/A/properties/x'],
    ['$ref into a file that does not exist', { 'm.json': root({ A: objA({ x: { $ref: 'other.json#/$defs/X' } }) }) }, 'WSGEN_REF', 'm.json', '/$defs/A/properties/x'],
    ['duplicate enum value', { 'm.json': root({ A: objA({ c: { $ref: '#/$defs/Color' } }), Color: { type: 'string', enum: ['red', 'blue', 'red'] } }) }, 'WSGEN_ENUM_DUPLICATE', 'm.json', '/$defs/Color/enum/2'],
    ['enum values mapping to one name', { 'm.json': root({ A: objA({}), Color: { type: 'string', enum: ['light-blue', 'light_blue'] } }) }, 'WSGEN_NAME', 'm.json', '/$defs/Color/enum/1'],
    ['two types deriving one name (enum Color has ColorInfo)', { 'm.json': root({ A: objA({ c: { $ref: '#/$defs/Color' }, i: { $ref: '#/$defs/ColorInfo' } }), Color: { type: 'string', enum: ['red'] }, ColorInfo: { type: 'string' } }) }, 'WSGEN_NAME', 'm.json', '/$defs/ColorInfo'],
    ['two enums deriving one values constant (ABTest, Abtest)', { 'm.json': root({ A: objA({ c: { $ref: '#/$defs/ABTest' }, i: { $ref: '#/$defs/Abtest' } }), ABTest: { type: 'string', enum: ['a'] }, Abtest: { type: 'string', enum: ['b'] } }) }, 'WSGEN_NAME', 'm.json', '/$defs/Abtest'],
    ['two objects whose files differ only in case', { 'm.json': root({ A: objA({ c: { $ref: '#/$defs/Ab' }, i: { $ref: '#/$defs/AB' } }), Ab: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false }, AB: { type: 'object', properties: { x: { type: 'string' } }, additionalProperties: false } }) }, 'WSGEN_NAME', 'm.json', '/$defs/AB'],
    ['one $defs key in an embedded resource and at the root (inner Inner string, outer Inner integer)', { 'm.json': root({ A: objA({ w: { $ref: '#/$defs/W' } }), Inner: { type: 'integer' }, W: { $id: 'https://example.test/w.json', type: 'object', properties: { i: { $ref: '#/$defs/Inner' } }, additionalProperties: false, $defs: { Inner: { type: 'string' } } } }, { $id: 'https://example.test/m.json' }) }, 'WSGEN_NAME', 'm.json', '/$defs/W/$defs/Inner'],
    ['a $ref in an embedded resource to a $defs entry only the root has', { 'm.json': root({ A: objA({ w: { $ref: '#/$defs/W' } }), Outer: { type: 'integer' }, W: { $id: 'https://example.test/w.json', type: 'object', properties: { i: { $ref: '#/$defs/Outer' } }, additionalProperties: false } }, { $id: 'https://example.test/m.json' }) }, 'WSGEN_REF', 'm.json', '/$defs/W/properties/i'],
    ['one $id for two resources', { 'm.json': root({ A: objA({ w: { $ref: '#/$defs/W' } }), W: { $id: 'https://example.test/m.json', type: 'string' } }, { $id: 'https://example.test/m.json' }) }, 'WSGEN_REF', 'm.json', '/$defs/W'],
    ['a $ref to an $anchor nobody declares', { 'm.json': root({ A: objA({ w: { $ref: '#nowhere' } }) }) }, 'WSGEN_REF', 'm.json', '/$defs/A/properties/w'],
    ['additionalProperties false beside allOf, forbidding a key the base requires', { 'm.json': root({ A: { allOf: [{ $ref: '#/$defs/B' }], properties: { type: { const: 'a' } }, additionalProperties: false }, B: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'integer' } }, required: ['type', 'id'] } }) }, 'WSGEN_UNSUPPORTED', 'm.json', '/$defs/A/additionalProperties'],
    ['name clash across files', { 'm.json': root({ A: objA({ p: { $ref: 'b.json#/$defs/A' } }) }), 'b.json': JSON.stringify({ $defs: { A: { type: 'string' } } }) }, 'WSGEN_NAME', 'm.json', '/$defs/A'],
    ['an alias that contains itself (a cycle of aliases only)', { 'm.json': root({ A: objA({ v: { $ref: '#/$defs/Json' } }), Json: { anyOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#/$defs/Json' } }] } }) }, 'WSGEN_UNSUPPORTED', 'm.json', '/$defs/Json'],
    ['two aliases that contain each other', { 'm.json': root({ A: objA({ v: { $ref: '#/$defs/X' } }), X: { type: 'array', items: { $ref: '#/$defs/Y' } }, Y: { type: 'array', items: { $ref: '#/$defs/X' } } }) }, 'WSGEN_UNSUPPORTED', 'm.json', '/$defs/X'],
    ['a key named __proto__ in an annotation', { 'm.json': root({ A: objA({ x: { type: 'string', 'x-meta': { PROTO: 1 } } }) }).replace('"PROTO"', '"__proto__"') }, 'WSGEN_NAME', 'm.json', '/$defs/A/properties/x/x-meta/__proto__'],
    ['a property named __proto__ (ajv skips it in properties)', { 'm.json': root({ A: objA({ PROTO: { type: 'string' } }) }).replace('"PROTO"', '"__proto__"') }, 'WSGEN_NAME', 'm.json', '/$defs/A/properties/__proto__'],
    ['a type named after a TypeScript global the output uses', { 'm.json': root({ A: objA({ o: { $ref: '#/$defs/Omit' } }), Omit: { type: 'string' } }) }, 'WSGEN_NAME', 'm.json', '/$defs/Omit'],
    ['an integer bound beyond 2^53 - 1', { 'm.json': root({ A: objA({ n: { type: 'integer', maximum: 1e21 } }) }) }, 'WSGEN_UNSUPPORTED', 'm.json', '/$defs/A/properties/n/maximum'],
    ['format hostname', { 'm.json': root({ A: objA({ x: { type: 'string', format: 'hostname' } }) }) }, 'WSGEN_UNSUPPORTED', 'm.json', '/$defs/A/properties/x/format'],
    ['a closed allOf base narrowed without closing', { 'm.json': root({ A: { allOf: [{ $ref: '#/$defs/Base' }], properties: { type: { const: 'a' } }, required: ['type'] }, Base: { type: 'object', properties: { type: { type: 'string' } }, additionalProperties: false } }) }, 'WSGEN_UNSUPPORTED', 'm.json', '/$defs/A/allOf'],
    ['pattern with \\d', { 'm.json': root({ A: objA({ x: { type: 'string', pattern: '^\\d+$' } }) }) }, 'WSGEN_PATTERN', 'm.json', '/$defs/A/properties/x/pattern'],
    ['pattern with lookahead', { 'm.json': root({ A: objA({ x: { type: 'string', pattern: '^(?!x)[a-z]+$' } }) }) }, 'WSGEN_PATTERN', 'm.json', '/$defs/A/properties/x/pattern'],
    ['pattern with a property escape', { 'm.json': root({ A: objA({ x: { type: 'string', pattern: '^\\p{L}$' } }) }) }, 'WSGEN_PATTERN', 'm.json', '/$defs/A/properties/x/pattern'],
    ['branch without a const tag', { 'm.json': root({ A: { type: 'object', properties: { type: { type: 'string' } }, required: ['type'], additionalProperties: false } }) }, 'WSGEN_DISCRIMINATOR', 'm.json', '/$defs/A'],
    ['required field that is not a property', { 'm.json': root({ A: objA({}, { required: ['type', 'ghost'] }) }) }, 'WSGEN_REQUIRED', 'm.json', '/$defs/A/required/1'],
    ['metaschema violation', { 'm.json': root({ A: objA({ x: { type: 'string', minLength: -1 } }) }) }, 'WSGEN_META', 'm.json', '/$defs/A/properties/x/minLength'],
    ['no root union in a folder of two files', { 'm.json': JSON.stringify({ $defs: {} }), 'n.json': JSON.stringify({ type: 'string' }) }, 'WSGEN_ROOT', '.', ''],
    ['a discriminator without oneOf at the root', { 'm.json': JSON.stringify({ discriminator: { propertyName: 'type' }, type: 'object' }) }, 'WSGEN_ROOT', 'm.json', ''],
  ])('%s', async (_name, files, code, file, pointer) => {
    const dir = writeSchema(files as Record<string, string>);
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.code).toBe(code);
    expect(err.location.file).toBe(file);
    expect(err.location.pointer).toBe(pointer);
    expect(err.hint.length).toBeGreaterThan(10);
    // Shown from the working directory (the temp folder lies outside it: absolute), `#` only before a pointer.
    expect(err.path).toBe(file === '.' ? dir : join(dir, file));
    expect(err.format()).toContain(`\n  at ${pointer === '' ? err.path : `${err.path}#${pointer}`}\n`);
  });

  it('reports every definition\'s and every property\'s first error in one run (issue 9: the trial needed nine runs)', async () => {
    const dir = writeSchema({
      'm.json': root({
        A: objA({ x: { type: 'string', format: 'hostname' }, y: { type: 'string', pattern: '^\\d$' }, ok: { type: 'string' } }),
        B: { type: 'string', $dynamicRef: '#x' },
        Color: { type: 'string', enum: ['red', 'red'] },
      }),
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.all().map((e) => [e.code, e.location.pointer])).toEqual([
      ['WSGEN_UNSUPPORTED', '/$defs/A/properties/x/format'],
      ['WSGEN_PATTERN', '/$defs/A/properties/y/pattern'],
      ['WSGEN_UNSUPPORTED', '/$defs/B/$dynamicRef'],
      ['WSGEN_ENUM_DUPLICATE', '/$defs/Color/enum/1'],
    ]);
    expect(err.format()).toMatch(/^error WSGEN_UNSUPPORTED[\s\S]*\/\$defs\/Color\/enum\/1[\s\S]*\n4 errors$/);
    expect(failure('generate', err).errors.map((e) => e.pointer)).toEqual(['/$defs/A/properties/x/format', '/$defs/A/properties/y/pattern', '/$defs/B/$dynamicRef', '/$defs/Color/enum/1']);
  });

  it.each([
    ['a $ref not to a $defs entry', objA({ x: { $ref: '#/$defs/A/properties/type' } }), {}, 'A.properties.x', { $ref: '#/$defs/A.properties.type' }],
    ['keyword "not"', objA({ x: { type: 'string', not: { const: 'x' } } }), {}, 'A.properties.x', { type: 'string', not: { const: 'x' } }],
    ['multipleOf without type', objA({ x: { multipleOf: 0.1 } }), {}, 'A.properties.x', { multipleOf: 0.1 }],
    ['if/then', objA({ x: { type: 'string', if: { const: 'a' }, then: { minLength: 2 } } }), {}, 'A.properties.x', { type: 'string', if: { const: 'a' }, then: { minLength: 2 } }],
    ['integer values under "enum"', objA({ x: { $ref: '#/$defs/Level' } }), { Level: { type: 'integer', enum: [1, 2] } }, 'Level', { type: 'integer', enum: [1, 2] }],
    ['an enum mixing strings and integers', objA({ x: { $ref: '#/$defs/Level' } }), { Level: { enum: ['low', 2] } }, 'Level', { enum: ['low', 2] }],
  ])('%s: no refusal, a checked subschema (issue 9)', (_name, a, defs, key, checked) => {
    const ir = schemaToIR(writeSchema({ 'm.json': root({ A: a, ...defs }) }));
    expect(ir.checked[key]).toEqual(checked);
  });

  it('names the cycle of aliases it refuses', async () => {
    const dir = writeSchema({ 'm.json': root({ A: objA({ v: { $ref: '#/$defs/X' } }), X: { type: 'array', items: { $ref: '#/$defs/Y' } }, Y: { type: 'array', items: { $ref: '#/$defs/X' } } }) });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.message).toContain('(X → Y → X)');
  });

  it('reads a schema file that starts with a UTF-8 byte order mark', async () => {
    const dir = writeSchema({ 'm.json': '\ufeff' + root({ A: objA({}) }) });
    expect((await schemaToIR(dir)).union!.variants).toEqual([{ tag: 'a', object: 'A' }]);
  });

  it('reports the line and column of a JSON syntax error', async () => {
    const dir = writeSchema({ 'm.json': '{\n  "title": "Msg",\n  "oneOf": [}\n' });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.message).toMatch(/line 3, column \d+/);
  });

  it('refuses to intersect two different patterns from a base and a narrowing', async () => {
    const dir = schemaVariant((f) => {
      f['websocket-message.schema.json'].$defs.UserMessage.properties.message_id = { pattern: '^[a-z]+$' };
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.code).toBe('WSGEN_MERGE');
    expect(err.location).toEqual({ file: 'websocket-message.schema.json', pointer: '/$defs/UserMessage/properties/message_id' });
  });

  it('narrows an enum reference to one of its values, and refuses a value it lacks', async () => {
    const dir = schemaVariant((f) => {
      f['websocket-message.schema.json'].$defs.UserMessage.properties.type = { const: 'no_such_type' };
    });
    const err = await catchWsgen(() => schemaToIR(dir));
    expect(err.code).toBe('WSGEN_MERGE');
  });
});
