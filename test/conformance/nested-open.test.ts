// Open values below a message's own fields (TRIAL9 finding 1; README "Numbers"): a property of a nested object, of
// an object in an open array, of the branch a tagged union selects, of a recursive type, of a nullable or aliased
// object, in an untagged union, a record, a tuple, and the values of undeclared keys (additionalProperties,
// patternProperties). Every one holds only numbers within ±(2^53 − 1), no NaN or Infinity, and nests at most
// MAX_DEPTH levels counted from the message root. Both targets are generated from test/fixtures/nested-open; for every
// case, from text (parseMessage / parse_message) and from a value (validateMessage / validate_message), the verdict
// and the first issue (path, keyword, message, params) must be equal. From text, Python's JSON parser refuses a value
// nesting too deep before any field is known; parse_message then reads the text as a value (its containers past the
// limit cut) to name the open value as TypeScript does (_parser.py `_text_depth_error`).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from '../generator/helpers.js';
import { runPython } from './python.js';

const dir = tempDir();
const { files } = await generate({ schema: join(ROOT, 'test/fixtures/nested-open'), out: join(dir, 'gen') });
writeOutput(join(dir, 'gen'), files);
const { parseMessage, validateMessage } = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');

const MAX = 9007199254740991;
const BIG = '9007199254740993';
const probe = (fields: string) => `{"type":"probe",${fields}}`;
type Issue = { path: string; keyword: string; message: string; params: Record<string, unknown> };
const unsafe = (path: string): Issue => ({ path, keyword: 'number', message: `must hold only numbers from -${MAX} to ${MAX}`, params: { limit: MAX } });
const deep = (path: string): Issue => ({ path, keyword: 'depth', message: 'must not nest deeper than 200 levels', params: { limit: 200 } });
/** `levels` nested arrays, the innermost empty (as test_models.py's `nested`). */
const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** [name, message text, expected first issue (undefined: valid)]. */
type Case = [string, string, Issue | undefined];
const CASES: Case[] = [
  // A nested object's open property (Meta.data as Probe.meta).
  ['nested object, 2^53 + 1', probe(`"meta":{"data":${BIG}}`), unsafe('/meta/data')],
  ['nested object, −(2^53 + 1)', probe(`"meta":{"data":-${BIG}}`), unsafe('/meta/data')],
  ['nested object, ±(2^53 − 1)', probe(`"meta":{"data":[${MAX},-${MAX},1e-300,-0]}`), undefined],
  ['nested object, 1e20 inside', probe('"meta":{"data":{"a":[1e20]}}'), unsafe('/meta/data')],
  ['nested object, 1e400 (Infinity)', probe('"meta":{"data":1e400}'), unsafe('/meta/data')],
  ['nested object, a typed string beside', probe('"meta":{"note":"1e400","data":"x"}'), undefined],
  // An open array of such objects: the array is the open value.
  ['array of objects', probe(`"metas":[{"data":1},{"data":${BIG}}]`), unsafe('/metas')],
  ['array of objects, valid', probe(`"metas":[{"data":${MAX}}]`), undefined],
  // Two levels down; a typed number field is no open value.
  ['object in object: record field', probe(`"player":{"stats":{"name":"a","stats":{"xp":${BIG}}}}`), unsafe('/player/stats/stats')],
  ['object in object: record field, 1e400', probe('"player":{"stats":{"stats":{"xp":[1e400]}}}'), unsafe('/player/stats/stats')],
  ['object in object: typed number 1e300', probe('"player":{"stats":{"score":1e300,"stats":{}}}'), undefined],
  ['object in object: second branch', probe(`"player":{"stats":{"stats":{}},"meta":{"data":${BIG}}}`), unsafe('/player/meta/data')],
  // The branch a tagged union selects.
  ['tagged union branch', probe(`"item":{"kind":"leaf","value":{"v":${BIG}}}`), unsafe('/item/value')],
  ['tagged union, the other branch', probe('"item":{"kind":"branch","label":"x"}'), undefined],
  // A recursive type, three levels down.
  ['recursive type', probe(`"chain":{"data":1,"next":{"next":{"data":[${BIG}]}}}`), unsafe('/chain/next/next/data')],
  ['recursive type, valid', probe(`"chain":{"data":1,"next":{"next":{"data":[${MAX}]}}}`), undefined],
  // Undeclared keys of an open object (additionalProperties: true), first in code-unit order.
  ['undeclared key', probe(`"bag":{"id":"x","zz":${BIG}}`), unsafe('/bag/zz')],
  ['undeclared keys, first in code-unit order', probe(`"bag":{"b":${BIG},"a":{"n":1e20},"c":1}`), unsafe('/bag/a')],
  ['undeclared keys, UTF-16 order (astral before U+FF01)', probe(`"bag":{"\uff01":${BIG},"\ud83d\ude00":${BIG}}`), unsafe('/bag/\ud83d\ude00')],
  ['undeclared key with / and ~', probe(`"bag":{"a/b~c":${BIG}}`), unsafe('/bag/a~1b~0c')],
  ['undeclared key named like an Object member', probe(`"bag":{"constructor":${BIG}}`), unsafe('/bag/constructor')],
  ['undeclared keys, valid', probe(`"bag":{"id":"x","n":${MAX},"o":{"p":[-${MAX}]}}`), undefined],
  ['patternProperties value', probe(`"patterned":{"id":"x","x_1":{"n":${BIG}}}`), unsafe('/patterned/x_1')],
  // Undeclared keys whose values are objects with open positions: each value checked whole.
  ['undeclared key holding such an object', probe(`"keyed":{"id":"k","m":{"data":${BIG}}}`), unsafe('/keyed/m')],
  ['undeclared key holding such an object, valid', probe(`"keyed":{"id":"k","m":{"data":${MAX},"note":"n"}}`), undefined],
  // An untagged union that can hold such an object is checked whole.
  ['untagged union of objects', probe(`"either":{"data":${BIG}}`), unsafe('/either')],
  ['untagged union, typed number beside', probe('"either":{"name":"n","stats":{}}'), undefined],
  // Nullable and aliased objects, records and tuples of them.
  ['nullable object, null', probe('"maybe":null'), undefined],
  ['nullable object', probe(`"maybe":{"data":${BIG}}`), unsafe('/maybe/data')],
  ['aliased object', probe(`"alias":{"data":${BIG}}`), unsafe('/alias/data')],
  ['record of objects', probe(`"by_name":{"k":{"data":${BIG}}}`), unsafe('/by_name')],
  ['tuple holding an object', probe(`"pair":["a",{"data":${BIG}}]`), unsafe('/pair')],
  // Schema order: the first open value holding an unsafe number is reported.
  ['two positions: the first in schema order', probe(`"data":${BIG},"meta":{"data":${BIG}}`), unsafe('/meta/data')],
  ['top-level open field beside nested ones', probe(`"meta":{"data":1},"data":${BIG}`), unsafe('/data')],
  // A message type's own undeclared keys, after its properties.
  ['message undeclared key', `{"type":"loose","zz":${BIG}}`, unsafe('/zz')],
  ['message property before its undeclared keys', `{"type":"loose","a":${BIG},"meta":{"data":${BIG}}}`, unsafe('/meta/data')],
  ['message undeclared keys, valid', `{"type":"loose","a":[${MAX}],"meta":{"data":{}}}`, undefined],
  // A message type with top-level open fields only (unchanged path).
  ['top-level open fields only', `{"type":"plain","extra":{"a":${BIG}}}`, unsafe('/extra')],
  // Depth counted from the message root: Probe.meta.data sits at depth 2, Chain.next.data at 3.
  ['depth: 199 levels at depth 2', probe(`"meta":{"data":${nested(199)}}`), undefined],
  ['depth: 200 levels at depth 2', probe(`"meta":{"data":${nested(200)}}`), deep('/meta/data')],
  ['depth: 300 levels at depth 2', probe(`"meta":{"data":${nested(300)}}`), deep('/meta/data')],
  ['depth: 198 levels under an undeclared key at depth 3', probe(`"player":{"meta":{"data":${nested(198)}}}`), undefined],
  ['depth: 199 levels under an undeclared key at depth 3', probe(`"bag":{"a":{"b":${nested(199)}}}`), deep('/bag/a')],
  // Objects inside an open array count their own levels (Python walks the models they became).
  ['depth: 198 levels inside an object of an open array', probe(`"metas":[{"data":${nested(198)}}]`), undefined],
  ['depth: 199 levels inside an object of an open array', probe(`"metas":[{"data":${nested(199)}}]`), deep('/metas')],
  ['depth before numbers', probe(`"meta":{"data":${BIG}},"bag":{"a":${nested(300)}}`), deep('/bag/a')],
];

