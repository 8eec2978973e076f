// README "Types" says what a `type` list becomes (TRIAL9 finding 10: it said a list of two non-null types was refused,
// yet ["string","integer"] generates). Each claim of that sentence, checked against the generator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { WsgenError } from '../../generator/errors.js';
import { ROOT, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';

/** A protocol whose one message type `M` has property `v` of `schema` (and `$defs` P, a closed object, and `extra`). */
function schemaWith(v: unknown, extra: Record<string, unknown> = {}, message: Record<string, unknown> = {}): string {
  return writeSchema({
    'p.json': JSON.stringify({
      $schema: S,
      discriminator: { propertyName: 'type' },
      oneOf: [{ $ref: '#/$defs/M' }],
      $defs: {
        P: { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false },
        ...extra,
        M: { type: 'object', properties: { type: { const: 'm' }, v }, required: ['type'], additionalProperties: false, ...message },
      },
    }),
  });
}

/** The TypeScript type of `M.v`, as types.ts writes it. */
async function tsTypeOf(dir: string): Promise<string> {
  const { files } = await generate({ schema: dir, targets: ['ts'] });
  const m = /export interface M \{[^}]*?\n\s+v\?: ([^;]+);/.exec(files.get('ts/types.ts')!);
  return m![1]!;
}

async function refusal(dir: string): Promise<WsgenError> {
  const err = await generate({ schema: dir, targets: ['ts'] }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WsgenError);
  return err as WsgenError;
}

describe('README "Types": type lists', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('says lists of several non-null types are checked values, never that they are refused', () => {
    expect(readme).not.toContain('a list of two non-null types, a nullable named object');
    expect(readme).toContain('Any other list (`["string", "integer"]`, `["string", "object", "null"]`)');
  });

  it.each([
    [{ type: ['string', 'integer'] }, 'string | number'],
    [{ type: ['integer', 'string'], minimum: 1 }, 'number | string'],
    [{ type: ['string', 'object', 'null'] }, 'string | { [key: string]: unknown } | null'],
    [{ type: 'string', const: 1 }, 'never'],
  ])('%j generates as a checked value typed %s', async (v, type) => {
    expect(await tsTypeOf(schemaWith(v))).toBe(type);
  });

  it('a $defs object that also admits null generates (a checked alias)', async () => {
    const dir = schemaWith({ $ref: '#/$defs/Q' }, { Q: { type: ['object', 'null'], properties: { a: { type: 'integer' } }, additionalProperties: false } });
    expect(await tsTypeOf(dir)).toBe('Q');
  });

  it('refuses a message type whose type is not "object", and "null" beside a $ref whose target refuses null', async () => {
    for (const t of [['object', 'null'], ['object', 'string']]) {
      const err = await refusal(schemaWith({ type: 'string' }, {}, { type: t }));
      expect([err.code, err.location.pointer]).toEqual(['WSGEN_UNSUPPORTED', '/$defs/M/type']);
    }
    const err = await refusal(schemaWith({ $ref: '#/$defs/P', type: ['object', 'null'] }));
    expect([err.code, err.location.pointer]).toEqual(['WSGEN_UNSUPPORTED', '/$defs/M/properties/v/type']);
  });
});
