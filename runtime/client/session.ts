/**
 * Server-session bookkeeping of one connection: the session id, the last seq
 * seen (duplicates are dropped), what a session_created means after a reconnect
 * (resume, or a reset when the server lost the history), and the resume outcome.
 */
import { SCHEMA_HASH, type WebSocketMessage } from '../../generated/ts/index.js';
import type { ConnectionHealth } from './health.js';

type Created = Extract<WebSocketMessage, { type: 'session_created' }>;

/** What a session_created asks the connection to do. */
export interface CreatedPlan {
  /** Send session_resume with this last_seq and epoch (null: send nothing). */
  resumeFrom: { lastSeq: number; epoch: string } | null;
  /** The previous session id when the server could not continue it (reset). */
  resetFrom: string | null;
}

/** Strips a `sha256:` prefix. */
export const stripHash = (h: string): string => h.replace(/^sha256:/, '');

/** Does this schema hash differ from the client's SCHEMA_HASH? */
export function isForeignHash(hash: string): boolean {
  return stripHash(hash) !== stripHash(SCHEMA_HASH);
}

/** The schema_hash of an (invalid) session_created frame when it differs from ours. */
export function foreignSchemaHash(text: string): string | undefined {
  if (!text.includes('session_created')) return undefined;
  try {
    const o = JSON.parse(text) as { type?: unknown; schema_hash?: unknown };
    if (o.type === 'session_created' && typeof o.schema_hash === 'string' && isForeignHash(o.schema_hash)) return o.schema_hash;
  } catch {
    /* not JSON */
  }
  return undefined;
}

/** Session state, kept in the connection's health record (sessionId, realm, lastSeq, resume, duplicatesDropped). */
export class SessionTracker {
  constructor(private readonly h: ConnectionHealth) {}

  /** Decides what a session_created means; updates session id, realm and the seq baseline. */
  onCreated(msg: Created, resume: boolean): CreatedPlan {
    const h = this.h;
    const prev = h.sessionId;
    const serverSeq = typeof msg.seq === 'number' ? msg.seq : 0;
    let plan: CreatedPlan;
    if (prev !== null && prev === msg.session_id && h.epoch !== null && h.epoch !== msg.epoch) {
      // Same session, but the server's stream is another instance (it restarted, or the history expired): our
      // seq means nothing there. Resume against our old epoch so that the server reports the loss explicitly
      // (RECOVERY_FAILED, epoch_mismatch), and count the new epoch from its start so its replay is delivered.
      plan = { resumeFrom: resume && h.lastSeq !== null ? { lastSeq: h.lastSeq, epoch: h.epoch } : null, resetFrom: null };
      h.resume = plan.resumeFrom !== null ? 'pending' : 'failed';
      h.lastSeq = 0;
    } else if (prev !== null && prev === msg.session_id && (h.lastSeq === null || serverSeq >= h.lastSeq)) {
      // Same session and stream, and the server still knows our history (its latest seq is not below ours).
      plan = { resumeFrom: resume && h.lastSeq !== null ? { lastSeq: h.lastSeq, epoch: msg.epoch } : null, resetFrom: null };
      if (plan.resumeFrom !== null) h.resume = 'pending';
    } else {
      // A first connect, a new session id, or the same id with a lower seq (the server lost the history):
      // what came before this connection is not ours to replay. The resume still tells the server where we
      // stand, so a server holding a rejoined stream goes live at once.
      if (prev !== null) h.resume = 'reset';
      h.lastSeq = serverSeq;
      plan = { resumeFrom: resume ? { lastSeq: serverSeq, epoch: msg.epoch } : null, resetFrom: prev };
    }
    h.sessionId = msg.session_id;
    h.epoch = msg.epoch;
    h.realm = msg.realm;
    return plan;
  }

  /** Accepts a server seq: false when it was already seen (the message must be dropped). */
  accept(seq: number | undefined): boolean {
    if (typeof seq !== 'number') return true;
    const h = this.h;
    if (h.lastSeq !== null && seq <= h.lastSeq) {
      h.duplicatesDropped++;
      return false;
    }
    h.lastSeq = seq;
    return true;
  }

  /** Feeds a session_updated status; returns the resume outcome when it settles a pending resume. */
  onUpdated(status: string): 'resumed' | 'failed' | null {
    if (this.h.resume !== 'pending' || (status !== 'resumed' && status !== 'resumed_with_gap')) return null;
    // resumed_with_gap follows an error_message RECOVERY_FAILED, which already reported the gap.
    this.h.resume = status === 'resumed' ? 'resumed' : 'failed';
    return this.h.resume;
  }

  /** Records a RECOVERY_FAILED. */
  onRecoveryFailed(): void {
    this.h.resume = 'failed';
  }
}
