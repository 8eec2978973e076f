// What the CLI tells a new user (the trial's cosmetic findings): where the files went, the next commands as
// they run in a project (`npx wsgen`), and where to look after a usage error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { ROOT, captureStdio, tempDir } from './helpers.js';

const io = captureStdio();
const MINI = join(ROOT, 'test/fixtures/mini');
const HINT = "hint: run 'wsgen --help' for the commands, 'wsgen <command> --help' for a command's options";

describe('generate and check name the folders the files are in', () => {
  it('--target python --out X: X/python/wsgen_protocol/, where the files are', async () => {
    const out = tempDir();
    expect(await main(['generate', '--schema', MINI, '--target', 'python', '--out', out])).toBe(ExitCode.OK);
    expect(io.out()).toMatch(new RegExp(`wrote \\d+ files to ${out}/python/wsgen_protocol/ \\(`));
    expect(existsSync(join(out, 'python/wsgen_protocol/__init__.py'))).toBe(true);
  });

  it('--out X with both targets, and check: each target folder', async () => {
    const out = tempDir();
    expect(await main(['generate', '--schema', MINI, '--out', out])).toBe(ExitCode.OK);
    expect(io.out()).toContain(`files to ${out}/ts/, ${out}/python/wsgen_protocol/ (`);
    io.clear();
    expect(await main(['check', '--schema', MINI, '--out', out])).toBe(ExitCode.OK);
    expect(io.out()).toContain(`${out}/ts/, ${out}/python/wsgen_protocol/ up to date`);
  });
});

describe('init', () => {
  it('says the next commands as they run in the project: npx wsgen …', async () => {
    const dir = tempDir();
    expect(await main(['init', dir])).toBe(ExitCode.OK);
    const next = io.out().split('\n').find((l) => l.startsWith('next:'))!;
    expect(next).toContain('npx wsgen generate --watch, npx wsgen check, npx wsgen serve --schema schema');
    expect(next.replace(/npx wsgen/g, '')).not.toMatch(/\bwsgen (generate|check|serve)\b/);
  }, 60_000);
});

describe('usage errors (exit 3) say where to look', () => {
  it.each([
    ['an unknown command', ['frob']],
    ['an unknown option', ['generate', '--frob']],
    ['a missing argument', ['validate']],
    ['an unknown target', ['generate', '--target', 'rust']],
  ])('%s', async (_name, argv) => {
    expect(await main(argv)).toBe(ExitCode.USAGE);
    expect(io.err()).toMatch(/^error: /);
    expect(io.err()).toContain(HINT);
  });
});
