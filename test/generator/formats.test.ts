/**
 * The string formats wsgen asserts with one grammar on both targets (issue 9
 * row 9): the fixture test/fixtures/formats generates, type-checks and gives
 * the expected verdict on both targets; the two checkers (generated/ts/formats.js
 * and the Python _formats.py) agree on the suite's strings and on random ones;
 * formats wsgen cannot assert alike stay refused.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { FORMAT_GRAMMARS, LDH_HOSTNAME_PATTERN, REFUSED_FORMATS } from '../../generator/formats.js';
import { checkPortablePattern } from '../../generator/pattern.js';
import { readGroups, requireSuite } from '../jsts/suite.mjs';
import { type Generated, generateBoth, judge, pythonIssues, typeCheck } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const FIXTURE = join(ROOT, 'test/fixtures/formats');
const PYTHON = join(ROOT, '.venv/bin/python');
const S = 'https://json-schema.org/draft/2020-12/schema';

const c = (extra: object) => ({ type: 'contact', ...extra });
/** [name, message, valid]: each format's edges, valid and invalid. */
const MESSAGES: Array<[string, unknown, boolean]> = [
  ['no optional field', c({}), true],
  ['a dot-atom email', c({ email: 'joe.bloggs@example.com' }), true],
  ['a quoted local part', c({ email: '"joe..bloggs"@example.com' }), true],
  ['an address literal', c({ email: 'a@[127.0.0.1]' }), true],
  ['an IPv6 address literal', c({ email: 'a@[IPv6:::1]' }), true],
  ['an IPv6 address literal with its tag in lowercase (ABNF strings read in any case)', c({ email: 'a@[ipv6:::1]' }), true],
  ['two dots in a row', c({ email: 'te..st@example.com' }), false],
  ['no local part', c({ email: '@example.com' }), false],
  ['a non-ASCII local part', c({ email: 'jö@example.com' }), false],
  ['an email over maxLength (both keywords apply)', c({ email: 'a'.repeat(30) + '@example.com' }), false],
  ['a URI', c({ site: 'http://foo.com/blah_(wikipedia)_blah#cite-1' }), true],
  ['a URN', c({ site: 'urn:oasis:names:specification:docbook:dtd:xml:4.1.2' }), true],
  ['a relative reference is not a URI', c({ site: '//foo.bar/?baz=qux' }), false],
  ['a bad percent escape', c({ site: 'http://example.com/%6G' }), false],
  ['a space in a URI', c({ site: 'https://example.org/foo bar.txt' }), false],
  ['an IPvFuture host with an uppercase V', c({ site: 'http://[V1.fe]/' }), true],
  ['a relative reference', c({ link: './this:that' }), true],
  ['an IRI with non-ASCII host, path and fragment', c({ iri: 'http://ƒøø.ßår/?∂é=πîx#πîüx' }), true],
  ['an IRI with a supplementary-plane character in the path', c({ iri: 'http://a.b/\u{10300}' }), true],
  ['an IRI with a private-use character in the query', c({ iri: 'http://a.b/?q=\u{F0000}\uE000' }), true],
  ['an IRI with a private-use character in the path', c({ iri: 'http://a.b/\uE000' }), false],
  ['an IRI with a noncharacter U+1FFFE', c({ iri: 'http://a.b/\u{1FFFE}' }), false],
  ['an IRI with a tag character U+E0001', c({ iri: 'http://a.b/\u{E0001}' }), false],
  ['an IRI with a lone surrogate', c({ iri: 'http://a.b/\ud800' }), false],
  ['a relative reference is not an IRI', c({ iri: 'âππ' }), false],
  ['a relative IRI reference', c({ iriRef: 'âππ' }), true],
  ['an IRI reference with a backslash', c({ iriRef: '\\\\WINDOWS\\filëßåré' }), false],
  ['a level-4 URI template', c({ template: 'http://example.com/{+base}/x{?a,b*}{#c:3}{.d}{/e}{;f}{&g}' }), true],
  ['a URI template with an apostrophe and a non-ASCII literal (RFC 6570 erratum 6937)', c({ template: "a'b/é\u{1F600}" }), true],
  ['a URI template with an empty expression', c({ template: '{}' }), false],
  ['a URI template with prefix 10000', c({ template: '{v:10000}' }), false],
  ['a URI template with an unclosed expression', c({ template: 'x/{term' }), false],
  ['an empty reference', c({ link: '' }), true],
  ['a colon in the first segment of a relative reference (1 is no scheme)', c({ link: '1:b' }), false],
  ['a backslash in a reference', c({ link: '#frag\\ment' }), false],
  ['an IPv4', c({ v4: '255.255.255.255' }), true],
  ['an IPv4 with a leading zero', c({ v4: '087.10.0.1' }), false],
  ['an IPv4 with 256', c({ v4: '192.168.0.256' }), false],
  ['an IPv6 with an IPv4 tail', c({ v6: '1::d6:192.168.0.1' }), true],
  ['an IPv6 with two ::', c({ v6: '1::d6::42' }), false],
  ['an IPv6 with a zone', c({ v6: 'fe80::a%eth1' }), false],
  ['a UUID in capitals', c({ id: '2EB8AA08-AA98-11EA-B4AA-73B441D16380' }), true],
  ['a UUID without hyphens', c({ id: '2eb8aa08aa9811eab4aa73b441d16380' }), false],
  ['Feb 29 of a leap year', c({ born: '2020-02-29' }), true],
  ['Feb 29 of 2100', c({ born: '2100-02-29' }), false],
  ['a date with a Bengali digit', c({ born: '1963-06-1\u09ea' }), false],
  ['a leap second at 23:59 UTC through an offset', c({ opens: '15:59:60-08:00' }), true],
  ['a leap second at another minute', c({ opens: '22:59:60Z' }), false],
  ['a lowercase z', c({ opens: '08:30:06z' }), true],
  ['a time without offset', c({ opens: '12:00:00' }), false],
  ['a duration with weeks', c({ ttl: 'P2W' }), true],
  ['weeks with other units', c({ ttl: 'P1Y2W' }), false],
  ['a fractional second', c({ ttl: 'PT0.5S' }), false],
  ['a JSON pointer with escapes and any character', c({ pointer: '/a~1b/~0/\n/名前' }), true],
  ['a JSON pointer with a bare ~', c({ pointer: '/a~' }), false],
  ['a JSON pointer without /', c({ pointer: 'a' }), false],
  ['a relative JSON pointer to a key', c({ relative: '0#' }), true],
  ['a relative JSON pointer with a leading zero', c({ relative: '01/a' }), false],
  ['a date-time with 3 fraction digits (JavaScript)', c({ seen: '2024-05-01T10:00:00.123Z' }), true],
  ['a date-time with 7 fraction digits (.NET)', c({ seen: '2024-05-01T10:00:00.1234567Z' }), true],
  ['a date-time with 9 fraction digits (Go, Java)', c({ seen: '2024-05-01T10:00:00.123456789+02:00' }), true],
  ['a date-time with 10 fraction digits', c({ seen: '2024-05-01T10:00:00.1234567891Z' }), false],
  ['a date-time with an empty fraction', c({ seen: '2024-05-01T10:00:00.Z' }), false],
  ['a date-time with a leap second (the wire rule has none)', c({ seen: '2016-12-31T23:59:60Z' }), false],
  ['a date-time narrowed by a pattern: 3 digits', c({ sent: '2024-05-01T10:00:00.123Z' }), true],
  ['a date-time narrowed by a pattern: 4 digits', c({ sent: '2024-05-01T10:00:00.1234Z' }), false],
  ['a date-time narrowed by a pattern: still the date-time rule', c({ sent: '2024-02-30T10:00:00Z' }), false],
  ['format without type: a number passes', c({ any: 12 }), true],
  ['format without type: an object passes', c({ any: { a: 1 } }), true],
  ['format without type: a bad string fails', c({ any: 'nope' }), false],
  ['a bad email inside an array', c({ emails: ['a@b.c', 'nope'] }), false],
];

