// Server options and their defaults.
import type { ConnectionContext } from './connection.js';
import type { RepliesOf, ReplyTypes, UntypedReplies } from './reply-types.js';
import type { ClientType, MessageOf, ProtocolDescriptor } from './descriptor.js';
import type { EndpointOf, EndpointSpecs, TypedEndpoint } from './endpoints.js';
import type { Decorate, Message } from './roles.js';
import type { ReplayLimits, SessionBackend, SessionStoreOptions, Stream } from './sessions.js';
import type { Endpoint, Logger, SessionInfo, SessionValidator } from './types.js';

/**
 * Handles one validated client message of type `M` on a connection whose endpoint is `EP` (its path parameters
 * typed by their enums, see {@link EndpointOf}), replying as `R` says (`RepliesOf<P>` in {@link MessageHandlers}: `reply` and `replyStream` typed by the protocol). `now` is the frame's clock reading (epoch ms); its monotonic reading, from which a handler may time itself, is `connection.clock.frameAt` (performance.now() ms; frames of one socket read may share a reading, clock.ts). A thrown error or
 * rejected promise becomes an INTERNAL_ERROR reply (error role) and a `handler_error` log line; a promise still
 * pending after `handlerTimeoutMs` gets the timeout reply (see {@link ServerOptions.handlerTimeoutMs}).
 */
export type MessageHandler<M, EP extends TypedEndpoint = Endpoint, R extends ReplyTypes = UntypedReplies> = (
  msg: M,
  connection: ConnectionContext<EP, R>,
  now: number,
) => void | Promise<void>;

/**
 * Handlers by client message type, typed by the descriptor (a misspelt type or a server-only type is a compile
 * error) and, with `E`, by the endpoints (each handler's `connection.endpoint` is {@link EndpointOf}).
 */
export type MessageHandlers<P extends ProtocolDescriptor, E extends EndpointSpecs<P> = EndpointSpecs<P>> = {
  readonly [K in ClientType<P>]?: MessageHandler<MessageOf<P, K>, EndpointOf<P, E>, RepliesOf<P>>;
};

/** A refusal of one message by {@link ServerOptions.inspect}: an error code of the protocol and a text. */
export interface Refusal {
  readonly code: string;
  readonly text: string;
}

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
  /** Types dropped first (default: the protocol's types of priority low). */
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

/**
 * Options of {@link makeServer}: `protocol`, `endpoints` and `validator` are required, the rest has defaults. `E`
 * (inferred from `endpoints`) types the endpoint every handler sees.
 */
