/**
 * `default` is applied to absent properties, identically on both targets (issue 9
 * row 12): test/fixtures/defaults generates, type-checks, gets the same verdicts
 * from TS, Python and ajv on the raw schema, and parses every message to the same
 * value in TS and Python (Python's dump_message text equals TS's JSON.stringify
 * as JSON values). Where defaults do not apply (checked subschemas, alias
 * definitions, required properties), both targets leave the value as sent.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generateBoth, judge, typeCheck } from './differential.js';
import { ROOT, writeSchema } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');
const S = 'https://json-schema.org/draft/2020-12/schema';
const FIXTURE = join(ROOT, 'test/fixtures/defaults');

type Parse = typeof import('../../generated/ts/parse.js');

/** Python's dump_message of each message text (or its issues), as JSON values. */
function pythonDumps(g: Generated, texts: string[]): unknown[] {
  const script = [
    'import json, sys',
    'from wsgen_protocol import dump_message, parse_message',
    'for line in sys.stdin.read().splitlines():',
    '    r = parse_message(line)',
    '    print(dump_message(r.value) if r.ok else json.dumps({"errors": [e.to_dict() for e in r.errors]}))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), input: texts.join('\n'), encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l) as unknown);
}

/** The messages of the fixture: [what, message, valid]. */
const MESSAGES: Array<[string, Record<string, unknown>, boolean]> = [
  ['every default absent', { type: 'configure' }, true],
  ['some set, a nested object partly set, a nullable set to null', { type: 'configure', title: 'x', zoom: 2, layout: { margins: { bottom: 1 } }, label: null, owner: 'o' }, true],
  ['a present nested object without its own defaults', { type: 'configure', layout: { columns: 5, gap: {} } }, true],
  ['defaults in array items and in a tagged union branch', { type: 'draw', points: [{ x: 1, y: 2 }, { x: 0, y: 0, weight: 2 }], shape: { kind: 'circle' }, shapes: [{ kind: 'square', side: 2 }, { kind: 'circle', r: 3 }] }, true],
  ['a nullable object set to null', { type: 'draw', frame: null }, true],
  ['a nullable object set to an object', { type: 'draw', frame: { margins: {} } }, true],
  ['no default inside a checked subschema', { type: 'draw', raw: [2, { m: 1 }, {}] }, true],
  ['a message type without defaults', { type: 'plain' }, true],
  ['an absent property with a default is still valid when written wrongly? no: a wrong value', { type: 'configure', retries: -1 }, false],
  ['null where the default is not nullable', { type: 'configure', title: null }, false],
  ['a wrong value inside a nested object with defaults', { type: 'configure', layout: { margins: { top: -1 } } }, false],
  ['an unknown key beside defaults', { type: 'configure', layout: { extra: 1 } }, false],
  ['a circle branch with a wrong radius', { type: 'draw', shapes: [{ kind: 'circle', r: 0 }] }, false],
];

describe('defaults fixture (test/fixtures/defaults)', () => {
  let g: Generated;
  let parse: Parse;
  beforeAll(async () => {
    g = await generateBoth(FIXTURE);
    parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as Parse;
  }, 120_000);

  it('ships fill.js and its types under the banner and a line naming the source, otherwise unchanged, beside defaults.js', () => {
    for (const name of ['fill.js', 'fill.d.ts']) {
      const out = readFileSync(join(g.dir, 'generated/ts', name), 'utf8').split('\n');
      expect(out[2]).toBe(`// Copied from wsgen's generator/shipped/ts/${name}: the same in every output.`);
      expect([name, out.slice(3).join('\n')]).toEqual([name, readFileSync(join(ROOT, 'generator/shipped/ts', name), 'utf8')]);
    }
    expect(readFileSync(join(g.dir, 'generated/ts/parse.js'), 'utf8')).toMatch(/value: fillDefaults\(tag, data\)/);
  });

  it('type-checks (tsc strict, mypy --strict, ruff)', () => {
    typeCheck(g);
  }, 120_000);

  it('gets the same verdict from TS, Python and ajv on the raw schema', async () => {
    const texts = MESSAGES.map(([, m]) => JSON.stringify(m));
    const v = await judge(g, FIXTURE, 'protocol.schema.json', texts);
    const rows = MESSAGES.map(([what, , valid], i) => [what, valid, v.ts[i], v.py[i], v.oracle[i]]);
    expect(rows).toEqual(MESSAGES.map(([what, , valid]) => [what, valid, valid, valid, valid]));
  });

  it('parses every valid message to the same value in TS and Python (dump_message equals JSON.stringify as JSON)', () => {
    const valid = MESSAGES.filter(([, , ok]) => ok);
    const texts = valid.map(([, m]) => JSON.stringify(m));
    const ts = texts.map((t) => {
      const r = parse.parseMessage(t);
      return r.ok ? JSON.parse(JSON.stringify(r.value)) : { errors: r.errors };
    });
    expect(pythonDumps(g, texts)).toEqual(ts);
  });

  it('fills every JSON kind, nested defaults, array items, union branches and nullable places', () => {
    const all = parse.parseMessage('{"type":"configure"}');
    expect(all.ok && all.value).toEqual({
      type: 'configure', title: 'untitled', zoom: 1.5, retries: 3, visible: true, parent: null, color: 'green', tags: ['a', 'b'], meta: { rev: 1 },
      // The default {} of layout gets Layout's own defaults, and its margins default {"top": 8} gets Margins' defaults.
      layout: { columns: 2, margins: { top: 8, bottom: 4, unit: 'px' } },
      label: 'none', owner: null, extra: { free: [1, 'two', null] },
    });
    const set = parse.parseMessage('{"type":"configure","label":null,"layout":{"gap":{}}}');
    expect(set.ok && set.value).toMatchObject({ label: null, layout: { columns: 2, margins: { top: 8, bottom: 4, unit: 'px' }, gap: { top: 4, bottom: 4, unit: 'px' } } });
    const draw = parse.parseMessage('{"type":"draw","points":[{"x":1,"y":2}],"shapes":[{"kind":"square","side":1},{"kind":"circle"}],"frame":null}');
    expect(draw.ok && draw.value).toEqual({
      type: 'draw', points: [{ x: 1, y: 2, weight: 0.5 }], shapes: [{ kind: 'square', side: 1 }, { kind: 'circle', r: 1, fill: 'blue' }], frame: null, raw: [1],
    });
    const frame = parse.parseMessage('{"type":"draw"}');
    expect(frame.ok && frame.value).toMatchObject({ shapes: [{ kind: 'circle', r: 1, fill: 'blue' }], frame: { columns: 3, margins: { top: 8, bottom: 4, unit: 'px' } } });
  });

  it('leaves defaults inside a checked subschema as annotations on both targets', () => {
    const text = '{"type":"draw","raw":[2,{}]}';
    const r = parse.parseMessage(text);
    expect(r.ok && (r.value as { raw?: unknown }).raw).toEqual([2, {}]);
    expect((pythonDumps(g, [text])[0] as { raw: unknown }).raw).toEqual([2, {}]);
  });

  it('gives each parse a fresh copy of a default (TS): no two messages share one', () => {
    const a = parse.parseMessage('{"type":"configure"}');
    const b = parse.parseMessage('{"type":"configure"}');
    if (!a.ok || !b.ok) throw new Error('expected two configure messages');
    const [x, y] = [a.value as unknown as Record<string, any>, b.value as unknown as Record<string, any>];
    expect([x.tags === y.tags, x.meta === y.meta, x.layout === y.layout, x.layout.margins === y.layout.margins, x.extra === y.extra]).toEqual([false, false, false, false, false]);
    x.tags.push('z');
    x.layout.margins.top = 99;
    const c = parse.parseMessage('{"type":"configure"}');
    expect(c.ok && c.value).toMatchObject({ tags: ['a', 'b'], layout: { margins: { top: 8 } } });
  });

  it('gives each parse a fresh copy of a default (Python): no two messages share one', () => {
    const script = [
      'from wsgen_protocol import parse_message',
      'a = parse_message(\'{"type":"configure"}\').value',
      'b = parse_message(\'{"type":"configure"}\').value',
      'print(a.tags is b.tags, a.meta is b.meta, a.layout is b.layout, a.layout.margins is b.layout.margins, a.extra is b.extra)',
      'a.tags.append("z"); a.extra["free"].append(4)',
      'c = parse_message(\'{"type":"configure"}\').value',
      'print(c.tags, c.extra)',
    ].join('\n');
    const out = execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8' }).trim().split('\n');
    expect(out).toEqual(['False False False False False', "['a', 'b'] {'free': [1, 'two', None]}"]);
  });

  it('never changes the value validateMessage or a guard is given (copy on write)', async () => {
    const guards = (await import(pathToFileURL(join(g.dir, 'generated/ts/guards.ts')).href)) as { isConfigure(x: unknown): boolean; isDefaultsMessage(x: unknown): boolean };
    const input = { type: 'configure', layout: { gap: {} } };
    const before = JSON.stringify(input);
    expect([guards.isConfigure(input), guards.isDefaultsMessage(input)]).toEqual([true, true]);
    expect(JSON.stringify(input)).toBe(before);
    const r = parse.validateMessage(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(r.ok && r.value).toMatchObject({ title: 'untitled', layout: { columns: 2, gap: { top: 4 } } });
    // Nothing absent: the very object comes back.
    const full = { type: 'plain', text: 'a' };
    const same = parse.validateMessage(full);
    expect(same.ok && same.value).toBe(full);
  });
});

describe('typing of defaulted properties (tsc strict)', () => {
  it('parsed values have them, the wire form (guards, sending) may omit them', async () => {
    const g = await generateBoth(FIXTURE);
    const probe = [
      "import { parseMessage, isConfigure, isDefaultsMessage, isMessageOfType, type Configure, type ConfigureInput, type DefaultsMessageInput, type Layout } from './generated/ts/index.js';",
      'const r = parseMessage(\'{"type":"configure"}\');',
      "if (r.ok && r.value.type === 'configure') {",
      '  const title: string = r.value.title;',
      '  const top: number = r.value.layout.margins.top;',
      '  const tags: string[] = r.value.tags;',
      '  void [title, top, tags];',
      '}',
      "const sent: ConfigureInput = { type: 'configure' };",
      "const union: DefaultsMessageInput = { type: 'draw', shapes: [{ kind: 'circle' }] };",
      'export function check(x: unknown): void {',
      '  if (isConfigure(x)) {',
      '    // @ts-expect-error a guard checks the wire form: title may be absent',
      '    const t: string = x.title;',
      '    void t;',
      '  }',
      "  if (isDefaultsMessage(x) && isMessageOfType(x, 'configure')) {",
      '    // @ts-expect-error narrowed wire form: zoom may be absent',
      '    const z: number = x.zoom;',
      '    void z;',
      '  }',
      '}',
      "// @ts-expect-error the parsed form requires the defaulted properties",
      "const parsed: Configure = { type: 'configure' };",
      '// @ts-expect-error Layout (parsed) requires margins',
      'const layout: Layout = {};',
      'void [sent, union, parsed, layout];',
      // The runtimes, typed by the descriptor: handlers get the parsed form, senders write the wire form.
      `import type { Body, ClientMessage, InputOf, MessageOf, ServerMessage } from '${join(ROOT, 'runtime/client/protocol.js')}';`,
      `import type { ServerInputOf } from '${join(ROOT, 'runtime/server/descriptor.js')}';`,
      "import { protocol } from './generated/ts/protocol.js';",
      'type P = typeof protocol;',
      "const body: Body<P, 'configure'> = {};",
      "const whole: ClientMessage<P> = { type: 'draw', shapes: [{ kind: 'circle' }] };",
      "const pushed: ServerInputOf<P> = { type: 'configure' };",
      "export function onConfigure(m: MessageOf<P, 'configure'>, w: InputOf<P, 'configure'>, s: ServerMessage<P>): string {",
      "  const top: number = m.layout.margins.top;",
      '  // @ts-expect-error the wire form may omit title',
      '  const t: string = w.title;',
      "  return s.type === 'configure' ? s.title + String(top) + t : '';",
      '}',
      'void [body, whole, pushed];',
    ].join('\n');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(g.dir, 'probe.ts'), probe);
    writeFileSync(
      join(g.dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023'], types: [] }, include: ['probe.ts', 'generated/ts/**/*.ts'] }),
    );
    let out = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(g.dir, 'tsconfig.json')], { cwd: g.dir, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout);
    }
    expect(out).toBe('');
  }, 120_000);
});

