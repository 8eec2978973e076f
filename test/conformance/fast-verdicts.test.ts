// The fast verdict of each message type (validators/<Type>.js `accepts<Type>`, which
// validate<Type> runs first and the per-type guards call alone) against ajv's own code of
// the type's flat schema (the `flat` validator layout): the same verdict on every
// conformance vector and on messages with one or two bad fields; and the guards agree
// with validateMessage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitTs } from '../../generator/emit/ts.js';
import { schemaToIR } from '../../generator/index.js';
import * as guards from '../../generated/ts/guards.js';
import { validateMessage } from '../../generated/ts/parse.js';
import * as validators from '../../generated/ts/validators/index.js';
import { ROOT, tempDir } from '../generator/helpers.js';
import { loadVectors } from './vectors.js';

/** The validators of the bundled schema in the flat layout: ajv's code of each type's whole schema. */
async function flatValidators(): Promise<Record<string, (data: unknown) => boolean>> {
  const files = await emitTs(schemaToIR(join(ROOT, 'schema')), { source: 'schema/websocket-message.schema.json', validatorLayout: 'flat' });
  const dir = tempDir();
  for (const [name, text] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return (await import(pathToFileURL(join(dir, 'validators/index.js')).href)) as Record<string, (data: unknown) => boolean>;
}

type Check = (data: unknown) => boolean;
const byName = validators as unknown as Record<string, Check & { errors?: unknown[] | null }>;
const guardByName = guards as unknown as Record<string, Check>;
const TYPES = Object.keys(byName).filter((n) => n.startsWith('accepts')).map((n) => n.slice('accepts'.length));

/** Every vector's message, and each valid one with one or two fields replaced by a wrong value. */
function messages(): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const bad: unknown[] = [12.5, '', 'x'.repeat(5000), -1, null, {}, [], true, 'not-a-date', undefined];
  for (const v of loadVectors().filter((x) => x.raw === undefined)) {
    out.push([`${v.file}: ${v.name}`, v.message]);
    if (!v.valid || typeof v.message !== 'object' || v.message === null) continue;
    const msg = v.message as Record<string, unknown>;
    const keys = [...Object.keys(msg), 'message', 'seq', 'epoch', 'last_seq', 'is_streaming', 'unknown_key'];
    keys.forEach((a, i) => {
      out.push([`${v.name}: ${a} bad`, { ...msg, [a]: bad[i % bad.length] }]);
      const b = keys[(i + 3) % keys.length]!;
      out.push([`${v.name}: ${a} and ${b} bad`, { ...msg, [a]: bad[(i + 1) % bad.length], [b]: bad[(i + 5) % bad.length] }]);
    });
  }
  return out;
}

describe('per-type fast verdicts agree with the validators that report the errors', () => {
  const cases = messages();

  it('covers every message type and thousands of messages', () => {
    expect(TYPES.length).toBe(24);
    expect(cases.length).toBeGreaterThan(2000);
  });

  it('accepts<Type> gives the verdict of ajv\'s code of the flat schema, and validate<Type> sets errors exactly when it refuses', async () => {
    const flat = await flatValidators();
    for (const t of TYPES) {
      const accepts = byName[`accepts${t}`]!;
      const validate = byName[`validate${t}`]!;
      const oracle = flat[`validate${t}`]!;
      const wrong: string[] = [];
      for (const [name, m] of cases) {
        const ok = oracle(m);
        if (accepts(m) !== ok || validate(m) !== ok || (validate.errors == null) !== ok) wrong.push(`${t}: ${name}`);
      }
      expect(wrong).toEqual([]);
    }
  }, 120_000);

  it('one guard accepts what validateMessage accepts, none what it refuses', () => {
    for (const [name, m] of cases) {
      const accepted = TYPES.filter((t) => guardByName[`is${t}`]!(m));
      expect(accepted.length, name).toBe(validateMessage(m).ok ? 1 : 0);
    }
  });
});
