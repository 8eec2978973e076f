/**
 * Any JSON string is a property name (issue 8 item 13, issue 9 row 4): a
 * property named after every Python builtin and keyword, every pydantic
 * BaseModel attribute, every name the generated Python and TS import or
 * define, Object.prototype members, and pairs that a naive mapping merges.
 * The package must import, type-check, and judge every message as the TS
 * parser and ajv's 2020-12 validator on the raw schema do.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PY_PYDANTIC_NAMES, PY_TYPING_NAMES, PY_WIRE_NAMES, pyAttrName } from '../../generator/emit/py-names.js';
import { type Generated, type Verdicts, generateBoth, judge, typeCheck } from './differential.js';
import { pathToFileURL } from 'node:url';
import { ROOT, tempDir } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');

/** Python's builtins, keywords, soft keywords and BaseModel attributes, as the venv's Python lists them. */
function pythonNames(): string[] {
  const code = 'import builtins, json, keyword; from pydantic import BaseModel; print(json.dumps(sorted(set(dir(builtins)) | set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(BaseModel)))))';
  return JSON.parse(execFileSync(PYTHON, ['-c', code], { encoding: 'utf8' })) as string[];
}

/** Names the generated code imports or defines, in either target. */
const GENERATED_NAMES = [
  ...PY_TYPING_NAMES, ...PY_PYDANTIC_NAMES, ...PY_WIRE_NAMES, 'datetime', 'Enum', 'IntEnum', 'StrEnum', 'MAX_DEPTH', 'MESSAGE_META', 'TAGS', 'SCHEMA_HASH', 'SCHEMA_VERSION',
  'ParseOk', 'ParseError', 'ParseResult', 'ValidationIssue', 'parse_message', 'validate_message', 'dump_message', 'parseMessage', 'validateMessage', 'isMessageOfType',
  'checkVariant', 'formats', 'ucs2length', 'equal', 'Omit', 'Extract', 'Record', 'ReadonlySet', 'Set', 'Map', 'Array', 'Object', 'JSON', 'unknown', 'string', 'number',
  'COLOR_VALUES', 'ColorInfo', 'ColorMeta', 'isColor', 'validateNames', 'Message',
  ...Object.getOwnPropertyNames(Object.prototype),
];

/** Pairs (and triples) a lossy mapping would merge, and names no identifier can hold. */
const COLLIDING = [
  '_id', 'f_id', 'f___id_', 'id_', 'from', 'from_', 'from__', 'content-type', 'content_type', 'content_2d_type', 'f_content_2d_type_', '名前', '', ' ', 'a b', 'a__b',
  'model_config', 'f_model__config_', 'model_dump', '1st', '-', '_', '__', '*/', '"', "'", '\\', '\u2028', 'ﬁ', 'fi', 'NotNull', 'Color', 'Vec2', 'Oauth2Token', 'Vec2_',
];

