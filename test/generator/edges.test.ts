import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

/** Messages of test/fixtures/edges and their expected verdict. */
const CASES: Array<[string, object, boolean]> = [
  ['every field', { op: 'put', root: { name: 'a', children: ['x', 'y'] }, level: 2, grid: [[1, 2], [3.5]], maybe: null, tags: { a: 1, b: 3 }, when: '2024-01-01T00:00:00Z', ratio: 0.5 }, true],
  ['integral floats for an integer enum and a nullable integer', JSON.parse('{"op":"put","root":{"name":"a"},"level":2.0,"maybe":5.0}'), true],
  ['too many items', { op: 'put', root: { name: 'a', children: ['1', '2', '3', '4'] } }, false],
  ['an integer outside the enum', { op: 'put', root: { name: 'a' }, level: 4 }, false],
  ['a string in a record of integer enums', { op: 'put', root: { name: 'a' }, tags: { a: '1' } }, false],
  ['null for a nullable date-time', { op: 'put', root: { name: 'a' }, when: null }, true],
  ['February 30th', { op: 'put', root: { name: 'a' }, when: '2024-02-30T00:00:00Z' }, false],
  ['exclusive minimum', { op: 'put', root: { name: 'a' }, ratio: 0 }, false],
  ['exclusive maximum', { op: 'put', root: { name: 'a' }, ratio: 1 }, false],
  ['a boolean in a nested array of numbers', { op: 'put', root: { name: 'a' }, grid: [[true]] }, false],
  ['an unknown field in a nested object', { op: 'put', root: { name: 'a', extra: 1 } }, false],
  ['an empty string under minLength 1', { op: 'del', path: '' }, false],
  ['the type named after a Python keyword', { op: 'del', path: 'x' }, true],
  ['an unknown tag', { op: 'nope' }, false],
  ['an integer under a fractional minimum', { op: 'put', root: { name: 'a' }, count: 0 }, false],
  ['the least integer over a fractional minimum', { op: 'put', root: { name: 'a' }, count: 1 }, true],
  ['the greatest integer under a fractional exclusive maximum', { op: 'put', root: { name: 'a' }, count: 50 }, true],
  ['an integer over a fractional exclusive maximum', { op: 'put', root: { name: 'a' }, count: 51 }, false],
  ['a string const that is not the tag', { op: 'del', path: 'x', mode: 'hard' }, true],
  ['another value for a string const', { op: 'del', path: 'x', mode: 'soft' }, false],
  ['a number for a string const', { op: 'del', path: 'x', mode: 1 }, false],
];

describe('edge cases of a user schema, judged alike by both targets (test/fixtures/edges)', async () => {
  const dir = tempDir();
  const { files } = await generate({ schema: join(ROOT, 'test/fixtures/edges'), out: join(dir, 'gen') });
  writeOutput(join(dir, 'gen'), files);
  const parse = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
  const python = JSON.parse(
    execFileSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'test/fixtures/probe.py'), join(dir, 'gen/python')], {
      input: CASES.map(([, msg]) => JSON.stringify(msg)).join('\n'),
      encoding: 'utf8',
    }),
  ) as { verdicts: boolean[]; errors: Array<Record<string, unknown> | null> };

  it('names the module of a type called after a Python keyword del_.py', () => {
    expect(files.has('python/wsgen_protocol/models/del_.py')).toBe(true);
    expect(files.get('python/wsgen_protocol/models/__init__.py')).toContain('from .del_ import Del');
  });

  it.each(CASES.map(([name, msg, valid], i) => [name, valid, msg, i] as const))('%s: valid is %s, with the same first error on both sides', (_name, valid, msg, i) => {
    const r = parse.parseMessage(JSON.stringify(msg));
    expect(r.ok).toBe(valid);
    expect(python.verdicts[i]).toBe(valid);
    expect(python.errors[i]).toEqual(r.ok ? null : r.errors[0]);
  });
});
