// No `default` is dropped silently (generator/default-notices.ts): every default keyword that wsgen does not apply
// gets a warning with a stable code, the file, the JSON pointer of the keyword and a hint, in each place a default
// can stand; an applied one gets none. The schema still generates (JSON Schema 2020-12 §9.2 allows any default).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { ROOT, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const M = '/$defs/Msg/properties';

/** Every place a default can stand, with the warning expected there (undefined: applied, no warning). */
const PLACES: Array<[string, string, string | undefined]> = [
  ['an optional property, valid (applied)', `${M}/ok/default`, undefined],
  ['an optional property outside its enum', `${M}/level/default`, 'WSGEN_DEFAULT_INVALID'],
  ['an optional property of the wrong type', `${M}/count/default`, 'WSGEN_DEFAULT_INVALID'],
  ['an optional property via $ref, outside the referenced enum', `${M}/color/default`, 'WSGEN_DEFAULT_INVALID'],
  ['a required property', `${M}/name/default`, 'WSGEN_DEFAULT_IGNORED'],
  ['an alias definition', '/$defs/Name/default', 'WSGEN_DEFAULT_IGNORED'],
  ['an enum definition', '/$defs/Color/default', 'WSGEN_DEFAULT_IGNORED'],
  ['an object definition', '/$defs/Box/default', 'WSGEN_DEFAULT_IGNORED'],
  ['a nested object property, valid (applied)', '/$defs/Box/properties/size/default', undefined],
  ['a nested object property, refused by its minimum', '/$defs/Box/properties/depth/default', 'WSGEN_DEFAULT_INVALID'],
  ['array items', `${M}/tags/items/default`, 'WSGEN_DEFAULT_IGNORED'],
  ['the values of undeclared keys', `${M}/counts/additionalProperties/default`, 'WSGEN_DEFAULT_IGNORED'],
  ['a checked subschema', `${M}/odd/allOf/0/default`, 'WSGEN_DEFAULT_IGNORED'],
  ['a union branch', `${M}/either/anyOf/0/default`, 'WSGEN_DEFAULT_IGNORED'],
];

function schemaFolder(): string {
  return writeSchema({
    'protocol.schema.json': JSON.stringify({
      $schema: S,
      title: 'Message',
      discriminator: { propertyName: 'type' },
      oneOf: [{ $ref: '#/$defs/Msg' }],
      $defs: {
        Name: { type: 'string', minLength: 1, default: 'anon' },
        Color: { type: 'string', enum: ['red', 'blue'], default: 'red' },
        Box: {
          type: 'object',
          properties: { size: { type: 'integer', minimum: 1, default: 1 }, depth: { type: 'integer', minimum: 1, default: 0 } },
          additionalProperties: false,
          default: {},
        },
        Msg: {
          type: 'object',
          properties: {
            type: { const: 'msg' },
            ok: { type: 'integer', default: 3 },
            level: { type: 'string', enum: ['low', 'high'], default: 'medium' },
            count: { type: 'integer', default: 'many' },
            color: { $ref: '#/$defs/Color', default: 'green' },
            name: { $ref: '#/$defs/Name', default: 'x' },
            box: { $ref: '#/$defs/Box' },
            tags: { type: 'array', items: { type: 'string', default: 't' } },
            counts: { type: 'object', additionalProperties: { type: 'integer', default: 0 } },
            odd: { allOf: [{ type: 'integer', default: 1 }, { not: { multipleOf: 2 } }] },
            either: { anyOf: [{ type: 'string', default: 's' }, { type: 'integer' }] },
          },
          required: ['type', 'name'],
          additionalProperties: false,
        },
      },
    }),
  });
}

describe('a default that is not applied gets a warning with code, file, pointer and hint', async () => {
  const dir = schemaFolder();
  const { notices } = await generate({ schema: dir, targets: ['ts'] });

  it.each(PLACES)('%s', (_what, pointer, code) => {
    const found = notices.filter((n) => n.location.pointer === pointer);
    expect(found.map((n) => n.code)).toEqual(code === undefined ? [] : [code]);
    for (const n of found) expect([n.location.file, n.hint.length > 10, n.message.length > 10]).toEqual(['protocol.schema.json', true, true]);
  });

  it('warns about nothing else, and says why an invalid default is refused', () => {
    expect(notices.map((n) => n.location.pointer).sort()).toEqual(PLACES.filter((p) => p[2] !== undefined).map((p) => p[1]).sort());
    expect(notices.find((n) => n.location.pointer === `${M}/level/default`)!.message).toMatch(/must be equal to one of the allowed values/);
  });

  it('wsgen generate prints them on stderr (also with --quiet) and in --json, and exits 0', () => {
    const out = join(dir, 'out');
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'generate', '--schema', dir, '--out', out, '--target', 'ts', ...args], { encoding: 'utf8' });
    const quiet = run('--quiet');
    expect(quiet.status).toBe(0);
    expect(quiet.stderr).toContain(`wsgen: warning WSGEN_DEFAULT_INVALID ${join(dir, 'protocol.schema.json')}#${M}/level/default: `);
    expect(quiet.stderr.trim().split('\n')).toHaveLength(notices.length);
    const json = run('--json');
    const parsed = JSON.parse(json.stdout) as { ok: boolean; warnings: Array<{ code: string; file: string; pointer: string; hint: string }> };
    expect([json.status, parsed.ok, parsed.warnings.length]).toEqual([0, true, notices.length]);
    expect(parsed.warnings[0]).toMatchObject({ file: 'protocol.schema.json', path: join(dir, 'protocol.schema.json') });
  });
});

describe('the bundled schema and fixtures hold no default that is dropped', () => {
  it.each(['schema', 'test/fixtures/whiteboard', 'test/fixtures/defaults'])('%s', async (s) => {
    expect((await generate({ schema: join(ROOT, s), targets: ['ts'] })).notices).toEqual([]);
  });
});
