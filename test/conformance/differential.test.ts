import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AGENT_TYPE_VALUES, ERROR_CODE_VALUES, MESSAGE_TYPE_VALUES, PILLAR_TYPE_VALUES, REALM_VALUES, ROLE_TYPE_VALUES, parseMessage } from '../../generated/ts/index.js';
import { runPython } from './python.js';

// Differential property test: fast-check builds messages that are mostly valid and
// then mutates them; both targets judge every one; a bounded run must find no
// disagreement. The arbitraries stay near the wire rules' edges on purpose.

const SAMPLES = Number(process.env.WSGEN_DIFF_SAMPLES ?? 4000);
const SEED = Number(process.env.WSGEN_DIFF_SEED ?? 20261126);

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const timestamp = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 5,
    arbitrary: fc
      .record({
        y: fc.oneof(fc.integer({ min: 0, max: 10000 }), fc.constantFrom(0, 1, 1900, 2000, 2023, 2024, 9999)),
        mo: fc.integer({ min: 0, max: 13 }),
        d: fc.integer({ min: 0, max: 32 }),
        h: fc.integer({ min: 0, max: 25 }),
        mi: fc.integer({ min: 0, max: 61 }),
        s: fc.integer({ min: 0, max: 61 }),
        sep: fc.constantFrom('T', 'T', 'T', 't', ' '),
        frac: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 9 }).chain((n) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`)).map((x) => '.' + x))),
        off: fc.oneof(
          fc.constantFrom('Z', 'Z', 'z', '', '-00:00', '+00:00', '+2359'),
          fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([sg, h, m]) => `${sg}${pad(h, 2)}:${pad(m, 2)}`),
        ),
      })
      .map((p) => `${pad(p.y, 4)}-${pad(p.mo, 2)}-${pad(p.d, 2)}${p.sep}${pad(p.h, 2)}:${pad(p.mi, 2)}:${pad(p.s, 2)}${p.frac}${p.off}`),
  },
);

const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'grapheme', maxLength: 10 }),
    fc.string({ unit: 'binary', maxLength: 6 }),
    fc.integer({ min: Math.max(0, max - 2), max: max + 2 }).map((n) => 'x'.repeat(n)),
    fc.constant(''),
  );
const id = fc.oneof(fc.uuid().map(String), fc.stringMatching(/^[A-Za-z0-9._:-]{1,12}$/), text(128));
const number = fc.oneof(fc.double({ noNaN: true }), fc.integer(), fc.constantFrom(0, 1, -0.0001, 1.0001, 0.5, -1, 1e300, 1000000, 1000001, 9007199254740991, 9007199254740992));
const anyJson = fc.jsonValue({ maxDepth: 3 });
const enumOf = (values: readonly string[]) => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...values) }, { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom(...values).map((v) => v.toUpperCase())) });

/** Values for every envelope field, valid ones most of the time. */
const FIELDS: Record<string, fc.Arbitrary<unknown>> = {
  message_id: id,
  timestamp,
  session_token: text(4096),
  session_id: text(128),
  agent: enumOf(AGENT_TYPE_VALUES),
  role: enumOf(ROLE_TYPE_VALUES),
  pillar: enumOf(PILLAR_TYPE_VALUES),
  realm: enumOf(REALM_VALUES),
  message: text(32768),
  data: anyJson,
  file_uuid: fc.oneof(fc.uuid().map(String), fc.uuid().map((u) => u.toUpperCase()), fc.string()),
  file_name: text(255),
  file_url: fc.oneof(fc.webUrl(), fc.string()),
  metadata: fc.oneof(fc.dictionary(fc.string(), anyJson), anyJson),
  additional_info: fc.dictionary(fc.string(), anyJson),
  error_code: enumOf(ERROR_CODE_VALUES),
  error_details: fc.oneof(fc.dictionary(fc.string(), anyJson), fc.string()),
  status: text(64),
  progress: number,
  is_streaming: fc.oneof(fc.boolean(), fc.constantFrom(0, 1, 'true')),
  stream_index: number,
  seq: number,
  last_seq: number,
  epoch: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), fc.string()),
  schema_hash: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string()),
};
const NAMES = Object.keys(FIELDS);

/**
 * A placeholder the raw mutation swaps for a token, and the tokens: not JSON (NaN, Infinity), JSON that
 * JSON.stringify never writes, and numbers at and beyond ±(2^53 − 1) that a double reads otherwise than
 * Python (PROTOCOL.md "numbers"), up to integers past Python's 4,300-digit parser limit.
 */
const RAW = '\u0000raw\u0000';
const RAW_TOKENS = [
  'NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '-0', '1E2', '2.50', '0e0', '1e-400',
  '9007199254740991', '-9007199254740991', '9007199254740992', '9007199254740993', '-9007199254740993', '9007199254740991.0', '1e20', '1E+16',
  '123456789012345678901234', '1.5e300', `1${'0'.repeat(400)}`, `-1${'0'.repeat(4300)}`,
];

/** Mostly-valid values, so that a good share of messages passes and the edges are probed one field at a time. */
const VALID: Record<string, fc.Arbitrary<unknown>> = {
  message_id: fc.uuid().map(String),
  timestamp: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  session_id: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  session_token: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
  agent: fc.constantFrom(...AGENT_TYPE_VALUES),
  role: fc.constantFrom(...ROLE_TYPE_VALUES),
  pillar: fc.constantFrom(...PILLAR_TYPE_VALUES),
  realm: fc.constantFrom(...REALM_VALUES),
  message: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
  data: anyJson,
  file_uuid: fc.uuid().map(String),
  file_name: fc.string({ minLength: 1, maxLength: 20 }),
  file_url: fc.webUrl().filter((u) => /^https?:\/\/[!-~]+$/.test(u)),
  metadata: fc.dictionary(fc.string(), anyJson),
  additional_info: fc.dictionary(fc.string(), anyJson),
  error_code: fc.constantFrom(...ERROR_CODE_VALUES),
  error_details: fc.dictionary(fc.string(), anyJson),
  status: fc.string({ minLength: 1, maxLength: 10 }),
  progress: fc.double({ min: 0, max: 1, noNaN: true }),
  is_streaming: fc.boolean(),
  stream_index: fc.nat(1000),
  seq: fc.nat(),
  last_seq: fc.nat(),
  epoch: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  schema_hash: fc.stringMatching(/^[0-9a-f]{64}$/),
};

/** Required fields per type (PROTOCOL.md), so that generated messages are often complete. */
const REQUIRED: Record<string, string[]> = {
  user_message: ['message'], agent_message: ['message', 'agent'], agent_streaming: ['message', 'message_id', 'stream_index', 'is_streaming'],
  agent_complete: ['message_id'], system_message: ['message'], error_message: ['error_code', 'message'], warning_message: ['message'],
  session_created: ['session_id', 'realm', 'schema_hash', 'epoch'], session_updated: ['session_id', 'status'], session_expired: ['session_id'],
  session_resume: ['session_id', 'last_seq', 'epoch'], file_selected: ['file_uuid', 'file_name'], file_processing: ['file_uuid'], file_complete: ['file_uuid'],
  file_error: ['file_uuid', 'error_code'], question_answer: ['message'], visualization_data: ['data'], analysis_result: ['data'],
  workflow_generated: ['data'], sop_generated: ['data'], status_update: ['status'], progress_update: ['progress'], ping: [], pong: ['message_id'],
};

/** One change to a mostly-valid message. */
const mutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('null' as const), key: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), key: fc.string({ minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('retype' as const), key: fc.constantFrom('type', 'timestamp', ...NAMES), value: anyJson }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), key: fc.constantFrom('type', 'timestamp', ...NAMES) }) },
  // Number spellings JSON.stringify never writes, put straight into the text: at a field, or nested in an open value.
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), key: fc.constantFrom(...NAMES), nested: fc.boolean(), token: fc.constantFrom(...RAW_TOKENS) }) },
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** A message: a type, its required fields and some others, mostly valid, then the mutations in order. */
const messageWith = (mutations: fc.Arbitrary<Mutation[]>) =>
  fc.record({
    type: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...MESSAGE_TYPE_VALUES) }, { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constant(null)) }),
    fields: fc.subarray(NAMES, { minLength: 0, maxLength: 6 }),
    valid: fc.record(VALID),
    values: fc.record(FIELDS),
    edgy: fc.subarray(NAMES, { maxLength: 2 }),
    mutations,
  }).map(({ type, fields, valid, values, edgy, mutations }) => {
    const pick = (f: string) => (edgy.includes(f) ? values[f as keyof typeof values] : valid[f as keyof typeof valid]);
    const m: Record<string, unknown> = { type, timestamp: pick('timestamp') };
    for (const f of REQUIRED[type as string] ?? []) m[f] = pick(f);
    if (type === 'agent_streaming') m.is_streaming = edgy.includes('is_streaming') ? values.is_streaming : true;
    for (const f of fields) m[f] = pick(f);
    let raw: Extract<Mutation, { kind: 'raw' }> | undefined;
    for (const mu of mutations) {
      if (mu.kind === 'null') m[mu.key] = null;
      if (mu.kind === 'unknown') m[mu.key] = 1;
      if (mu.kind === 'retype') m[mu.key] = mu.value;
      if (mu.kind === 'drop') delete m[mu.key];
      if (mu.kind === 'raw') {
        m[mu.key] = mu.nested ? { a: [1, RAW] } : RAW;
        raw = mu;
      }
    }
    return raw ? JSON.stringify(m).replace(JSON.stringify(RAW), raw.token) : JSON.stringify(m);
  });

const message = messageWith(mutation.map((mu) => [mu]));

/** Messages with two to four faults at once: wrong types, unknown and missing properties, nulls (no raw number spellings, whose first issue differs by design). */
const multiFault = messageWith(fc.array(mutation.filter((mu) => mu.kind !== 'none' && mu.kind !== 'raw'), { minLength: 2, maxLength: 4 }));

describe('differential: TypeScript and Python judge generated messages alike', () => {
  it(`agrees on ${SAMPLES} fast-check messages (seed ${SEED})`, () => {
    const texts = fc.sample(message, { numRuns: SAMPLES, seed: SEED });
    const python = runPython('judge.py', texts);
    const disagreements: string[] = [];
    let accepted = 0;
    texts.forEach((t, i) => {
      const ts = parseMessage(t).ok;
      if (ts) accepted++;
      if (ts !== (python[i] === '1')) disagreements.push(`TS ${ts ? 'accepts' : 'rejects'}, Python ${ts ? 'rejects' : 'accepts'}: ${t.slice(0, 300)}`);
    });
    console.log(`differential: ${texts.length} messages, ${accepted} accepted by both, ${texts.length - accepted - disagreements.length} rejected by both, ${disagreements.length} disagreements`);
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The run must exercise both verdicts in earnest.
    expect(accepted).toBeGreaterThan(SAMPLES * 0.05);
    expect(SAMPLES - accepted).toBeGreaterThan(SAMPLES * 0.05);
  }, 120_000);
});

describe('differential: TypeScript and Python give the same first issue', () => {
  it(`on ${SAMPLES} fast-check messages with two to four faults (seed ${SEED}): the order is ajv's (an object's required and additionalProperties before its properties' issues)`, () => {
    const texts = fc.sample(multiFault, { numRuns: SAMPLES, seed: SEED });
    const python = runPython('judge.py', texts, ['--first-error']);
    const apart: string[] = [];
    let invalid = 0;
    texts.forEach((t, i) => {
      const r = parseMessage(t);
      const ts = r.ok ? null : { path: r.errors[0]!.path, keyword: r.errors[0]!.keyword, params: r.errors[0]!.params };
      const py = JSON.parse(python[i]!) as { path: string; keyword: string; params: unknown } | null;
      if (ts !== null) invalid++;
      const pyFirst = py === null ? null : { path: py.path, keyword: py.keyword, params: py.params };
      if (JSON.stringify(ts) !== JSON.stringify(pyFirst)) apart.push(`TS ${JSON.stringify(ts)}, Python ${JSON.stringify(pyFirst)}: ${t.slice(0, 300)}`);
    });
    console.log(`first issue: ${texts.length} messages, ${invalid} invalid, ${apart.length} apart`);
    expect(apart.slice(0, 10)).toEqual([]);
    expect(invalid).toBeGreaterThan(SAMPLES * 0.8);
  }, 120_000);
});
