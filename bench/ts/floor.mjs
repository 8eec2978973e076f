// The floor of the TS parse benchmark: a hand-written exact parser of the bundled protocol
// (schema/websocket-message.schema.json plus the wire rules of schema/PROTOCOL.md), written for
// speed and sharing no code with wsgen's output. It does what any exact validator of this
// protocol must do on a message, and nothing more: parse the text (RFC 8259), refuse lone
// surrogates raw or escaped (RFC 7493 §2.1), look up the tag, visit every key once (each type is
// a closed object) and check its value by the field's own rule in one pass, check the required
// fields, and walk the open fields for depth (200) and numbers beyond ±(2^53 − 1) (RFC 7493 §2.2).
// It returns the verdict only (no errors, no result object). bench/ts/parse-rounds.mjs checks,
// before it times anything, that its verdict equals parseMessage's on every conformance vector.

const MAX_DEPTH = 200;
const MAX_SAFE = 9007199254740991;

/** Bit of each property of the envelope (and of the types' own properties). */
const BIT = {
  type: 1 << 0, message_id: 1 << 1, timestamp: 1 << 2, session_token: 1 << 3, session_id: 1 << 4, agent: 1 << 5, role: 1 << 6,
  pillar: 1 << 7, realm: 1 << 8, message: 1 << 9, data: 1 << 10, file_uuid: 1 << 11, file_name: 1 << 12, file_url: 1 << 13,
  metadata: 1 << 14, additional_info: 1 << 15, error_code: 1 << 16, error_details: 1 << 17, status: 1 << 18, progress: 1 << 19,
  is_streaming: 1 << 20, stream_index: 1 << 21, seq: 1 << 22, schema_hash: 1 << 23, epoch: 1 << 24, last_seq: 1 << 25,
};
const ENVELOPE = (1 << 24) - 1;
const bits = (names) => names.reduce((m, n) => m | BIT[n], 0);
const not = (names) => ENVELOPE & ~bits(names);

/** Per tag: allowed properties, required ones, and the two narrowings (message minLength 1, is_streaming const). */
const TYPES = new Map(
  [
    ['user_message', not(['seq', 'schema_hash', 'realm']), ['message']],
    ['agent_message', not(['session_token']), ['message', 'agent']],
    ['agent_streaming', not(['session_token']), ['message', 'message_id', 'stream_index', 'is_streaming']],
    ['agent_complete', not(['session_token']), ['message_id']],
    ['system_message', not(['session_token']), ['message']],
    ['error_message', not(['session_token']), ['error_code', 'message']],
    ['warning_message', not(['session_token']), ['message']],
    ['session_created', not(['session_token']) | BIT.epoch, ['session_id', 'realm', 'schema_hash', 'epoch']],
    ['session_updated', not(['session_token']), ['session_id', 'status']],
    ['session_expired', not(['session_token']), ['session_id']],
    ['session_resume', not(['seq', 'schema_hash', 'realm']) | BIT.epoch | BIT.last_seq, ['session_id', 'last_seq', 'epoch']],
    ['file_selected', not(['seq', 'schema_hash', 'realm']), ['file_uuid', 'file_name']],
    ['file_processing', not(['session_token']), ['file_uuid']],
    ['file_complete', not(['session_token']), ['file_uuid']],
    ['file_error', not(['session_token']), ['file_uuid', 'error_code']],
    ['question_answer', not(['session_token']), ['message']],
    ['visualization_data', not(['session_token']), ['data']],
    ['analysis_result', not(['session_token']), ['data']],
    ['workflow_generated', not(['session_token']), ['data']],
    ['sop_generated', not(['session_token']), ['data']],
    ['status_update', not(['session_token']), ['status']],
    ['progress_update', not(['session_token']), ['progress']],
    ['ping', ENVELOPE, []],
    ['pong', ENVELOPE, ['message_id']],
  ].map(([tag, allowed, required]) => [
    tag,
    { allowed, required: bits(['type', 'timestamp', ...required]), nonEmptyMessage: tag === 'user_message', streaming: tag === 'agent_streaming' ? true : tag === 'agent_complete' ? false : undefined },
  ]),
);

