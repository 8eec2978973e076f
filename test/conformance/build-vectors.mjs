// Builds the shared conformance vectors (vectors/*.json) from hand-written
// rules. The expected verdicts here come from the protocol's wire rules as
// PROTOCOL.md states them, never from a validator. Run: node test/conformance/build-vectors.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'vectors');
const TS = '2024-05-01T10:00:00.123Z';
const UUID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const HASH = 'a'.repeat(64);

/** Minimal valid message per type: exactly the required fields. */
const MINIMAL = {
  user_message: { message: 'Hello' },
  agent_message: { message: 'Hi there', agent: 'guide_agent' },
  agent_streaming: { message: 'chunk', message_id: 'm-1', stream_index: 0, is_streaming: true },
  agent_complete: { message_id: 'm-1' },
  system_message: { message: 'Maintenance at noon' },
  error_message: { error_code: 'INVALID_MESSAGE', message: 'bad' },
  warning_message: { message: 'careful' },
  session_created: { session_id: 's-1', realm: 'experience', schema_hash: HASH, epoch: 'e-1' },
  session_updated: { session_id: 's-1', status: 'resumed' },
  session_expired: { session_id: 's-1' },
  session_resume: { session_id: 's-1', last_seq: 0, epoch: 'e-1' },
  file_selected: { file_uuid: UUID, file_name: 'report.pdf' },
  file_processing: { file_uuid: UUID },
  file_complete: { file_uuid: UUID },
  file_error: { file_uuid: UUID, error_code: 'FILE_ERROR' },
  question_answer: { message: '42' },
  visualization_data: { data: { series: [1, 2, 3] } },
  analysis_result: { data: { score: 0.9 } },
  workflow_generated: { data: { steps: ['a', 'b'] } },
  sop_generated: { data: 'Step 1: ...' },
  status_update: { status: 'thinking' },
  progress_update: { progress: 0.5 },
  ping: {},
  pong: { message_id: 'p-1' },
};
const CLIENT = new Set(['user_message', 'session_resume', 'file_selected']);
const BOTH = new Set(['ping', 'pong']);
const SERVER_ONLY_FIELDS = ['seq', 'schema_hash', 'realm'];

/** Every optional field with a valid value (server-only ones are added for server types). */
const OPTIONAL = {
  message_id: 'msg-1', session_token: 'tok-abc', session_id: 's-1', agent: 'guide_agent', role: 'user', pillar: 'content', realm: 'experience',
  message: 'text', data: { any: ['json', 1, null, true] }, file_uuid: UUID, file_name: 'a.csv', file_url: 'https://files.example/a.csv',
  metadata: { k: 'v' }, additional_info: { n: 1 }, error_code: 'AGENT_ERROR', error_details: { path: '/x' }, status: 'ok', progress: 1,
  is_streaming: false, stream_index: 3, seq: 7, schema_hash: HASH,
};

const vectors = {};
const add = (file, name, valid, message, raw) => {
  (vectors[file] ??= []).push(raw !== undefined ? { name, valid, raw } : { name, valid, message });
};
const base = (type, extra = {}) => ({ type, timestamp: TS, ...MINIMAL[type], ...extra });
const without = (o, k) => Object.fromEntries(Object.entries(o).filter(([x]) => x !== k));

