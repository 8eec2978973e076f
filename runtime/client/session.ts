/**
 * Server-session bookkeeping of one connection (PROTOCOL.md, "Session resume and
 * delivery guarantees"): the session id and stream epoch, the last seq processed
 * (duplicates are dropped, jumps are gaps), what a session_created means after a
 * reconnect (resume, a new epoch, or a reset), the pending resume, and its outcome.
 */
import type { RecoveryFailure } from './errors.js';
import type { ConnectionHealth } from './health.js';
import { idOf, read, type Wire, type WireMessage } from './wire.js';

/** What a session_created asks the connection to do. */
export interface CreatedPlan {
  /** Send session_resume with this last_seq and epoch (null: send nothing). */
  resumeFrom: { lastSeq: number; epoch: string } | null;
  /** The previous session id when the server could not continue it (reset). */
  resetFrom: string | null;
  /** The stream is another epoch and no resume will make the server report the loss: the client reports it. */
  epochLost: boolean;
}

/** What {@link SessionTracker.accept} decided about a server message's seq. */
export interface SeqVerdict {
  /** Deliver the message (false: already processed, a duplicate). */
  deliver: boolean;
  /** Seqs skipped before this one that no RECOVERY_FAILED announced: a gap the client must report. */
  gap?: { first: number; last: number };
}

/** A RECOVERY_FAILED, read from its error_details. */
export interface RecoveryReport {
  firstMissing: number | undefined;
  lastMissing: number | undefined;
  reason: RecoveryFailure;
}

/** Strips a `sha256:` prefix. */
export const stripHash = (h: string): string => h.replace(/^sha256:/, '');

/** Does `hash` (a schema-hash field's value) differ from the protocol's? Undefined (no such field) never does. */
export function isForeignHash(w: Wire, hash: unknown): hash is string {
  return typeof hash === 'string' && stripHash(hash) !== w.hash;
}

/** The schema hash of an (invalid) session-created frame when it differs from the protocol's. */
export function foreignSchemaHash(w: Wire, text: string): string | undefined {
  const created = w.r.created;
  if (created === undefined || w.f.schemaHash === undefined || !text.includes(created)) return undefined;
  try {
    const o = JSON.parse(text) as WireMessage;
    const hash = o[w.f.schemaHash];
    if (o !== null && o[w.tag] === created && isForeignHash(w, hash)) return hash;
  } catch {
    /* not JSON */
  }
  return undefined;
}

const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : undefined);

/** Session state, kept in the connection's health record (sessionId, epoch, lastSeq, resume, duplicatesDropped, gapsDetected). */
export class SessionTracker {
  /** message_id of the session_resume whose session_updated has not arrived yet (null: no resume pending). */
  #resumeId: string | null = null;
  /** The seq range the server's last RECOVERY_FAILED announced as lost on this connection. */
  #announced: { first: number; last: number } | null = null;

  readonly #h: ConnectionHealth;
  readonly #w: Wire;

  /** Keeps its state in `h`, reading messages of protocol `w`. */
  constructor(h: ConnectionHealth, w: Wire) {
    this.#h = h;
    this.#w = w;
  }

