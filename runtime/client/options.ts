/** Options and event types of a connection. */
import type { BackoffOptions } from './backoff.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import type { CapabilitySet } from './capability.js';
import type { Clock, RandomSource } from './clock.js';
import type { DropReason, WsClientError } from './errors.js';
import type { ConnectionHealth, ConnectionStatus } from './health.js';
import type { HeartbeatOptions } from './heartbeat.js';
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
  /**
   * On a schema mismatch the client detects itself (a session created message that this client's schema
   * refuses and that carries another schema hash): `fail` closes and stops [default]; `warn` reports and
   * goes on. A server refuses a version it does not serve with close 4504 instead, which always stops; a
   * valid session created message with another schema hash is a version the server chose to serve.
   */
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
  /** The service's capability plugins (capability.ts); each makes its part of the connection. */
  capabilities: CapabilitySet;
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
  /** An error to report. */
  onError(err: WsClientError): void;
}

/** Connection options with every default filled in. */
export type ResolvedConnectionOptions = Required<Omit<ConnectionOptions, 'backoff' | 'heartbeat' | 'queue' | 'token'>> & {
  backoff: BackoffOptions;
  /** Read by the heartbeat plugin, which fills its defaults. */
  heartbeat: Partial<HeartbeatOptions>;
  queue: QueueOptions;
  token: TokenSource;
};

/** The subprotocol of the wsgen protocol, selected by the server. */
export const SUBPROTOCOL = 'wsgen.v1';
/** Prefix of the subprotocol entry that carries the token. */
export const TOKEN_PROTOCOL_PREFIX = 'wsgen.token.';

/** Prefix of the subprotocol entry that announces the client's schema version (PROTOCOL.md "Versions"). */
export const VERSION_PROTOCOL_PREFIX = 'wsgen.version.';
/** Prefix of the subprotocol entry that announces the client's semantic schema hash. */
export const HASH_PROTOCOL_PREFIX = 'wsgen.hash.';

/**
 * The entries that announce a client's schema to the server: `wsgen.version.<x-wsgen-version>` and
 * `wsgen.hash.<semantic hash>`. The server serves an older minor version of its major, and closes with
 * 4504 PROTOCOL_MISMATCH (both versions in the reason) otherwise (PROTOCOL.md "Versions").
 */
export function schemaProtocols(schema: { version: string; schemaHash: string }): string[] {
  return [VERSION_PROTOCOL_PREFIX + schema.version, HASH_PROTOCOL_PREFIX + schema.schemaHash.replace(/^sha256:/, '')];
}

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
    heartbeat: o.heartbeat ?? {},
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
 * `Sec-WebSocket-Protocol` header, RFC 6455 §4.1; `protocols` otherwise), followed by the entries
 * of {@link schemaProtocols} for `schema` (the protocol descriptor's version and semantic hash).
 */
export function dialTarget(
  base: string,
  opts: ResolvedConnectionOptions,
  token: string | null | undefined,
  schema: { version: string; schemaHash: string },
): { url: string; protocols: string[] } {
  const announce = schemaProtocols(schema);
  if (!token) return { url: base, protocols: [...opts.protocols, ...announce] };
  if (opts.tokenIn === 'query') return { url: base + (base.includes('?') ? '&' : '?') + 'session_token=' + encodeURIComponent(token), protocols: [...opts.protocols, ...announce] };
  return { url: base, protocols: [...opts.tokenProtocols(token), ...announce] };
}
