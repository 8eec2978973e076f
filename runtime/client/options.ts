/** Options and event types of a connection. */
import type { BackoffOptions } from './backoff.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import type { Clock, RandomSource } from './clock.js';
import type { DropReason, WsClientError } from './errors.js';
import type { ConnectionHealth, ConnectionStatus } from './health.js';
import { DEFAULT_HEARTBEAT, type HeartbeatOptions } from './heartbeat.js';
import type { Filler } from './messages.js';
import { DEFAULT_QUEUE, type QueueOptions } from './queue.js';
import type { WebSocketCtor } from './transport.js';
import type { Wire, WireMessage } from './wire.js';

/** A token, or a function called on every (re)connect that returns a fresh one. */
export type TokenSource = string | null | undefined | (() => string | null | undefined | Promise<string | null | undefined>);

/** Per-connection options (all optional; defaults in brackets). */
export interface ConnectionOptions {
  /** Session token or token provider [none]. */
  token?: TokenSource;
  /** How the token travels: in `Sec-WebSocket-Protocol` (default; see `tokenProtocols`) or as `?session_token=` (ends up in logs). */
  tokenIn?: 'protocol' | 'query';
  /** Subprotocols that carry the token [`t => ['wsgen.v1', 'wsgen.token.' + t]`: the server selects `wsgen.v1` and never echoes the token]. */
  tokenProtocols?: (token: string) => string[];
  /** Subprotocols offered when there is no token or it travels in the query [`['wsgen.v1']`]. */
  protocols?: string[];
  /** Reconnect backoff [{minDelayMs: 500, maxDelayMs: 30000}]. */
  backoff?: Partial<BackoffOptions>;
  /** Heartbeat [{intervalMs: 30000, timeoutMs: 10000}]. */
  heartbeat?: Partial<HeartbeatOptions>;
  /** Offline queue [{maxCount: 100, maxBytes: 262144, ttlMs: 60000, overflow: 'drop-newest'}]. */
  queue?: Partial<QueueOptions>;
  /** The backoff counter resets once a connection has stayed open this long, ms [5000]. */
  stableAfterMs?: number;
  /** How long to wait for session_created after the socket opens before giving up on it, ms [10000]. */
  authTimeoutMs?: number;
  /** Reconnect attempts in a row before giving up [Infinity]. */
  maxRetries?: number;
  /** Largest outbound message, bytes [65536]. */
  maxMessageBytes?: number;
  /** On a schema hash mismatch: `fail` closes and stops [default]; `warn` reports and goes on. */
  onSchemaMismatch?: 'fail' | 'warn';
  /**
   * Send session_resume on every connect [true]. The connection then reports `open` (and flushes its queue)
   * only after the session_updated that ends the replay. With `false` it is open as soon as session_created
   * arrives; nothing missed is replayed, and a seq jump is reported as a gap.
   */
  resume?: boolean;
  /**
   * The longest silence while waiting for the session_updated that ends a resume, ms [10000]. Every frame
   * received restarts it. When it passes, the resume counts as failed (RecoveryFailedError `resume_timeout`)
   * and the connection opens anyway: the wait is bounded, never a hang.
   */
  resumeTimeoutMs?: number;
  /**
   * Other URLs of the same endpoint on other server nodes that share sessions (runtime/server/README.md "Running N
   * nodes on one Redis") [none]. After a connection fails or is lost, each reconnect attempt dials the next URL of
   * `[url, ...failoverUrls]` in turn, so a client of a dead node resumes on another; it stays on a URL that works.
   */
  failoverUrls?: readonly string[];
}

/** A status change. */
export interface StatusEvent {
  /** Connection id. */
  connectionId: string;
  /** New status. */
  status: ConnectionStatus;
  /** Previous status. */
  previous: ConnectionStatus;
  /** Backoff attempt counter. */
  attempt: number;
  /** Delay before the next attempt (status reconnecting), ms. */
  delayMs?: number;
  /** Close code that caused the change, if any. */
  closeCode?: number;
  /** Why, in words. */
  reason?: string;
  /** The error that caused status failed. */
  error?: WsClientError;
  /** Outcome of the session resume (with status open, when a session_resume was sent on this connect). */
  resume?: ConnectionHealth['resume'];
}

