/**
 * What an inbound frame means for a connection, decided without side effects on
 * the socket or the app: decoding (text only, JSON, the protocol's validator, the
 * direction rule of the descriptor, the session-created message only as the first
 * message), the seq check (duplicates dropped, gaps reported), RECOVERY_FAILED,
 * the end of a resume, and what a session-created message asks for. The
 * connection carries out the plan, calling the app back in the plan's order
 * (reports, then the delivery). Roles the protocol lacks never match.
 */
import { InvalidFrameError, ProtocolMismatchError, RecoveryFailedError, SessionResetError, type WsClientError } from './errors.js';
import type { ConnectionHealth } from './health.js';
import type { Filler } from './messages.js';
import { foreignSchemaHash, type SessionTracker } from './session.js';
import { control, idOf, isServerSendable, read, typeOf, type Wire, type WireMessage } from './wire.js';

/** A decoded frame, or why it is not delivered. */
export type Decoded =
  | { ok: true; msg: WireMessage }
  | {
      ok: false;
      /** The error to report. */
      error: InvalidFrameError;
      /** Set when the frame is a session-created message of another schema (reported as a protocol mismatch too). */
      mismatch?: ProtocolMismatchError;
    };

const tagPath = (w: Wire): string => '/' + w.tag.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Decodes one frame of connection `connectionId`. `awaitingCreated` is true while the socket
 * waits for the session-created message: only then is one accepted, and only then is an
 * invalid one checked for a foreign schema hash.
 */
export function decodeFrame(w: Wire, data: unknown, connectionId: string, awaitingCreated: boolean): Decoded {
  const ctx = { connectionId };
  if (typeof data !== 'string') return { ok: false, error: new InvalidFrameError([], '[binary frame]', ctx) };
  const r = w.protocol.parse(data);
  if (!r.ok) {
    // A server on another schema may send a session-created message our validator rejects: say so clearly.
    const hash = awaitingCreated ? foreignSchemaHash(w, data) : undefined;
    const error = new InvalidFrameError(r.errors, data, ctx);
    return hash === undefined ? { ok: false, error } : { ok: false, error, mismatch: new ProtocolMismatchError(w.hash, hash, ctx) };
  }
  const msg = r.value as WireMessage;
  const type = typeOf(w, msg);
  const withId = { ...ctx, messageId: idOf(w, msg) };
  if (!isServerSendable(w, type)) {
    const issue = { path: tagPath(w), keyword: 'direction', message: `a server may not send ${type}`, params: { type } };
    return { ok: false, error: new InvalidFrameError([issue], data, withId) };
  }
  if (type === w.r.created && !awaitingCreated) {
    const issue = { path: tagPath(w), keyword: 'order', message: `a server sends ${type} once, as the first message of a connection`, params: { type } };
    return { ok: false, error: new InvalidFrameError([issue], data, withId) };
  }
  return { ok: true, msg };
}

/** What one frame asks the connection to do, in this order. */
export interface FramePlan {
  /** The frame was not valid (binary, not JSON, off-schema, wrong direction or order): counted, reported, never delivered. */
  invalid?: true;
  /** Fail the connection with this error (a foreign schema under the `fail` policy); nothing else happens. */
  fail?: ProtocolMismatchError;
  /** A session-created message: the connection sets up the session ({@link planCreated}). */
  created?: WireMessage;
  /** The correlation id of a pong, for the heartbeat. */
  pong?: string | undefined;
  /** A control frame to send now (the pong to a server ping). */
  reply?: WireMessage;
  /** Errors to report, in order. */
  reports: WsClientError[];
  /** The message to deliver to the app (after the reports). */
  deliver?: WireMessage;
  /** Set when this message ends the pending resume: its outcome (then the queue is flushed and the status is open). */
  resumeEnded?: ConnectionHealth['resume'];
}

/** Plans one inbound frame of connection `id`; updates the session bookkeeping (seq, resume, recovery). */
export function planFrame(w: Wire, data: unknown, id: string, awaitingCreated: boolean, failOnMismatch: boolean, session: SessionTracker, fill: Filler): FramePlan {
  const r = decodeFrame(w, data, id, awaitingCreated);
  if (!r.ok) {
    if (r.mismatch && failOnMismatch) return { invalid: true, fail: r.mismatch, reports: [] };
    return { invalid: true, reports: r.mismatch ? [r.mismatch, r.error] : [r.error] };
  }
  const msg = r.msg;
  const type = typeOf(w, msg);
  if (type === w.r.created) return { created: msg, reports: [] };
  const verdict = session.accept(read(msg, w.f.seq) as number | undefined);
  if (!verdict.deliver) return { reports: [] };
  const plan: FramePlan = { reports: [], deliver: msg };
  const ctx = { connectionId: id, messageId: idOf(w, msg) };
  if (verdict.gap) plan.reports.push(new RecoveryFailedError(verdict.gap.first, verdict.gap.last, ctx, 'gap_detected'));
  if (type === w.r.pong) plan.pong = idOf(w, msg);
  else if (type === w.r.ping && w.r.pong !== undefined) plan.reply = control(w, w.r.pong, [[w.f.id, idOf(w, msg)]], fill);
  else if (type === w.r.error && read(msg, w.f.errorCode) === 'RECOVERY_FAILED') {
    const rep = session.onRecoveryFailed(read(msg, w.f.errorDetails));
    plan.reports.push(new RecoveryFailedError(rep.firstMissing, rep.lastMissing, ctx, rep.reason));
  } else if (type === w.r.updated && session.endsResume(msg)) plan.resumeEnded = session.endResume(String(read(msg, w.f.status)));
  return plan;
}

/** What a session-created message asks for: errors to report and maybe a resume message to send first. */
export interface CreatedSetup {
  resume: WireMessage | null;
  reports: WsClientError[];
}

/**
 * Plans a session-created message of connection `id` (PROTOCOL.md, "Session resume"): lets the session
 * tracker decide between resume, new epoch and reset, and builds the resume message. Its schema hash may
 * differ from the client's: the server saw the client's version offer and chose to serve it (PROTOCOL.md
 * "Versions"), as it does for an older minor version.
 */
export function planCreated(w: Wire, msg: WireMessage, id: string, resume: boolean, session: SessionTracker, fill: Filler): CreatedSetup {
  const ctx = { connectionId: id };
  const reports: WsClientError[] = [];
  const sessionId = String(read(msg, w.f.sessionId));
  const plan = session.onCreated(msg, resume && w.r.resume !== undefined);
  if (plan.resetFrom !== null) reports.push(new SessionResetError(plan.resetFrom, sessionId, ctx));
  if (plan.epochLost) reports.push(new RecoveryFailedError(undefined, undefined, ctx, 'epoch_mismatch'));
  if (plan.resumeFrom === null || w.r.resume === undefined) return { resume: null, reports };
  const { lastSeq, epoch } = plan.resumeFrom;
  const message = control(w, w.r.resume, [[w.f.sessionId, sessionId], [w.f.lastSeq, lastSeq], [w.f.epoch, epoch]], fill);
  session.startResume(idOf(w, message) ?? '');
  return { resume: message, reports };
}