const AGENTS = new Set(['guide_agent', 'content_liaison', 'insights_liaison', 'operations_liaison', 'business_outcomes_liaison']);
const ROLES = new Set(['user', 'agent', 'system']);
const PILLARS = new Set(['content', 'insights', 'operations', 'business_outcomes']);
const REALMS = new Set(['smart_city', 'business_enablement', 'experience', 'journey_solution']);
const ERROR_CODES = new Set(['INVALID_MESSAGE', 'UNSUPPORTED_TYPE', 'UNAUTHORIZED', 'FORBIDDEN', 'SESSION_EXPIRED', 'RATE_LIMITED', 'MESSAGE_TOO_LARGE',
  'AGENT_UNAVAILABLE', 'AGENT_ERROR', 'AGENT_TIMEOUT', 'RECOVERY_FAILED', 'FILE_ERROR', 'INTERNAL_ERROR']);
const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const EPOCH = /^[A-Za-z0-9_-]{1,64}$/;
const HASH = /^[0-9a-f]{64}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const URL_PATTERN = /^https?:\/\/[!-~]+$/;
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Code points of `s` (JSON Schema lengths count them). */
function codePoints(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n++;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
  }
  return n;
}
/** A string of `min`..`max` code points (a UTF-16 length bounds the count: count only when it cannot decide). */
const sized = (x, min, max) => typeof x === 'string' && (x.length <= max || codePoints(x) <= max) && (x.length >= 2 * min || codePoints(x) >= min);
const int = (x, max) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
const two = (s, i) => {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
};

/** RFC 3339 date-time with seconds, 1–6 fraction digits or none, offset Z or ±hh:mm (the Timestamp's format and pattern at once). */
function timestamp(s) {
  if (typeof s !== 'string' || s.length < 20 || s.length > 32) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  const hi = two(s, 0), lo = two(s, 2);
  if (hi < 0 || lo < 0) return false;
  const year = hi * 100 + lo, month = two(s, 5), day = two(s, 8);
  if (year < 1 || month < 1 || month > 12 || day < 1 || two(s, 11) < 0 || two(s, 11) > 23 || two(s, 14) < 0 || two(s, 14) > 59 || two(s, 17) < 0 || two(s, 17) > 59) return false;
  if (day > (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS[month])) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start || i - start > 6) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 90) return i + 1 === s.length;
  if ((z !== 43 && z !== 45) || i + 6 !== s.length || s.charCodeAt(i + 3) !== 58) return false;
  const oh = two(s, i + 1), om = two(s, i + 4);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

/** An open value (any JSON) nests at most MAX_DEPTH levels (the field's value is level 1) and holds only safe numbers. */
function open(v, depth) {
  if (depth > MAX_DEPTH) return false;
  if (typeof v === 'number') return v <= MAX_SAFE && v >= -MAX_SAFE;
  if (typeof v !== 'object' || v === null) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!open(v[i], depth + 1)) return false;
  } else for (const k in v) if (!open(v[k], depth + 1)) return false;
  return true;
}
const openObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && open(v, 1);

/** Whether a lone surrogate is escaped (\uD800–\uDFFF not in a high-low pair) in JSON text. */
function loneEscape(t) {
  for (let i = t.indexOf('\\u'); i !== -1; i = t.indexOf('\\u', i + 2)) {
    if (t.charCodeAt(i - 1) === 92 && (t.slice(0, i).match(/\\+$/)[0].length & 1) === 1) continue; // the backslash is itself escaped
    const u = parseInt(t.slice(i + 2, i + 6), 16);
    if (u >= 0xdc00 && u <= 0xdfff) return true;
    if (u >= 0xd800 && u <= 0xdbff) {
      const l = t.startsWith('\\u', i + 6) ? parseInt(t.slice(i + 8, i + 12), 16) : -1;
      if (!(l >= 0xdc00 && l <= 0xdfff)) return true;
      i += 6;
    }
  }
  return false;
}

