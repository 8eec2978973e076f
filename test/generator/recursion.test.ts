/**
 * Recursive types (issue 9 row 2): a type may contain itself through objects,
 * bounded by the nesting limit on both targets, before validation; a cycle of
 * aliases only stays refused. Verdicts against ajv's 2020-12 validator on
 * nesting within the limit are in fixtures-oracle.test.ts (test/fixtures/recursion).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaToIR } from '../../generator/index.js';
import { recursiveTypes } from '../../generator/ir.js';
import { type Generated, generateBoth } from './differential.js';
import { ROOT, catchWsgen, writeSchema } from './helpers.js';

const S = 'https://json-schema.org/draft/2020-12/schema';
const FIXTURE = join(ROOT, 'test/fixtures/recursion');

/** A tree message whose root nests `levels` objects deep (each node sits one array and one object below its parent). */
function tree(levels: number): string {
  return `{"type":"tree","root":${'{"name":"n","children":['.repeat(levels - 1)}{"name":"leaf"}${']}'.repeat(levels - 1)}}`;
}

describe('recursive types', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateBoth(FIXTURE);
  }, 60_000);

  it('names the types that contain themselves, directly or through others', () => {
    expect([...recursiveTypes(schemaToIR(FIXTURE))].sort()).toEqual(['Comment', 'Group', 'Item', 'Ping', 'Pong', 'TreeNode']);
  });

  it('Python: a self-reference needs no import; two models that contain each other import each other for type checkers only, and are rebuilt', () => {
    const ping = g.files.get('python/wsgen_protocol/models/ping.py')!;
    expect(ping).toContain('from __future__ import annotations');
    expect(ping).toContain('if TYPE_CHECKING:\n    from .pong import Pong');
    expect(g.files.get('python/wsgen_protocol/models/tree_node.py')).not.toContain('import TreeNode');
    expect(g.files.get('python/wsgen_protocol/models/__init__.py')).toContain('_model.model_rebuild(_types_namespace=_MODELS)');
  });

  it('TS: a recursive object is one validator that calls itself', () => {
    const code = g.files.get('ts/validators/TreeMsg.js')!;
    expect(code).toContain('"children":{"type":"array","items":{"$ref":"wsgen:object:TreeNode"}');
    // ajv's standalone code calls a recursive schema's function through a wrapper of itself.
    expect(code).toMatch(/const wrapper\d+ = \{validate: validate\d+\};/);
  });

  it('both targets accept nesting up to the limit and refuse one level more, from text and from a value', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
    // 100 nodes: the deepest name sits at depth 200 (message 0, root 1, each level one object and one array deeper).
    const texts = [tree(100), tree(101), tree(5000)];
    const ts = texts.map((t) => parse.parseMessage(t));
    const tsValue = texts.map((t) => parse.validateMessage(JSON.parse(t)));
    const script = [
      'import json, sys',
      'from wsgen_protocol import parse_message, validate_message',
      'sys.setrecursionlimit(20000)',
      'for line in sys.stdin.read().splitlines():',
      '    a, b = parse_message(line), validate_message(json.loads(line))',
      '    print(json.dumps([a.ok, b.ok, [e.keyword for e in ([] if a.ok else a.errors)], [e.to_dict() for e in ([] if b.ok else b.errors)]]))',
    ].join('\n');
    const out = execFileSync(join(ROOT, '.venv/bin/python'), ['-c', script], { cwd: join(g.dir, 'generated/python'), input: texts.join('\n'), encoding: 'utf8' });
    const py = out.trim().split('\n').map((l) => JSON.parse(l) as [boolean, boolean, string[], unknown[]]);
    expect(ts.map((r) => r.ok)).toEqual([true, false, false]);
    expect(tsValue.map((r) => r.ok)).toEqual([true, false, false]);
    expect(py.map(([a, b]) => [a, b])).toEqual([[true, true], [false, false], [false, false]]);
    expect(py[1]![2]).toEqual(['depth']);
    const depth = { path: '/root', keyword: 'depth', message: 'must not nest deeper than 200 levels', params: { limit: 200 } };
    expect(ts[2]!.ok ? [] : ts[2]!.errors).toEqual([depth]);
    expect(py[2]![3]).toEqual([depth]);
  }, 60_000);

  it('refuses a cycle of aliases only, naming it', async () => {
    const dir = writeSchema({
      'protocol.schema.json': JSON.stringify({
        $schema: S, title: 'Message', discriminator: { propertyName: 'type' }, oneOf: [{ $ref: '#/$defs/M' }],
        $defs: {
          Json: { anyOf: [{ type: 'string' }, { type: 'array', items: { $ref: '#/$defs/Json' } }] },
          M: { type: 'object', properties: { type: { const: 'm' }, v: { $ref: '#/$defs/Json' } }, required: ['type'], additionalProperties: false },
        },
      }),
    });
    const e = await catchWsgen(() => schemaToIR(dir));
    expect([e.code, e.location.pointer]).toEqual(['WSGEN_UNSUPPORTED', '/$defs/Json']);
    expect(e.message).toContain('Json → Json');
  });
});
