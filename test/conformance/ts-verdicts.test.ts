import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { isWebSocketMessage, parseMessage, validateMessage } from '../../generated/ts/index.js';
import { isDateTime, isUuid } from '../../generated/ts/runtime.js';
import { ROOT } from '../generator/helpers.js';
import { loadVectors, vectorText } from './vectors.js';

const vectors = loadVectors();

describe('conformance vectors: the TypeScript side', () => {
  it('has at least 200 vectors, with both verdicts in every file', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(200);
    for (const file of new Set(vectors.map((v) => v.file))) {
      const here = vectors.filter((v) => v.file === file);
      expect(here.some((v) => v.valid), file).toBe(true);
      expect(here.some((v) => !v.valid), file).toBe(true);
    }
  });

  it.each(vectors.map((v) => [`${v.file}: ${v.name}`, v] as const))('parseMessage: %s', (_n, v) => {
    const r = parseMessage(vectorText(v));
    expect(r.ok).toBe(v.valid);
    if (!r.ok) {
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) expect(e).toEqual({ path: expect.any(String), keyword: expect.any(String), message: expect.any(String), params: expect.any(Object) });
    }
  });

  it.each(vectors.filter((v) => v.raw === undefined).map((v) => [`${v.file}: ${v.name}`, v] as const))('guard and validateMessage: %s', (_n, v) => {
    expect(isWebSocketMessage(v.message)).toBe(v.valid);
    expect(validateMessage(v.message).ok).toBe(v.valid);
  });
});

describe('the flattened validators agree with the raw schema read by a plain 2020-12 validator', () => {
  // The raw schema uses allOf + unevaluatedProperties and a discriminator; ajv reads it directly,
  // with wsgen's exact formats. Wire rules outside JSON Schema (depth, surrogates, JSON syntax) are excluded.
  const ajv = new Ajv2020({ strict: false, discriminator: true, allErrors: false });
  ajv.addFormat('date-time', isDateTime);
  ajv.addFormat('uuid', isUuid);
  for (const f of ['enums.schema.json', 'envelope.schema.json', 'wsgen/roles.schema.json']) ajv.addSchema(JSON.parse(readFileSync(join(ROOT, 'schema', f), 'utf8')));
  const raw = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'websocket-message.schema.json'), 'utf8')));
  const schemaOnly = vectors.filter((v) => v.raw === undefined && !v.name.startsWith('depth:'));

  it.each(schemaOnly.map((v) => [`${v.file}: ${v.name}`, v] as const))('%s', (_n, v) => {
    expect(raw(v.message)).toBe(v.valid);
  });
});
