import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emitTs } from '../../generator/emit/ts.js';
import { schemaToIR } from '../../generator/index.js';
import { ROOT, tempDir } from '../generator/helpers.js';
import { loadVectors, vectorText } from './vectors.js';

// Both validator layouts (flat per type; own + shared envelope fields) must give
// every vector the same verdict, with the same first error.
const vectors = loadVectors();

async function parserFor(layout: 'flat' | 'shared') {
  const ir = schemaToIR(join(ROOT, 'schema'));
  const files = await emitTs(ir, { source: 'schema/websocket-message.schema.json', validatorLayout: layout });
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
    expect(b.ok).toBe(v.valid);
  });
});
