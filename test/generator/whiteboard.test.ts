import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { writeOutput } from '../../generator/write.js';
import { ROOT, tempDir } from './helpers.js';

// The whiteboard fixture (tag "op", the role library under its own field names):
// both targets judge a table of messages alike (verdict and first issue) and a
// bounded fast-check sample alike (verdict, as the bundled differential test). Type-checking (tsc strict, mypy --strict, ruff) is in
// pipeline.test.ts; its descriptor in descriptor.test.ts.

const SAMPLES = 1500;
const SEED = 20261129;

const shape = { id: 's1', kind: 'rect', x: 10, y: -5.5, w: 20, h: 10, color: '#00ff88' };
const CASES: Array<[string, object, boolean]> = [
  ['a shape added', { op: 'shape_add', ref: 'r1', shape }, true],
  ['a shape of an unknown kind', { op: 'shape_add', shape: { ...shape, kind: 'star' } }, false],
  ['an uppercase color', { op: 'shape_add', shape: { ...shape, color: '#00FF88' } }, false],
  ['a coordinate off the board', { op: 'cursor_move', x: 100001, y: 0 }, false],
  ['a patch clearing the text', { op: 'shape_update', id: 's1', patch: { text: null } }, true],
  ['a patch with an unknown field', { op: 'shape_update', id: 's1', patch: { z: 1 } }, false],
  ['a resume', { op: 'resume', session: 's', after: 0, epoch: 'Ab-_0123456789xy' }, true],
  ['a resume from a negative seq', { op: 'resume', session: 's', after: -1, epoch: 'e' }, false],
  ['a resume with an integral float', JSON.parse('{"op":"resume","session":"s","after":3.0,"epoch":"e"}'), true],
  ['a welcome', { op: 'welcome', session: 's', epoch: 'e', seq: 0, schema_sha: 'a'.repeat(64) }, true],
  ['a welcome with a short hash', { op: 'welcome', session: 's', epoch: 'e', schema_sha: 'a'.repeat(63) }, false],
  ['a heartbeat ack with a seq (pong carries none)', { op: 'heartbeat_ack', ref: 'r', seq: 1 }, false],
  ['a heartbeat ack', { op: 'heartbeat_ack', ref: 'r' }, true],
  ['a failure with details', { op: 'failure', code: 'SHAPE_NOT_FOUND', reason: 'no such shape', details: { id: 's9' }, ref: 'r', seq: 4 }, true],
  ['a failure with an unknown code', { op: 'failure', code: 'OOPS' }, false],
  ['an export chunk', { op: 'export_chunk', ref: 'r', part: 0, data: '<svg>', seq: 9 }, true],
  ['an export chunk without its index', { op: 'export_chunk', ref: 'r', data: '<svg>' }, false],
  ['presence', { op: 'presence', participants: [{ user: 'u', name: 'Ann', color: '#123456' }] }, true],
  ['presence with a nameless participant', { op: 'presence', participants: [{ user: 'u' }] }, false],
  ['a low-priority cursor', { op: 'cursor_moved', user: 'u', x: 1, y: 2, seq: 3 }, true],
  ['a type tag of the bundled protocol', { type: 'ping' }, false],
  ['an unknown op', { op: 'draw' }, false],
];

/** Values near each field's rules, valid most of the time. */
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  ref: fc.oneof(fc.uuid().map(String), fc.stringMatching(/^[A-Za-z0-9._:-]{1,8}$/), fc.string({ maxLength: 4 })),
  seq: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.double({ noNaN: true }), fc.constant(9007199254740991)),
  after: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant('1')),
  epoch: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/), fc.string({ maxLength: 4 })),
  part: fc.oneof(fc.integer({ min: -1, max: 1000001 }), fc.constant(1.5)),
  session: fc.string({ maxLength: 4 }),
  state: fc.oneof(fc.constantFrom('resumed', 'resumed_with_gap'), fc.string({ maxLength: 40 })),
  code: fc.oneof(fc.constantFrom('INVALID_MESSAGE', 'SHAPE_NOT_FOUND', 'BOARD_FULL'), fc.string({ maxLength: 4 })),
  reason: fc.string({ maxLength: 8 }),
  details: fc.oneof(fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 2 })), fc.jsonValue({ maxDepth: 1 })),
  schema_sha: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ maxLength: 4 })),
  board: fc.string({ maxLength: 4 }),
  name: fc.string({ maxLength: 4 }),
  x: fc.oneof(fc.double({ noNaN: true, min: -200000, max: 200000 }), fc.integer(), fc.constant('1')),
  y: fc.double({ noNaN: true, min: -200000, max: 200000 }),
  id: fc.string({ maxLength: 3 }),
  text: fc.oneof(fc.string({ maxLength: 4 }), fc.constant(null)),
  format: fc.constantFrom('svg', 'png', 'gif'),
  by: fc.string({ maxLength: 3 }),
  user: fc.string({ maxLength: 3 }),
  data: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
  shape: fc.record({ id: fc.string({ maxLength: 3 }), kind: fc.constantFrom('rect', 'ellipse', 'line', 'text', 'star'), x: fc.integer({ min: -5, max: 5 }), y: fc.integer({ min: -5, max: 5 }), color: fc.constantFrom('#00ff88', '#00FF88', 'red') }, { requiredKeys: ['id', 'kind', 'x'] }),
  patch: fc.record({ x: fc.integer(), text: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null)), z: fc.integer() }, { requiredKeys: [] }),
  participants: fc.array(fc.record({ user: fc.string({ maxLength: 3 }), name: fc.string({ maxLength: 3 }), color: fc.constantFrom('#abcdef', 'blue') }, { requiredKeys: ['user'] }), { maxLength: 3 }),
};

