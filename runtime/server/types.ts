// Shared types of the server runtime: the transport-facing socket interface,
// the authenticated session, endpoints and the logger. No message shapes are
// defined here: those come from the protocol descriptor only.

/**
 * What the transport-agnostic core needs from one WebSocket. The `ws` adapter
 * (ws.ts) implements it; another transport (uWebSockets.js, a FastAPI bridge)
 * implements the same four members and reuses the whole core.
 */
export interface TransportSocket {
  /** Sends one text frame. Must not throw when the socket is closing. */
  send(text: string): void;
  /** Starts a closing handshake with `code` and a reason of at most 123 bytes. */
  close(code: number, reason: string): void;
  /** Destroys the socket at once (no closing handshake). */
  terminate(): void;
  /** Sends a transport-level ping frame (heartbeat); a no-op where the transport has none. */
  ping(): void;
  /** Bytes queued for sending but not yet written to the network. */
  readonly bufferedAmount: number;
  /** Optional: holds this socket's writes until the next tick, then writes them at once (a batch of sends). */
  cork?(): void;
}

/**
 * One concrete endpoint of the server: an endpoint declared in the `endpoints` option with its path parameters
 * bound (for example name `liaison`, params `{pillar: 'content'}`, path `/api/ws/liaison/content`).
 */
export interface Endpoint {
  /** `name`, then `:value` per path parameter in path order (`guide`, `liaison:content`): the permission and stream key. */
  readonly key: string;
  /** The name the endpoint was declared under. */
  readonly name: string;
  /** The concrete request path. */
  readonly path: string;
  /** The bound path parameters. */
  readonly params: Readonly<Record<string, string>>;
}

/** What a session validator learns about a valid token. */
export interface SessionInfo {
  /** The session id (stable across reconnects with the same token). */
  readonly sessionId: string;
  /** The user who owns the session. */
  readonly userId: string;
  /** The tenant of the user; connections of other tenants never see this session's messages. */
  readonly tenant: string;
  /** The realm (isolation scope) of the session; connections of other realms never see its messages. */
  readonly realm: string;
  /** Permission strings, for example `'*'`, `'guide'` or `'liaison:content'`. */
  readonly permissions: readonly string[];
  /** When the session expires (epoch milliseconds); absent means it does not expire. */
  readonly expiresAt?: number;
}

/** The answer of a session validator: a session, or a rejection with a reason (never containing the token). */
export type SessionValidation = { readonly ok: true; readonly session: SessionInfo } | { readonly ok: false; readonly reason: string };

/** Pluggable session validation ("Traffic Cop"): turns a token into a session, or refuses it. */
export interface SessionValidator {
  /** Validates a token. May be async (a database or a remote call). Must not log the token. */
  validateSession(token: string): SessionValidation | Promise<SessionValidation>;
}

/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured fields of one log line. Never put a token here. */
export type LogFields = Record<string, unknown>;

/** A pluggable structured logger: one event name plus fields per line. */
export interface Logger {
  /** Writes one structured log line. */
  log(level: LogLevel, event: string, fields?: LogFields): void;
}