export interface ServerOptions<P extends ProtocolDescriptor = ProtocolDescriptor, E extends EndpointSpecs<P> = EndpointSpecs<P>> {
  /** The generated protocol descriptor (`protocol` of generated/ts/index). Everything the core knows of the protocol. */
  protocol: P;
  /**
   * Endpoints by name; path parameters range over an enum of the protocol (`{ path: '/rooms/{room}', params: { room:
   * 'Room' } }`): a request for a value outside it is refused with 404, and handlers see `params.room` typed by it.
   */
  endpoints: E;
  /** Handlers by client message type. Role messages (ping, resume) are answered by the runtime and take no handler. */
  handlers?: MessageHandlers<P, E>;
  /** Validates handshake tokens ("Traffic Cop"). Required. */
  validator: SessionValidator;
  /** Adds the application's fields (a timestamp, a realm…) to the messages the runtime builds itself. */
  decorate?: Decorate;
  /**
   * Fields every copy of a `publish` carries for its connection's session (the bundled chat app: `{ realm }`),
   * merged over the message. Run by the node that holds the connection, for its own publishes and the other nodes'
   * alike, so that a copy is the same whichever node published it (a shared store carries only the message;
   * Python's `Application.session_fields` is the same rule). Every node of a cluster must set the same one.
   */
  sessionFields?: (session: SessionInfo) => Readonly<Record<string, unknown>>;
  /** Checks every valid client message before routing (after the direction and session-id checks); a refusal is answered as an error reply. */
  inspect?: (msg: Message, connection: ConnectionContext) => Refusal | undefined;
  /** Called when the work of a stream (or, without one, of the whole server) must stop: session expiry, shutdown. */
  onAbort?: (stream?: Stream) => void;
  /** Requests being handled, for the health endpoint (default 0). */
  inFlight?: () => number;
  /**
   * Whether the server times every handler into `handler_duration_seconds{agent, outcome}` with `agent` the message
   * type (default true): from the frame's arrival to the handler's return (`ok`) or throw (`error`), or, for a
   * promise, to its settling (`ok`, `error`) or deadline (`timeout`). False for an application that times its
   * handlers itself under its own labels (the bundled chat app: by agent), so that a message is observed once.
   */
  handlerMetrics?: boolean;
  /** Creates the session store (default: the in-memory `SessionStore`); the seam for a shared one. */
  sessionStore?: (o: SessionStoreOptions) => SessionBackend;
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
  /** Structured logger (default: `defaultLogger`, warn and error events as JSON lines on stderr; `silentLogger` drops all). */
  logger?: Logger;
  /**
   * Validate every outbound message with the descriptor's validator; an invalid one is not sent (the send throws, a
   * handler's reply becomes an error) and is logged as invalid_outbound. Default: on, unless NODE_ENV or
   * WSGEN_ENV is "production" ({@link validateOutboundByDefault}; about one validator call per message).
   */
  validateOutbound?: boolean;
  /** Whether handler error texts reach clients (default false). */
  exposeErrors?: boolean;
  /**
   * Deadline of a handler's promise in ms (default 30 000; 0: none). Past it the request gets an error reply with
   * `handlerTimeoutCode` in the session stream and leaves its stream's in-flight count; a stream reply it is still
   * sending stops (each chunk moves the deadline on). A handler that returns no promise has no deadline (its duration is still observed, see `handlerMetrics`).
   */
  handlerTimeoutMs?: number;
  /** Error code of the timeout reply: one of the protocol's error codes (default INTERNAL_ERROR). */
  handlerTimeoutCode?: string;
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
  replay: ReplayLimits;
  detachedTtlMs: number;
  resumeWaitMs: number;
  backpressure: BackpressureOptions;
  shutdown: ShutdownOptions;
  /** Whether outbound messages are validated (the option, else NODE_ENV !== "production"). */
  validateOutbound: boolean;
  /** Deadline of a handler's promise in ms (0: none). */
  handlerTimeoutMs: number;
  /** Error code of the timeout reply. */
  handlerTimeoutCode: string;
}

/**
 * The default of `validateOutbound`, the same rule as the Python server's `ServerOptions.validate_outbound`:
 * on unless `NODE_ENV` or `WSGEN_ENV` is `production` in `env` (read when the options are resolved; no
 * `process`, as in a browser: on).
 */
export function validateOutboundByDefault(env: Readonly<Record<string, string | undefined>>): boolean {
  return env['NODE_ENV'] !== 'production' && env['WSGEN_ENV'] !== 'production';
}

/** Applies the defaults; `lowPriority` is the default of backpressure.lowPriorityTypes (the protocol's low types). */
export function resolveOptions(o: Partial<ServerOptions>, lowPriority: readonly string[] = []): ResolvedOptions {
  return {
    maxPayload: o.maxPayload ?? 64 * 1024,
    rateLimit: o.rateLimit === false ? false : { capacity: 50, refillPerSecond: 20, closeAfter: 20, ...o.rateLimit },
    maxConnectionsPerUser: o.maxConnectionsPerUser ?? 16,
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 30_000,
    replay: { maxMessages: 256, maxBytes: 256 * 1024, ttlMs: 60_000, ...o.replay },
    detachedTtlMs: o.detachedTtlMs ?? 120_000,
    resumeWaitMs: o.resumeWaitMs ?? 5_000,
    backpressure: { softBytes: 256 * 1024, hardBytes: 1024 * 1024, lowPriorityTypes: lowPriority, ...o.backpressure },
    shutdown: { code: 1012, jitterMs: 1_000, deadlineMs: 5_000, ...o.shutdown },
    validateOutbound: o.validateOutbound ?? validateOutboundByDefault(typeof process === 'undefined' ? {} : process.env),
    handlerTimeoutMs: o.handlerTimeoutMs ?? 30_000,
    handlerTimeoutCode: o.handlerTimeoutCode ?? 'INTERNAL_ERROR',
  };
}
