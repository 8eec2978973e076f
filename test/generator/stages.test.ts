import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPython, formatText, tidyLines } from '../../generator/format.js';
import { generate } from '../../generator/index.js';
import { jsonErrorOffset, loadSchema } from '../../generator/load.js';
import { intersect } from '../../generator/normalize.js';
import { checkPortablePattern } from '../../generator/pattern.js';
import { jsLiteral, pyLiteral } from '../../generator/templates.js';
import { ROOT, catchWsgen, schemaVariant } from './helpers.js';

const loc = { file: 'f.json', pointer: '/x' };

describe('load', () => {
  it.each([
    ['{"a": 1}', -1],
    ['{"a": }', 6],
    ['[1, 2,]', 6],
    ['{"a": 1} x', 9],
    ['{"a": "b\n"}', 8],
    ['{"a": tru}', 6],
  ])('locates the first JSON syntax error in %j at %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });

  it('names every $defs entry across files and hashes the canonical JSON', () => {
    const b = loadSchema(join(ROOT, 'schema'));
    expect(b.root.file).toBe('websocket-message.schema.json');
    expect([...b.defs.keys()]).toEqual(expect.arrayContaining(['MessageType', 'MessageEnvelope', 'UserMessage', 'Timestamp']));
    expect(b.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.resolveRef('envelope.schema.json#/$defs/Timestamp', 'websocket-message.schema.json', '').name).toBe('Timestamp');
    expect(b.resolveRef('https://wsgen.dev/schema/enums.schema.json#/$defs/Realm', 'envelope.schema.json', '').name).toBe('Realm');
  });
});

describe('normalize: intersect', () => {
  it.each([
    [{ type: 'string', maxLength: 10 }, { minLength: 1 }, { type: 'string', maxLength: 10, minLength: 1 }],
    [{ type: 'string', maxLength: 10 }, { maxLength: 5 }, { type: 'string', maxLength: 5 }],
    [{ minimum: 0, maximum: 1 }, { minimum: 0.5, maximum: 2 }, { minimum: 0.5, maximum: 1 }],
    [{ type: 'number' }, { type: 'integer' }, { type: 'integer' }],
    [{ enum: ['a', 'b', 'c'] }, { enum: ['b', 'c', 'd'] }, { enum: ['b', 'c'] }],
    [{ enum: ['a', 'b'] }, { const: 'b' }, { const: 'b' }],
    [{ type: 'string', description: 'base' }, { description: 'own' }, { type: 'string', description: 'own' }],
  ])('%j ∩ %j = %j', (a, b, out) => {
    expect(intersect(a, b, loc)).toEqual(out);
  });

  it.each([
    [{ type: 'string' }, { type: 'boolean' }],
    [{ pattern: '^a$' }, { pattern: '^b$' }],
    [{ enum: ['a'] }, { const: 'z' }],
    [{ format: 'uuid' }, { format: 'date-time' }],
  ])('refuses %j ∩ %j', async (a, b) => {
    expect((await catchWsgen(() => intersect(a, b, loc))).code).toBe('WSGEN_MERGE');
  });

  it('does not mutate its inputs', () => {
    const a = Object.freeze({ maxLength: 3 });
    const b = Object.freeze({ maxLength: 2 });
    intersect(a, b, loc);
    expect(a).toEqual({ maxLength: 3 });
  });
});

describe('patterns: the portable subset', () => {
  it.each(['^[A-Za-z0-9._:-]{1,128}$', '^https?://[!-~]+$', '^(?:ab|cd)+$', '^[\\^\\]]$', '^a\\.b$', '^[.]$', '^a.b$', 'f.*o'])('accepts %s', (p) => {
    expect(() => checkPortablePattern(p, loc)).not.toThrow();
  });
  it.each(['^\\d+$', '\\w', '\\s', '\\bword', '(?=x)', '(?<n>x)', '(a)\\1', '\\p{L}', '\\u00e9', '(?i)abc', '['])('refuses %s', async (p) => {
    expect((await catchWsgen(() => checkPortablePattern(p, loc))).code).toBe('WSGEN_PATTERN');
  });
});

describe('format', () => {
  it.each([
    ['a  \nb\t\n', 'a\nb\n'],
    ['a\r\nb\rc', 'a\nb\nc\n'],
    ['a\n\n\n\nb\n\n\n', 'a\n\nb\n'],
    ['\n\nx', 'x\n'],
    ['', '\n'],
    ['\n\n\n', '\n'],
    [' \t \n', '\n'],
    ['a \t', 'a\n'],
    ['a  b \r\n\r\n\r\n  c\t \t', 'a  b\n\n  c\n'],
  ])('normalizes %j', (i, o) => {
    expect(formatText(i)).toBe(o);
  });

  it('normalizes as the plain regular-expression chain does, on any text of blanks, line ends and letters', () => {
    const chain = (t: string): string => t.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
    const text = fc.array(fc.constantFrom(' ', '\t', '\n', '\r', 'a', 'é'), { maxLength: 60 }).map((cs) => cs.join(''));
    fc.assert(fc.property(text, (t) => formatText(t) === chain(t)), { numRuns: 3000, seed: 20261129 });
  });

  it('tidies Python as splitting at LF and trimming each line does (CR, U+2028 and U+2029 end no line)', () => {
    const perLine = (t: string): string => t.split('\n').map((l) => l.replace(/[ \t]+$/, '')).join('\n').replace(/\n{4,}/g, '\n\n\n').replace(/\n*$/, '') + '\n';
    expect(tidyLines('a \r\nb\u2028 \t\n\n\n\n\nc  ')).toBe('a \r\nb\u2028\n\n\nc\n');
    const text = fc.array(fc.constantFrom(' ', '\t', '\n', '\r', '\u2028', 'a'), { maxLength: 60 }).map((cs) => cs.join(''));
    fc.assert(fc.property(text, (t) => tidyLines(t) === perLine(t)), { numRuns: 3000, seed: 20261129 });
  });

  it.each([
    ['two blank lines before a top-level def', 'x = 1\ndef f():\n    pass\n', 'x = 1\n\n\ndef f():\n    pass\n'],
    ['and after its body', 'def f():\n    pass\n\nx = 1\n', 'def f():\n    pass\n\n\nx = 1\n'],
    ['before the comments attached to a class', 'x = 1\n\n#: doc\nclass A:\n    y = 2\n', 'x = 1\n\n\n#: doc\nclass A:\n    y = 2\n'],
    ['none between a decorator and its def', 'x = 1\n@dec\ndef f():\n    pass\n', 'x = 1\n\n\n@dec\ndef f():\n    pass\n'],
    ['none between a decorator and its class when another class came before', '@dec\nclass A:\n    a: int\n@dec\nclass B:\n    b: int\n', '@dec\nclass A:\n    a: int\n\n\n@dec\nclass B:\n    b: int\n'],
    ['none at the top of a file or inside a docstring', '"""Doc.\ndef not_code\n"""\nclass A:\n    pass\n', '"""Doc.\ndef not_code\n"""\n\n\nclass A:\n    pass\n'],
    ['one blank line kept inside a body', 'class A:\n    a = 1\n\n    def f(self):\n        pass\n', 'class A:\n    a = 1\n\n    def f(self):\n        pass\n'],
  ])('Python: %s', (_name, i, o) => {
    expect(formatPython(i)).toBe(o);
  });
});

describe('literals are quoted by construction', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['say "hi"', `'say "hi"'`],
    ['back\\slash\nnew */ line', "'back\\\\slash\\nnew */ line'"],
    ['\u2028', "'\u2028'"],
  ])('JS %j → %s', (v, out) => {
    expect(jsLiteral(v)).toBe(out);
    expect(eval(jsLiteral(v))).toBe(v);
  });
  it.each([
    [true, 'True'],
    [null, 'None'],
    [[1, 'a'], '[1, "a"]'],
    [{ k: false }, '{"k": False}'],
    ['"""', '"\\"\\"\\""'],
  ])('Python %j → %s', (v, out) => {
    expect(pyLiteral(v)).toBe(out);
  });

  it('passes descriptions through unescaped and safely into comments and docstrings', async () => {
    const dir = schemaVariant((f) => {
      f['envelope.schema.json'].$defs.MessageEnvelope.properties.status.description = 'A <b>"status"</b> & more */ end """ done';
    });
    const { files } = await generate({ schema: dir, out: join(dir, 'gen') });
    const ts = files.get('ts/types.ts')!;
    expect(ts).toContain('A <b>"status"</b> & more *\\/ end """ done');
    expect(ts).not.toContain('&quot;');
    const py = [...files].filter(([k]) => k.endsWith('message_envelope.py')).map(([, v]) => v)[0]!;
    expect(py).toContain('A <b>"status"</b> & more */ end \\"\\"" done');
  });
});