describe('test/fixtures/formats: the shared format grammars on both targets', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(FIXTURE);
  }, 120_000);

  it('type-checks under tsc strict, mypy --strict and ruff', () => typeCheck(g), 240_000);

  it('gives the expected verdict on every message, on both targets', async () => {
    const v = await judge(g, FIXTURE, 'protocol.schema.json', MESSAGES.map(([, m]) => JSON.stringify(m)));
    const want = MESSAGES.map(([name, , ok]) => `${name}: ts ${ok}, python ${ok}`);
    expect(MESSAGES.map(([name], i) => `${name}: ts ${v.ts[i]}, python ${v.py[i]}`)).toEqual(want);
  });

  it('words a format issue as ajv does, on both targets', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const text = JSON.stringify(c({ any: 'nope' }));
    const ts = parse.parseMessage(text);
    expect(ts.ok).toBe(false);
    const want = { path: '/any', keyword: 'format', message: 'must match format "email"', params: { format: 'email' } };
    expect(!ts.ok && ts.errors.map((e) => ({ path: e.path, keyword: e.keyword, message: e.message, params: e.params }))).toEqual([want]);
    expect(pythonIssues(g, [text])[0]).toEqual([want]);
  });

  it('reports a pattern beside date-time as a pattern issue and the date-time rule as a format issue, on both targets', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const pattern = '^[^.]*(\\.[0-9]{0,3}([^0-9.][^.]*)?)*$';
    const texts = [c({ sent: '2024-05-01T10:00:00.1234Z' }), c({ sent: 'nope' })].map((m) => JSON.stringify(m));
    const want = [
      [{ path: '/sent', keyword: 'pattern', message: `must match pattern "${pattern}"`, params: { pattern } }],
      [{ path: '/sent', keyword: 'format', message: 'must match format "date-time"', params: { format: 'date-time' } }],
    ];
    const ts = texts.map((t) => parse.parseMessage(t)).map((r) => (r.ok ? null : r.errors.map((e) => ({ path: e.path, keyword: e.keyword, message: e.message, params: e.params }))));
    expect(ts).toEqual(want);
    expect(pythonIssues(g, texts)).toEqual(want);
  });

  it('keeps every fraction digit of a date-time in TS and truncates to microseconds in Python, dumping 6 digits or none', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const seen = ['2024-05-01T10:00:00.123456789Z', '2024-05-01T10:00:00.9999999-07:30', '2024-05-01T10:00:00.0000009Z', '2024-05-01T10:00:00.1+00:00'];
    const texts = seen.map((s) => JSON.stringify(c({ seen: s })));
    expect(texts.map((t) => { const r = parse.parseMessage(t); return r.ok ? (r.value as { seen?: string }).seen : null; })).toEqual(seen);
    const script = 'import sys\nfrom wsgen_protocol import parse_message\nfor line in sys.stdin.read().splitlines():\n    m = parse_message(line).value\n    print(m.seen.microsecond, m.model_dump_json(exclude_none=True))\n';
    const out = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input: texts.join('\n'), encoding: 'utf8' }).trim().split('\n');
    expect(out).toEqual([
      '123456 {"type":"contact","seen":"2024-05-01T10:00:00.123456Z"}',
      '999999 {"type":"contact","seen":"2024-05-01T10:00:00.999999-07:30"}',
      '0 {"type":"contact","seen":"2024-05-01T10:00:00Z"}',
      '100000 {"type":"contact","seen":"2024-05-01T10:00:00.100000Z"}',
    ]);
  });
});

