// The package manifest as an app installs it: React is the app's (peer
// dependencies, never a dependency, so one copy ends up in a bundle), `ws` is
// an optional peer for Node clients, and every runtime has its own subpath
// export whose built module and type declarations exist.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../e2e/helpers.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  exports: Record<string, string>;
};

describe('package.json', () => {
  it.each(['react', 'react-dom'])('%s is a peer dependency, never a dependency', (name) => {
    expect(pkg.peerDependencies[name]).toBe('>=18');
    expect(pkg.dependencies[name]).toBeUndefined();
  });

  it('ws is an optional peer (Node clients; browsers use their own WebSocket)', () => {
    expect(pkg.peerDependencies['ws']).toBeDefined();
    expect(pkg.peerDependenciesMeta['ws']?.optional).toBe(true);
  });

  it.each([
    ['./runtime/client', 'runtime/client/index'],
    ['./runtime/react', 'runtime/react/index'],
    ['./runtime/server', 'runtime/server/index'],
    ['./runtime/chat/client', 'runtime/chat/client'],
    ['./runtime/chat/react', 'runtime/chat/react'],
    ['./generated', 'generated/ts/index'],
  ])('exports %s as a built module with its type declarations', (subpath, module) => {
    expect(pkg.exports[subpath]).toBe(`./dist/${module}.js`);
    expect(existsSync(join(REPO, 'dist', `${module}.js`))).toBe(true);
    expect(existsSync(join(REPO, 'dist', `${module}.d.ts`))).toBe(true);
  });

  it('packs the fixed modules every generated output copies (generator/shipped/), where the built generator finds them', () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = JSON.parse(execFileSync(npm, ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
    const paths = new Set(packed[0]!.files.map((f) => f.path));
    expect(paths.has('dist/generator/emit/shipped.js')).toBe(true);
    for (const target of ['ts', 'python']) {
      const names = readdirSync(join(REPO, 'generator/shipped', target)).filter((f) => !f.startsWith('.'));
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(paths.has(`generator/shipped/${target}/${name}`)).toBe(true);
    }
  });
});
