import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/hostile');
const PYTHON = join(ROOT, '.venv/bin/python');
const schema = JSON.parse(readFileSync(join(FIXTURE, 'protocol.schema.json'), 'utf8'));

/** A docstring as Python reads it back: its first line as is, the others with the class-body indent removed. */
function dedent(doc: string): string {
  const [first, ...rest] = doc.split('\n');
  return [first, ...rest.map((l) => l.replace(/^ {4}/, ''))].join('\n').replace(/\n$/, '');
}

describe('texts that try to break out of comments and strings (test/fixtures/hostile)', async () => {
  const dir = tempDir();
  const { files } = await generate({ schema: FIXTURE, out: join(dir, 'gen') });
  writeOutput(join(dir, 'gen'), files);

  it('keeps every description inside its JSDoc comment', () => {
    const types = files.get('ts/types.ts')!;
    expect(types).toContain("*\\/ console.log('escaped'); /* and");
    expect(types).not.toMatch(/\*\/ console\.log/);
  });

  it('writes no raw control character into any file (a NUL and a CR stand in the descriptions)', () => {
    for (const [name, text] of files) expect(text, name).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(files.get('ts/types.ts')).toContain('with a NUL \\u0000 and a tab');
  });

  it('gives TypeScript validators that quote the literals exactly', async () => {
    const parse = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    expect(parse.parseMessage(JSON.stringify({ kind: 'quote"mark', text: 'a"b' })).ok).toBe(true);
    expect(parse.parseMessage(JSON.stringify({ kind: 'back\\slash', n: -5 })).ok).toBe(true);
    expect(parse.parseMessage(JSON.stringify({ kind: 'back\\\\slash' })).ok).toBe(false);
  });

  it('gives a Python package that imports, keeps each docstring word for word, and judges alike', () => {
    const out = execFileSync(PYTHON, [join(ROOT, 'test/fixtures/probe.py'), join(dir, 'gen/python'), 'models.Quote', 'enums.Mode', 'models.Slash'], {
      input: [JSON.stringify({ kind: 'quote"mark', text: 'a"b' }), JSON.stringify({ kind: 'back\\slash', n: -5 }), JSON.stringify({ kind: 'back\\\\slash' })].join('\n'),
      encoding: 'utf8',
    });
    const probe = JSON.parse(out) as { docs: Record<string, string>; verdicts: boolean[] };
    expect(probe.verdicts).toEqual([true, true, false]);
    expect(dedent(probe.docs['models.Quote']!)).toBe(schema.$defs.Quote.description);
    expect(probe.docs['enums.Mode']).toBe(schema.$defs.Mode.description);
    expect(probe.docs['models.Slash']).toBe(schema.$defs.Slash.description);
  });
});
