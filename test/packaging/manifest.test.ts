// The package manifest as an app installs it: React is the app's (peer
// dependencies, never a dependency, so one copy ends up in a bundle), `ws` is
// an optional peer for Node clients, and every runtime has its own subpath
// export whose built module and type declarations exist.
import { existsSync, readFileSync } from 'node:fs';
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
});