describe('where defaults are not applied', () => {
  let g: Generated;
  beforeAll(async () => {
    const schema = writeSchema({
      'protocol.schema.json': JSON.stringify({
        $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/Zoom' }],
        $defs: {
          Level: { type: 'integer', minimum: 1, default: 1 },
          Zoom: {
            type: 'object',
            properties: {
              type: { const: 'zoom' },
              level: { type: 'number', default: 1.5, description: 'Zoom factor.' },
              mode: { type: 'string', default: 'fit' },
              tags: { type: 'array', items: { type: 'string', default: '' }, default: [] },
              steps: { $ref: '#/$defs/Level' },
              name: { type: 'string', default: 'n' },
              bag: { type: 'object', additionalProperties: { type: 'object', properties: { k: { type: 'integer', default: 0 } } } },
              others: { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: { type: 'object', properties: { k: { type: 'integer', default: 0 } } } },
            },
            required: ['type', 'name'],
            additionalProperties: false,
          },
        },
      }),
    });
    g = await generateBoth(schema);
  }, 120_000);

  it('documents each property default in the TS types and the Python docstrings', () => {
    const ts = readFileSync(join(g.dir, 'generated/ts/types.ts'), 'utf8');
    const py = readFileSync(join(g.dir, 'generated/python/wsgen_protocol/models/zoom.py'), 'utf8');
    for (const tag of ['@default 1.5', '@default "fit"', '@default []']) {
      // A docstring that ends in a quote escapes it: """@default "fit\"""".
      expect([tag, ts.includes(tag), py.includes(tag) || py.includes(tag.replace(/"$/, '\\"'))]).toEqual([tag, true, true]);
    }
  });

  it('applies property defaults (in record values too), not an alias definition default, a required property default, array item defaults or defaults in undeclared keys', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as Parse;
    const text = '{"type":"zoom","name":"a","tags":["t"],"bag":{"x":{}},"others":{"x":{}}}';
    const r = parse.parseMessage(text);
    const expected = { type: 'zoom', name: 'a', level: 1.5, mode: 'fit', tags: ['t'], bag: { x: { k: 0 } }, others: { x: {} } };
    expect(r.ok && r.value).toEqual(expected);
    expect(pythonDumps(g, [text])[0]).toEqual(expected);
  });
});
