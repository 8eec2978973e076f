import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitTs } from '../../generator/emit/ts.js';
import { schemaToIR } from '../../generator/index.js';
import { ROOT, tempDir } from '../generator/helpers.js';
import { loadVectors, vectorText } from './vectors.js';

// Both validator layouts (flat per type; own + shared envelope fields) must give
// every vector the same verdict, with the same errors: the first error alone,
// and every error when the validators collect them all (ajv's allErrors, as
// `wsgen validate` lists them).
const vectors = loadVectors();

async function parserFor(layout: 'flat' | 'shared', allErrors = false) {
  const ir = schemaToIR(join(ROOT, 'schema'));
  const files = await emitTs(ir, { source: 'schema/websocket-message.schema.json', validatorLayout: layout, allErrors });
  const dir = tempDir();
  for (const [name, text] of files) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return ((await import(pathToFileURL(join(dir, 'parse.js')).href)) as typeof import('../../generated/ts/parse.js')).parseMessage;
}

describe('validator layouts agree', async () => {
  const flat = await parserFor('flat');
  const shared = await parserFor('shared');
  it.each(vectors.map((v) => [`${v.file}: ${v.name}`, v] as const))('%s', (_n, v) => {
    const a = flat(vectorText(v));
    const b = shared(vectorText(v));
    expect(a.ok).toBe(v.valid);
    expect(b).toEqual(a);
  });
});

describe('validator layouts agree on every error (allErrors)', async () => {
  const flat = await parserFor('flat', true);
  const shared = await parserFor('shared', true);
  it.each(vectors.map((v) => [`${v.file}: ${v.name}`, v] as const))('%s', (_n, v) => {
    expect(shared(vectorText(v))).toEqual(flat(vectorText(v)));
  });
});

describe('validator layouts agree when several fields are bad at once', async () => {
  // The composed layout runs the type's own checks and the shared base fields
  // separately; with two bad fields the flat schema's order decides which error
  // comes first (a narrowed field against a later base field, an added field
  // against an earlier one, a removed field, an unknown key...).
  const flat = await parserFor('flat');
  const shared = await parserFor('shared');
  const flatAll = await parserFor('flat', true);
  const sharedAll = await parserFor('shared', true);
  const bad: unknown[] = [12.5, '', 'x'.repeat(5000), -1, null, {}, [], true];
  const cases: Array<[string, string]> = [];
  for (const v of vectors.filter((x) => x.valid && x.raw === undefined)) {
    const msg = v.message as Record<string, unknown>;
    if (cases.some(([, t]) => (JSON.parse(t) as { type: unknown }).type === msg['type'])) continue;
    const keys = [...Object.keys(msg), 'message', 'is_streaming', 'seq', 'epoch', 'last_seq', 'session_token', 'realm', 'schema_hash', 'unknown_key'];
    keys.forEach((a, i) => {
      for (const b of keys.slice(i + 1)) {
        const m = { ...msg, [a]: bad[i % bad.length], [b]: bad[(i + b.length) % bad.length] };
        cases.push([`${String(msg['type'])}: ${a} and ${b}`, JSON.stringify(m)]);
      }
    });
  }

  it('covers every message type with pairs of bad fields', () => {
    expect(cases.length).toBeGreaterThan(1000);
  });

  it('reports the same first error and the same list of errors', () => {
    for (const [name, text] of cases) {
      expect(shared(text), name).toEqual(flat(text));
      expect(sharedAll(text), name).toEqual(flatAll(text));
    }
  });
});
