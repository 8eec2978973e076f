// `wsgen validate` of an input that holds no message (empty, or JSON whitespace only) or cannot be read: an error
// with a code, the input as its one location (file plus pointer; the message does not repeat the path) and a hint,
// exit 2 (bad input, README "Exit codes"), for files and stdin; never "0 valid, 0 invalid" with exit 0, which let a
// broken export pass CI. The other inputs are still judged, and their lines printed, before the errors.
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
    expect(io.err()).toContain(`at ${join(dir, 'm.ndjson')}\n`);
    expect(io.err()).toContain('hint:');
    expect(io.out()).not.toContain('0 valid');
  });

  it('one error per empty input, after the verdicts of the others; --json streams those, then the envelope with every error', async () => {
    const dir = writeSchema({ 'good.ndjson': `${GOOD}\n`, 'a.ndjson': '', 'b.json': '\n' });
    const files = ['good.ndjson', 'a.ndjson', 'b.json'].map((f) => join(dir, f));
    expect(await main(['validate', '--json', '--schema', SCHEMA, ...files])).toBe(ExitCode.SCHEMA);
    const [verdict, envelope, ...rest] = io.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect([verdict, rest]).toEqual([{ file: files[0], line: 1, valid: true, errors: [] }, []]);
    const out = envelope as { ok: boolean; errors: Array<{ code: string; message: string; file: string; pointer: string; hint: string }> };
    expect(out.ok).toBe(false);
    expect(out.errors.map((e) => [e.code, e.message, e.file, e.pointer])).toEqual([1, 2].map((i) => ['WSGEN_EMPTY_INPUT', 'the input holds no message: it is empty or JSON whitespace only', files[i], '']));
    expect(out.errors.every((e) => e.hint.length > 0)).toBe(true);
  });

  it('text: the valid and invalid inputs\' lines and the count come first, then one error per refused input (empty, unreadable), exit 2', async () => {
    const bad = JSON.stringify({ kind: 'move' });
    const dir = writeSchema({ 'good.ndjson': `${GOOD}\n${bad}\n`, 'empty.json': '' });
    const [good, empty, missing] = ['good.ndjson', 'empty.json', 'missing.json'].map((f) => join(dir, f));
    expect(await main(['validate', '--schema', SCHEMA, good!, empty!, missing!])).toBe(ExitCode.SCHEMA);
    expect(io.out()).toBe(`ok      ${good}:1\ninvalid ${good}:2 at "" [required] must have required property 'to'\n1 valid, 1 invalid, 2 inputs refused (see the errors)\n`);
    expect(io.err()).toBe([
      `error WSGEN_EMPTY_INPUT: the input holds no message: it is empty or JSON whitespace only\n  at ${empty}\n  hint: check what wrote it (an export that failed?); validate needs at least one JSON message per input`,
      `error WSGEN_IO: cannot read the input: ENOENT (open)\n  at ${missing}\n  hint: check the path`,
      '2 errors\n',
    ].join('\n'));
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
      expect(r.stderr).toContain('error WSGEN_EMPTY_INPUT: the input holds no message: it is empty or JSON whitespace only\n  at <stdin>\n');
      expect(r.stdout).toBe('');
    }
  }, 60_000);
});
