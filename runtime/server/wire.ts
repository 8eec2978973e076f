// Wire helpers of the core: the RFC 6455 close codes it uses, timestamps,
// serialization with O(1) byte accounting for plain-ASCII texts, and the reply
// to an invalid frame (its issues, and the correlation id salvaged from it).
import type { ValidationIssue } from './descriptor.js';
import type { ErrorExtras, Message, MessageScope, RuntimeProtocol } from './roles.js';
import { truncateText, wellFormed } from './text.js';

/** Standard RFC 6455 close codes (§7.4.1) the server uses next to the protocol's application codes. */
export const StdCloseCode = {
  /** Normal closure. */
  NORMAL: 1000,
  /** The server goes away (shutdown without restart). */
  GOING_AWAY: 1001,
  /** A binary frame arrived; the protocol is text only. */
  UNSUPPORTED_DATA: 1003,
  /** A policy was violated (an invalid or unsupported message on a protocol without an error role). */
  POLICY_VIOLATION: 1008,
  /** A frame was larger than maxPayload. */
  MESSAGE_TOO_BIG: 1009,
  /** An unexpected server fault. */
  INTERNAL_ERROR: 1011,
  /** The server restarts: reconnect. */
  SERVICE_RESTART: 1012,
} as const;

let lastMs = NaN;
let lastIso = '';
let lastSecond = NaN;
let secondPrefix = ''; // "YYYY-MM-DDTHH:MM:SS." of lastSecond, or '' when toISOString is not 24 characters there
/** Milliseconds 0–999 as three digits. */
const MS_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0') + 'Z');

/**
 * The current time (or `ms`, epoch ms) as an RFC 3339 timestamp: exactly `new Date(ms).toISOString()`, cached per
 * millisecond, its date and time of day computed once per second (a new millisecond only appends its digits).
 */
export function timestamp(ms: number = Date.now()): string {
  if (ms === lastMs) return lastIso;
  lastMs = ms;
  if (!Number.isInteger(ms)) return (lastIso = new Date(ms).toISOString());
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    const iso = new Date(second * 1000).toISOString();
    secondPrefix = iso.length === 24 ? iso.slice(0, 20) : ''; // years 0000–9999 only (else ±YYYYYY)
  }
  lastIso = secondPrefix === '' ? new Date(ms).toISOString() : secondPrefix + MS_DIGITS[ms - second * 1000]!;
  return lastIso;
}

/** The generic serializer: JSON.stringify. */
export function toJson(msg: Message): string {
  return JSON.stringify(msg);
}

// The latest text a specialized serializer built entirely from plain ASCII (so its UTF-8 size is its length).
let plainText: string | undefined;

/** A specialized serializer reports that `text` is plain ASCII (its UTF-8 size is its length). */
export function markPlain(text: string): void {
  plainText = text;
}

/** UTF-8 size of a serialized message: its length when a specialized serializer marked it plain ASCII, else Buffer.byteLength. */
export function serializedBytes(text: string): number {
  if (text === plainText) return text.length;
  return Buffer.byteLength(text);
}

/** Longest correlation id salvaged from an invalid frame. */
const MAX_SALVAGED_ID = 128;

/**
 * Best-effort extraction of the correlation id (property `field`) of a frame that failed validation, so that the
 * error reply can name it. Slow path only (called after a failure); the caller keeps it only if the reply built
 * with it is valid.
 */
export function salvageId(text: string, field: string | undefined): string | undefined {
  if (field === undefined || !text.includes(`"${field}"`)) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const id = (v as Record<string, unknown>)[field];
      if (typeof id === 'string' && id.length > 0 && id.length <= MAX_SALVAGED_ID) return id;
    }
  } catch {
    /* not JSON */
  }
  return undefined;
}

/** Deepest nesting of a value echoed from a frame into `error_details` (the reply's own levels stay far below MAX_DEPTH). */
const ECHO_MAX_DEPTH = 8;
/** Most entries of an array or object echoed from a frame into `error_details`. */
const ECHO_MAX_ENTRIES = 32;
/** Longest string echoed from a frame into `error_details`, in code points. */
const ECHO_MAX_TEXT = 512;

/**
 * A value from a frame (an issue's `params`, such as the unknown `tagValue`), made valid to echo in an open
 * field by construction: numbers beyond ±(2^53 − 1) (I-JSON, RFC 7493 §2.2; PROTOCOL.md "numbers") are written
 * as their JavaScript text, strings are well-formed and cut to 512 code points, arrays and objects keep 32
 * entries and 8 levels (deeper values become the string "…").
 */
export function echoValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'number') return Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? v : String(v);
  if (typeof v === 'string') return truncateText(wellFormed(v), ECHO_MAX_TEXT);
  if (v === null || typeof v === 'boolean') return v;
  if (typeof v !== 'object' || depth >= ECHO_MAX_DEPTH) return '…';
  if (Array.isArray(v)) return v.slice(0, ECHO_MAX_ENTRIES).map((x) => echoValue(x, depth + 1));
  const out = Object.create(null) as Record<string, unknown>; // a key named __proto__ stays a key
  for (const k of Object.keys(v).slice(0, ECHO_MAX_ENTRIES)) out[truncateText(wellFormed(k), ECHO_MAX_TEXT)] = echoValue((v as Record<string, unknown>)[k], depth + 1);
  return out;
}

/**
 * The INVALID_MESSAGE reply to a frame, with details `{errors: [{path, keyword, message, params}]}`: the first issue
 * only, where validation stops (ajv's order, PROTOCOL.md "Validation issues"), the one the Python server reports
 * too; `wsgen validate` lists them all. A salvaged `ref` is kept only when the reply is valid with it (so a reply is
 * valid by construction whatever the frame held). Undefined when the protocol has no error role.
 */
export function invalidMessageReply(rt: RuntimeProtocol, errors: readonly ValidationIssue[], ref: string | undefined, scope: MessageScope | undefined): Message | undefined {
  const shown = errors.slice(0, 1).map((e) => ({
    path: truncateText(wellFormed(e.path), 512),
    keyword: e.keyword,
    message: truncateText(wellFormed(e.message), 512),
    params: echoValue(e.params),
  }));
  const first = shown[0];
  const text = first ? `invalid message at "${first.path}": ${first.message}` : 'invalid message';
  const extras: ErrorExtras = { ref, details: { errors: shown } };
  const reply = rt.error('INVALID_MESSAGE', text, extras, scope);
  if (reply === undefined || ref === undefined) return reply;
  const type = rt.role.error!;
  return rt.descriptor.messages[type]!.is(reply) ? reply : rt.error('INVALID_MESSAGE', text, { ...extras, ref: undefined }, scope);
}
