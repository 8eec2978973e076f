/**
 * What an inbound frame means for a connection, decided without side effects on
 * the socket or the app: decoding (text only, JSON, the generated validator, the
 * direction rule of MESSAGE_META, session_created only as the first message), the
 * seq check (duplicates dropped, gaps reported), RECOVERY_FAILED, the end of a
 * resume, and what a session_created asks for. The connection carries out the plan,
 * calling the app back in the plan's order (reports, then the delivery).
 */
import { SCHEMA_HASH, parseMessage, type WebSocketMessage } from '../../generated/ts/index.js';
import { InvalidFrameError, ProtocolMismatchError, RecoveryFailedError, SessionResetError, type WsClientError } from './errors.js';
import { uuid } from './clock.js';
import type { ConnectionHealth } from './health.js';
import { isServerSendable, type OutboundMessage, type ServerMessage } from './messages.js';
import { foreignSchemaHash, isForeignHash, type SessionTracker } from './session.js';

type Created = Extract<WebSocketMessage, { type: 'session_created' }>;

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

/** What one frame asks the connection to do, in this order. */
export interface FramePlan {
  /** The frame was not valid (binary, not JSON, off-schema, wrong direction or order): counted, reported, never delivered. */
  invalid?: true;
  /** Fail the connection with this error (a foreign schema under the `fail` policy); nothing else happens. */
  fail?: ProtocolMismatchError;
  /** A session_created: the connection sets up the session ({@link planCreated}). */
  created?: Created;
  /** The message_id of a pong, for the heartbeat. */
  pong?: string | undefined;
  /** A control frame to send now (the pong to a server ping). */
  reply?: OutboundMessage;
  /** Errors to report, in order. */
  reports: WsClientError[];
  /** The message to deliver to the app (after the reports). */
  deliver?: ServerMessage;
  /** Set when this message ends the pending resume: its outcome (then the queue is flushed and the status is open). */
  resumeEnded?: ConnectionHealth['resume'];
}

/** Plans one inbound frame of connection `id`; updates the session bookkeeping (seq, resume, recovery). */
export function planFrame(data: unknown, id: string, awaitingCreated: boolean, failOnMismatch: boolean, session: SessionTracker): FramePlan {
  const r = decodeFrame(data, id, awaitingCreated);
  if (!r.ok) {
    if (r.mismatch && failOnMismatch) return { invalid: true, fail: r.mismatch, reports: [] };
    return { invalid: true, reports: r.mismatch ? [r.mismatch, r.error] : [r.error] };
  }
  const msg = r.msg;
  if (msg.type === 'session_created') return { created: msg, reports: [] };
  const verdict = session.accept((msg as { seq?: number }).seq);
  if (!verdict.deliver) return { reports: [] };
  const plan: FramePlan = { reports: [], deliver: msg };
  const ctx = { connectionId: id, messageId: msg.message_id };
  if (verdict.gap) plan.reports.push(new RecoveryFailedError(verdict.gap.first, verdict.gap.last, ctx, 'gap_detected'));
  if (msg.type === 'pong') plan.pong = msg.message_id;
  else if (msg.type === 'ping') plan.reply = { type: 'pong', message_id: msg.message_id ?? uuid(), timestamp: new Date().toISOString() };
  else if (msg.type === 'error_message' && msg.error_code === 'RECOVERY_FAILED') {
    const rep = session.onRecoveryFailed(msg.error_details);
    plan.reports.push(new RecoveryFailedError(rep.firstMissing, rep.lastMissing, ctx, rep.reason));
  } else if (msg.type === 'session_updated' && session.endsResume(msg)) plan.resumeEnded = session.endResume(msg.status);
  return plan;
}

/** What a session_created asks for: fail, or errors to report and maybe a session_resume to send first. */
export type CreatedSetup = { fail: ProtocolMismatchError } | { resume: (OutboundMessage & { message_id: string }) | null; reports: WsClientError[] };

/**
 * Plans a session_created of connection `id` (PROTOCOL.md, "Session resume"): checks the schema hash,
 * lets the session tracker decide between resume, new epoch and reset, and builds the session_resume.
 */
export function planCreated(msg: Created, id: string, resume: boolean, failOnMismatch: boolean, session: SessionTracker, newId: () => string): CreatedSetup {
  const ctx = { connectionId: id };
  const reports: WsClientError[] = [];
  if (isForeignHash(msg.schema_hash)) {
    const mismatch = new ProtocolMismatchError(SCHEMA_HASH, msg.schema_hash, ctx);
    if (failOnMismatch) return { fail: mismatch };
    reports.push(mismatch);
  }
  const plan = session.onCreated(msg, resume);
  if (plan.resetFrom !== null) reports.push(new SessionResetError(plan.resetFrom, msg.session_id, ctx));
  if (plan.epochLost) reports.push(new RecoveryFailedError(undefined, undefined, ctx, 'epoch_mismatch'));
  if (plan.resumeFrom === null) return { resume: null, reports };
  const { lastSeq, epoch } = plan.resumeFrom;
  const message = { type: 'session_resume' as const, session_id: msg.session_id, last_seq: lastSeq, epoch, message_id: newId(), timestamp: new Date().toISOString() };
  session.startResume(message.message_id);
  return { resume: message, reports };
}