/** Outcome of a send. */
export interface SendResult {
  /** sent now, queued for later, or dropped. */
  status: 'sent' | 'queued' | 'dropped';
  /** The message's correlation id (filled in when missing); a local id when its type has no correlation-id field. */
  messageId: string;
  /** Why it was dropped. */
  reason?: DropReason;
}

/** What a connection needs from its service. */
export interface ConnectionDeps {
  /** The protocol's view (names of roles and fields, capabilities). */
  wire: Wire;
  /** Fills the correlation id and the service's `fill` fields of outbound messages. */
  fill: Filler;
  /** Timers and the current time. */
  clock: Clock;
  /** Random source for jitter. */
  random: RandomSource;
  /** WebSocket constructor, if given. */
  WebSocket: WebSocketCtor | undefined;
  /** A server message was accepted. */
  onMessage(id: string, msg: WireMessage): void;
  /** The status changed. */
  onStatus(ev: StatusEvent): void;
  onError(err: WsClientError): void;
}

/** Connection options with every default filled in. */
export type ResolvedConnectionOptions = Required<Omit<ConnectionOptions, 'backoff' | 'heartbeat' | 'queue' | 'token'>> & {
  backoff: BackoffOptions;
  heartbeat: HeartbeatOptions;
  queue: QueueOptions;
  token: TokenSource;
};

/** The subprotocol of the wsgen protocol, selected by the server. */
export const SUBPROTOCOL = 'wsgen.v1';
/** Prefix of the subprotocol entry that carries the token. */
export const TOKEN_PROTOCOL_PREFIX = 'wsgen.token.';

/** `['wsgen.v1', 'wsgen.token.' + token]`. The token must be made of RFC 7230 token characters (base64url and JWTs are). */
export function defaultTokenProtocols(token: string): string[] {
  return [SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
}

/** Fills defaults into connection options. */
export function resolveOptions(o: ConnectionOptions = {}): ResolvedConnectionOptions {
  return {
    token: o.token,
    tokenIn: o.tokenIn ?? 'protocol',
    tokenProtocols: o.tokenProtocols ?? defaultTokenProtocols,
    protocols: o.protocols ?? [SUBPROTOCOL],
    backoff: { ...DEFAULT_BACKOFF, ...o.backoff },
    heartbeat: { ...DEFAULT_HEARTBEAT, ...o.heartbeat },
    queue: { ...DEFAULT_QUEUE, ...o.queue },
    stableAfterMs: o.stableAfterMs ?? 5_000,
    authTimeoutMs: o.authTimeoutMs ?? 10_000,
    maxRetries: o.maxRetries ?? Infinity,
    maxMessageBytes: o.maxMessageBytes ?? 64 * 1024,
    onSchemaMismatch: o.onSchemaMismatch ?? 'fail',
    resume: o.resume ?? true,
    resumeTimeoutMs: o.resumeTimeoutMs ?? 10_000,
    failoverUrls: o.failoverUrls ?? [],
  };
}


/**
 * Where and how a connection dials with `token`: the URL (with `?session_token=` when `tokenIn` is
 * `query`) and the subprotocols offered (`tokenProtocols(token)` when it travels in the
 * `Sec-WebSocket-Protocol` header, RFC 6455 §4.1; `protocols` otherwise).
 */
export function dialTarget(base: string, opts: ResolvedConnectionOptions, token: string | null | undefined): { url: string; protocols: string[] } {
  if (!token) return { url: base, protocols: [...opts.protocols] };
  if (opts.tokenIn === 'query') return { url: base + (base.includes('?') ? '&' : '?') + 'session_token=' + encodeURIComponent(token), protocols: [...opts.protocols] };
  return { url: base, protocols: opts.tokenProtocols(token) };
}
