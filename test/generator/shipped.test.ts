// The fixed Python code every output carries: real modules in generator/shipped/python,
// copied into each output unchanged under the banner (one mechanism, every file, in
// order), linted and type-checked where they live, and shipped in the npm package.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitShipped, shippedFiles } from '../../generator/emit/shipped.js';
import { KEYWORD_MODULE } from '../../generator/emit/py-checked.js';
import { generate } from '../../generator/index.js';
import { ROOT } from './helpers.js';

const SHIPPED = join(ROOT, 'generator/shipped/python');
const PYTHON = join(ROOT, '.venv/bin/python');
const sources = () => readdirSync(SHIPPED).filter((f) => f.endsWith('.py')).sort();

describe('shipped Python modules', () => {
  it('are every file of generator/shipped/python, in code-unit order of their names', () => {
    expect(shippedFiles('python').map(([name]) => name)).toEqual(sources());
    expect(sources().length).toBeGreaterThan(5);
  });

  it('go into the output as banner, a line naming the source, then the source unchanged', async () => {
    const { files } = await generate({ schema: join(ROOT, 'schema'), out: join(ROOT, 'generated') });
    const banner = files.get('python/wsgen_protocol/parse.py')!.split('\n').slice(0, 2).join('\n');
    // The keyword checker's modules go only into outputs with a checked subschema (the bundled schema has none);
    // the root parser only into outputs of a root that is no tagged union (test/generator/root.test.ts).
    const rootOnly = (n: string) => n === '_root_parser.py';
    for (const name of sources().filter((n) => !KEYWORD_MODULE.test(n) && !rootOnly(n))) {
      const text = files.get(`python/wsgen_protocol/${name}`);
      expect(text, name).toBe(`${banner}\n# Copied from wsgen's generator/shipped/python/${name}: the same in every output.\n${readFileSync(join(SHIPPED, name), 'utf8')}`);
    }
    expect(sources().filter((n) => (KEYWORD_MODULE.test(n) || rootOnly(n)) && files.has(`python/wsgen_protocol/${n}`))).toEqual([]);
    expect(emitShipped('python', 'B', '#').get('_wire.py')!.startsWith('B\n# Copied from')).toBe(true);
  });

  it('keep templates to what varies per schema: no template renders a shipped module', () => {
    const templates = readdirSync(join(ROOT, 'generator/templates/python')).map((f) => f.replace(/\.hbs$/, ''));
    expect(templates.filter((t) => sources().includes(t))).toEqual([]);
  });

  it('stay under ~400 lines each', () => {
    for (const name of sources()) expect(readFileSync(join(SHIPPED, name), 'utf8').split('\n').length, name).toBeLessThanOrEqual(400);
  });

  it('are ruff clean where they live', () => {
    execFileSync(PYTHON, ['-m', 'ruff', 'check', '--no-cache', '--preview', '--select', 'E,W,F,I,UP', '--ignore', 'E501', '--target-version', 'py311', SHIPPED], { stdio: 'pipe' });
  }, 60_000);
});
