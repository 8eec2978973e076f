// A fresh Vite react-ts app, as `npm create vite` makes it: the template's own
// files copied from the create-vite package pinned in devDependencies (so no
// network is needed for the template), installed offline with `npm ci` from a
// lockfile cut out of this repository's (every tarball is in npm's cache once
// this repository's `npm ci` has run).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from '../e2e/helpers.js';

type LockEntry = {
  version?: string;
  resolved?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
};

/** The template's folder inside the pinned create-vite package. */
export const TEMPLATE = join(REPO, 'node_modules/create-vite/template-react-ts');

/** Copies the template into `dir` the way create-vite does (`_gitignore` becomes `.gitignore`). */
export function copyTemplate(dir: string): void {
  cpSync(TEMPLATE, dir, { recursive: true });
  renameSync(join(dir, '_gitignore'), join(dir, '.gitignore'));
}

/** The package-lock.json `packages` of this repository. */
function repoLock(): Record<string, LockEntry> {
  return (JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages;
}

/** Node's lookup of `name` from the package at `from` ('' for the root), on lockfile paths. */
function resolveIn(lock: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut === -1 ? '' : base.slice(0, cut);
  }
}

/**
 * The app's package-lock.json: its root deps as `pkg` declares them, every
 * package they need (dependencies, optional ones present here, required peers)
 * at the path this repository's lockfile has it, plus `extra` entries (such as
 * a packed tarball) whose dependencies are resolved the same way.
 */
export function writeLock(dir: string, pkg: { name: string; version: string; dependencies: Record<string, string>; devDependencies: Record<string, string> }, extra: Record<string, LockEntry> = {}): void {
  const lock = { ...repoLock(), ...extra };
  const out: Record<string, LockEntry> = {};
  const visit = (path: string): void => {
    if (out[path]) return;
    const { dev: _d, devOptional: _o, peer: _p, ...entry } = lock[path]!;
    out[path] = entry;
    const optionalPeer = (n: string) => entry.peerDependenciesMeta?.[n]?.optional === true;
    const names = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {}).filter((n) => !optionalPeer(n))];
    for (const n of names) {
      const at = resolveIn(lock, path, n);
      if (at) visit(at);
      else if (entry.dependencies?.[n]) throw new Error(`fresh app: ${path} needs ${n}, which this repository's lockfile lacks`);
    }
  };
  for (const n of [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)]) {
    const at = resolveIn(lock, '', n);
    if (!at) throw new Error(`fresh app: ${n} is not in this repository's lockfile`);
    visit(at);
  }
  const root = { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, devDependencies: pkg.devDependencies };
  const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]!]));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: { '': root, ...sorted } }, null, 2) + '\n');
}

/** The version of `name` this repository installed (node_modules). */
export function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** `npm ci` without the network: every tarball must come from npm's cache. Rejects with npm's output. */
export async function npmCiOffline(dir: string): Promise<void> {
  try {
    await promisify(execFile)('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], { cwd: dir, timeout: 120_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`npm ci --offline in ${dir} failed: ${err.message}\n${err.stdout ?? ''}\n${err.stderr ?? ''}`);
  }
}