describe('the whiteboard protocol, judged alike by both targets (test/fixtures/whiteboard)', async () => {
  const dir = tempDir();
  const { files, ir } = await generate({ schema: join(ROOT, 'test/fixtures/whiteboard'), out: join(dir, 'gen') });
  writeOutput(join(dir, 'gen'), files);
  const parse = (await import(pathToFileURL(join(dir, 'gen/ts/parse.js')).href)) as typeof import('../../generated/ts/parse.js');
  const { protocol } = await import(pathToFileURL(join(dir, 'gen/ts/protocol.ts')).href);
  const tags = Object.keys(protocol.messages);
  const probe = (texts: string[]) =>
    JSON.parse(execFileSync(join(ROOT, '.venv/bin/python'), [join(ROOT, 'test/fixtures/probe.py'), join(dir, 'gen/python')], { input: texts.join('\n'), encoding: 'utf8', maxBuffer: 64 << 20 })) as {
      verdicts: boolean[];
      errors: Array<Record<string, unknown> | null>;
    };

  const python = probe(CASES.map(([, m]) => JSON.stringify(m)));
  it.each(CASES.map(([name, msg, valid], i) => [name, valid, msg, i] as const))('%s: valid is %s on both sides, with the same first issue', (_name, valid, msg, i) => {
    const r = parse.parseMessage(JSON.stringify(msg));
    expect(r.ok).toBe(valid);
    expect(python.verdicts[i]).toBe(valid);
    expect(python.errors[i]).toEqual(r.ok ? null : r.errors[0]);
  });

  it(`agrees on ${SAMPLES} generated messages (seed ${SEED})`, () => {
    // Per type: its required fields most of the time, some optional ones, now and then a foreign one.
    const ofType = (tag: string) => {
      const o = ir.objects.find((x) => x.tag === tag)!;
      const own = o.properties.filter((p) => p.name !== 'op');
      const required = own.filter((p) => p.required).map((p) => p.name);
      const optional = own.filter((p) => !p.required).map((p) => p.name);
      const foreign = Object.keys(FIELDS).filter((f) => !own.some((p) => p.name === f));
      return fc
        .record({ drop: fc.subarray(required, { maxLength: Math.min(1, required.length) }), dropSome: fc.nat(9), opt: fc.subarray(optional), extra: fc.subarray(foreign, { maxLength: Math.min(1, foreign.length) }), addExtra: fc.nat(9) })
        .chain(({ drop, dropSome, opt, extra, addExtra }) => {
          const names = [...required.filter((f) => dropSome > 0 || !drop.includes(f)), ...opt, ...(addExtra === 0 ? extra : [])];
          return fc.record(Object.fromEntries(names.map((f) => [f, FIELDS[f]!]))).map((rest) => JSON.stringify({ op: tag, ...rest }));
        });
    };
    const message = fc.oneof({ weight: 19, arbitrary: fc.constantFrom(...tags).chain(ofType) }, { weight: 1, arbitrary: fc.string({ maxLength: 4 }).map((op) => JSON.stringify({ op })) });
    const texts = fc.sample(message, { numRuns: SAMPLES, seed: SEED });
    const py = probe(texts);
    const disagreements = texts.flatMap((t, i) => {
      const r = parse.parseMessage(t);
      return r.ok === py.verdicts[i] ? [] : [{ text: t, ts: r.ok ? null : r.errors[0], python: py.errors[i] }];
    });
    expect(disagreements.slice(0, 3)).toEqual([]);
    const accepted = py.verdicts.filter(Boolean).length;
    expect(accepted).toBeGreaterThan(SAMPLES * 0.05);
    expect(SAMPLES - accepted).toBeGreaterThan(SAMPLES * 0.05);
  }, 120_000);
});
