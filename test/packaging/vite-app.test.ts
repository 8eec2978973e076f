// A fresh `npm create vite` react-ts app (the template's own files and
// tsconfig: erasableSyntaxOnly, verbatimModuleSyntax) uses wsgen the two ways
// the README says: (a) the generated code and the runtimes vendored into src/,
// (b) the packed tarball installed as a dependency. Each type-checks with the
// template's tsconfig, builds with `vite build`, holds one copy of React, and
// renders in headless Chromium a component whose hooks connect to a wsgen
// server started here. (c) A link install (`npm install /path/to/wsgen`, a
// symlink to the clone) bundles the clone's React too, unless the app's Vite
// config dedupes React, as the README says.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, symlinkSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, referenceBackend } from '../e2e/backend.js';
import { REPO, launchChromium, serveStatic } from '../e2e/helpers.js';
import { TEMPLATE, copyTemplate, installedVersion, npmCiOffline, writeLock } from './fresh-app.js';

/** The component both apps render: a connection of the bundled protocol through the generic hooks. */
function appTsx(from: { react: string; protocol: string }): string {
  return `import { WebSocketProvider, useConnection, useMessages } from '${from.react}';
import { protocol } from '${from.protocol}';

const params = new URLSearchParams(window.location.search);

function Status() {
  const { status } = useConnection('guide', (s) => s.url('/api/ws/guide'), { token: params.get('token') ?? '' });
  const created = useMessages<typeof protocol, 'session_created'>('guide', 'session_created');
  return <p id="status">status: {status}; sessions: {created.length}</p>;
}

export default function App() {
  return (
    <WebSocketProvider protocol={protocol} options={{ baseUrl: params.get('ws') ?? '' }}>
      <Status />
    </WebSocketProvider>
  );
}
`;
}

type Pkg = { name: string; version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };

/**
 * The template's package.json with every dependency at the version this
 * repository installed (the offline cache holds those). The template's linter
 * (oxlint) is left out: it is not part of type-checking or building.
 */
function appPackage(): Pkg {
  const pkg = JSON.parse(readFileSync(join(TEMPLATE, 'package.json'), 'utf8')) as Pkg;
  const pin = (deps: Record<string, string>) => Object.fromEntries(Object.keys(deps).filter((n) => n !== 'oxlint').map((n) => [n, installedVersion(n)]));
  return { ...pkg, dependencies: pin(pkg.dependencies), devDependencies: pin(pkg.devDependencies) };
}

/**
 * Type-checks as the template's `tsc -b` does, project by project, with
 * `--strict` (the default of the template's TypeScript 7; this repository's
 * TypeScript 5.9 needs it said).
 */
function typeCheck(dir: string): void {
  const tsc = join(dir, 'node_modules/typescript/bin/tsc');
  for (const project of ['tsconfig.app.json', 'tsconfig.node.json']) {
    execFileSync(process.execPath, [tsc, '-p', project, '--strict'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

function viteBuild(dir: string): string {
  execFileSync(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const assets = join(dir, 'dist/assets');
  return readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(assets, f), 'utf8')).join('\n');
}

/** Runs a step; on failure, the error carries the command's output. */
function step<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; message: string };
    throw new Error(`${what} failed: ${err.message}\n${err.stdout?.toString() ?? ''}\n${err.stderr?.toString() ?? ''}`);
  }
}

/** The vendored app: generated/ts in src/protocol, runtime/{client,react,protocol} in src/wsgen (README "Vite / React frontend"). */
function makeVendored(dir: string): void {
  copyTemplate(dir);
  cpSync(join(REPO, 'generated/ts'), join(dir, 'src/protocol'), { recursive: true });
  for (const r of ['client', 'react', 'protocol']) {
    cpSync(join(REPO, 'runtime', r), join(dir, 'src/wsgen', r), { recursive: true, filter: (f) => !f.endsWith('.md') });
  }
  writeFileSync(join(dir, 'src/App.tsx'), appTsx({ react: './wsgen/react/index.ts', protocol: './protocol/protocol.ts' }));
  const pkg = appPackage();
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeLock(dir, pkg);
}

/** The app that installs the tarball `npm pack` makes of this repository. */
function makeInstalled(dir: string, tarball: string): void {
  copyTemplate(dir);
  writeFileSync(join(dir, 'src/App.tsx'), appTsx({ react: 'wsgen/runtime/react', protocol: 'wsgen/generated' }));
  const base = appPackage();
  const file = `file:${tarball}`;
  const pkg = { ...base, dependencies: { ...base.dependencies, wsgen: file } };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  const manifest = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const wsgen = { version: manifest['version'], resolved: file, integrity, license: manifest['license'], bin: manifest['bin'], engines: manifest['engines'], dependencies: manifest['dependencies'], peerDependencies: manifest['peerDependencies'], peerDependenciesMeta: manifest['peerDependenciesMeta'] };
  writeLock(dir, pkg, { 'node_modules/wsgen': wsgen as never });
}

