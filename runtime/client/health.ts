/** Per-connection health: status, RTT, reconnects, traffic and queue. */

/** Lifecycle of a connection. */
export type ConnectionStatus =
  /** Created, never opened. */
  | 'idle'
  /** A socket is being opened (token being fetched, TCP/TLS/upgrade in progress). */
  | 'connecting'
  /** The socket is open; waiting for session_created. */
  | 'authenticating'
  /**
   * session_created received and session_resume sent: the server replays what was missed. Sends are
   * queued until the session_updated that ends the replay (or `resumeTimeoutMs` of silence).
   */
  | 'resuming'
  /** The session is established and the replay is over; the queue has been flushed; sends go straight out. */
  | 'open'
  /** Waiting for the backoff delay before the next attempt. */
  | 'reconnecting'
  /** Closed by the app (disconnect). */
  | 'closed'
  /** Closed for good: terminal close code, auth failure, protocol mismatch or maxRetries. */
  | 'failed';

/** A snapshot of one connection's health. */
export interface ConnectionHealth {
  /** Connection id (`guide`, `liaison:content`, ...). */
  id: string;
  /** Endpoint URL (without token) of the current or latest dial: after a failover, the `failoverUrls` entry in use. */
  url: string;
  /** Current status. */
  status: ConnectionStatus;
  /** Server session id, once known. */
  sessionId: string | null;
  /** Epoch of the session's stream (from session_created): lastSeq counts within it. */
  epoch: string | null;
  /** Highest seq received. */
  lastSeq: number | null;
  /** Last ping/pong round trip, ms. */
  rttMs: number | null;
  /** Exponential moving average of the RTT (α = 0.2), ms. */
  avgRttMs: number | null;
  /** Successful reconnections (open again after a drop). */
  reconnectCount: number;
  /** Reconnect attempts scheduled after drops. */
  reconnectAttempts: number;
  /** Sockets opened in total. */
  connectAttempts: number;
  /** When the last frame arrived (clock ms). */
  lastMessageAt: number | null;
  /** When the connection last became open (clock ms). */
  connectedAt: number | null;
  /** Messages waiting in the queue. */
  queued: number;
  /** Bytes waiting in the queue. */
  queuedBytes: number;
  /** Bytes received (UTF-8 of text frames). */
  bytesIn: number;
  /** Bytes sent. */
  bytesOut: number;
  /** Frames received. */
  messagesIn: number;
  /** Frames sent. */
  messagesOut: number;
  /** Server messages dropped as already seen (seq <= lastSeq). */
  duplicatesDropped: number;
  /** Seq jumps (seq > lastSeq + 1) that no RECOVERY_FAILED announced: each was reported as a RecoveryFailedError (gap_detected). */
  gapsDetected: number;
  /** Inbound frames rejected by the validator. */
  invalidFrames: number;
  /** Code of the last close. */
  lastCloseCode: number | null;
  /** Text of the last error. */
  lastError: string | null;
  /**
   * Outcome of the last session resume: `none` (first connect, or resume off), `pending` (replay running),
   * `resumed` (every missed message was replayed), `failed` (something was lost and reported:
   * RECOVERY_FAILED, a new epoch, a seq gap, or no end of the replay in time), `reset` (a new session).
   */
  resume: 'none' | 'pending' | 'resumed' | 'failed' | 'reset';
}

/** A health record for a new connection. */
export function emptyHealth(id: string, url: string): ConnectionHealth {
  return {
    id,
    url,
    status: 'idle',
    sessionId: null,
    epoch: null,
    lastSeq: null,
    rttMs: null,
    avgRttMs: null,
    reconnectCount: 0,
    reconnectAttempts: 0,
    connectAttempts: 0,
    lastMessageAt: null,
    connectedAt: null,
    queued: 0,
    queuedBytes: 0,
    bytesIn: 0,
    bytesOut: 0,
    messagesIn: 0,
    messagesOut: 0,
    duplicatesDropped: 0,
    gapsDetected: 0,
    invalidFrames: 0,
    lastCloseCode: null,
    lastError: null,
    resume: 'none',
  };
}
