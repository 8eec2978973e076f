// README "From zero", run as a new user would: in a project made by `npx wsgen init`, with wsgen and typescript
// installed (as links to this checkout: no registry), the recipe that loads the generated TypeScript in plain
// Node.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../generator/helpers.js';
import { REPO } from './helpers.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');

/** The first ```sh block of README.md after `marker`. */
function readmeBlock(marker: string): string {
  const at = README.indexOf(marker);
  expect(at, `README.md has "${marker}"`).toBeGreaterThanOrEqual(0);
  const m = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  expect(m, `a sh block after "${marker}"`).not.toBeNull();
  return m![1]!;
}

/** A folder with a package.json, wsgen and typescript installed (linked), after `npx wsgen init`. */
function newProject(): string {
  const dir = tempDir('wsgen-from-zero-');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'from-zero', private: true }));
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync(REPO, join(dir, 'node_modules/wsgen'));
  symlinkSync(join(REPO, 'node_modules/typescript'), join(dir, 'node_modules/typescript'));
  symlinkSync('../wsgen/bin/wsgen.js', join(dir, 'node_modules/.bin/wsgen'));
  symlinkSync('../typescript/bin/tsc', join(dir, 'node_modules/.bin/tsc'));
  const init = spawnSync('npx', ['wsgen', 'init'], { cwd: dir, encoding: 'utf8' });
  expect(init.status, init.stderr).toBe(0);
  return dir;
}

const bash = (script: string, cwd: string) => spawnSync('bash', ['-e', '-c', script], { cwd, encoding: 'utf8' });

describe('README "From zero": the generated TypeScript in plain Node', () => {
  const recipe = readmeBlock('**The generated TypeScript in plain Node**');

  it('the recipe compiles the generated code and a script importing it with tsc, and node runs it', () => {
    const dir = newProject();
    const r = bash(recipe, dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('valid say\n');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type).toBe('module');
    const parse = readFileSync(join(dir, 'build/generated/ts/parse.js'), 'utf8'); // a plain .js file, brought by allowJs
    expect(parse).toMatch(/^import \* as v from '\.\/validators\/index\.js';$/m);
    expect(parse).not.toMatch(/\brequire\(/);
    expect(existsSync(join(dir, 'build/generated/ts/validators/Say.js'))).toBe(true);
  }, 60_000);

  it('without "type": "module" (the README\'s reason to set it) tsc emits the same code as CommonJS', () => {
    const withoutType = recipe.replace('npm pkg set type=module\n', '');
    expect(withoutType).not.toBe(recipe);
    const dir = newProject();
    bash(withoutType, dir);
    expect(readFileSync(join(dir, 'build/generated/ts/parse.js'), 'utf8')).toMatch(/\brequire\("\.\/validators\/index\.js"\)/);
  }, 60_000);
});
