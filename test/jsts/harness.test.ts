// The harness itself: it reads the suite as written, wraps groups as documented, and tells an
// exact target from a wrong one, a refusal from a crash, and a missing suite from an empty one.
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { WsgenError } from '../../generator/errors.js';
import { type GenerateFn, runHarness } from './harness.mjs';
import { proveWrapping } from './honesty.mjs';
import { type Summary, failures, regressions, summarize } from './report.mjs';
import { type SuiteGroup, parseWithSpans, readGroups, requireSuite } from './suite.mjs';
import { messageText, wrapText } from './wrap.mjs';

const group = (schemaText: string, tests: Array<[string, boolean]> = []): SuiteGroup => ({
  file: 'probe.json',
  index: 0,
  description: 'probe',
  schema: JSON.parse(schemaText),
  schemaText,
  tests: tests.map(([text, valid]) => ({ description: text, valid, data: JSON.parse(text), text })),
});

describe('reading the suite', () => {
  it('keeps each instance exactly as written (1.0 stays 1.0, big integers keep their digits)', () => {
    const text = '[{"data": 1.0, "big": 12345678901234567890123, "s": "a\\"b", "o": {"k": [true, null]}}]';
    const root = parseWithSpans(text);
    const item = root.items![0]!;
    const src = (k: string) => text.slice(item.members!.get(k)!.start, item.members!.get(k)!.end);
    expect([src('data'), src('big'), src('s'), src('o')]).toEqual(['1.0', '12345678901234567890123', '"a\\"b"', '{"k": [true, null]}']);
    expect(root.value).toEqual(JSON.parse(text));
  });

  it('reads type.json with the instance texts of the file', () => {
    const integer = readGroups(requireSuite(), 'type.json').find((g) => g.description === 'integer type matches integers')!;
    expect(integer.tests.find((t) => t.description === 'a float with zero fractional part is an integer')).toMatchObject({ text: '1.0', valid: true });
  });

  it('fails loudly, naming the place and the variable, when the suite is missing', async () => {
    const was = process.env.WSGEN_JSTS_DIR;
    process.env.WSGEN_JSTS_DIR = '/nonexistent/json-schema-test-suite';
    try {
      await expect(runHarness({ generate })).rejects.toThrow(/not found at \/nonexistent\/json-schema-test-suite.*WSGEN_JSTS_DIR/);
    } finally {
      if (was === undefined) delete process.env.WSGEN_JSTS_DIR;
      else process.env.WSGEN_JSTS_DIR = was;
    }
  });
});

describe('wrapping a group', () => {
  it('embeds the schema as written, with an $id of its own, as the field "value" of the one message type', () => {
    const wrapped = JSON.parse(wrapText(group('{"minimum": 1.0}')));
    expect(wrapped.discriminator).toEqual({ propertyName: 'type' });
    expect(wrapped.$defs.JstsCase.properties.value).toEqual({ $id: 'https://wsgen.invalid/jsts/probe/0.json', minimum: 1 });
    expect(wrapText(group('{"minimum": 1.0}'))).toContain('"minimum": 1.0}');
    expect(JSON.parse(wrapText(group('false'))).$defs.JstsCase.properties.value).toBe(false);
    expect(JSON.parse(wrapText(group('{}'))).$defs.JstsCase.properties.value).toEqual({ $id: 'https://wsgen.invalid/jsts/probe/0.json' });
    expect(messageText('1.0')).toBe('{"type":"case","value":1.0}');
  });

  it('resolves "#" against the group, not the wrapper: ajv agrees raw and wrapped', async () => {
    const g = group('{"type": "object", "properties": {"next": {"$ref": "#"}}, "additionalProperties": false}', [
      ['{"next": {"next": {}}}', true],
      ['{"next": {"type": "case"}}', false],
    ]);
    expect(await proveWrapping(requireSuite(), g, false)).toMatchObject({ status: 'proven', ajvDisagrees: 0 });
  });
});

describe('judging', () => {
  const only = (file: string) => (f: string) => f === file;

  it('finds every wrong verdict of a target that accepts everything, on both targets', async () => {
    const acceptAll: GenerateFn = async (o) => {
      const { files } = await generate(o);
      if (files.has('ts/parse.js')) files.set('ts/parse.js', 'export function parseMessage() { return { ok: true }; }\n');
      const init = 'python/wsgen_protocol/__init__.py';
      if (files.has(init)) files.set(init, 'class _Ok:\n    ok = True\n\n\ndef parse_message(text):\n    return _Ok()\n');
      return { files };
    };
    const summary = summarize(await runHarness({ generate: acceptAll, filter: only('type.json') }));
    const generated = summary.groups.filter((g) => g.ts.status !== 'refused');
    expect(generated.length).toBeGreaterThan(0);
    for (const g of generated) {
      expect(g.ts).toMatchObject({ status: 'wrong', reason: expect.stringMatching(/expected invalid, got valid/) });
      expect(g.python).toMatchObject({ status: 'wrong', reason: expect.stringMatching(/expected invalid, got valid/) });
    }
    expect(failures(summary)).toHaveLength(2 * generated.length);
  }, 60_000);

  it('counts a WsgenError as a refusal with its code, anything else as a crash', async () => {
    const refuse: GenerateFn = async (o) => {
      if (o.targets[0] === 'ts') throw new WsgenError('WSGEN_UNSUPPORTED', 'no', { file: 'p.json', pointer: '/x' }, 'hint');
      throw new TypeError('boom');
    };
    const summary = summarize(await runHarness({ generate: refuse, filter: only('boolean_schema.json') }));
    expect(summary.groups.map((g) => [g.ts.status, g.ts.code, g.python.status])).toEqual([
      ['refused', 'WSGEN_UNSUPPORTED', 'crashed'],
      ['refused', 'WSGEN_UNSUPPORTED', 'crashed'],
    ]);
    expect(summary.groups[0]!.ts.reason).toBe('no at /x');
    expect(failures(summary)).toEqual([expect.stringMatching(/^python boolean_schema.json #0 .*crashed: TypeError: boom/), expect.stringMatching(/^python boolean_schema.json #1/)]);
  }, 60_000);
});

describe('the baseline', () => {
  const counts = (exact: number) => ({ exact, refused: 0, wrong: 0, crashed: 0, excluded: 0 });
  const summary = (groups: number, ts: number, python: number) =>
    ({ files: { 'type.json': { set: 'main', groups, ts: counts(ts), python: counts(python) } } }) as unknown as Summary;
  const baseline = { groups: { 'type.json': 11 }, ts: { 'type.json': 7 }, python: { 'type.json': 7 } };

  it('holds when every exact count is at or above it', () => {
    expect(regressions(summary(11, 7, 9), baseline)).toEqual([]);
  });

  it('names each file and target whose exact count went down, and a file that changed its groups or is gone', () => {
    expect(regressions(summary(11, 6, 7), baseline)).toEqual(['ts type.json: 6 exact, baseline 7']);
    expect(regressions(summary(12, 7, 7), baseline)).toEqual([expect.stringMatching(/^type.json: 12 groups, baseline 11/)]);
    expect(regressions({ files: {} } as unknown as Summary, baseline)).toEqual([
      expect.stringMatching(/^type.json: no groups/),
      'ts type.json: not run (baseline 7 exact)',
      'python type.json: not run (baseline 7 exact)',
    ]);
  });
});