/** A seeded generator (mulberry32), so that the random strings are the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the format checkers of both targets', () => {
  it('agree on the suite strings and on 1,000 mutations of each, for every format', async () => {
    const g = await generateBoth(FIXTURE);
    const { grammarFormats } = (await import(pathToFileURL(join(g.dir, 'generated/ts/formats.js')).href)) as { grammarFormats: Record<string, (s: string) => boolean> };
    const seeds = ['http://ƒøø.ßår/?∂é=\u{F0000}#πî\u{10300}', '{+var}/x{?a,b*}{#c:3}é\u{1F600}', 'joe.bloggs@example.com', '"a b"@[IPv6:1::2]', 'http://u@[v1.x]:80/a/b?q#f', '//h/p', '1:2::192.168.0.1', '2020-02-29', '23:59:60+00:00', 'P1Y2M3DT4H5M6S', '2eb8aa08-aa98-11ea-b4aa-73b441d16380', '255.0.10.9', '/a~0b//c~1', '12/x~1y'];
    const alphabet = ['0', '9', 'a', 'F', 'x', ':', '.', '-', '/', '@', '%', '"', '[', ']', 'T', 'Z', 'P', 'W', '\n', '\u09ea', '+', '?', '#', ' ', '\\', '~', '1', '\ud83d', 'é', 'V', '{', '}', '*', ',', '\u{10300}', '\uFFFE', '\u{E0001}', '\u{1FFFE}', '\uE000', '\u{F0000}'];
    const next = random(9);
    const corpus: string[] = [];
    for (const s of seeds) {
      for (let i = 0; i < 1000; i++) {
        const chars = [...s];
        for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
          const at = Math.floor(next() * (chars.length + 1));
          const op = next();
          const ch = alphabet[Math.floor(next() * alphabet.length)]!;
          if (op < 0.4) chars.splice(at, 1, ch);
          else if (op < 0.7) chars.splice(at, 0, ch);
          else chars.splice(at, 1);
        }
        corpus.push(chars.join(''));
      }
    }
    corpus.push(...seeds);
    const names = Object.keys(FORMAT_GRAMMARS);
    const ts = names.map((n) => corpus.map((s) => grammarFormats[n]!(s)));
    const script = 'import json, sys\nfrom wsgen_protocol._formats import FORMAT_CHECKS\nd = json.load(sys.stdin)\nprint(json.dumps([[FORMAT_CHECKS[n](s) for s in d["corpus"]] for n in d["names"]]))\n';
    const py = JSON.parse(execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input: JSON.stringify({ names, corpus }), encoding: 'utf8', maxBuffer: 64 << 20 })) as boolean[][];
    const differ = names.flatMap((n, i) => corpus.filter((s, k) => ts[i]![k] !== py[i]![k]).map((s) => `${n}: ${JSON.stringify(s)} ts ${ts[i]![corpus.indexOf(s)]}`));
    expect(differ).toEqual([]);
    // The corpus is not trivially all-invalid: every format accepts some mutation and rejects some.
    for (const [i, n] of names.entries()) expect([n, ts[i]!.some((x) => x), ts[i]!.some((x) => !x)]).toEqual([n, true, true]);
  }, 120_000);
});

describe('formats that stay refused', () => {
  const protocol = (value: unknown) => writeSchema({
    'protocol.schema.json': JSON.stringify({ $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }], $defs: { M: { type: 'object', properties: { type: { const: 'm' }, v: value }, required: ['type'], additionalProperties: false } } }),
  });

  it('refuses hostname (IDNA A-labels are not checked alike), typed or in a checked subschema', async () => {
    for (const value of [{ type: 'string', format: 'hostname' }, { format: 'hostname', minLength: 1 }]) {
      const e = await catchWsgen(() => schemaToIR(protocol(value)));
      expect([e.code, e.location.pointer, e.message.includes('format "hostname" has no exact implementation')]).toEqual(['WSGEN_UNSUPPORTED', '/$defs/M/properties/v/format', true]);
    }
  });

  it('says why each refused format of JSON Schema 2020-12 is refused, with a workaround as the hint', async () => {
    for (const name of ['hostname', 'idn-hostname', 'idn-email', 'regex']) {
      const e = await catchWsgen(() => schemaToIR(protocol({ type: 'string', format: name })));
      expect([name, e.code, e.message.includes(REFUSED_FORMATS[name]!.reason), e.hint]).toEqual([name, 'WSGEN_UNSUPPORTED', true, REFUSED_FORMATS[name]!.hint]);
    }
    expect((await catchWsgen(() => schemaToIR(protocol({ type: 'string', format: 'hostname' })))).hint).toContain('"maxLength": 253');
  });

  it('typed parts and checked subschemas refuse a format with one message, pointer and hint (known refusals and unknown names)', async () => {
    for (const name of ['hostname', 'idn-hostname', 'idn-email', 'regex', 'no-such-format']) {
      const typed = await catchWsgen(() => schemaToIR(protocol({ type: 'string', format: name })));
      const checked = await catchWsgen(() => schemaToIR(protocol({ type: 'string', format: name, not: { const: 'x' } })));
      expect([checked.code, checked.location.pointer, checked.message, checked.hint], String(name)).toEqual([typed.code, typed.location.pointer, typed.message, typed.hint]);
      expect([typed.code, typed.location.pointer], String(name)).toEqual(['WSGEN_UNSUPPORTED', '/$defs/M/properties/v/format']);
    }
  });

  it('offers for hostname a portable pattern that, with maxLength 253, gives the suite\'s verdict on every ASCII host name', async () => {
    checkPortablePattern(LDH_HOSTNAME_PATTERN, { file: 'x', pointer: '' });
    const suite = readGroups(requireSuite(), 'optional/format/hostname.json');
    const re = new RegExp(LDH_HOSTNAME_PATTERN, 'u');
    const strings = suite[0]!.tests.filter((t) => typeof t.data === 'string');
    expect(strings.length).toBeGreaterThan(15);
    expect(strings.map((t) => [t.description, re.test(t.data as string) && [...(t.data as string)].length <= 253])).toEqual(strings.map((t) => [t.description, t.valid]));
  });

  it('refuses date-time where the value need not be a string (its wire profile is narrower than RFC 3339)', async () => {
    for (const value of [{ format: 'date-time' }, { type: ['string', 'integer'], format: 'date-time' }, { allOf: [{ format: 'date-time' }] }]) {
      const e = await catchWsgen(() => schemaToIR(protocol(value)));
      expect([e.code, e.location.pointer.endsWith('/format')]).toEqual(['WSGEN_UNSUPPORTED', true]);
    }
  });

  it('asserts date-time in a checked value beside "type": "string" or ["string", "null"] (GitHub\'s schemas write it so)', () => {
    for (const value of [{ type: 'string', format: 'date-time', minLength: 20 }, { type: ['string', 'null'], format: 'date-time', maxLength: 40 }]) {
      expect(schemaToIR(protocol(value)).objects.find((o) => o.name === 'M')!.properties.find((p) => p.name === 'v')!.type).toEqual({ kind: 'checked', key: 'M.properties.v' });
    }
  });

  it('another keyword beside a format without type: a checked value (a string stays a string)', () => {
    for (const value of [{ format: 'email', minLength: 1 }]) {
      const ir = schemaToIR(protocol(value));
      expect(ir.objects.find((o) => o.name === 'M')!.properties.find((p) => p.name === 'v')!.type).toEqual({ kind: 'checked', key: 'M.properties.v' });
    }
  });
});
