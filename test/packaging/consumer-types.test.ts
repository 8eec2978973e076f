// The published type declarations type-check in a consumer that checks libraries too (`skipLibCheck: false`),
// with only what installing the package brings (TRIAL9 finding 9: dist/runtime/server/ws.d.ts imports `ws`, whose
// types live in @types/ws; as a devDependency it was missing in a consumer, TS7016). The consumer's node_modules
// holds the packed files of wsgen (a copy, so that nothing resolves through this repository's node_modules) and
// the production closure of package.json's dependencies (from package-lock.json), plus the consumer's own
// @types/node (a Node server's own code needs it anyway).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../e2e/helpers.js';
import { tempDir } from '../generator/helpers.js';

type Lock = { packages: Record<string, { dependencies?: Record<string, string> }> };

/** The top-level packages an install of wsgen brings: package.json's dependencies and theirs, through the lockfile. */
function productionClosure(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lock;
  const seen = new Set<string>();
  const stack = Object.keys(pkg.dependencies);
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    stack.push(...Object.keys(lock.packages[`node_modules/${name}`]?.dependencies ?? {}));
  }
  return [...seen].sort();
}

/** The files `npm pack` puts in the package. */
function packedFiles(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}

describe('the published declarations', () => {
  it('type-check with skipLibCheck false in a consumer with only the installed dependencies', () => {
    const app = tempDir();
    const modules = join(app, 'node_modules');
    for (const path of packedFiles()) {
      mkdirSync(dirname(join(modules, 'wsgen', path)), { recursive: true });
      cpSync(join(REPO, path), join(modules, 'wsgen', path));
    }
    for (const name of [...productionClosure(), '@types/node']) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      try {
        symlinkSync(join(REPO, 'node_modules', name), join(modules, name), 'dir');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
      include: ['main.ts'],
    }));
    writeFileSync(join(app, 'main.ts'), [
      "import * as server from 'wsgen/runtime/server';",
      "import * as client from 'wsgen/runtime/client';",
      "import * as generated from 'wsgen/generated';",
      'export const names: number = Object.keys(server).length + Object.keys(client).length + Object.keys(generated).length;',
      '',
    ].join('\n'));
    let output = '';
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: string }).stdout ?? err);
    }
    expect(output).toBe('');
  }, 120_000);
});