/** Whether parsed value `d` is a valid message (closed objects: every key visited once, in one pass). */
export function floorValid(d) {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return false;
  const t = TYPES.get(d.type);
  if (t === undefined) return false;
  let seen = 0;
  for (const k in d) {
    const x = d[k];
    let bit;
    switch (k) {
      case 'type': bit = 1; break;
      case 'message_id': if (typeof x !== 'string' || !MESSAGE_ID.test(x)) return false; bit = BIT.message_id; break;
      case 'timestamp': if (!timestamp(x)) return false; bit = BIT.timestamp; break;
      case 'session_token': if (!sized(x, 1, 4096)) return false; bit = BIT.session_token; break;
      case 'session_id': if (!sized(x, 1, 128)) return false; bit = BIT.session_id; break;
      case 'agent': if (!AGENTS.has(x)) return false; bit = BIT.agent; break;
      case 'role': if (!ROLES.has(x)) return false; bit = BIT.role; break;
      case 'pillar': if (!PILLARS.has(x)) return false; bit = BIT.pillar; break;
      case 'realm': if (!REALMS.has(x)) return false; bit = BIT.realm; break;
      case 'message': if (!sized(x, t.nonEmptyMessage ? 1 : 0, 32768)) return false; bit = BIT.message; break;
      case 'data': if (!open(x, 1)) return false; bit = BIT.data; break;
      case 'file_uuid': if (typeof x !== 'string' || !UUID.test(x)) return false; bit = BIT.file_uuid; break;
      case 'file_name': if (!sized(x, 1, 255)) return false; bit = BIT.file_name; break;
      case 'file_url': if (!sized(x, 0, 2048) || !URL_PATTERN.test(x)) return false; bit = BIT.file_url; break;
      case 'metadata': if (!openObject(x)) return false; bit = BIT.metadata; break;
      case 'additional_info': if (!openObject(x)) return false; bit = BIT.additional_info; break;
      case 'error_code': if (!ERROR_CODES.has(x)) return false; bit = BIT.error_code; break;
      case 'error_details': if (!openObject(x)) return false; bit = BIT.error_details; break;
      case 'status': if (!sized(x, 1, 64)) return false; bit = BIT.status; break;
      case 'progress': if (typeof x !== 'number' || !(x >= 0 && x <= 1)) return false; bit = BIT.progress; break;
      case 'is_streaming': if (typeof x !== 'boolean' || (t.streaming !== undefined && x !== t.streaming)) return false; bit = BIT.is_streaming; break;
      case 'stream_index': if (!int(x, 1000000)) return false; bit = BIT.stream_index; break;
      case 'seq': if (!int(x, MAX_SAFE)) return false; bit = BIT.seq; break;
      case 'schema_hash': if (typeof x !== 'string' || !HASH.test(x)) return false; bit = BIT.schema_hash; break;
      case 'epoch': if (typeof x !== 'string' || !EPOCH.test(x)) return false; bit = BIT.epoch; break;
      case 'last_seq': if (!int(x, MAX_SAFE)) return false; bit = BIT.last_seq; break;
      default: return false;
    }
    if ((t.allowed & bit) === 0) return false;
    seen |= bit;
  }
  return (seen & t.required) === t.required;
}

/** Whether JSON text `text` is a valid message: well-formed Unicode, JSON, no escaped lone surrogate, and floorValid. */
export function floorParse(text) {
  if (!text.isWellFormed()) return false;
  let d;
  try {
    d = JSON.parse(text);
  } catch {
    return false;
  }
  if (text.includes('\\u') && loneEscape(text)) return false;
  return floorValid(d);
}

/** The value of JSON text `text` when it is a valid message (floorParse's checks), else undefined: the floor server's read of a frame. */
export function floorRead(text) {
  if (!text.isWellFormed()) return undefined;
  let d;
  try {
    d = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (text.includes('\\u') && loneEscape(text)) return undefined;
  return floorValid(d) ? d : undefined;
}
