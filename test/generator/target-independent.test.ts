// Whether a keyword can be enforced exactly is a property of each target on its own, so
// every refusal is decided in the IR stage: `--target ts`, `--target python` and both give
// the same refusal (code, location, message) for every schema, or all accept it.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WsgenError } from '../../generator/errors.js';
import { type Target, generate } from '../../generator/index.js';
import { tempDir, writeSchema } from './helpers.js';

/** A one-message protocol whose message has the property `x` with schema `x`, plus the `$defs` given. */
function schemaWith(x: unknown, defs: Record<string, unknown> = {}): string {
  return writeSchema({
    'p.schema.json': JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Proto',
      discriminator: { propertyName: 'type' },
      oneOf: [{ $ref: '#/$defs/Probe' }],
      $defs: {
        ...defs,
        Probe: { type: 'object', properties: { type: { const: 'probe' }, x }, required: ['type'], additionalProperties: false },
      },
    }),
  });
}

/** The outcome of generating `schema` for `targets`: `ok`, or the refusal's code, location and message. */
async function outcome(schema: string, targets: Target[]): Promise<string> {
  try {
    await generate({ schema, out: join(tempDir(), 'out'), targets });
    return 'ok';
  } catch (err) {
    if (!(err instanceof WsgenError)) throw err;
    return `${err.code} ${err.location.file}#${err.location.pointer}: ${err.message}`;
  }
}

const CASES: Array<[name: string, x: unknown, refused: boolean, defs?: Record<string, unknown>]> = [
  ['const 2^53', { const: 9007199254740992 }, true],
  ['const -(2^53)', { const: -9007199254740992 }, true],
  ['const 2^53 + 1 (read as 2^53)', { const: 9007199254740993 }, true],
  ['const 1e300', { const: 1e300 }, true],
  // A const of any JSON value is a checked value (issue 9): JSON equality on both targets.
  ['const 1.5', { const: 1.5 }, false],
  ['integer const 1.5', { type: 'integer', const: 1.5 }, false],
  ['const 2^53 − 1', { const: 9007199254740991 }, false],
  ['const −(2^53 − 1)', { const: -9007199254740991 }, false],
  ['const 0', { const: 0 }, false],
  ['integer enum member 2^53', { $ref: '#/$defs/Big' }, true, { Big: { type: 'integer', oneOf: [{ const: 1, title: 'ONE' }, { const: 9007199254740992, title: 'HUGE' }] } }],
  ['integer enum member 2^53 − 1', { $ref: '#/$defs/Big' }, false, { Big: { type: 'integer', oneOf: [{ const: 1, title: 'ONE' }, { const: 9007199254740991, title: 'HUGE' }] } }],
  ['integer maximum 2^53', { type: 'integer', maximum: 9007199254740992 }, true],
  ['integer minimum −(2^53)', { type: 'integer', minimum: -9007199254740992 }, true],
  ['date-time with minLength (a checked value)', { type: 'string', format: 'date-time', minLength: 20 }, false],
  ['date-time with maxLength (a checked value)', { type: 'string', format: 'date-time', maxLength: 40 }, false],
  ['date-time without type', { format: 'date-time' }, true],
  ['date-time with pattern (narrows the wire text)', { type: 'string', format: 'date-time', pattern: '^2' }, false],
  ['unevaluatedItems beside contains (the keyword checker decides it on TS)', { type: 'array', contains: { const: 1 }, unevaluatedItems: false }, false],
  ['$dynamicRef', { $dynamicRef: '#x' }, true],
  ['date-time alone', { type: 'string', format: 'date-time' }, false],
  ['uuid with maxLength', { type: 'string', format: 'uuid', maxLength: 36 }, false],
  ['number maximum 1e300', { type: 'number', maximum: 1e300 }, false],
];

describe('refusals do not depend on the target list', () => {
  it.each(CASES)('%s', async (_name, x, refused, defs) => {
    const schema = schemaWith(x, defs);
    const [ts, python, both] = [await outcome(schema, ['ts']), await outcome(schema, ['python']), await outcome(schema, ['ts', 'python'])];
    expect(python).toBe(ts);
    expect(both).toBe(ts);
    if (refused) expect(ts).toMatch(/^WSGEN_UNSUPPORTED p\.schema\.json#\/\$defs\//);
    else expect(ts).toBe('ok');
  });
});
