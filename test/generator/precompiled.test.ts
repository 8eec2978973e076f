// The build precompiles ajv's 2020-12 metaschema check (and the templates) into
// dist/generator/ (the CLI loads them instead of compiling them on every
// run). The check must judge every schema as ajv itself does.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { METASCHEMA_ID, METASCHEMA_OPTIONS } from '../../generator/built.js';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

type Check = ((schema: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

const files = (dir: string) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(ROOT, dir, f), 'utf8')) as unknown);
const BROKEN: unknown[] = [
  { type: 'string', minLength: -1 },
  { type: 5 },
  { required: 'x' },
  { $defs: [] },
  { oneOf: {} },
  { pattern: 7 },
  { $ref: 5 },
  { items: [{ type: 'string' }] },
  { discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/A' }], $defs: { A: { maximum: 'x' } } },
];
const SCHEMAS: unknown[] = [...files('schema'), ...files('test/fixtures/mini'), ...files('test/fixtures/edges'), { properties: { a: { enum: [] } } }, ...BROKEN];

describe('the precompiled metaschema check (dist/generator/metaschema.js)', async () => {
  const precompiled = ((await import(pathToFileURL(join(ROOT, 'dist/generator/metaschema.js')).href)) as { validate: Check }).validate;
  const ajv = new Ajv2020(METASCHEMA_OPTIONS);
  const runtime = ajv.getSchema(METASCHEMA_ID) as Check;

  it.each(SCHEMAS.map((s, i) => [i, s] as const))('schema %i is judged as ajv judges it', (_i, schema) => {
    const ok = runtime(schema);
    expect(precompiled(schema)).toBe(ok);
    if (!ok) expect(precompiled.errors?.[0]).toEqual(runtime.errors?.[0]);
  });

  it.each(BROKEN.map((s) => [JSON.stringify(s).slice(0, 60), s] as const))('refuses %s', (_name, schema) => {
    expect(precompiled(schema)).toBe(false);
  });
});

describe('the precompiled templates (dist/generator/templates.compiled.js)', async () => {
  const { templateHash } = await import('../../generator/templates.js');
  const compiled = ((await import(pathToFileURL(join(ROOT, 'dist/generator/templates.compiled.js')).href)) as { default: Record<string, { hash: string }> }).default;
  const sources = readdirSync(join(ROOT, 'generator/templates')).flatMap((dir) =>
    readdirSync(join(ROOT, 'generator/templates', dir)).filter((f) => f.endsWith('.hbs')).map((f) => `${dir}/${f.slice(0, -4)}`),
  );

  it('holds every template, built from its current source', () => {
    expect(Object.keys(compiled).sort()).toEqual(sources.sort());
    for (const name of sources) expect(compiled[name]!.hash, name).toBe(templateHash(readFileSync(join(ROOT, 'generator/templates', name + '.hbs'), 'utf8')));
  });
});

describe('the built CLI (precompiled templates and metaschema) and the sources write the same files', () => {
  it.each(['test/fixtures/hostile', 'test/fixtures/edges'])('%s', async (fixture) => {
    const { execFileSync } = await import('node:child_process');
    const { generate } = await import('../../generator/index.js');
    const { tempDir } = await import('./helpers.js');
    const out = join(tempDir(), 'gen');
    execFileSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'generate', '--schema', join(ROOT, fixture), '--out', out, '--quiet']);
    const { files } = await generate({ schema: join(ROOT, fixture), out });
    for (const [name, text] of files) expect(readFileSync(join(out, name), 'utf8'), name).toBe(text);
  }, 60_000);
});
