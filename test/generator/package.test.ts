// What `npm pack` puts in the package: the built dist/ (git ignores it, so the
// "files" list must name it), the templates the generator checks its precompiled
// copies against, the shipped modules every output copies, the bundled schema and the generated code to vendor.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

describe('npm pack', () => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
  const files = new Set(packed[0]!.files.map((f) => f.path));

  it.each([
    'bin/wsgen.js',
    'dist/generator/cli.js',
    'dist/generator/metaschema.js',
    'dist/generator/templates.compiled.js',
    'dist/generated/ts/index.js',
    'dist/runtime/server/index.js',
    'dist/runtime/client/index.js',
    'dist/runtime/react/index.js',
    'generator/templates/ts/parse.js.hbs',
    'schema/websocket-message.schema.json',
    'schema/wsgen/roles.schema.json',
    'generator/templates/ts/protocol.ts.hbs',
    'generator/templates/python/protocol.py.hbs',
    'generated/python/wsgen_protocol/parse.py',
    'README.md',
    'generator/init-template/schema/protocol.schema.json',
    'generator/init-template/wsgen.config.json',
    'generator/init-template/.github/workflows/wsgen.yml',
    'dist/generator/cli/init.js',
    'dist/generator/cli/load-protocol.js',
    'dist/runtime/server/serve-schema.js',
  ])('includes %s', (path) => {
    expect(files.has(path)).toBe(true);
  });

  it('includes every shipped module (generator/shipped/python), which every Python output copies', () => {
    const shipped = readdirSync(join(ROOT, 'generator/shipped/python')).map((f) => `generator/shipped/python/${f}`);
    expect(shipped.length).toBeGreaterThan(0);
    expect(shipped.filter((f) => !files.has(f))).toEqual([]);
  });

  it('leaves out tests, benchmarks and sources the package does not run', () => {
    expect([...files].filter((f) => /^(test|bench|examples|scripts)\/|\.test\.|^generator\/[^/]+\.ts$/.test(f))).toEqual([]);
  });
}, 60_000);