/** Fields after the named ones, one per kind of annotation: a shadowed name breaks (or loosens) them. */
const WITNESSES: Record<string, object> = {
  w_int: { type: 'integer', minimum: 0 },
  w_num: { type: 'number', maximum: 10 },
  w_bool: { type: 'boolean' },
  w_list: { type: 'array', items: { type: 'string' }, minItems: 1 },
  w_str: { type: 'string', minLength: 1 },
  w_enum: { $ref: '#/$defs/Color' },
  w_alias: { $ref: '#/$defs/Oauth2Token' },
  w_obj: { $ref: '#/$defs/Vec2' },
  w_const: { const: 'k' },
  w_nullable: { type: ['integer', 'null'] },
  w_record: { type: 'object', additionalProperties: { type: 'integer' } },
  w_any: {},
};
const WITNESS_VALID: Record<string, unknown> = {
  w_int: 1, w_num: 2.5, w_bool: true, w_list: ['a'], w_str: 's', w_enum: 'red', w_alias: 't', w_obj: { x: 1, y: 2 }, w_const: 'k', w_nullable: null, w_record: { a: 1 }, w_any: [null],
};
const WITNESS_INVALID: Record<string, unknown> = {
  w_int: -1, w_num: 11, w_bool: 1, w_list: [], w_str: '', w_enum: 'blue', w_alias: '', w_obj: { x: 1 }, w_const: 'j', w_nullable: 1.5, w_record: { a: 'b' },
};
/** The names every object-valued schema property needs a value of its own type for. */
const SPECIAL_VALUE: Record<string, unknown> = { Color: 'red', Vec2: { x: 1, y: 2 }, Oauth2Token: 't' };
const PROTO = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** JSON text with every non-ASCII character escaped (U+2028 would end a line for Python's splitlines). */
function asciiJson(v: unknown): string {
  return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

describe('any property name (issue 8 item 13, issue 9 row 4)', () => {
  const names = [...new Set([...pythonNames(), ...GENERATED_NAMES, ...COLLIDING])].filter((n) => n !== 'type' && n !== '__proto__' && !n.startsWith('w_'));
  const schemaDir = tempDir();
  const properties: Record<string, object> = Object.create(null) as Record<string, object>;
  properties.type = { const: 'names' };
  for (const n of names) properties[n] = Object.hasOwn(SPECIAL_VALUE, n) ? { $ref: `#/$defs/${n}` } : { type: 'string' };
  Object.assign(properties, WITNESSES);
  const protoProps: Record<string, object> = Object.create(null) as Record<string, object>;
  protoProps.type = { const: 'proto' };
  for (const n of PROTO) protoProps[n] = { type: 'integer' };
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://example.test/names.schema.json',
    title: 'Message',
    discriminator: { propertyName: 'type' },
    oneOf: [{ $ref: '#/$defs/Names' }, { $ref: '#/$defs/Proto' }],
    $defs: {
      Color: { type: 'string', enum: ['red', 'green'] },
      Oauth2Token: { type: 'string', minLength: 1 },
      Vec2: { type: 'object', properties: { x: { type: 'number' }, y: { type: 'number' } }, required: ['x', 'y'], additionalProperties: false },
      Names: { type: 'object', properties, required: ['type'], additionalProperties: false },
      Proto: { type: 'object', properties: protoProps, required: Object.keys(protoProps), additionalProperties: false },
    },
  };
  writeFileSync(join(schemaDir, 'protocol.schema.json'), JSON.stringify(schema, null, 2));

  const typeNames = new Set(['Message', 'Color', 'COLOR_VALUES', 'ColorInfo', 'ColorMeta', 'Oauth2Token', 'Vec2', 'Names', 'Proto']);
  const attrs = new Map(names.map((n) => [n, pyAttrName(n, typeNames)]));
  const messages: Array<[string, unknown]> = [];
  const valueOf = (n: string) => (Object.hasOwn(SPECIAL_VALUE, n) ? SPECIAL_VALUE[n] : 'v');
  const all = Object.fromEntries([['type', 'names'], ...names.map((n) => [n, valueOf(n)]), ...Object.entries(WITNESS_VALID)]);
  messages.push(['every property set', all]);
  for (const n of names) {
    messages.push([`${JSON.stringify(n)} alone`, { type: 'names', [n]: valueOf(n) }]);
    messages.push([`${JSON.stringify(n)} null`, { type: 'names', [n]: null }]);
    messages.push([`${JSON.stringify(n)} a number`, { type: 'names', [n]: 1 }]);
    const attr = attrs.get(n)!;
    if (!Object.hasOwn(properties, attr)) messages.push([`${JSON.stringify(n)}'s attribute name ${attr} as a key`, { type: 'names', [attr]: valueOf(n) }]);
  }
  for (const [w, v] of Object.entries(WITNESS_INVALID)) messages.push([`witness ${w} invalid after every named field`, { ...all, [w]: v }]);
  const protoAll = Object.fromEntries([['type', 'proto'], ...PROTO.map((n) => [n, 1])]);
  messages.push(['every inherited name present', protoAll]);
  for (const n of PROTO) {
    const without = Object.fromEntries(Object.entries(protoAll).filter(([k]) => k !== n));
    messages.push([`${n} absent (inherited on a JS object)`, without]);
    messages.push([`${n} a string`, { ...protoAll, [n]: 'x' }]);
  }
  const texts = messages.map(([, m]) => asciiJson(m));

  let g: Generated;
  let verdicts: Verdicts;
  beforeAll(async () => {
    g = await generateBoth(schemaDir);
    verdicts = await judge(g, schemaDir, 'protocol.schema.json', texts);
  }, 120_000);

  it('maps every wire name to its own Python attribute (injective)', () => {
    const seen = new Map<string, string>();
    for (const [n, a] of attrs) {
      expect(seen.get(a), `${JSON.stringify(n)} and ${JSON.stringify(seen.get(a))} both map to ${a}`).toBeUndefined();
      seen.set(a, n);
      expect(a).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    }
    expect(attrs.get('_id')).not.toBe(attrs.get('f_id'));
    expect(attrs.get('from')).toBe('from_');
    expect(attrs.get('float')).toBe('float_');
    expect(attrs.get('Color')).toBe('Color_');
    expect(attrs.get('NotNull')).toBe('NotNull_');
    expect(attrs.get('_id')).toBe('f___id_');
    expect(attrs.get('content-type')).toBe('f_content_2d_type_');
    expect(attrs.get('model_config')).toBe('f_model__config_');
    expect(attrs.get('名前')).toBe('f__540d__524d__');
    expect(attrs.get('int')).toBe('int_');
    expect(attrs.get('Annotated')).toBe('Annotated_');
    expect(attrs.get('class')).toBe('class_');
    expect(attrs.get('user_id')).toBeUndefined();
    expect(pyAttrName('user_id', typeNames)).toBe('user_id');
  });

  it('generates code that type-checks under tsc strict, mypy --strict and ruff', () => {
    typeCheck(g);
  }, 240_000);

  it('quotes TS keys that are not identifiers', () => {
    const types = g.files.get('ts/types.ts')!;
    expect(types).toContain("  'content-type'?: string;");
    expect(types).toContain("  '名前'?: string;");
    expect(types).toContain("  '*/'?: string;");
    expect(types).toContain('  toString: number;');
  });

  it('judges every message as ajv 2020-12 does on the raw schema, on both targets', () => {
    const wrong = messages.flatMap(([name], i) =>
      verdicts.ts[i] === verdicts.oracle[i] && verdicts.py[i] === verdicts.oracle[i] ? [] : [`${name}: oracle ${verdicts.oracle[i]}, ts ${verdicts.ts[i]}, python ${verdicts.py[i]}`],
    );
    expect(wrong).toEqual([]);
    expect(verdicts.oracle.filter((v) => v).length).toBeGreaterThan(names.length);
    expect(verdicts.oracle.filter((v) => !v).length).toBeGreaterThan(2 * names.length);
  });
});

describe('a discriminator named like an Object.prototype member', () => {
  it('reads an absent tag as absent: TS reports the same first error as Python', async () => {
    const dir = tempDir();
    const obj = { type: 'object', properties: { constructor: { const: 'a' }, n: { type: 'integer' } }, required: ['constructor'], additionalProperties: false };
    writeFileSync(join(dir, 'protocol.schema.json'), JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Message', discriminator: { propertyName: 'constructor' }, oneOf: [{ $ref: '#/$defs/A' }], $defs: { A: obj } }));
    const g = await generateBoth(dir);
    const texts = ['{}', '{"n":1}', '{"constructor":"a","n":1}', '{"constructor":"b"}', '{"constructor":1}'];
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    const py = JSON.parse(execFileSync(PYTHON, [join(ROOT, 'test/fixtures/probe.py'), join(g.dir, 'generated/python')], { input: texts.join('\n'), encoding: 'utf8' })) as { errors: unknown[] };
    const ts = texts.map((t) => {
      const r = parse.parseMessage(t);
      return r.ok ? null : r.errors[0];
    });
    expect(ts).toEqual(py.errors);
    expect(ts[0]).toMatchObject({ keyword: 'required', params: { missingProperty: 'constructor' } });
  }, 60_000);
});
