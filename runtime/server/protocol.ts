// Glue between the runtime and the generated protocol: direction-derived types,
// builders for the few messages the runtime itself emits, timestamps and the
// standard close codes. Every shape comes from generated/ts.
import {
  ErrorCode,
  MESSAGE_META,
  type AgentMessage,
  type ErrorMessage,
  type ValidationIssue,
  type WebSocketMessage,
} from '../../generated/ts/index.js';
import { MAX_TEXT, truncateText, wellFormed } from './text.js';

type Meta = typeof MESSAGE_META;

/** Message types a server may send (direction "server" or "both"), derived from the generated MESSAGE_META. */
export type ServerMessageType = { [K in keyof Meta]: Meta[K]['direction'] extends 'client' ? never : K }[keyof Meta];
/** Message types a client may send (direction "client" or "both"). */
export type ClientMessageType = { [K in keyof Meta]: Meta[K]['direction'] extends 'server' ? never : K }[keyof Meta];
/** Any message a server may send. */
export type ServerMessage = Extract<WebSocketMessage, { type: ServerMessageType }>;
/** Any message a client may send. */
export type ClientMessage = Extract<WebSocketMessage, { type: ClientMessageType }>;

/** Whether a client may send messages of `type` (direction "client" or "both"). */
export function isClientType(type: WebSocketMessage['type']): type is ClientMessageType {
  return CLIENT_TYPES.has(type);
}
const CLIENT_TYPES: ReadonlySet<string> = new Set(Object.keys(MESSAGE_META).filter((t) => MESSAGE_META[t as keyof Meta].direction !== 'server'));

/** Standard RFC 6455 close codes the server uses next to the generated CloseCode. */
export const StdCloseCode = {
  /** Normal closure. */
  NORMAL: 1000,
  /** The server goes away (shutdown without restart). */
  GOING_AWAY: 1001,
  /** A binary frame arrived; the protocol is text only. */
  UNSUPPORTED_DATA: 1003,
  /** A policy was violated. */
  POLICY_VIOLATION: 1008,
  /** A frame was larger than maxPayload. */
  MESSAGE_TOO_BIG: 1009,
  /** An unexpected server fault. */
  INTERNAL_ERROR: 1011,
  /** The server restarts: reconnect. */
  SERVICE_RESTART: 1012,
} as const;

let lastMs = 0;
let lastIso = '';
/** The current time (or `ms`, epoch ms) as an RFC 3339 timestamp (cached per millisecond). */
export function timestamp(ms: number = Date.now()): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** The generic serializer: JSON.stringify. */
export function toJson(msg: ServerMessage): string {
  return JSON.stringify(msg);
}

// A character JSON.stringify would escape (", \, controls, lone surrogates are
// covered by "not printable ASCII") or that takes more than one UTF-8 byte.
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;
// The latest text a specialized serializer built entirely from plain ASCII
// (so its UTF-8 size is its length); read by serializedBytes().
let plainText: string | undefined;
let plain = true;

/** A JSON string literal: exactly JSON.stringify(s). */
function str(s: string): string {
  if (NOT_PLAIN.test(s)) {
    plain = false;
    return JSON.stringify(s);
  }
  return '"' + s + '"';
}

/**
 * JSON.stringify(m) for an agent_message built by the ChatService (fields in
 * its insertion order, seq last), about 3x faster than JSON.stringify on Node
 * 20 for a 400-byte reply. Falls back to JSON.stringify when the message
 * carries data or metadata (open values). Expects what the ChatService builds:
 * a message_id that passed the schema (or a server id), a timestamp from
 * {@link timestamp}, and an endpoint's agent and pillar.
 */
export function agentMessageJson(m: AgentMessage): string {
  if (m.data !== undefined || m.metadata !== undefined || typeof m.message_id !== 'string' || typeof m.session_id !== 'string' || typeof m.agent !== 'string' || typeof m.realm !== 'string' || typeof m.seq !== 'number') {
    return JSON.stringify(m);
  }
  plain = true;
  // message_id (the schema's pattern, or a server id), timestamp (toISOString),
  // agent and pillar (an endpoint's enum values) are plain ASCII by construction:
  // quoted without the scan. session_id, realm (from the session validator) and
  // message are scanned.
  let out = '{"type":"agent_message","message_id":"' + m.message_id + '","timestamp":"' + m.timestamp + '","session_id":' + str(m.session_id) + ',"agent":"' + m.agent + '","realm":' + str(m.realm) + ',"message":' + str(m.message);
  if (m.pillar !== undefined) out += ',"pillar":"' + m.pillar + '"';
  out += ',"seq":' + m.seq + '}';
  if (plain) plainText = out;
  return out;
}