/** The app with wsgen linked to this clone, as `npm install /path/to/wsgen` leaves it: a symlink in node_modules. */
function makeLinked(dir: string): void {
  copyTemplate(dir);
  writeFileSync(join(dir, 'src/App.tsx'), appTsx({ react: 'wsgen/runtime/react', protocol: 'wsgen/generated' }));
  const pkg = appPackage();
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  writeLock(dir, pkg);
}

/** The README's remedy for a link install: `resolve.dedupe` in the app's vite.config.ts. */
function dedupeReact(dir: string): void {
  const file = join(dir, 'vite.config.ts');
  const config = readFileSync(file, 'utf8');
  const edited = config.replace('plugins: [react()],', "plugins: [react()],\n  resolve: { dedupe: ['react', 'react-dom'] },");
  expect(edited).not.toBe(config);
  writeFileSync(file, edited);
}

/** Serves the built app and waits in headless Chromium until its hooks hold an open connection with a session; returns the page errors. */
async function renderAndConnect(dir: string, backend: Backend): Promise<string[]> {
  const site = await serveStatic(join(dir, 'dist'));
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.url}/?ws=${encodeURIComponent(backend.wsUrl)}&token=${encodeURIComponent(backend.token)}`);
    await page.waitForFunction(() => /status: open; sessions: [1-9]/.test(document.getElementById('status')?.textContent ?? ''), undefined, { timeout: 20_000 });
    return errors;
  } finally {
    await browser.close();
    await site.close();
  }
}

/** Serves the built app in headless Chromium and returns the first error the page throws (within 20 s). */
async function firstPageError(dir: string, backend: Backend): Promise<string> {
  const site = await serveStatic(join(dir, 'dist'));
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    const error = page.waitForEvent('pageerror', { timeout: 20_000 });
    await page.goto(`${site.url}/?ws=${encodeURIComponent(backend.wsUrl)}&token=${encodeURIComponent(backend.token)}`);
    return (await error).message;
  } finally {
    await browser.close();
    await site.close();
  }
}

/** How many copies of `react` and `react-dom` a built bundle holds: each copy defines its internals object once. */
function reactCopies(bundle: string): { react: number; reactDom: number } {
  const defined = (name: string) => bundle.match(new RegExp(`\\b${name}=(?!=)`, 'g'))?.length ?? 0;
  return { react: defined('__CLIENT_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE'), reactDom: defined('__DOM_INTERNALS_DO_NOT_USE_OR_WARN_USERS_THEY_CANNOT_UPGRADE') };
}

describe('a fresh Vite react-ts app', () => {
  const work = mkdtempSync(join(tmpdir(), 'wsgen-vite-app-'));
  let backend: Backend;
  const apps: Array<[string, string]> = [['vendored', join(work, 'vendored')], ['installed from the tarball', join(work, 'installed')]];
  const linked = join(work, 'linked');

  beforeAll(async () => {
    expect(existsSync(join(REPO, 'dist/runtime/client/index.js')), 'run node scripts/build.mjs first').toBe(true);
    const packed = step('npm pack', () => JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string }>);
    mkdirSync(apps[0]![1]);
    mkdirSync(apps[1]![1]);
    mkdirSync(linked);
    makeVendored(apps[0]![1]);
    makeInstalled(apps[1]![1], join(work, packed[0]!.filename));
    makeLinked(linked);
    // The installs at once: they wait mostly on the disk, not on a core.
    await Promise.all([...apps.map(([, dir]) => dir), linked].map((dir) => npmCiOffline(dir)));
    symlinkSync(REPO, join(linked, 'node_modules/wsgen'), 'dir');
    backend = await referenceBackend();
  }, 150_000);

  afterAll(async () => {
    await backend?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it.each(apps)('%s: installed offline, type-checks, builds with one React, renders and connects', async (_name, dir) => {
    expect(readdirSync(join(dir, 'node_modules')).filter((n) => n === 'react')).toEqual(['react']);
    expect(existsSync(join(dir, 'node_modules/wsgen/node_modules/react'))).toBe(false);
    step('tsc', () => typeCheck(dir));
    const bundle = step('vite build', () => viteBuild(dir));
    expect(reactCopies(bundle)).toEqual({ react: 1, reactDom: 1 });
    expect(await renderAndConnect(dir, backend)).toEqual([]);
  }, 180_000);

  it('linked to the clone: two Reacts in the bundle and a page that fails, one with resolve.dedupe, which renders and connects', async () => {
    const twice = step('vite build', () => viteBuild(linked));
    expect(reactCopies(twice)).toEqual({ react: 2, reactDom: 1 });
    expect(await firstPageError(linked, backend)).toContain("Cannot read properties of null (reading 'useState')");
    dedupeReact(linked);
    const once = step('vite build', () => viteBuild(linked));
    expect(reactCopies(once)).toEqual({ react: 1, reactDom: 1 });
    expect(await renderAndConnect(linked, backend)).toEqual([]);
  }, 180_000);
});
