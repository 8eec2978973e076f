// The table-driven field validator of a shared base (generator/emit/ts-field-table.ts and
// runtime.js's fieldTable / fieldErrors) against ajv itself: for every kind of entry, every
// keyword and awkward property names, the same verdict and the same errors (the first one,
// and every one when collecting them all), on plain objects and on objects whose fields
// come from a prototype or a getter.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { fieldTable, fieldTableModule } from '../../generator/emit/ts-field-table.js';
import { shippedFiles } from '../../generator/emit/shipped.js';
import { ROOT, tempDir } from './helpers.js';

const Ajv = AjvModule.default;

const PROPERTIES: Record<string, unknown> = {
  'a/b~c': { type: 'string', minLength: 2, maxLength: 3, pattern: '^[a-z/]+$' },
  ts: { type: 'string', format: 'date-time' },
  id: { type: 'string', format: 'uuid' },
  mail: { type: 'string', format: 'email' },
  n: { type: 'number', exclusiveMinimum: 0, maximum: 10 },
  i: { type: 'integer', minimum: -5, exclusiveMaximum: 5 },
  e: { enum: ['x', 1, null, true] },
  c: { const: 'k' },
  b: { type: 'boolean' },
  z: { type: 'null' },
  o: { type: 'object', additionalProperties: {} },
  any: {},
  é: { type: 'string', maxLength: 1 },
};

const VALUES: unknown[] = ['', 'ab', 'abcd', 'AB', 'a/', '😀', '😀😀', 'é', 'x', 'k', 'a@b.example', '2024-05-01T10:00:00Z', '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b', 'bad',
  5, 5.5, -0, 0, -5, -6, 10, 10.5, 4.999, 1, 1e300, null, true, false, {}, [], { k: 1 }];

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null };

async function tableValidator(all: boolean, ownProperties: boolean): Promise<Validator> {
  const table = fieldTable(PROPERTIES);
  expect(table).toBeDefined();
  const dir = tempDir();
  mkdirSync(join(dir, 'validators'));
  // The shipped files the bundled schema's output holds (fill.js and the keyword checker only ship where used).
  for (const f of [...shippedFiles('ts').map(([name]) => name), 'formats.js'].filter((n) => existsSync(join(ROOT, 'generated/ts', n)))) copyFileSync(join(ROOT, 'generated/ts', f), join(dir, f));
  const code = fieldTableModule('// test', table!, { base: 'Base', exportName: 'validateBaseFields', tail: '', allErrors: all, ownProperties });
  writeFileSync(join(dir, 'validators/BaseFields.js'), code);
  return ((await import(pathToFileURL(join(dir, 'validators/BaseFields.js')).href)) as { validateBaseFields: Validator }).validateBaseFields;
}

async function ajvValidator(all: boolean, ownProperties: boolean): Promise<Validator> {
  const runtime = (await import(pathToFileURL(join(ROOT, 'generated/ts/runtime.js')).href)) as Record<string, (s: string) => boolean>;
  const formats = (await import(pathToFileURL(join(ROOT, 'generated/ts/formats.js')).href)) as { grammarFormats: Record<string, (s: string) => boolean> };
  const ajv = new Ajv({ allErrors: all, strictNumbers: true, unicodeRegExp: true, messages: true, ownProperties, strictTypes: false });
  ajv.addFormat('date-time', runtime.isDateTime!);
  ajv.addFormat('uuid', runtime.isUuid!);
  ajv.addFormat('email', formats.grammarFormats.email!);
  return ajv.compile({ type: 'object', properties: PROPERTIES }) as Validator;
}

/** Messages of one bad field each, and of two fields at once. */
function messages(): Array<Record<string, unknown>> {
  const names = Object.keys(PROPERTIES);
  const out: Array<Record<string, unknown>> = [];
  for (const n of names) for (const v of VALUES) out.push({ [n]: v });
  names.forEach((a, i) => {
    for (const b of names.slice(i + 1)) out.push({ [b]: VALUES[(i * 7) % VALUES.length], [a]: VALUES[(i * 3 + b.length) % VALUES.length] });
  });
  return out;
}

describe('table-driven base fields agree with ajv', () => {
  for (const all of [false, true]) {
    for (const ownProperties of [false, true]) {
      it(`every kind and keyword (allErrors ${all}, ownProperties ${ownProperties})`, async () => {
        const table = await tableValidator(all, ownProperties);
        const ajv = await ajvValidator(all, ownProperties);
        const cases = messages();
        expect(cases.length).toBeGreaterThan(400);
        for (const m of cases) {
          const label = JSON.stringify(m);
          expect(table(m), label).toBe(ajv(m));
          expect(table.errors ?? null, label).toEqual(ajv.errors ?? null);
        }
      });
    }
  }

  it('reads fields from a prototype or a getter as ajv does', async () => {
    const table = await tableValidator(false, false);
    const ajv = await ajvValidator(false, false);
    class Message {
      get n(): number {
        return 11;
      }
    }
    for (const m of [Object.create({ e: 'bad' }) as object, new Message(), Object.defineProperty({}, 'b', { value: 3, enumerable: false }), [], null, 'text']) {
      expect(table(m)).toBe(ajv(m));
      expect(table.errors ?? null).toEqual(ajv.errors ?? null);
    }
  });

  it('leaves a base with any other field schema to ajv', () => {
    expect(fieldTable({ a: { type: 'string', minLength: 1, default: 'x' } })).toBeUndefined();
    expect(fieldTable({ a: { type: 'number', multipleOf: 0.01 } })).toBeUndefined();
    expect(fieldTable({ a: { anyOf: [{ type: 'string' }, { type: 'null' }] } })).toBeUndefined();
    expect(fieldTable({ a: { enum: [{ x: 1 }] } })).toBeUndefined();
    expect(fieldTable({ a: { type: 'object', additionalProperties: { type: 'string' } } })).toBeUndefined();
    expect(fieldTable({ a: { format: 'uuid' } })).toBeUndefined();
  });
});