/** UTF-8 size of a serialized message: its length when a specialized serializer saw only plain ASCII, else Buffer.byteLength. */
export function serializedBytes(text: string): number {
  if (text === plainText) return text.length;
  return Buffer.byteLength(text);
}

const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** Whether `x` is a valid MessageId (the generated pattern). */
export function isMessageId(x: unknown): x is string {
  return typeof x === 'string' && MESSAGE_ID.test(x);
}

/**
 * Best-effort extraction of the message_id of a frame that failed validation,
 * so that the error reply can name it. Only a valid MessageId is returned.
 * Slow path only (called after a failure).
 */
export function salvageMessageId(text: string): string | undefined {
  if (!text.includes('"message_id"')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const id = (v as Record<string, unknown>)['message_id'];
      if (isMessageId(id)) return id;
    }
  } catch {
    /* not JSON */
  }
  return undefined;
}

/**
 * Error codes whose `error_message` is a connection-level reply: the answer to
 * one frame, sent to the connection that sent it, with no `seq`, never
 * buffered or replayed (PROTOCOL.md, "Which replies carry a seq"). Every other
 * error_message belongs to the session stream and is numbered.
 */
export const CONNECTION_LEVEL_ERROR_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.INVALID_MESSAGE,
  ErrorCode.UNSUPPORTED_TYPE,
  ErrorCode.UNAUTHORIZED,
  ErrorCode.FORBIDDEN,
  ErrorCode.RATE_LIMITED,
  ErrorCode.RECOVERY_FAILED,
]);

/**
 * The one rule deciding which server messages are connection-level (no `seq`,
 * not buffered, never replayed): `session_created`, `pong`, and an
 * `error_message` whose code is in {@link CONNECTION_LEVEL_ERROR_CODES}.
 * Stream.send and Connection.reply both route by it, so no path can number a
 * connection-level reply or send a stream message without a seq.
 */
export function isConnectionLevel(msg: ServerMessage): boolean {
  switch (msg.type) {
    case 'session_created':
    case 'pong':
      return true;
    case 'error_message':
      return CONNECTION_LEVEL_ERROR_CODES.has(msg.error_code);
    default:
      return false;
  }
}

/** Most validation issues reported back in one error_message. */
export const MAX_REPORTED_ISSUES = 10;

/** Fields an error_message may carry besides its code and text. */
export interface ErrorExtras {
  message_id?: string | undefined;
  session_id?: string | undefined;
  error_details?: Record<string, unknown> | undefined;
}

/**
 * Builds an error_message (a generated ErrorMessage). `message` is made valid
 * by construction: lone surrogates become U+FFFD and it is cut to MAX_TEXT
 * code points, never inside a surrogate pair.
 */
export function errorMessage(code: ErrorCode, message: string, extras: ErrorExtras = {}): ErrorMessage {
  const m: ErrorMessage = { type: 'error_message', timestamp: timestamp(), error_code: code, message: truncateText(wellFormed(message), MAX_TEXT) };
  if (extras.message_id !== undefined) m.message_id = extras.message_id;
  if (extras.session_id !== undefined) m.session_id = extras.session_id;
  if (extras.error_details !== undefined) m.error_details = extras.error_details;
  return m;
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

/** Builds the INVALID_MESSAGE reply for a frame, with error_details.errors = the validation issues. */
export function invalidMessageReply(errors: readonly ValidationIssue[], messageId: string | undefined): ErrorMessage {
  const shown = errors.slice(0, MAX_REPORTED_ISSUES).map((e) => ({
    path: truncateText(wellFormed(e.path), 512),
    keyword: e.keyword,
    message: truncateText(wellFormed(e.message), 512),
    params: echoValue(e.params),
  }));
  const first = shown[0];
  const text = first ? `invalid message at "${first.path}": ${first.message}` : 'invalid message';
  return errorMessage(ErrorCode.INVALID_MESSAGE, text, {
    message_id: messageId,
    error_details: errors.length > shown.length ? { errors: shown, truncated: errors.length - shown.length } : { errors: shown },
  });
}
