/** Test helpers: temporary schema folders and a wrapper that captures WsgenError. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, vi } from 'vitest';
import { WsgenError } from '../../generator/errors.js';

/** Repository root. */
export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

/** The folders tempDir made in this test file (each file imports this module afresh: vitest isolates files). */
const made: string[] = [];
// Registered while the importing test file is collected, so it runs once that file's tests and hooks are done
// (after the afterAll hooks of its describe blocks, which stop servers still using the folders).
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

/**
 * A fresh folder under the OS temporary folder, removed with everything in it after the test file that
 * made it (symbolic links inside are removed, never followed).
 */
export function tempDir(prefix = 'wsgen-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Copies the bundled schema into a temp folder, applies `edit` to the parsed files, writes them back. */
export function schemaVariant(edit: (files: Record<string, any>) => void): string {
  const dir = tempDir();
  cpSync(join(ROOT, 'schema'), dir, { recursive: true });
  const names = ['enums.schema.json', 'envelope.schema.json', 'websocket-message.schema.json'];
  const files: Record<string, any> = {};
  for (const n of names) files[n] = JSON.parse(readFileSync(join(dir, n), 'utf8'));
  edit(files);
  for (const n of names) writeFileSync(join(dir, n), JSON.stringify(files[n], null, 2));
  return dir;
}

/** Writes raw files into a fresh temp folder and returns it. */
export function writeSchema(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Runs `fn` and returns the WsgenError it throws (fails the test if it throws nothing else). */
export async function catchWsgen(fn: () => unknown): Promise<WsgenError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof WsgenError) return err;
    throw err;
  }
  throw new Error('expected a WsgenError, got none');
}

/**
 * Captures what the CLI writes to stdout and stderr in each test of the file
 * (call at the top level), restores the working directory and exit code after each.
 * `clear()` forgets what was captured so far (for a second command in one test).
 */
export function captureStdio(): { out: () => string; err: () => string; clear: () => void } {
  let out = '';
  let err = '';
  const cwd = process.cwd();
  beforeEach(() => {
    out = '';
    err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.chdir(cwd);
    process.exitCode = 0;
  });
  return {
    out: () => out,
    err: () => err,
    clear: () => {
      out = '';
      err = '';
    },
  };
}

/**
 * Runs tsc (strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, Node ESM) over `include` (globs
 * relative to `dir`, where its tsconfig.json is written) and returns its report: '' when everything type-checks.
 */
export function strictTsc(dir: string, include: string[]): string {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, skipLibCheck: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: [] }, include }),
  );
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8', stdio: 'pipe', maxBuffer: 64 << 20 });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout);
  }
}
