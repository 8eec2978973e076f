/**
 * Properties whose wire name is not a Python name (README "Property names"): the
 * generated models are constructed by attribute (`Note(from_=...)`, checked by
 * mypy --strict) or by wire name, dump wire names, and validate wire data by wire
 * names only (parse_message, validate_message, Model.model_validate(_json)), so an
 * attribute name used as a key is an unknown property, as it is to TypeScript.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Generated, generateBoth } from './differential.js';
import { ROOT, writeSchema } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');
const S = 'https://json-schema.org/draft/2020-12/schema';

const SCHEMA = {
  $schema: S,
  title: 'Msg',
  discriminator: { propertyName: 'type' },
  oneOf: [{ $ref: '#/$defs/Note' }],
  $defs: {
    Inner: { type: 'object', properties: { class: { type: 'integer' } }, required: ['class'], additionalProperties: false },
    Note: {
      type: 'object',
      properties: {
        type: { const: 'note' },
        from: { type: 'string', minLength: 1 },
        'content-type': { type: 'string' },
        model_config: { type: 'boolean' },
        inner: { $ref: '#/$defs/Inner' },
      },
      required: ['type', 'from', 'inner'],
      additionalProperties: false,
    },
  },
};

/** Runs Python code in the generated package's folder; returns its stdout. */
function py(g: Generated, code: string): string {
  return execFileSync(PYTHON, ['-c', code], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8' });
}

describe('Python attributes of wire names that are not Python names', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(writeSchema({ 'protocol.schema.json': JSON.stringify(SCHEMA) }));
  }, 120_000);

  it('constructs by attribute name and by wire name, and dumps wire names', () => {
    const out = py(g, `
import json
from wsgen_protocol import Inner, Note, dump_message
a = Note(type="note", from_="ann", f_content_2d_type_="text/plain", f_model__config_=True, inner=Inner(class_=3))
b = Note(**{"type": "note", "from": "ann", "content-type": "text/plain", "model_config": True, "inner": {"class": 3}})
assert a == b, (a, b)
print(dump_message(a))
print(a.model_dump_json())
print(json.dumps(a.model_dump()))
`);
    const wire = '{"type":"note","from":"ann","content-type":"text/plain","model_config":true,"inner":{"class":3}}';
    expect(out.split('\n').slice(0, 2)).toEqual([wire, wire]);
    expect(JSON.parse(out.split('\n')[2]!)).toEqual(JSON.parse(wire));
  });

  it('refuses attribute names as wire keys in every validation entry point, at any depth', () => {
    const out = py(g, `
from pydantic import ValidationError
from wsgen_protocol import Note, parse_message, validate_message
cases = {
    "top": {"type": "note", "from_": "ann", "inner": {"class": 1}},
    "nested": {"type": "note", "from": "ann", "inner": {"class_": 1}},
    "dashed": {"type": "note", "from": "ann", "inner": {"class": 1}, "f_content_2d_type_": "x"},
}
import json
for name, msg in cases.items():
    r = parse_message(json.dumps(msg))
    v = validate_message(msg)
    for fn in (lambda: Note.model_validate(msg), lambda: Note.model_validate_json(json.dumps(msg))):
        try:
            fn()
            print(name, "accepted")
        except ValidationError:
            pass
    print(name, type(r).__name__, r.errors[0].keyword if hasattr(r, "errors") else "-", type(v).__name__)
`);
    expect(out).not.toContain('accepted');
    expect(out).toMatch(/^top ParseError (required|additionalProperties) ParseError$/m);
    expect(out).toMatch(/^nested ParseError (required|additionalProperties) ParseError$/m);
    expect(out).toMatch(/^dashed ParseError additionalProperties ParseError$/m);
  });

  it('accepts wire names in every validation entry point', () => {
    const out = py(g, `
import json
from wsgen_protocol import Note, ParseOk, parse_message, validate_message
msg = {"type": "note", "from": "ann", "inner": {"class": 1}}
print(isinstance(parse_message(json.dumps(msg)), ParseOk), isinstance(validate_message(msg), ParseOk), Note.model_validate(msg).from_, Note.model_validate_json(json.dumps(msg)).inner.class_)
`);
    expect(out.trim()).toBe('True True ann 1');
  });

  it('mypy --strict checks construction by attribute name (a misspelt attribute is an error)', () => {
    const check = (body: string) => {
      writeFileSync(join(g.dir, 'generated/python/use_it.py'), `from wsgen_protocol import Inner, Note\n\n${body}\n`);
      try {
        execFileSync(PYTHON, ['-m', 'mypy', '--strict', '--cache-dir', join(g.dir, 'mypy-cache'), 'use_it.py'], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8', stdio: 'pipe' });
        return '';
      } catch (err) {
        return (err as { stdout: string }).stdout;
      }
    };
    expect(check('n = Note(type="note", from_="ann", inner=Inner(class_=1))\nprint(n.from_, n.inner.class_)')).toBe('');
    expect(check('n = Note(type="note", frm="ann", inner=Inner(class_=1))')).toMatch(/Unexpected keyword argument "frm"/);
  }, 120_000);
});