// 1. Per type: minimal, full, each required field missing, unknown field, forbidden fields.
for (const type of Object.keys(MINIMAL)) {
  add('per-type', `${type}: minimal valid`, true, base(type));
  const full = { ...base(type) };
  for (const [k, v] of Object.entries(OPTIONAL)) {
    if (k in full) continue;
    if (CLIENT.has(type) && SERVER_ONLY_FIELDS.includes(k)) continue;
    if (!CLIENT.has(type) && !BOTH.has(type) && k === 'session_token') continue;
    if (type === 'agent_streaming' && k === 'is_streaming') continue;
    full[k] = v;
  }
  if (type === 'agent_complete') full.is_streaming = false;
  add('per-type', `${type}: every allowed field`, true, full);
  for (const req of ['type', 'timestamp', ...Object.keys(MINIMAL[type])]) {
    add('per-type', `${type}: missing required ${req}`, false, without(base(type), req));
  }
  add('per-type', `${type}: unknown field`, false, base(type, { surprise: 1 }));
  if (CLIENT.has(type)) for (const f of SERVER_ONLY_FIELDS) add('per-type', `${type}: server-only field ${f}`, false, base(type, { [f]: OPTIONAL[f] }));
  else if (!BOTH.has(type)) add('per-type', `${type}: session_token from the server`, false, base(type, { session_token: 'tok' }));
}
add('per-type', 'session_resume: last_seq on another type', false, base('user_message', { last_seq: 1 }));
add('per-type', 'agent_streaming: is_streaming false', false, base('agent_streaming', { is_streaming: false }));
add('per-type', 'agent_streaming: is_streaming 1', false, base('agent_streaming', { is_streaming: 1 }));
add('per-type', 'agent_streaming: is_streaming "true"', false, base('agent_streaming', { is_streaming: 'true' }));
add('per-type', 'agent_complete: is_streaming true', false, base('agent_complete', { is_streaming: true }));
add('per-type', 'user_message: empty message', false, base('user_message', { message: '' }));
add('per-type', 'agent_message: empty message is allowed', true, base('agent_message', { message: '' }));

