// The rewrites of ajv's standalone code (generator/emit/ts-validator-code.ts: length guards, format reads, requires,
// the validator signature, error objects, property switches) read the code with its literals masked
// (generator/emit/js-literals.ts), so a schema string holding exactly the text a rewrite looks for is never touched:
// the generated validators judge every message as ajv does on the raw schema.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { maskLiterals, unmaskLiterals } from '../../generator/emit/js-literals.js';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { oracle } from './differential.js';
import { tempDir } from './helpers.js';

/** Texts each rewrite looks for, as a schema's strings could hold them (ajv numbers its functions from 0). */
const BAIT = [
  ...[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((i) => [`func${i}(data) > 5)`, `func${i}(data1) < 3)`, `const func${i} = ucs2length;`]),
  'formats.uuid',
  'formats["date-time"]',
  'x formats.date y',
  'require("ajv/dist/runtime/equal").default',
  'require("wsgen/checked").default',
  'require("fs")',
  '{instancePath="", parentData, parentDataProperty, rootData=data}={}',
  'function validate0(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){',
  '"use strict";',
  '{instancePath:instancePath,schemaPath:"#/x",keyword:"const",params:{},message:"m"}',
  'const func3 = Object.prototype.hasOwnProperty;',
  "it's /* not */ a // comment `tpl ${x}` /re/",
];

const S = 'https://json-schema.org/draft/2020-12/schema';
const LONG = BAIT.reduce((a, b) => (b.length > a.length ? b : a));

/** A message type whose const, enum, pattern, default and property names hold the bait, beside fields that make each rewrite run. */
const schema = {
  $schema: S,
  title: 'Msg',
  discriminator: { propertyName: 'type' },
  oneOf: [{ $ref: '#/$defs/Bait' }],
  $defs: {
    Bait: {
      type: 'object',
      properties: {
        type: { const: 'bait' },
        c1: { const: 'func0(data) > 5)' },
        c2: { const: 'formats.uuid' },
        c3: { const: 'require("wsgen/checked").default' },
        e: { enum: BAIT },
        // a pattern whose text is a length check and a format read, matched literally
        p: { type: 'string', pattern: '^func1\\(data\\) > 5\\) formats\\.uuid$' },
        d: { type: 'string', maxLength: LONG.length, default: 'func2(data) > 5)' },
        // what makes the rewrites run: a code-point length check (ucs2length), a format read, many properties (the switch)
        s: { type: 'string', minLength: 2, maxLength: 5 },
        at: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, { type: 'integer' }])),
      },
      required: ['type'],
      additionalProperties: false,
    },
  },
};

/** Messages: each bait as each string field, and strings near the length limits. */
function messages(): unknown[] {
  const out: unknown[] = [{ type: 'bait' }];
  for (const b of BAIT) out.push({ type: 'bait', c1: b }, { type: 'bait', c2: b }, { type: 'bait', c3: b }, { type: 'bait', e: b }, { type: 'bait', p: b }, { type: 'bait', d: b }, { type: 'bait', s: b });
  for (const v of ['func0(data) > 5)', 'formats.uuid', 'require("wsgen/checked").default']) out.push({ type: 'bait', c1: v, c2: v, c3: v });
  out.push({ type: 'bait', p: 'func1(data) > 5) formats.uuid' }, { type: 'bait', p: 'func1(data) > 5) formats-uuid' });
  for (const s of ['a', 'ab', 'abcde', 'abcdef', '😀😀😀😀😀', '😀😀😀😀😀😀', 'é']) out.push({ type: 'bait', s });
  out.push({ type: 'bait', k3: 1, 'func1(data) > 5)': 1 }, { type: 'bait', at: '2026-11-30T01:02:03Z', id: '0b7c3d5e-9f4a-4b2c-8d1e-6f0a2b3c4d5e' });
  return out;
}

describe('validators of schemas whose strings hold the text the code rewrites look for', async () => {
  const dir = tempDir('wsgen-bait-');
  writeFileSync(join(dir, 'm.json'), JSON.stringify(schema));
  const { files } = await generate({ schema: join(dir, 'm.json'), out: join(dir, 'gen'), targets: ['ts'] });
  writeOutput(join(dir, 'gen'), files);
  const code = files.get('ts/validators/Bait.js')!;

  it('runs the rewrites (a length guard, named format checkers, the property switch, compact errors)', () => {
    expect(code).toMatch(/data\d*\.length > 5 && func\d+\(data\d*\) > 5\)/);
    expect(code).toMatch(/\bconst formats\d+ = isDateTime;/);
    expect(code).toMatch(/\bconst formats\d+ = isUuid;/);
    expect(code).toContain("from './properties.js'");
    expect(code).toContain('ajvError(');
  });

  it('keeps every schema string as ajv wrote it', () => {
    for (const b of ['func0(data) > 5)', 'formats.uuid', 'require(\\"wsgen/checked\\").default', 'func2(data) > 5)', 'const func3 = ucs2length;', 'formats[\\"date-time\\"]']) {
      expect(code, b).toContain(JSON.stringify(b.replace(/\\"/g, '"')).slice(1, -1));
    }
  });

  it("judges every message as ajv's own validator on the raw schema", async () => {
    const parse = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const validators = (await import(pathToFileURL(join(dir, 'gen/ts/validators/index.js')).href)) as Record<string, (d: unknown) => boolean>;
    const ajv = oracle(dir, 'm.json');
    const texts = messages().map((m) => JSON.stringify(m));
    const expected = texts.map(ajv);
    expect(expected.filter(Boolean).length).toBeGreaterThan(20); // the bait is accepted where the schema allows it
    expect(texts.map((t) => parse.parseMessage(t).ok)).toEqual(expected);
    expect(texts.map((t) => validators['validateBait']!(JSON.parse(t)))).toEqual(expected);
  });
});

describe('maskLiterals', () => {
  it('masks strings, templates, regular expressions and comments, tells a regex from a division, and puts them back', () => {
    const src = 'const a = "x\\"y" + \'z\' + `t${"u"}v` + b / 2 / c; /* c */ const r = /a[/]b/g.test(s) ? x : /q/; // end';
    const { text, literals } = maskLiterals(src);
    expect(literals).toEqual(['"x\\"y"', "'z'", '`t${"u"}v`', '/* c */', '/a[/]b/g', '/q/', '// end']);
    expect(text).toContain('b / 2 / c');
    expect(unmaskLiterals(text, literals)).toBe(src);
  });

  it('refuses an unterminated literal (an internal error: ajv writes none)', () => {
    expect(() => maskLiterals('const a = "x')).toThrow(/internal: an unterminated string literal/);
    expect(() => maskLiterals('const a = /x')).toThrow(/internal: an unterminated regular expression/);
  });
});
