/**
 * Decoding of inbound frames: text only, JSON, the generated validator, the direction
 * rule (MESSAGE_META: a server may not send client-only types), and session_created
 * only as the first message of a socket. A frame that fails is never delivered.
 */
import { SCHEMA_HASH, parseMessage } from '../../generated/ts/index.js';
import { InvalidFrameError, ProtocolMismatchError } from './errors.js';
import { isServerSendable, type ServerMessage } from './messages.js';
import { foreignSchemaHash } from './session.js';

/** A decoded frame, or why it is not delivered. */
export type Decoded =
  | { ok: true; msg: ServerMessage }
  | {
      ok: false;
      /** The error to report. */
      error: InvalidFrameError;
      /** Set when the frame is a session_created of another schema (reported as a protocol mismatch too). */
      mismatch?: ProtocolMismatchError;
    };

/**
 * Decodes one frame of connection `connectionId`. `awaitingCreated` is true while the socket
 * waits for session_created: only then is a session_created accepted, and only then is an
 * invalid one checked for a foreign schema hash.
 */
export function decodeFrame(data: unknown, connectionId: string, awaitingCreated: boolean): Decoded {
  const ctx = { connectionId };
  if (typeof data !== 'string') return { ok: false, error: new InvalidFrameError([], '[binary frame]', ctx) };
  const r = parseMessage(data);
  if (!r.ok) {
    // A server on another schema may send a session_created our validator rejects: say so clearly.
    const hash = awaitingCreated ? foreignSchemaHash(data) : undefined;
    const error = new InvalidFrameError(r.errors, data, ctx);
    return hash === undefined ? { ok: false, error } : { ok: false, error, mismatch: new ProtocolMismatchError(SCHEMA_HASH, hash, ctx) };
  }
  const msg = r.value;
  const withId = { ...ctx, messageId: msg.message_id };
  if (!isServerSendable(msg.type)) {
    const issue = { path: '/type', keyword: 'direction', message: `a server may not send ${msg.type}`, params: { type: msg.type } };
    return { ok: false, error: new InvalidFrameError([issue], data, withId) };
  }
  if (msg.type === 'session_created' && !awaitingCreated) {
    const issue = { path: '/type', keyword: 'order', message: 'a server sends session_created once, as the first message of a connection', params: { type: msg.type } };
    return { ok: false, error: new InvalidFrameError([issue], data, withId) };
  }
  return { ok: true, msg: msg as ServerMessage };
}
