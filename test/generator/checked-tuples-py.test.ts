/**
 * Python tuples of checked values (TRIAL9 finding 5; generator/emit/py-tuples.ts, `_checked.py`): a `prefixItems`
 * tuple whose shape the subschema fixes is typed `tuple[...]` for type checkers (`Shaped`, `OrNone`: pydantic
 * still sees `Any` and the checker judges), and a valid array is handed out as a tuple; a Python tuple is the JSON
 * array it is sent as everywhere: at model construction, in `validate_message`, inside `enum`/`const`/`not`
 * (JSON equality), as it already was outbound (`outbound_validator` reads the JSON text). Fixture:
 * test/fixtures/checked-types (Vec2 `[number, number]`, Span `[integer, integer?]`, Cell `[(string|null)?, (1|2)?]`,
 * Path `[string, ...Vec2[]]`).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { pyTupleShape } from '../../generator/emit/py-tuples.js';
import { type Generated, generateBoth, typeCheck } from './differential.js';
import { ROOT } from './helpers.js';

const PYTHON = join(ROOT, '.venv/bin/python');
let g: Generated;

beforeAll(async () => {
  g = await generateBoth(join(ROOT, 'test/fixtures/checked-types'));
}, 120_000);

/** Runs `script` in the generated Python folder; its stdout lines. */
function py(script: string): string[] {
  return execFileSync(PYTHON, ['-c', script], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8' }).trim().split('\n');
}

describe('the Python type of a checked tuple', () => {
  it('is tuple[...] where the subschema fixes the shape, a union by length from minItems on', () => {
    const aliases = g.files.get('python/wsgen_protocol/aliases.py')!;
    expect(aliases).toContain('Vec2 = Annotated[Shaped[tuple[float, float]], checked("Vec2", as_tuple=True)]');
    expect(aliases).toContain('Span = Annotated[Shaped[tuple[int] | tuple[int, int]], checked("Span", as_tuple=True)]');
    expect(aliases).toContain('Cell = Annotated[Shaped[tuple[()] | tuple[str | None] | tuple[str | None, Any]], checked("Cell", as_tuple=True)]');
    expect(aliases).toMatch(/\nPath = Annotated\[Any, checked\("Path"\)\]/); // a rest of any length: no tuple type
    const move = g.files.get('python/wsgen_protocol/models/move.py')!;
    expect(move).toContain('    to: Vec2\n');
    expect(move).toContain('    span: OrNone[Span] = None\n'); // None for type checkers only: null stays the checker's
  });

  it('is a tuple only where every valid value has that shape', () => {
    const num = { type: 'number' };
    expect(pyTupleShape({ type: 'array', prefixItems: [num], items: false, minItems: 1 })).toBe('tuple[float]');
    expect(pyTupleShape({ type: 'array', prefixItems: [num, num], maxItems: 1, minItems: 1 })).toBe('tuple[float]');
    expect(pyTupleShape({ type: 'array', prefixItems: [num], items: false })).toBe('tuple[()] | tuple[float]');
    expect(pyTupleShape({ prefixItems: [num], items: false })).toBeUndefined(); // no type: a non-array is valid too
    expect(pyTupleShape({ type: 'array', prefixItems: [num] })).toBeUndefined(); // more items allowed
    expect(pyTupleShape({ type: 'array', prefixItems: [num], maxItems: 2 })).toBeUndefined();
    expect(pyTupleShape({ type: ['array', 'null'], prefixItems: [num], items: false })).toBeUndefined();
    expect(pyTupleShape({ type: 'array', prefixItems: [{ type: 'object' }, { $ref: '#/$defs/X' }, true], items: false, minItems: 3 })).toBe('tuple[Any, Any, Any]');
  });

  it('passes mypy --strict and ruff, and mypy reads the shape: an index past the tuple and an unchecked optional are errors', () => {
    typeCheck(g);
    const probe = ['from wsgen_protocol.models import Move', 'def f(m: Move) -> float:', '    a: float = m.to[0] + m.to[1]', '    b = m.to[2]', '    return a + m.span[0]', ''].join('\n');
    writeFileSync(join(g.dir, 'generated/python/probe.py'), probe);
    let out = '';
    try {
      execFileSync(PYTHON, ['-m', 'mypy', '--strict', '--no-error-summary', '--cache-dir', join(g.dir, 'mypy-cache'), 'probe.py'], { cwd: join(g.dir, 'generated/python'), encoding: 'utf8' });
    } catch (err) {
      out = (err as { stdout: string }).stdout;
    }
    const lines = out.split('\n').filter((l) => l.startsWith('probe.py:'));
    expect(lines.map((l) => Number(l.split(':')[1]))).toEqual([4, 5]);
    expect(lines[0]).toContain('out of range');
    expect(lines[1]).toContain('None');
  }, 240_000);
});

describe('a Python tuple is the JSON array it is sent as', () => {
  it('builds a model and passes validate_message as a list does, and a parsed or built tuple field holds a tuple', () => {
    const out = py(
      [
        'from wsgen_protocol import dump_message, parse_message, validate_message',
        'from wsgen_protocol.models import Move, Setup',
        'print(repr(Move(type="move", to=(1, 2.5)).to), repr(Move(type="move", to=[1, 2.5]).to))',
        'r = parse_message(\'{"type":"move","to":[1,2.5],"span":[3]}\')',
        'print(repr(r.value.to), repr(r.value.span), dump_message(r.value))',
        'print(validate_message({"type": "move", "to": (1, 2)}).ok, validate_message({"type": "setup", "level": (1, 2)}).ok)',
        'bad = [validate_message({"type": "move", "to": v}).errors[0].to_dict() for v in ((1, "2"), [1, "2"])]',
        'print(bad[0] == bad[1], bad[0]["path"], bad[0]["keyword"])',
        'print(validate_message({"type": "setup", "at": (0, 0)}).errors[0].keyword, validate_message({"type": "setup", "at": [0, 0]}).errors[0].keyword)',
        'print(validate_message({"type": "move", "to": (1, 2, 3)}).errors[0].keyword)',
      ].join('\n'),
    );
    expect(out).toEqual([
      '(1, 2.5) (1, 2.5)',
      '(1, 2.5) (3,) {"type":"move","to":[1,2.5],"span":[3]}',
      'True True',
      'True /to/1 type',
      'not not',
      'items',
    ]);
  });
});
