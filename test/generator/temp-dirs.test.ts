// Tests leave no temporary folders behind: every folder tempDir() makes (schemas, outputs, the from-zero
// projects) is removed after the test file that made it. Run on a real test file in a child vitest with its
// own TMPDIR (os.tmpdir() reads it), so only that run's folders are looked at.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'wsgen-tmpdir-check-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('temporary folders', () => {
  it('a test file that makes several (schemas and exports) leaves none in the temporary folder', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/generator/asyncapi-checked.test.ts'], {
      cwd: ROOT, env: { ...process.env, TMPDIR: scratch }, encoding: 'utf8', timeout: 120_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 passed/);
    expect(readdirSync(scratch)).toEqual([]);
  }, 150_000);
});