  /** Decides what a session-created message means; updates session id, epoch and the seq baseline. */
  onCreated(created: WireMessage, resume: boolean): CreatedPlan {
    const h = this.#h;
    const prev = h.sessionId;
    const msg = { session_id: String(read(created, this.#w.f.sessionId)), epoch: String(read(created, this.#w.f.epoch)) };
    const s = read(created, this.#w.f.seq);
    const serverSeq = typeof s === 'number' ? s : 0;
    this.#resumeId = null;
    this.#announced = null;
    let plan: CreatedPlan;
    if (prev !== null && prev === msg.session_id && h.epoch !== null && h.epoch !== msg.epoch) {
      // Same session, but the server's stream is another instance (it restarted, or the history expired): our
      // seq means nothing there. Resume against our old epoch so that the server reports the loss explicitly
      // (RECOVERY_FAILED, epoch_mismatch), and count the new epoch from its start so its replay is delivered.
      const resumeFrom = resume && h.lastSeq !== null ? { lastSeq: h.lastSeq, epoch: h.epoch } : null;
      plan = { resumeFrom, resetFrom: null, epochLost: resumeFrom === null };
      h.resume = resumeFrom !== null ? 'pending' : 'failed';
      h.lastSeq = 0;
    } else if (prev !== null && prev === msg.session_id && (h.lastSeq === null || serverSeq >= h.lastSeq)) {
      // Same session and stream, and the server still knows our history (its latest seq is not below ours).
      plan = { resumeFrom: resume && h.lastSeq !== null ? { lastSeq: h.lastSeq, epoch: msg.epoch } : null, resetFrom: null, epochLost: false };
      if (plan.resumeFrom !== null) h.resume = 'pending';
    } else {
      // A first connect, a new session id, or the same id with a lower seq (the server lost the history):
      // what came before this connection is not ours to replay. The resume still tells the server where we
      // stand, so a server holding a rejoined stream goes live at once.
      if (prev !== null) h.resume = 'reset';
      h.lastSeq = serverSeq;
      plan = { resumeFrom: resume ? { lastSeq: serverSeq, epoch: msg.epoch } : null, resetFrom: prev, epochLost: false };
    }
    h.sessionId = msg.session_id;
    h.epoch = msg.epoch;
    return plan;
  }

  /** Records the session_resume just sent: until its session_updated arrives, the replay is running. */
  startResume(messageId: string): void {
    this.#resumeId = messageId;
  }

  /** Is a resume waiting for the session_updated that ends its replay? */
  get resuming(): boolean {
    return this.#resumeId !== null;
  }

  /**
   * Does this session_updated end the pending resume? It does when it echoes the resume's message_id, or,
   * from a server that echoes none, when its status is `resumed` or `resumed_with_gap`. A replayed
   * session_updated of an earlier resume carries that resume's message_id, so it never ends this one.
   */
  endsResume(msg: WireMessage): boolean {
    if (this.#resumeId === null) return false;
    const id = idOf(this.#w, msg);
    if (id !== undefined) return id === this.#resumeId;
    const status = read(msg, this.#w.f.status);
    return status === 'resumed' || status === 'resumed_with_gap';
  }

  /** Ends the pending resume with the server's status; returns the outcome (`failed` if anything was lost on the way). */
  endResume(status: string): ConnectionHealth['resume'] {
    this.#resumeId = null;
    if (this.#h.resume === 'pending') this.#h.resume = status === 'resumed' ? 'resumed' : 'failed';
    return this.#h.resume;
  }

  /** Gives up waiting for the end of the replay (timeout): the outcome is `failed`, as completeness is unknown. */
  abandonResume(): ConnectionHealth['resume'] {
    this.#resumeId = null;
    if (this.#h.resume === 'pending' || this.#h.resume === 'resumed') this.#h.resume = 'failed';
    return this.#h.resume;
  }

  /** Forgets a pending resume whose socket closed (the next connection resumes again). */
  cancelResume(): void {
    this.#resumeId = null;
  }

  /**
   * Checks a server seq against the last one processed: at or below it, a duplicate (dropped); above
   * last + 1, a gap unless the server's RECOVERY_FAILED announced exactly those seqs. Numbered messages of
   * one epoch are consecutive (connection-level replies carry no seq; progress_update is dropped before it
   * takes one), so any other jump means lost messages, and the resume outcome becomes `failed`.
   */
  accept(seq: number | undefined): SeqVerdict {
    if (typeof seq !== 'number') return { deliver: true };
    const h = this.#h;
    const last = h.lastSeq;
    if (last !== null && seq <= last) {
      h.duplicatesDropped++;
      return { deliver: false };
    }
    h.lastSeq = seq;
    if (last === null || seq === last + 1) return { deliver: true };
    const gap = { first: last + 1, last: seq - 1 };
    const a = this.#announced;
    if (a !== null && a.first <= gap.first && a.last >= gap.last) return { deliver: true };
    h.gapsDetected++;
    if (h.resume === 'pending' || h.resume === 'resumed') h.resume = 'failed';
    return { deliver: true, gap };
  }

  /**
   * Records a RECOVERY_FAILED: the resume outcome becomes `failed`; a numbered range is remembered so the
   * jump over it is not reported twice; `epoch_mismatch` counts the current epoch from 0 (the server replays
   * it from its start) and `last_seq_ahead` from the server's `latest_seq` (it replays nothing).
   */
  onRecoveryFailed(details: unknown): RecoveryReport {
    const d = (typeof details === 'object' && details !== null ? details : {}) as Record<string, unknown>;
    const firstMissing = num(d['first_missing']);
    const lastMissing = num(d['last_missing']);
    const latest = num(d['latest_seq']);
    this.#h.resume = 'failed';
    let reason: RecoveryFailure = 'missing';
    if (d['reason'] === 'epoch_mismatch') {
      reason = 'epoch_mismatch';
      this.#h.lastSeq = 0;
    } else if (d['reason'] === 'last_seq_ahead') {
      reason = 'last_seq_ahead';
      if (latest !== undefined) this.#h.lastSeq = latest;
    }
    if (firstMissing !== undefined && lastMissing !== undefined) this.#announced = { first: firstMissing, last: lastMissing };
    return { firstMissing, lastMissing, reason };
  }
}
