/** Test helpers: temporary schema folders and a wrapper that captures WsgenError. */
import { cpSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, vi } from 'vitest';
import { WsgenError } from '../../generator/errors.js';

/** Repository root. */
export const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

/** A fresh temporary folder. */
export function tempDir(prefix = 'wsgen-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
