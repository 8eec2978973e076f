// Any root (issue 9 row 11): a schema whose root is no tagged union (one object, inline or a $ref; an
// untagged oneOf/anyOf; an array; a primitive; an enum; a root only a checked subschema expresses)
// generates types, validators, models and parse functions. Each generates, type-checks (tsc strict,
// mypy --strict, ruff), and the TS parser, the Python package and ajv on the raw schema agree; the
// depth and number limits hold on both targets; the root is named from its title, else its file
// name; the descriptor says `tagged: false`, and the commands that need a tagged root refuse it.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { type Generated, generateBoth, judge, pythonIssues, typeCheck } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');
const SCHEMA = 'https://json-schema.org/draft/2020-12/schema';

interface RootCase {
  what: string;
  /** The root schema (file root.schema.json). */
  schema: Record<string, unknown>;
  /** The root type's expected name and IR kind. */
  name: string;
  kind: 'object' | 'enum' | 'alias';
  messages: Array<[string, unknown]>;
}

const CASES: RootCase[] = [
  {
    what: 'an array of inline objects, named from the title',
    schema: { $schema: SCHEMA, title: 'Points', type: 'array', maxItems: 2, items: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'], additionalProperties: false } },
    name: 'Points',
    kind: 'alias',
    messages: [['two points', [{ x: 1 }, { x: 2 }]], ['no point', []], ['three points', [{ x: 1 }, { x: 2 }, { x: 3 }]], ['a string x', [{ x: '1' }]], ['an object', { x: 1 }], ['an unknown key', [{ x: 1, y: 2 }]]],
  },
  {
    what: 'a primitive (a bounded string), named from the file name',
    schema: { $schema: SCHEMA, type: 'string', minLength: 2, maxLength: 4 },
    name: 'Root',
    kind: 'alias',
    messages: [['a string', 'abc'], ['too short', 'a'], ['too long', 'abcde'], ['a number', 12], ['null', null]],
  },
  {
    what: 'an integer enum written as oneOf of const',
    schema: { $schema: SCHEMA, title: 'Level', oneOf: [{ const: 1, title: 'LOW' }, { const: 2, title: 'HIGH' }] },
    name: 'Level',
    kind: 'enum',
    messages: [['1', 1], ['2', 2], ['3', 3], ['a string', '1'], ['1.5', 1.5]],
  },
  {
    what: 'a $ref to an object definition',
    schema: { $schema: SCHEMA, title: 'Envelope', $ref: '#/$defs/Body', $defs: { Body: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'], additionalProperties: false } } },
    name: 'Envelope',
    kind: 'alias',
    messages: [['an id', { id: 'a' }], ['no id', {}], ['a numeric id', { id: 1 }], ['an extra key', { id: 'a', x: 1 }]],
  },
  {
    what: 'an untagged anyOf of inline schemas',
    schema: { $schema: SCHEMA, title: 'Value', anyOf: [{ type: 'string', pattern: '^a' }, { type: 'integer', minimum: 10 }, { type: 'array', items: { type: 'boolean' } }] },
    name: 'Value',
    kind: 'alias',
    messages: [['a string', 'ab'], ['another string', 'ba'], ['an integer', 11], ['a small integer', 9], ['booleans', [true, false]], ['a number in the array', [1]], ['null', null]],
  },
  {
    what: 'a root only a checked subschema expresses (prefixItems)',
    schema: { $schema: SCHEMA, title: 'Pair', type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false },
    name: 'Pair',
    kind: 'alias',
    messages: [['a pair', ['a', 1]], ['a short pair', ['a']], ['a swapped pair', [1, 'a']], ['a long pair', ['a', 1, 2]], ['an object', { a: 1 }]],
  },
  {
    what: 'a oneOf of inline objects tagged by a const, without a discriminator keyword',
    schema: {
      $schema: SCHEMA,
      title: 'Shape',
      oneOf: [
        { type: 'object', properties: { kind: { const: 'circle' }, r: { type: 'number' } }, required: ['kind', 'r'], additionalProperties: false },
        { type: 'object', properties: { kind: { const: 'square' }, side: { type: 'number' } }, required: ['kind', 'side'], additionalProperties: false },
      ],
    },
    name: 'Shape',
    kind: 'alias',
    messages: [['a circle', { kind: 'circle', r: 1 }], ['a square', { kind: 'square', side: 1 }], ['an unknown kind', { kind: 'hex' }], ['no kind', { r: 1 }], ['a circle with a side', { kind: 'circle', side: 1 }]],
  },
  {
    what: 'any JSON value with a bound (an open root)',
    schema: { $schema: SCHEMA, title: 'Blob', type: 'object', maxProperties: 2 },
    name: 'Blob',
    kind: 'alias',
    messages: [['an object', { a: [1, { b: null }] }], ['three keys', { a: 1, b: 2, c: 3 }], ['an array', [1]]],
  },
];

/** JSON text with every non-ASCII character escaped. */
function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

describe.each(CASES)('a root that is $what', (c) => {
  let dir: string;
  let g: Generated;
  beforeAll(async () => {
    dir = writeSchema({ 'root.schema.json': JSON.stringify(c.schema) });
    g = await generateBoth(dir);
  }, 120_000);

  it('is the named type the IR says; its output carries the root parser', () => {
    const ir = schemaToIR(dir);
    expect(ir.union).toBeUndefined();
    expect(ir.root).toEqual({ tagged: false, name: c.name, kind: c.kind });
    expect(g.files.get('python/wsgen_protocol/_root_parser.py')).toContain("Copied from wsgen's generator/shipped/python/_root_parser.py");
  });

  it('type-checks under tsc strict, mypy --strict and ruff', () => typeCheck(g), 240_000);

  it("gives the oracle's verdict on every message, on both targets", async () => {
    const v = await judge(g, dir, 'root.schema.json', c.messages.map(([, m]) => asciiJson(m)));
    const got = c.messages.map(([name], i) => `${name}: ts ${v.ts[i]}, python ${v.py[i]}`);
    const want = c.messages.map(([name], i) => `${name}: ts ${v.oracle[i]}, python ${v.oracle[i]}`);
    expect(got).toEqual(want);
    expect(v.oracle.some((x) => x) && v.oracle.some((x) => !x)).toBe(true);
  });

  it('reports the same first issue (path, keyword) on both targets', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const texts = c.messages.map(([, m]) => asciiJson(m));
    const ts = texts.map((t) => {
      const r = parse.parseMessage(t);
      return r.ok ? null : [r.errors[0]!.path, r.errors[0]!.keyword];
    });
    const py = pythonIssues(g, texts).map((e) => (e === null ? null : [(e[0] as { path: string }).path, (e[0] as { keyword: string }).keyword]));
    expect(c.messages.map(([name], i) => [name, py[i]])).toEqual(c.messages.map(([name], i) => [name, ts[i]]));
  });
});

/** Runs a Python snippet with the generated package (and the Python runtime) importable; returns its stdout. */
function python(g: Generated, code: string, input = ''): string {
  return execFileSync(PYTHON, ['-c', code], { cwd: join(g.dir, 'generated/python'), input, encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(ROOT, 'runtime/python/src') } });
}

/** An array nested `n` levels deep around 1. */
const nested = (n: number): unknown => (n === 0 ? 1 : [nested(n - 1)]);

describe('the limits of a root that is no tagged union, on both targets', () => {
  let g: Generated;
  let parse: typeof import('../../generated/ts/parse.js');
  const texts = [
    ['an open value at the depth limit', JSON.stringify({ a: nested(199) })],
    ['an open value past the depth limit', JSON.stringify({ a: nested(200) })],
    ['an unsafe integer in an open root', '{"a": [9007199254740992]}'],
    ['the largest safe integer', '{"a": [9007199254740991]}'],
    ['a 500-digit integer', `{"a": ${'9'.repeat(500)}}`],
    ['a NaN literal', '{"a": NaN}'],
    ['a lone surrogate escape', '{"a": "\\ud800"}'],
  ] as const;
  beforeAll(async () => {
    g = await generateBoth(writeSchema({ 'blob.json': JSON.stringify({ $schema: SCHEMA, type: 'object' }) }));
    parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof parse;
  }, 120_000);

  it('parse: TS and Python give the same verdict and first issue (path, keyword)', () => {
    const ts = texts.map(([, t]) => {
      const r = parse.parseMessage(t);
      return r.ok ? null : [r.errors[0]!.path, r.errors[0]!.keyword];
    });
    const py = JSON.parse(python(g, 'import json, sys\nfrom wsgen_protocol import parse_message\nout = []\nfor line in sys.stdin.read().splitlines():\n    r = parse_message(line)\n    out.append(None if r.ok else [r.errors[0].path, r.errors[0].keyword])\nprint(json.dumps(out))\n', texts.map(([, t]) => t).join('\n'))) as unknown[];
    expect(texts.map(([name], i) => [name, py[i]])).toEqual(texts.map(([name], i) => [name, ts[i]]));
    expect(ts).toEqual([null, ['', 'depth'], ['', 'number'], null, ['', 'number'], ['', 'json'], ['', 'unicode']]);
  });

  it('validate: a value nesting past the limit fails first, at the root, on both targets', () => {
    const deep = { a: nested(200) };
    const r = parse.validateMessage(deep);
    expect(r.ok ? null : r.errors[0]).toMatchObject({ path: '', keyword: 'depth' });
    expect(parse.validateMessage({ a: nested(199) }).ok).toBe(true);
    const py = python(g, 'import json, sys\nfrom wsgen_protocol import validate_message\nfor line in sys.stdin.read().splitlines():\n    r = validate_message(json.loads(line))\n    print(json.dumps(None if r.ok else [r.errors[0].path, r.errors[0].keyword]))\n', [JSON.stringify(deep), JSON.stringify({ a: nested(199) })].join('\n'));
    expect(py.trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([['', 'depth'], null]);
  });

  it('the descriptor says tagged: false and tag null, on both targets; the Python runtime refuses it (WSGEN_UNTAGGED_ROOT)', () => {
    expect(g.files.get('ts/protocol.ts')).toContain('  tagged: false,\n  tag: null,');
    const out = python(g, [
      'from wsgen_protocol import PROTOCOL',
      'from wsgen_runtime import UntaggedRootError',
      'from wsgen_runtime.generated import from_generated',
      'print(PROTOCOL.tagged, PROTOCOL.tag, len(PROTOCOL.messages))',
      'try:',
      '    from_generated(PROTOCOL)',
      'except UntaggedRootError as e:',
      '    print(e.code, e.where, "discriminator" in e.hint)',
      'from wsgen_runtime import FieldRoles, ProtocolDescriptor, TypeRoles',
      'try:',
      '    ProtocolDescriptor(None, {}, PROTOCOL.parse, lambda m: (), "h", "1.0.0", TypeRoles(), FieldRoles(), {}, {})  # type: ignore[arg-type]',
      'except UntaggedRootError as e:',
      '    print(e.code)',
    ].join('\n'));
    expect(out.trim().split('\n')).toEqual(['False None 0', 'WSGEN_UNTAGGED_ROOT Blob True', 'WSGEN_UNTAGGED_ROOT']);
  });

  it('the TS runtimes (createServer, WebSocketService, WebSocketClient) refuse it at construction (WSGEN_UNTAGGED_ROOT)', async () => {
    const { protocol } = (await import(pathToFileURL(join(g.dir, 'generated/ts/protocol.ts')).href)) as { protocol: { tagged: boolean; tag: null } };
    expect(protocol).toMatchObject({ tagged: false, tag: null });
    const { createServer } = await import('../../runtime/server/index.js');
    const { WebSocketService, WebSocketClient, UntaggedRootError } = await import('../../runtime/client/index.js');
    const attempts: Array<[string, () => unknown]> = [
      ['createServer', () => createServer({ protocol: protocol as never, port: 0 } as never)],
      ['WebSocketService', () => new WebSocketService(protocol as never)],
      ['WebSocketClient', () => new WebSocketClient(protocol as never)],
    ];
    for (const [who, make] of attempts) {
      let err: unknown;
      try {
        await make();
      } catch (e) {
        err = e;
      }
      expect(err, who).toBeInstanceOf(UntaggedRootError);
      expect((err as InstanceType<typeof UntaggedRootError>).code, who).toBe('WSGEN_UNTAGGED_ROOT');
      expect((err as InstanceType<typeof UntaggedRootError>).hint, who).toContain('root oneOf with a discriminator');
    }
  });
});

describe('the name of a root that is no tagged union', () => {
  it('comes from the title, else the file name without .schema.json', () => {
    expect(schemaToIR(writeSchema({ 'point-list.schema.json': JSON.stringify({ type: 'array' }) })).root.name).toBe('PointList');
    expect(schemaToIR(writeSchema({ 'x.json': JSON.stringify({ title: 'my point', type: 'string' }) })).root.name).toBe('MyPoint');
  });

  it.each([
    ['a $defs entry with the same name', { 'point.json': JSON.stringify({ $ref: '#/$defs/Point', $defs: { Point: { type: 'string' } } }) }],
    ['a name the generated code uses (the file protocol.schema.json)', { 'protocol.schema.json': JSON.stringify({ type: 'string' }) }],
    ['a title that gives no type name', { 'x.json': JSON.stringify({ title: '9 lives', type: 'string' }) }],
  ])('collides with %s: WSGEN_NAME at the root, with a hint', async (_what, files) => {
    const err = await catchWsgen(() => schemaToIR(writeSchema(files)));
    expect(err.code).toBe('WSGEN_NAME');
    expect(err.location.pointer).toBe('');
    expect(err.hint).toMatch(/title|rename/);
  });
});

describe('commands on a root that is no tagged union', () => {
  const dir = join(ROOT, 'test/fixtures/root-object');
  const cli = (args: string[], input?: string) => spawnSync(process.execPath, [join(ROOT, 'bin/wsgen.js'), ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });

  it.each([['docs'], ['asyncapi'], ['breaking']])('wsgen %s refuses it: WSGEN_UNTAGGED_ROOT, exit 2, with the hint', (cmd) => {
    const r = cli([cmd, '--schema', dir, ...(cmd === 'breaking' ? ['--against', dir] : [])]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('WSGEN_UNTAGGED_ROOT');
    expect(r.stderr).toContain('the runtimes need a root oneOf with a discriminator');
  });

  it('wsgen validate judges messages of it (exit 0 valid, 1 invalid)', () => {
    expect(cli(['validate', '--schema', dir, '-'], '{"name": "a", "origin": {"x": 1, "y": 2}}\n').status).toBe(0);
    const bad = cli(['validate', '--schema', dir, '-'], '{"name": "a", "origin": {"x": 1, "y": 2}, "other": 1}\n');
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toContain('unknown property "other" (allowed: name, origin, points, style, extra)');
  });
});