/** Texts that are no JSON (NaN, Infinity) or that Python's json module cannot read (4,301 digits): judged from text only. */
const TEXT_ONLY: Case[] = [
  ['nested object, 4,301 digits', probe(`"meta":{"data":[1${'0'.repeat(4300)}]}`), unsafe('/meta/data')],
  ['nested object, NaN', probe('"meta":{"data":NaN}'), { path: '', keyword: 'json', message: 'must be valid JSON: unexpected "N" at line 1, column 32', params: { line: 1, column: 32 } }],
  ['undeclared key, -Infinity', probe('"bag":{"a":[-Infinity]}'), { path: '', keyword: 'json', message: 'must be valid JSON: unexpected "-" at line 1, column 29', params: { line: 1, column: 29 } }],
];

const first = (r: { ok: boolean; errors?: Issue[] }) => (r.ok ? undefined : r.errors![0]);

describe('open values at any position: TS and Python bound them alike (fixture test/fixtures/nested-open)', () => {
  const texts = [...CASES, ...TEXT_ONLY].map((c) => c[1]);
  const pyText = runPython('judge.py', texts, ['--first-error', '--path', join(dir, 'gen/python')]).map((l) => JSON.parse(l) as Issue | null);
  const pyValue = runPython('judge.py', CASES.map((c) => c[1]), ['--first-error', '--value', '--path', join(dir, 'gen/python')]).map((l) => JSON.parse(l) as Issue | null);

  it.each(CASES.map((c, i) => [c[0], c, i] as const))('from text: %s', (_name, [, text, expected], i) => {
    expect(first(parseMessage(text) as never)).toEqual(expected);
    expect(pyText[i] ?? undefined).toEqual(expected);
  });

  it.each(TEXT_ONLY.map((c, i) => [c[0], c, CASES.length + i] as const))('from text: %s', (_name, [, text, expected], i) => {
    expect(first(parseMessage(text) as never)).toMatchObject({ path: expected!.path, keyword: expected!.keyword });
    expect(pyText[i] ?? undefined).toEqual(first(parseMessage(text) as never));
  });

  it.each(CASES.map((c, i) => [c[0], c, i] as const))('from a value: %s', (_name, [, text, expected], i) => {
    expect(first(validateMessage(JSON.parse(text)) as never)).toEqual(expected);
    expect(pyValue[i] ?? undefined).toEqual(expected);
  });
});

