// README "From zero", run as a new user would: in a project made by `npx wsgen init`, with wsgen and typescript
// installed (as links to this checkout: no registry), the recipe that loads the generated TypeScript in plain
// Node, and the advice on stopping a server started in the background.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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

/** Processes this file started, to stop after each test (the server npx leaves behind included). */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Starts `cmd args` in `cwd` as `cmd args &` would (its pid is `$!`); resolves with the port once it listens. */
async function serve(cmd: string, args: string[], cwd: string): Promise<{ proc: ChildProcess; port: number; output: () => string }> {
  const proc = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc.pid!);
  let out = '';
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /endpoint: ws:\/\/127\.0\.0\.1:(\d+)\/ws/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.once('exit', (code) => reject(new Error(`${cmd} exited (${code}) before listening: ${out}`)));
  });
  return { proc, port, output: () => out };
}

/** Whether /healthz answers on `port`. */
async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** Pids of the `wsgen serve` processes running from `dir`. */
function serversIn(dir: string): number[] {
  const ps = spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout;
  return ps
    .split('\n')
    .filter((l) => l.includes(`${dir}/node_modules/.bin/wsgen serve`))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe('README "From zero": stopping a server started in the background', () => {
  it('kill $! of `npx wsgen serve &` stops only npx: the server keeps listening', async () => {
    const dir = newProject();
    const { proc, port } = await serve('npx', ['wsgen', 'serve', '--schema', 'schema', '--port', '0'], dir);
    const exited = new Promise((r) => proc.once('exit', r));
    process.kill(proc.pid!, 'SIGTERM');
    await exited;
    expect(await answers(port)).toBe(true);
    const left = serversIn(dir);
    expect(left).toHaveLength(1); // not npx itself: the node process npx started (through sh)
    expect(left).not.toContain(proc.pid);
    started.push(...left);
  }, 60_000);

  it('kill $! of `node_modules/.bin/wsgen serve &` stops the server itself (graceful shutdown)', async () => {
    const dir = newProject();
    const { proc, port, output } = await serve('node_modules/.bin/wsgen', ['serve', '--schema', 'schema', '--port', '0'], dir);
    expect(await answers(port)).toBe(true);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    process.kill(proc.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(output()).toMatch(/"event":"shutdown_complete"/);
    expect(await answers(port)).toBe(false);
    expect(serversIn(dir)).toEqual([]);
  }, 60_000);
});
