/**
 * The resume capability (session-created, session-resume and session-updated
 * roles), a plugin: {@link resume}. PROTOCOL.md, "Session resume and delivery
 * guarantees". Per connection it waits for the session-created message after the
 * socket opens (status `authenticating`, bounded by `authTimeoutMs`), accepts it
 * only as the first message, tells a foreign schema from a broken frame, sends
 * the resume and waits for the `session_updated` that ends the replay (status
 * `resuming`, bounded by `resumeTimeoutMs` of silence), drops duplicate seqs,
 * reports gaps and RECOVERY_FAILED. The seq and session bookkeeping itself is
 * session.ts. Message names are the bundled protocol's; any protocol's roles play
 * these parts.
 */
import type { Capability, ConnectionHost, SessionsPart, SessionVerdict } from './capability.js';
import { InvalidFrameError, ProtocolMismatchError, RecoveryFailedError, SessionResetError, type WsClientError } from './errors.js';
import { foreignSchemaHash, SessionTracker } from './session.js';
import { NamedTimers } from './timers.js';
import type { SocketLike } from './transport.js';
import { control, idOf, read, tagPath, type Wire, type WireMessage } from './wire.js';

/**
 * The resume plugin. On a protocol with the session roles, a connection is `open` only once its session is
 * established and the replay of what it missed is over (the order of runtime/client/README.md, "Sessions,
 * resume and streaming"); inert without those roles.
 */
export function resume(): Capability {
  return { name: 'resume', connection: (host) => (host.wire.resume ? new Sessions(host) : undefined) };
}

/** The resume plugin's part of one connection. */
class Sessions implements SessionsPart {
  readonly #host: ConnectionHost;
  readonly #w: Wire;
  readonly #session: SessionTracker;
  readonly #timers: NamedTimers;
  /** The socket is open and the session-created message has not arrived yet. */
  #awaiting = false;

  constructor(host: ConnectionHost) {
    this.#host = host;
    this.#w = host.wire;
    this.#session = new SessionTracker(host.health, host.wire);
    this.#timers = new NamedTimers(host.clock);
  }

  opened(): void {
    const h = this.#host;
    this.#awaiting = true;
    this.#timers.arm('auth', h.options.authTimeoutMs, () => h.abandon(4002, `no ${this.#w.r.created} in time`));
    h.setStatus('authenticating');
  }

  progress(sock: SocketLike): void {
    if (this.#session.resuming) this.#armResumeTimer(sock);
  }

  mismatch(data: unknown): WsClientError | undefined {
    // A server on another schema may send a session-created message our validator rejects: say so clearly.
    const hash = this.#awaiting && typeof data === 'string' ? foreignSchemaHash(this.#w, data) : undefined;
    return hash === undefined ? undefined : new ProtocolMismatchError(this.#w.hash, hash, { connectionId: this.#host.id });
  }

  frame(sock: SocketLike, msg: WireMessage, type: string, data: string): SessionVerdict | undefined {
    const w = this.#w;
    const ctx = { connectionId: this.#host.id, messageId: idOf(w, msg) };
    if (type === w.r.created) {
      if (this.#awaiting) return this.#created(sock, msg);
      const issue = { path: tagPath(w), keyword: 'order', message: `a server sends ${type} once, as the first message of a connection`, params: { type } };
      return { drop: true, error: new InvalidFrameError([issue], data, ctx), reports: [] };
    }
    const s = this.#session;
    const verdict = s.accept(read(msg, w.f.seq) as number | undefined);
    if (!verdict.deliver) return { drop: true, reports: [] };
    const out: SessionVerdict = { reports: [] };
    if (verdict.gap) out.reports.push(new RecoveryFailedError(verdict.gap.first, verdict.gap.last, ctx, 'gap_detected'));
    if (type === w.r.error && read(msg, w.f.errorCode) === 'RECOVERY_FAILED') {
      const rep = s.onRecoveryFailed(read(msg, w.f.errorDetails));
      out.reports.push(new RecoveryFailedError(rep.firstMissing, rep.lastMissing, ctx, rep.reason));
    } else if (type === w.r.updated && s.endsResume(msg)) {
      this.#timers.clear('resume');
      out.resumeEnded = s.endResume(String(read(msg, w.f.status)));
    }
    return out;
  }

  stop(): void {
    this.#awaiting = false;
    this.#session.cancelResume();
    this.#timers.clear('auth', 'resume');
  }

  /**
   * The session-created message (PROTOCOL.md, "Session resume"): the tracker decides between resume, new
   * epoch and reset; then the session is established, the resume message sent, and only then the app
   * called back; then `resuming`, or `open` when there is nothing to replay. Its schema hash may differ
   * from the client's: the server saw the client's version offer and chose to serve it (PROTOCOL.md "Versions").
   */
  #created(sock: SocketLike, msg: WireMessage): undefined {
    const h = this.#host;
    const w = this.#w;
    const s = this.#session;
    this.#awaiting = false;
    this.#timers.clear('auth');
    const ctx = { connectionId: h.id };
    const reports: WsClientError[] = [];
    const sessionId = String(read(msg, w.f.sessionId));
    const plan = s.onCreated(msg, h.options.resume && w.r.resume !== undefined);
    if (plan.resetFrom !== null) reports.push(new SessionResetError(plan.resetFrom, sessionId, ctx));
    if (plan.epochLost) reports.push(new RecoveryFailedError(undefined, undefined, ctx, 'epoch_mismatch'));
    h.established(sock);
    if (plan.resumeFrom !== null && w.r.resume !== undefined) {
      const { lastSeq, epoch } = plan.resumeFrom;
      const message = control(w, w.r.resume, [[w.f.sessionId, sessionId], [w.f.lastSeq, lastSeq], [w.f.epoch, epoch]], h.fill);
      s.startResume(idOf(w, message) ?? '');
      h.sendControl(message);
      this.#armResumeTimer(sock);
    }
    // Callbacks from here on. Sends made in them are queued (the status is not open yet).
    if (!h.callBack(sock, reports, msg)) return;
    if (s.resuming) h.setStatus('resuming');
    else h.goOpen(sock, undefined);
  }

  #armResumeTimer(sock: SocketLike): void {
    const h = this.#host;
    this.#timers.arm('resume', h.options.resumeTimeoutMs, () => {
      if (!h.owns(sock) || !this.#session.resuming) return;
      const outcome = this.#session.abandonResume();
      const err = new RecoveryFailedError(undefined, undefined, { connectionId: h.id }, 'resume_timeout');
      if (h.callBack(sock, [err], undefined)) h.goOpen(sock, outcome);
    });
  }
}
