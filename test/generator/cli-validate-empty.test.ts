// `wsgen validate` of an input that holds no message (empty, or JSON whitespace only): an error with a code, the
// input as location and a hint, exit 2 (bad input, README "Exit codes"), for files and stdin; never "0 valid,
// 0 invalid" with exit 0, which let a broken export pass CI.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, main } from '../../generator/cli.js';
import { ROOT, captureStdio, writeSchema } from './helpers.js';

const io = captureStdio();
const SCHEMA = join(ROOT, 'test/fixtures/mini');
const GOOD = JSON.stringify({ kind: 'move', to: { x: 1, y: 2 } });

describe('wsgen validate of an input with no message', () => {
  it.each([
    ['an empty file', ''],
    ['a file of JSON whitespace only', ' \n\t\r\n\n  '],
  ])('%s: WSGEN_EMPTY_INPUT at the file, with a hint, exit 2', async (_name, text) => {
    const dir = writeSchema({ 'm.ndjson': text });
    expect(await main(['validate', '--schema', SCHEMA, join(dir, 'm.ndjson')])).toBe(ExitCode.SCHEMA);
    expect(io.err()).toContain('error WSGEN_EMPTY_INPUT:');
    expect(io.err()).toContain(`at ${join(dir, 'm.ndjson')}#`);
    expect(io.err()).toContain('hint:');
    expect(io.out()).not.toContain('0 valid');
  });

  it('one error per empty input, none for the others; --json gives the envelope with every error', async () => {
    const dir = writeSchema({ 'good.ndjson': `${GOOD}\n`, 'a.ndjson': '', 'b.json': '\n' });
    const files = ['good.ndjson', 'a.ndjson', 'b.json'].map((f) => join(dir, f));
    expect(await main(['validate', '--json', '--schema', SCHEMA, ...files])).toBe(ExitCode.SCHEMA);
    const out = JSON.parse(io.out()) as { ok: boolean; errors: Array<{ code: string; file: string; pointer: string; hint: string }> };
    expect(out.ok).toBe(false);
    expect(out.errors.map((e) => [e.code, e.file, e.pointer])).toEqual([['WSGEN_EMPTY_INPUT', files[1], ''], ['WSGEN_EMPTY_INPUT', files[2], '']]);
    expect(out.errors.every((e) => e.hint.length > 0)).toBe(true);
  });

  it('a file with a message still passes (exit 0)', async () => {
    const dir = writeSchema({ 'good.ndjson': `\n${GOOD}\n\n` });
    expect(await main(['validate', '--schema', SCHEMA, join(dir, 'good.ndjson')])).toBe(ExitCode.OK);
    expect(io.out()).toContain('1 valid, 0 invalid');
  });

  it('empty stdin (spawned CLI; needs the build): WSGEN_EMPTY_INPUT at <stdin>, exit 2', () => {
    for (const input of ['', '  \n']) {
      const r = spawnSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'validate', '--schema', SCHEMA, '-'], { input, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('error WSGEN_EMPTY_INPUT: the input holds no message: it is empty or JSON whitespace only\n  at <stdin>#\n');
      expect(r.stdout).toBe('');
    }
  }, 60_000);
});