describe('open values below an object root (no tagged union): alike on both targets (fixture test/fixtures/nested-open-root)', async () => {
  const rootDir = tempDir();
  const out = await generate({ schema: join(ROOT, 'test/fixtures/nested-open-root'), out: join(rootDir, 'gen') });
  writeOutput(join(rootDir, 'gen'), out.files);
  const root = (await import(pathToFileURL(join(rootDir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
  const cases: Case[] = [
    ['nested record', `{"sensor":{"id":"s","calibration":{"k":${BIG}}}}`, unsafe('/sensor/calibration')],
    ['nested undeclared key', `{"sensor":{"id":"s","gain":[1e400]}}`, unsafe('/sensor/gain')],
    ['own open field after the nested ones', `{"data":${BIG},"sensor":{"calibration":{"k":${BIG}}}}`, unsafe('/sensor/calibration')],
    ['valid', `{"data":${MAX},"sensor":{"id":"s","calibration":{"k":-${MAX}},"gain":1}}`, undefined],
  ];
  const args = ['--first-error', '--path', join(rootDir, 'gen/python')];
  const pyText = runPython('judge.py', cases.map((c) => c[1]), args).map((l) => JSON.parse(l) as Issue | null);
  const pyValue = runPython('judge.py', cases.map((c) => c[1]), [...args, '--value']).map((l) => JSON.parse(l) as Issue | null);

  it.each(cases.map((c, i) => [c[0], c, i] as const))('%s', (_name, [, text, expected], i) => {
    expect(first(root.parseMessage(text) as never)).toEqual(expected);
    expect(first(root.validateMessage(JSON.parse(text)) as never)).toEqual(expected);
    expect(pyText[i] ?? undefined).toEqual(expected);
    expect(pyValue[i] ?? undefined).toEqual(expected);
  });
});

describe('open values below a message\'s own fields behind Python\'s bounded fast path (fixture test/fixtures/nested-open-fast)', async () => {
  const fastDir = tempDir();
  const out = await generate({ schema: join(ROOT, 'test/fixtures/nested-open-fast'), out: join(fastDir, 'gen') });
  writeOutput(join(fastDir, 'gen'), out.files);
  const fast = (await import(pathToFileURL(join(fastDir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
  const note = (fields: string) => `{"type":"note",${fields}}`;
  const cases: Case[] = [
    ['nested, valid message through the fast path', note(`"data":{"a":${MAX}},"meta":{"data":[-${MAX}],"tags":{"t":1}}`), undefined],
    ['nested open field', note(`"data":1,"meta":{"data":${BIG}}`), unsafe('/meta/data')],
    ['nested record', note(`"meta":{"tags":{"t":[1e400]}}`), unsafe('/meta/tags')],
    ['own open field (the fast path refuses it) after a nested one', note(`"meta":{"data":1e20},"data":${BIG}`), unsafe('/meta/data')],
    ['own open field only', note(`"meta":{"data":1},"extra":{"x":${BIG}}`), unsafe('/extra')],
    ['another type, no nested positions', `{"type":"flat","data":${BIG}}`, unsafe('/data')],
    ['nested NaN', note('"meta":{"data":NaN}'), { path: '', keyword: 'json', message: 'must be valid JSON: unexpected "N" at line 1, column 31', params: { line: 1, column: 31 } }],
  ];
  const pyText = runPython('judge.py', cases.map((c) => c[1]), ['--first-error', '--path', join(fastDir, 'gen/python')]).map((l) => JSON.parse(l) as Issue | null);

  it('Python parses these messages through its bounded validator', () => {
    const probe = spawnSync(join(ROOT, '.venv/bin/python'), ['-c', 'from wsgen_protocol.parse import _PARSER; print(_PARSER._json_validator is not None)'], {
      cwd: join(fastDir, 'gen/python'),
      encoding: 'utf8',
    });
    expect(probe.stdout.trim()).toBe('True');
  });

  it.each(cases.map((c, i) => [c[0], c, i] as const))('%s', (_name, [, text, expected], i) => {
    expect(first(fast.parseMessage(text) as never)).toEqual(expected);
    expect(pyText[i] ?? undefined).toEqual(expected);
  });
});