// 2. Envelope fields: valid and invalid values, null against missing.
const F = 'fields';
const field = (name, valid, extra, type = 'ping') => add(F, name, valid, base(type, extra));
for (const [k, v] of Object.entries(OPTIONAL)) {
  if (['seq', 'schema_hash', 'realm', 'data'].includes(k)) continue;
  field(`${k}: null is not missing`, false, { [k]: null });
}
field('seq: null is not missing', false, { seq: null }, 'agent_message');
field('realm: null is not missing', false, { realm: null }, 'agent_message');
field('schema_hash: null is not missing', false, { schema_hash: null }, 'agent_message');
field('message_id: uuid', true, { message_id: UUID });
field('message_id: 128 chars', true, { message_id: 'a'.repeat(128) });
field('message_id: 129 chars', false, { message_id: 'a'.repeat(129) });
field('message_id: empty', false, { message_id: '' });
field('message_id: space', false, { message_id: 'a b' });
field('message_id: number', false, { message_id: 1 });
field('message_id: unicode letter', false, { message_id: 'é' });
field('session_token: empty', false, { session_token: '' });
field('session_token: 4096 chars', true, { session_token: 't'.repeat(4096) });
field('session_token: 4097 chars', false, { session_token: 't'.repeat(4097) });
field('session_id: 128 chars', true, { session_id: 's'.repeat(128) });
field('session_id: 129 chars', false, { session_id: 's'.repeat(129) });
field('session_id: empty', false, { session_id: '' });
field('message: 32768 chars', true, { message: 'm'.repeat(32768) });
field('message: 32769 chars', false, { message: 'm'.repeat(32769) });
field('message: 32768 emoji (code points, not UTF-16 units)', true, { message: '😀'.repeat(32768) });
field('message: 32769 emoji', false, { message: '😀'.repeat(32769) });
field('message: number', false, { message: 5 });
field('message: array', false, { message: ['a'] });
field('file_name: 255 chars', true, { file_name: 'f'.repeat(255) });
field('file_name: 256 chars', false, { file_name: 'f'.repeat(256) });
field('file_name: empty', false, { file_name: '' });
field('file_uuid: uppercase', true, { file_uuid: UUID.toUpperCase() });
field('file_uuid: no hyphens', false, { file_uuid: UUID.replace(/-/g, '') });
field('file_uuid: braces', false, { file_uuid: `{${UUID}}` });
field('file_uuid: urn prefix', false, { file_uuid: `urn:uuid:${UUID}` });
field('file_uuid: too short', false, { file_uuid: UUID.slice(1) });
field('file_uuid: non-hex', false, { file_uuid: UUID.replace('3', 'g') });
field('file_url: http', true, { file_url: 'http://x.test/a?b=c#d' });
field('file_url: ftp', false, { file_url: 'ftp://x.test/a' });
field('file_url: space', false, { file_url: 'https://x.test/a b' });
field('file_url: non-ascii', false, { file_url: 'https://x.test/é' });
field('file_url: 2048 chars', true, { file_url: 'https://x.test/' + 'a'.repeat(2048 - 15) });
field('file_url: 2049 chars', false, { file_url: 'https://x.test/' + 'a'.repeat(2049 - 15) });
field('metadata: empty object', true, { metadata: {} });
field('metadata: nested', true, { metadata: { a: { b: [1, { c: null }] } } });
field('metadata: array', false, { metadata: [] });
field('metadata: string', false, { metadata: 'x' });
field('additional_info: array', false, { additional_info: [1] });
field('error_details: string', false, { error_details: 'x' });
for (const d of [null, 0, 'x', [], [1, [2]], { a: 1 }, true]) field(`data: ${JSON.stringify(d)}`, true, { data: d });
field('status: 64 chars', true, { status: 's'.repeat(64) });
field('status: 65 chars', false, { status: 's'.repeat(65) });
field('status: empty', false, { status: '' });
field('progress: 0', true, { progress: 0 });
field('progress: 1', true, { progress: 1 });
field('progress: 0.0001', true, { progress: 0.0001 });
field('progress: -0.0001', false, { progress: -0.0001 });
field('progress: 1.0001', false, { progress: 1.0001 });
field('progress: string', false, { progress: '0.5' });
field('progress: bool', false, { progress: true });
add(F, 'progress: 1e400 (infinity)', false, undefined, `{"type":"ping","timestamp":"${TS}","progress":1e400}`);
add(F, 'progress: 1.0 written with a fraction', true, undefined, `{"type":"ping","timestamp":"${TS}","progress":1.0}`);
field('is_streaming: string', false, { is_streaming: 'false' });
field('is_streaming: 0', false, { is_streaming: 0 });
field('stream_index: 0', true, { stream_index: 0 });
field('stream_index: -1', false, { stream_index: -1 });
field('stream_index: 1000000', true, { stream_index: 1000000 });
field('stream_index: 1000001', false, { stream_index: 1000001 });
field('stream_index: 1.5', false, { stream_index: 1.5 });
field('stream_index: "1"', false, { stream_index: '1' });
field('stream_index: true', false, { stream_index: true });
add(F, 'stream_index: 2.0 (integral float)', true, undefined, `{"type":"ping","timestamp":"${TS}","stream_index":2.0}`);
add(F, 'stream_index: 1e2 (exponent)', true, undefined, `{"type":"ping","timestamp":"${TS}","stream_index":1e2}`);
field('seq: max safe integer', true, { seq: 9007199254740991 }, 'agent_message');
add(F, 'seq: beyond max safe integer', false, undefined, `{"type":"agent_message","timestamp":"${TS}","message":"x","agent":"guide_agent","seq":9007199254740993}`);
field('seq: -1', false, { seq: -1 }, 'agent_message');
field('last_seq: 0', true, { last_seq: 0 }, 'session_resume');
field('last_seq: -1', false, { last_seq: -1 }, 'session_resume');
field('epoch: 64 url-safe chars', true, { epoch: 'aZ0_-'.repeat(12) + 'abcd' }, 'session_created');
field('epoch: 65 chars', false, { epoch: 'a'.repeat(65) }, 'session_created');
field('epoch: empty', false, { epoch: '' }, 'session_resume');
field('epoch: base64 padding', false, { epoch: 'abc=' }, 'session_resume');
field('epoch: number', false, { epoch: 1 }, 'session_resume');
add('per-type', 'session_resume: epoch on another type', false, base('ping', { epoch: 'e-1' }));
field('schema_hash: 63 chars', false, { schema_hash: 'a'.repeat(63) }, 'session_created');
field('schema_hash: uppercase hex', false, { schema_hash: 'A'.repeat(64) }, 'session_created');

