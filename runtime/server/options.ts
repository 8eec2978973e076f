// Server options and their defaults.
import type { AgentHandler } from './chat.js';
import type { ReplayLimits } from './sessions.js';
import type { Endpoint, Logger, SessionInfo, SessionValidator } from './types.js';
import type { AgentType, PillarType } from '../../generated/ts/index.js';

/** Rate limit of inbound frames per connection (a token bucket). */
export interface RateLimitOptions {
  /** Burst size (default 50). */
  capacity: number;
  /** Sustained frames per second (default 20). */
  refillPerSecond: number;
  /** Consecutive refused frames after which the connection is closed with RATE_LIMIT_EXCEEDED 4503 (default 20). */
  closeAfter: number;
}

/** Send-buffer budgets (backpressure). */
export interface BackpressureOptions {
  /** bufferedAmount above which low-priority messages are dropped (default 256 KiB). */
  softBytes: number;
  /** bufferedAmount above which the client is closed with SLOW_CONSUMER 4001 (default 1 MiB). */
  hardBytes: number;
  /** Types dropped first (default ["progress_update"]). */
  lowPriorityTypes: readonly string[];
}

/** Graceful shutdown. */
export interface ShutdownOptions {
  /** Close code sent to clients: 1012 (restart, default) or 1001 (going away). */
  code: 1001 | 1012;
  /** Closes are spread uniformly over this window, in ms (default 1 000). */
  jitterMs: number;
  /** Connections still open after this many ms are terminated (default 5 000). */
  deadlineMs: number;
}

/** Options of {@link makeServer}. Every field but `validator` has a default. */
export interface ServerOptions {
  /** Validates handshake tokens ("Traffic Cop"). Required. */
  validator: SessionValidator;
  /** Agent handlers by agent type (the guide, or a liaison agent). */
  agents?: Partial<Record<AgentType, AgentHandler>>;
  /** Agent handlers by liaison pillar (take precedence over `agents`). */
  pillars?: Partial<Record<PillarType, AgentHandler>>;
  /** Allowed Origin values; when set, a browser from another origin is refused with 403. */
  allowedOrigins?: readonly string[];
  /** Whether a session may use an endpoint (default: permissions '*', the endpoint key, or 'liaison:*'). */
  authorize?: (session: SessionInfo, endpoint: Endpoint) => boolean;
  /** Largest inbound frame in bytes; bigger frames close with 1009 (default 64 KiB). */
  maxPayload?: number;
  /** Per-connection rate limit, or false to disable. */
  rateLimit?: Partial<RateLimitOptions> | false;
  /** Most open connections per user; going over closes the new one with TOO_MANY_CONNECTIONS 4502 (default 16). */
  maxConnectionsPerUser?: number;
  /** Transport ping interval in ms; a connection silent for two intervals is terminated (default 30 000; 0 disables). */
  heartbeatIntervalMs?: number;
  /** Deadline of an agent reply (and of each next stream chunk), in ms (default 30 000). */
  handlerTimeoutMs?: number;
  /** Most requests handled at once per session stream (default 16). */
  maxInFlight?: number;
  /** Replay buffer bounds per session stream. */
  replay?: Partial<ReplayLimits>;
  /** How long a session stream without connection is kept for a resume, in ms (default 120 000). */
  detachedTtlMs?: number;
  /** After a reconnect, how long live messages wait for session_resume before being flushed, in ms (default 5 000). */
  resumeWaitMs?: number;
  /** Send-buffer budgets. */
  backpressure?: Partial<BackpressureOptions>;
  /** Graceful shutdown. */
  shutdown?: Partial<ShutdownOptions>;
  /** Structured logger (default: silent). */
  logger?: Logger;
  /**
   * Validate every outbound message with the generated validator; an invalid one is not sent (the send throws, an
   * agent's reply becomes AGENT_ERROR) and is logged as invalid_outbound. Default: on, unless NODE_ENV is
   * "production" (about one validator call per message).
   */
  validateOutbound?: boolean;
  /** Whether handler error texts reach clients (default false). */
  exposeErrors?: boolean;
  /** Prefix of metric names (default "wsgen_"). */
  metricsPrefix?: string;
  /** Called at shutdown with every session stream's buffered messages, before they are freed (persist them for a successor). */
  onFlush?: (streams: FlushedStream[]) => void | Promise<void>;
}

/** One stream's buffer handed to `onFlush` at shutdown. */
export interface FlushedStream {
  sessionId: string;
  endpoint: string;
  /** The stream's epoch: `seq` and the messages' seqs count in it (a successor must keep it to resume them). */
  epoch: string;
  seq: number;
  /** Serialized messages, oldest first. */
  messages: string[];
}

/** Options with every default applied. */
export interface ResolvedOptions {
  maxPayload: number;
  rateLimit: RateLimitOptions | false;
  maxConnectionsPerUser: number;
  heartbeatIntervalMs: number;
  handlerTimeoutMs: number;
  maxInFlight: number;
  replay: ReplayLimits;
  detachedTtlMs: number;
  resumeWaitMs: number;
  backpressure: BackpressureOptions;
  shutdown: ShutdownOptions;
  /** Whether outbound messages are validated (the option, else NODE_ENV !== "production"). */
  validateOutbound: boolean;
}

/** Applies the defaults. */
export function resolveOptions(o: ServerOptions): ResolvedOptions {
  return {
    maxPayload: o.maxPayload ?? 64 * 1024,
    rateLimit: o.rateLimit === false ? false : { capacity: 50, refillPerSecond: 20, closeAfter: 20, ...o.rateLimit },
    maxConnectionsPerUser: o.maxConnectionsPerUser ?? 16,
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 30_000,
    handlerTimeoutMs: o.handlerTimeoutMs ?? 30_000,
    maxInFlight: o.maxInFlight ?? 16,
    replay: { maxMessages: 256, maxBytes: 256 * 1024, ttlMs: 60_000, ...o.replay },
    detachedTtlMs: o.detachedTtlMs ?? 120_000,
    resumeWaitMs: o.resumeWaitMs ?? 5_000,
    backpressure: { softBytes: 256 * 1024, hardBytes: 1024 * 1024, lowPriorityTypes: ['progress_update'], ...o.backpressure },
    shutdown: { code: 1012, jitterMs: 1_000, deadlineMs: 5_000, ...o.shutdown },
    validateOutbound: o.validateOutbound ?? (typeof process === 'undefined' || process.env['NODE_ENV'] !== 'production'),
  };
}