// 3. Enums: every value valid, and near misses invalid.
const E = 'enums';
const ENUMS = {
  agent: ['guide_agent', 'content_liaison', 'insights_liaison', 'operations_liaison', 'business_outcomes_liaison'],
  role: ['user', 'agent', 'system'],
  pillar: ['content', 'insights', 'operations', 'business_outcomes'],
  error_code: ['INVALID_MESSAGE', 'UNSUPPORTED_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'SESSION_EXPIRED', 'RATE_LIMITED', 'MESSAGE_TOO_LARGE', 'AGENT_UNAVAILABLE', 'AGENT_ERROR', 'AGENT_TIMEOUT', 'RECOVERY_FAILED', 'FILE_ERROR', 'INTERNAL_ERROR'],
};
for (const [f, values] of Object.entries(ENUMS)) {
  for (const v of values) add(E, `${f}: ${v}`, true, base('ping', { [f]: v }));
  add(E, `${f}: wrong case`, false, base('ping', { [f]: values[0].toUpperCase() === values[0] ? values[0].toLowerCase() : values[0].toUpperCase() }));
  add(E, `${f}: unknown value`, false, base('ping', { [f]: 'nope' }));
  add(E, `${f}: number`, false, base('ping', { [f]: 1 }));
}
for (const r of ['smart_city', 'business_enablement', 'experience', 'journey_solution']) add(E, `realm: ${r}`, true, base('session_created', { realm: r }));
add(E, 'realm: unknown', false, base('session_created', { realm: 'mars' }));
add(E, 'type: unknown', false, { type: 'telepathy', timestamp: TS });
add(E, 'type: wrong case', false, { type: 'PING', timestamp: TS });
add(E, 'type: number', false, { type: 1, timestamp: TS });
add(E, 'type: null', false, { type: null, timestamp: TS });
add(E, 'type: __proto__', false, { type: '__proto__', timestamp: TS });
add(E, 'type: constructor', false, { type: 'constructor', timestamp: TS });

// 4. Timestamps.
const T = 'timestamps';
const ts = (name, valid, value) => add(T, `timestamp ${name}: ${value}`, valid, { type: 'ping', timestamp: value });
ts('UTC Z', true, '2024-05-01T10:00:00Z');
ts('millis', true, '2024-05-01T10:00:00.123Z');
ts('micros', true, '2024-05-01T10:00:00.123456Z');
ts('7 fraction digits', false, '2024-05-01T10:00:00.1234567Z');
ts('empty fraction', false, '2024-05-01T10:00:00.Z');
ts('positive offset', true, '2024-05-01T10:00:00+02:00');
ts('negative offset', true, '2024-05-01T10:00:00-07:30');
ts('unknown local offset', true, '2024-05-01T10:00:00-00:00');
ts('max offset', true, '2024-05-01T10:00:00+23:59');
ts('offset 24:00', false, '2024-05-01T10:00:00+24:00');
ts('offset minutes 60', false, '2024-05-01T10:00:00+01:60');
ts('offset without colon', false, '2024-05-01T10:00:00+0200');
ts('no offset', false, '2024-05-01T10:00:00');
ts('no offset with millis', false, '2024-05-01T10:00:00.123');
ts('lowercase t', false, '2024-05-01t10:00:00Z');
ts('lowercase z', false, '2024-05-01T10:00:00z');
ts('space separator', false, '2024-05-01 10:00:00Z');
ts('no seconds', false, '2024-05-01T10:00Z');
ts('date only', false, '2024-05-01');
ts('leap day in leap year', true, '2024-02-29T00:00:00Z');
ts('leap day in 1900 (not leap)', false, '1900-02-29T00:00:00Z');
ts('leap day in 2000 (leap)', true, '2000-02-29T00:00:00Z');
ts('leap day in non-leap year', false, '2023-02-29T00:00:00Z');
ts('April 31', false, '2024-04-31T00:00:00Z');
ts('month 13', false, '2024-13-01T00:00:00Z');
ts('month 00', false, '2024-00-01T00:00:00Z');
ts('day 00', false, '2024-01-00T00:00:00Z');
ts('hour 24', false, '2024-01-01T24:00:00Z');
ts('minute 60', false, '2024-01-01T23:60:00Z');
ts('leap second', false, '2024-12-31T23:59:60Z');
ts('year 0000', false, '0000-01-01T00:00:00Z');
ts('year 0001', true, '0001-01-01T00:00:00Z');
ts('year 9999', true, '9999-12-31T23:59:59Z');
ts('five-digit year', false, '10000-01-01T00:00:00Z');
ts('unix number as string', false, '1714557600');
add(T, 'timestamp: unix number', false, { type: 'ping', timestamp: 1714557600 });
add(T, 'timestamp: null', false, { type: 'ping', timestamp: null });
ts('full-width digits', false, '２０２４-05-01T10:00:00Z');
ts('trailing space', false, '2024-05-01T10:00:00Z ');

// 5. Unicode, structure, JSON text.
const U = 'text';
add(U, 'unicode: emoji message', true, base('user_message', { message: 'hi 👋🏽 — ünïcödé 中文' }));
add(U, 'unicode: RTL and combining marks', true, base('user_message', { message: 'שלום e\u0301' }));
add(U, 'unicode: NUL character escaped', true, base('user_message', { message: 'a\u0000b' }));
add(U, 'unicode: escaped surrogate pair', true, undefined, `{"type":"user_message","timestamp":"${TS}","message":"\\ud83d\\ude00"}`);
add(U, 'unicode: lone high surrogate escape', false, undefined, `{"type":"user_message","timestamp":"${TS}","message":"\\ud83d"}`);
add(U, 'unicode: lone low surrogate escape', false, undefined, `{"type":"user_message","timestamp":"${TS}","message":"x\\ude00y"}`);
add(U, 'unicode: reversed surrogate pair', false, undefined, `{"type":"user_message","timestamp":"${TS}","message":"\\ude00\\ud83d"}`);
add(U, 'unicode: escaped backslash before u', true, undefined, `{"type":"user_message","timestamp":"${TS}","message":"\\\\ud83d"}`);
add(U, 'unicode: a raw lone surrogate in the text (no UTF-8 can carry it)', false, undefined, `{"type":"ping","timestamp":"${TS}","data":"\ud800"}`);
add(U, 'unicode: a raw surrogate pair in the text', true, undefined, `{"type":"ping","timestamp":"${TS}","data":"\ud83d\ude00"}`);
add(U, 'unicode: lone surrogate in data', false, undefined, `{"type":"ping","timestamp":"${TS}","data":["\\udfff"]}`);
add(U, 'unicode: lone surrogate in a key of data', false, undefined, `{"type":"ping","timestamp":"${TS}","data":{"\\ud800":1}}`);
add(U, 'json: not JSON', false, undefined, 'hello');
add(U, 'json: truncated', false, undefined, `{"type":"ping","timestamp":"${TS}"`);
add(U, 'json: trailing comma', false, undefined, `{"type":"ping","timestamp":"${TS}",}`);
add(U, 'json: single quotes', false, undefined, `{'type':'ping'}`);
add(U, 'json: NaN literal', false, undefined, `{"type":"ping","timestamp":"${TS}","progress":NaN}`);
add(U, 'json: empty text', false, undefined, '');
add(U, 'json: a leading zero, on the second line after an astral character (column in code points)', false, undefined, `{"type":"ping","data":"\u{1F600}\u{1F600}",\n "timestamp":"${TS}","progress":01}`);
add(U, 'json: a bad escape', false, undefined, `{"type":"ping","timestamp":"${TS}","data":"\\x"}`);
add(U, 'json: a raw control character in a string', false, undefined, `{"type":"ping","timestamp":"${TS}","data":"a\u0001b"}`);
add(U, 'json: text after the message', false, undefined, `{"type":"ping","timestamp":"${TS}"} x`);
add(U, 'json: whitespace only', false, undefined, ' \n\t ');
add(U, 'json: a missing colon', false, undefined, `{"type" "ping"}`);
add(U, 'json: whitespace around', true, undefined, `  \n{"type":"ping","timestamp":"${TS}"}\n `);
add(U, 'json: duplicate key, last wins (valid)', true, undefined, `{"type":"ping","timestamp":"bad","timestamp":"${TS}"}`);
add(U, 'json: duplicate key, last wins (invalid)', false, undefined, `{"type":"ping","timestamp":"${TS}","timestamp":"bad"}`);
add(U, 'json: NaN inside data (not JSON)', false, undefined, `{"type":"ping","timestamp":"${TS}","data":NaN}`);
add(U, 'json: -Infinity inside metadata (not JSON)', false, undefined, `{"type":"ping","timestamp":"${TS}","metadata":{"a":[1,-Infinity]}}`);
add(U, 'json: the words NaN and Infinity inside strings', true, undefined, `{"type":"ping","timestamp":"${TS}","data":{"NaN":"Infinity"},"metadata":{"note":"NaN, -Infinity"}}`);
add(U, 'json: 1e400 inside data (JSON, but beyond the interoperable range)', false, undefined, `{"type":"ping","timestamp":"${TS}","data":[1e400]}`);
add(U, 'json: duplicate type, the last one selects the rules (invalid)', false, undefined, `{"type":"ping","timestamp":"${TS}","type":"user_message"}`);
add(U, 'json: duplicate type, the last one selects the rules (valid)', true, undefined, `{"type":"user_message","timestamp":"${TS}","message":"hi","type":"ping"}`);
add(U, 'structure: array', false, [base('ping')]);
add(U, 'structure: string', false, 'ping');
add(U, 'structure: null', false, null);
add(U, 'structure: number', false, 42);
add(U, 'structure: empty object', false, {});
const nest = (n, leaf) => { let v = leaf; for (let i = 0; i < n; i++) v = [v]; return v; };
add(U, 'depth: data nested 199 arrays (value depth 200)', true, base('ping', { data: nest(199, 1) }));
add(U, 'depth: data nested 200 arrays (value depth 201)', false, base('ping', { data: nest(200, 1) }));
add(U, 'depth: data nested 200 empty arrays (depth 200)', true, base('ping', { data: nest(199, []) }));
// metadata (depth 1) holds n-1 more nested objects; the scalar inside the innermost sits at depth n + 1.
add(U, 'depth: metadata nested objects, scalar at depth 200', true, base('ping', { metadata: JSON.parse('{"a":'.repeat(199) + '1' + '}'.repeat(199)) }));
add(U, 'depth: metadata nested objects, scalar at depth 201', false, base('ping', { metadata: JSON.parse('{"a":'.repeat(200) + '1' + '}'.repeat(200)) }));
add(U, 'depth: data nested 30000 arrays', false, undefined, `{"type":"ping","timestamp":"${TS}","data":${'['.repeat(30000)}${']'.repeat(30000)}}`);
// A message refused for another reason that also nests too deep: Python's parser stops at the depth
// first, so both sides report depth at "" (the typed field, the unknown tag, the array are never read).
add(U, 'depth: a typed field (message) holding 250 nested arrays', false, base('user_message', { message: nest(250, 1) }));
add(U, 'depth: an unknown type holding 250 nested arrays', false, { type: 'no_such_type', timestamp: TS, data: nest(250, 1) });
add(U, 'depth: no type, 250 nested arrays', false, { timestamp: TS, data: nest(250, 1) });
add(U, 'depth: the message is 250 nested arrays', false, nest(250, base('ping')));
add(U, 'depth: a typed field 199 arrays deep (refused for its type, no depth)', false, base('user_message', { message: nest(199, 1) }));
add(U, 'size: 4 KB streaming chunk', true, base('agent_streaming', { message: 'x'.repeat(4000) }));

// 6. Numbers (PROTOCOL.md "numbers"): every number in an open field lies within ±(2^53 − 1)
// (I-JSON, RFC 7493 §2.2), however it is written; integer fields hold the same range; number
// fields take any finite double. Raw texts: JSON.stringify cannot write most of these spellings.
const N = 'numbers';
const MAX = '9007199254740991';
const raw = (name, valid, fields) => add(N, name, valid, undefined, `{"type":"ping","timestamp":"${TS}",${fields}}`);
const rawAs = (type, extra, name, valid, fields) => add(N, name, valid, undefined, `{"type":"${type}","timestamp":"${TS}",${extra}${fields}}`);
const OPEN = ['data', 'metadata', 'additional_info', 'error_details'];
const wrap = (f, n) => (f === 'data' ? n : `{"n":${n}}`);
for (const f of OPEN) {
  raw(`${f}: 2^53 − 1`, true, `"${f}":${wrap(f, MAX)}`);
  raw(`${f}: −(2^53 − 1)`, true, `"${f}":${wrap(f, '-' + MAX)}`);
  raw(`${f}: 2^53`, false, `"${f}":${wrap(f, '9007199254740992')}`);
  raw(`${f}: 2^53 + 1 (a double reads 2^53)`, false, `"${f}":${wrap(f, '9007199254740993')}`);
  raw(`${f}: −(2^53 + 1)`, false, `"${f}":${wrap(f, '-9007199254740993')}`);
  raw(`${f}: 1e20`, false, `"${f}":${wrap(f, '1e20')}`);
  raw(`${f}: 1E400`, false, `"${f}":${wrap(f, '1E400')}`);
}
for (const [name, n, valid] of [
  ['1E+20', '1E+20', false], ['-1e400', '-1e400', false], ['1.5e300', '1.5e300', false], ['123456789012345678901234', '123456789012345678901234', false],
  ['400-digit integer', '1' + '0'.repeat(400), false], ['4,301-digit integer (past Python\'s parser limit)', '1' + '0'.repeat(4300), false],
  ['-5,000-digit integer', '-1' + '0'.repeat(5000), false], ['2^53 − 1 written 9007199254740991.0', MAX + '.0', true],
  ['2^53 − 1 written 9.007199254740991e15', '9.007199254740991e15', true], ['9007199254740991.5 (a double reads 2^53)', MAX + '.5', false],
  ['1e15', '1e15', true], ['0.1', '0.1', true], ['-0', '-0', true], ['-0.0', '-0.0', true], ['1e-400 (reads 0)', '1e-400', true],
  ['5e-324 (the smallest double)', '5e-324', true],
]) raw(`data: ${name}`, valid, `"data":${n}`);
raw('data: nested deep in arrays and objects', false, `"data":{"a":[1,{"b":[2,1e20]}]}`);
raw('data: big numbers as strings are fine', true, `"data":["9007199254740993","1e400"]`);
raw('data: keys that look like numbers are fine', true, `"data":{"9007199254740993":1}`);
raw('data fine, metadata out of range: reported at /metadata', false, `"data":[1,2],"metadata":{"x":1e300}`);
raw('metadata and data both out of range: the first in schema order', false, `"metadata":{"x":-1e300},"data":1e300`);
raw('out of range and another error: the other error first', false, `"data":1e300,"progress":2`);
// Integer fields: every one holds ±(2^53 − 1), however the number is written; number fields any finite double.
const agent = '"message":"x","agent":"guide_agent",';
rawAs('agent_message', agent, 'seq: 2^53 − 1 written 9007199254740991.0', true, `"seq":${MAX}.0`);
rawAs('agent_message', agent, 'seq: 2^53', false, '"seq":9007199254740992');
rawAs('agent_message', agent, 'seq: 1e16', false, '"seq":1e16');
rawAs('agent_message', agent, 'seq: 1E400 (Infinity)', false, '"seq":1E400');
rawAs('agent_message', agent, 'seq: 400-digit integer (JavaScript reads Infinity)', false, `"seq":1${'0'.repeat(400)}`);
rawAs('agent_message', agent, 'seq: 308-digit integer (a finite double)', false, `"seq":1${'0'.repeat(308)}`);
rawAs('agent_message', agent, 'seq: 4,301-digit integer', false, `"seq":1${'0'.repeat(4300)}`);
const OVERFLOW = 2n ** 1024n - 2n ** 970n; // the smallest integer a double reads as Infinity
rawAs('agent_message', agent, 'seq: 2^1024 − 2^970 − 1 (a double reads the largest finite one)', false, `"seq":${OVERFLOW - 1n}`);
rawAs('agent_message', agent, 'seq: 2^1024 − 2^970 (a double reads Infinity)', false, `"seq":${OVERFLOW}`);
raw('data: 2^1024 − 2^970 (a double reads Infinity)', false, `"data":-${OVERFLOW}`);
raw('stream_index: -5,000-digit integer', false, `"stream_index":-1${'0'.repeat(5000)}`);
raw('stream_index: -0', true, '"stream_index":-0');
raw('progress: 4,301-digit integer', false, `"progress":1${'0'.repeat(4300)}`);
raw('progress: 1e-400 (reads 0)', true, '"progress":1e-400');
raw('progress: -0.0', true, '"progress":-0.0');
raw('progress: 0.000025', true, '"progress":0.000025');
raw('progress: 1e-7', true, '"progress":1e-7');
raw('progress: 1.0000001 (message and params as JavaScript writes them)', false, '"progress":1.0000001');
raw('progress: -1e-7', false, '"progress":-1e-7');

mkdirSync(OUT, { recursive: true });
let total = 0;
for (const [file, list] of Object.entries(vectors)) {
  const names = new Set();
  for (const v of list) {
    if (names.has(v.name)) throw new Error(`duplicate vector name: ${v.name}`);
    names.add(v.name);
  }
  total += list.length;
  writeFileSync(join(OUT, `${file}.json`), JSON.stringify(list, null, 1) + '\n');
}
console.log(`wrote ${total} vectors in ${Object.keys(vectors).length} files`);
