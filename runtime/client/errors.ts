/**
 * Typed errors of the client runtime. Every error carries a stable `code`,
 * the connection id and message_id when they are known, and a `hint` that
 * says what to do about it.
 */
import type { ValidationIssue } from './protocol.js';

/**
 * Stable codes of {@link WsClientError}. Never renamed: apps may switch on them. (The classes below
 * spell them as literals, so a bundle that does not import this table does not carry it.)
 */
export const ClientErrorCode = {
  /** An outbound message broke the schema (or its type may not be sent by a client). Nothing was sent. */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** An outbound message is larger than `maxMessageBytes`. Nothing was sent. */
  MESSAGE_TOO_LARGE: 'MESSAGE_TOO_LARGE',
  /** An inbound frame was not valid JSON, broke the schema, or had a client-only type. It was not delivered. */
  INVALID_FRAME: 'INVALID_FRAME',
  /** The server refused the token (HTTP 401/403 before the upgrade, or close 4500/4501). Retrying stopped. */
  AUTH_FAILED: 'AUTH_FAILED',
  /** The server's schema hash differs from the client's, or the server closed with 4504. */
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  /** Missed server messages are lost: the server said so (RECOVERY_FAILED), or the client saw a seq gap or no end of the replay. */
  RECOVERY_FAILED: 'RECOVERY_FAILED',
  /** After a reconnect the server opened a new session (for example it restarted): messages of the old one may be lost. */
  SESSION_RESET: 'SESSION_RESET',
  /** A queued message was dropped (overflow, TTL, or the connection was released or failed). */
  MESSAGE_DROPPED: 'MESSAGE_DROPPED',
  /** `request()` got no reply within its timeout, or a started stream sent nothing for the streams plugin's idle limit. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** The server answered with an error_message. */
  SERVER_ERROR: 'SERVER_ERROR',
  /** The connection closed for good (a terminal close code, `maxRetries` reached, or `disconnect()`). */
  CONNECTION_CLOSED: 'CONNECTION_CLOSED',
  /** No connection has this id. */
  UNKNOWN_CONNECTION: 'UNKNOWN_CONNECTION',
  /** No WebSocket implementation was found (neither a global WebSocket nor the `ws` package). */
  TRANSPORT_UNAVAILABLE: 'TRANSPORT_UNAVAILABLE',
  /** A subscriber threw; the error was caught so the other subscribers still ran. */
  HANDLER_ERROR: 'HANDLER_ERROR',
  /** A call the client cannot serve as made (for example `request()` without the `requests()` plugin): a programming error, in `cause`. */
  USAGE_ERROR: 'USAGE_ERROR',
} as const;

/** One of {@link ClientErrorCode}. */
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** Context shared by every client error. */
export interface ClientErrorContext {
  /** The connection the error belongs to, if any. */
  connectionId?: string | undefined;
  /** The message_id involved, if any. */
  messageId?: string | undefined;
  /** What to do about it. */
  hint?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/** Base class of every error the client runtime raises or reports. */
export class WsClientError extends Error {
  /** The class name as a literal, so that it survives minification (`new.target.name` does not). */
  override name = 'WsClientError';
  /** Stable machine-readable code. */
  readonly code: ClientErrorCode;
  /** The connection the error belongs to, if known. */
  readonly connectionId: string | undefined;
  /** The message_id involved, if known. */
  readonly messageId: string | undefined;
  /** A sentence telling the developer what to do. */
  readonly hint: string;

  constructor(code: ClientErrorCode, message: string, ctx: ClientErrorContext = {}) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.code = code;
    this.connectionId = ctx.connectionId;
    this.messageId = ctx.messageId;
    this.hint = ctx.hint ?? '';
  }
}

/** An outbound message failed validation; nothing was sent. */
export class InvalidMessageError extends WsClientError {
  override name = 'InvalidMessageError';
  /** What the generated validator reported. */
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], ctx: ClientErrorContext = {}) {
    const first = issues[0];
    super('INVALID_MESSAGE', `invalid outbound message: ${first ? `${first.path || '/'} ${first.message}` : 'unknown problem'}`, {
      hint: 'Fix the message so it matches the schema (see issues).',
      ...ctx,
    });
    this.issues = issues;
  }
}

/** An outbound message is larger than the configured limit; nothing was sent. */
export class MessageTooLargeError extends WsClientError {
  override name = 'MessageTooLargeError';
  /** Size of the serialized message in bytes. */
  readonly bytes: number;
  /** The limit. */
  readonly limit: number;
  constructor(bytes: number, limit: number, ctx: ClientErrorContext = {}) {
    super('MESSAGE_TOO_LARGE', `message is ${bytes} bytes, over the ${limit}-byte limit`, {
      hint: 'Split the payload or raise maxMessageBytes (the server closes with 1009 above its own limit).',
      ...ctx,
    });
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** An inbound frame was rejected and not delivered to subscribers. */
export class InvalidFrameError extends WsClientError {
  override name = 'InvalidFrameError';
  /** Validation issues (empty when the frame was binary). */
  readonly issues: readonly ValidationIssue[];
  /** The first 200 characters of the frame. */
  readonly preview: string;
  constructor(issues: readonly ValidationIssue[], preview: string, ctx: ClientErrorContext = {}) {
    const first = issues[0];
    super('INVALID_FRAME', `invalid frame from server: ${first ? `${first.path || '/'} ${first.message}` : 'binary frames are not part of the protocol'}`, {
      hint: 'The server sent something outside the protocol; check that both sides were generated from the same schema.',
      ...ctx,
    });
    this.issues = issues;
    this.preview = preview.slice(0, 200);
  }
}

/** The server refused the credentials; the connection stops retrying. */
export class AuthError extends WsClientError {
  override name = 'AuthError';
  /** HTTP status of the refused upgrade (Node only; browsers see 1006). */
  readonly httpStatus: number | undefined;
  /** Close code, when the server closed an open connection. */
  readonly closeCode: number | undefined;
  constructor(detail: { httpStatus?: number | undefined; closeCode?: number | undefined }, ctx: ClientErrorContext = {}) {
    const what = detail.httpStatus !== undefined ? `HTTP ${detail.httpStatus}` : `close ${detail.closeCode ?? '?'}`;
    super('AUTH_FAILED', `authentication failed (${what}); not retrying`, {
      hint: 'Get a fresh session token and call connect again (a token provider function is called on every reconnect).',
      ...ctx,
    });
    this.httpStatus = detail.httpStatus;
    this.closeCode = detail.closeCode;
  }
}

/** The two versions of a 4504 refusal, read from its close reason (PROTOCOL.md "Versions"). */
export interface VersionRefusal {
  /** The server's schema version (`x-wsgen-version`). */
  serverVersion: string;
  /** The version the server read from this client's offer. */
  clientVersion: string;
  /** Why the server refused it (`major versions differ`, ...). */
  why: string;
}

/**
 * Reads a 4504 close reason of the form `server=<version> client=<version>: <why>`; undefined for any
 * other reason (a server that gives none, or its own words).
 */
export function parseVersionRefusal(reason: string): VersionRefusal | undefined {
  const m = /^server=([0-9A-Za-z.+~?-]+) client=([0-9A-Za-z.+~?-]+): (.*)$/s.exec(reason);
  return m ? { serverVersion: m[1]!, clientVersion: m[2]!, why: m[3]! } : undefined;
}

/**
 * Client and server were generated from schemas that cannot work together: the server closed with 4504
 * (its reason names both versions when it follows PROTOCOL.md "Versions"), or its session created message
 * breaks this client's schema and carries another schema hash.
 */
export class ProtocolMismatchError extends WsClientError {
  override name = 'ProtocolMismatchError';
  /** SCHEMA_HASH of this client. */
  readonly clientHash: string;
  /** schema_hash the server announced (empty when it closed with 4504). */
  readonly serverHash: string;
  /** This client's schema version (`SCHEMA_VERSION`), when known. */
  readonly clientVersion: string | undefined;
  /** The server's schema version, from its 4504 close reason (undefined when it gave none). */
  readonly serverVersion: string | undefined;
  /** `versions`: this client's version and, from a 4504 close reason, the server's (and why it refused). */
  constructor(clientHash: string, serverHash: string, ctx: ClientErrorContext = {}, versions?: { client: string; refusal?: VersionRefusal | undefined }) {
    const r = versions?.refusal;
    const message = r
      ? `protocol mismatch: server version ${r.serverVersion}, client version ${versions?.client ?? r.clientVersion} (${r.why}); not retrying`
      : `protocol mismatch: client schema ${versions ? versions.client + ' ' : ''}${clientHash.slice(0, 12)}…, server schema ${serverHash ? serverHash.slice(0, 12) + '…' : 'unknown'}`;
    super('PROTOCOL_MISMATCH', message, {
      hint: 'Regenerate the client (wsgen generate) from the schema the server runs, or deploy matching versions.',
      ...ctx,
    });
    this.clientHash = clientHash;
    this.serverHash = serverHash;
    this.clientVersion = versions?.client;
    this.serverVersion = r?.serverVersion;
  }
}

/**
 * Why a resume did not recover every missed message:
 * - `missing`: the server no longer buffers them (its RECOVERY_FAILED with `first_missing`..`last_missing`);
 * - `epoch_mismatch`: the stream is another instance (the server restarted or the history expired), so the
 *   messages after our last seq of the old epoch are gone (PROTOCOL.md, "Session resume", rule 6);
 * - `last_seq_ahead`: the server's latest seq is below ours (it lost that history);
 * - `gap_detected`: the client itself saw a seq jump (a seq above last + 1) that no RECOVERY_FAILED announced;
 * - `resume_timeout`: no `session_updated` ended the replay within `resumeTimeoutMs`, so completeness is unknown.
 */
export type RecoveryFailure = 'missing' | 'epoch_mismatch' | 'last_seq_ahead' | 'gap_detected' | 'resume_timeout';

const RECOVERY_TEXT: Record<RecoveryFailure, string> = {
  missing: 'the server no longer buffers them',
  epoch_mismatch: 'the server stream is a new instance (epoch): the old one ended with the server restart or expiry',
  last_seq_ahead: "the server's latest seq is below the client's: it lost that history",
  gap_detected: 'the client saw a seq jump that the server did not announce',
  resume_timeout: 'no session_updated ended the replay in time',
};

/** Which server messages are lost, in words: a seq range where the ends are known. */
function lostRange(first: number | undefined, last: number | undefined): string {
  if (first !== undefined && last !== undefined) return first === last ? `server message ${first} is lost` : `server messages ${first} to ${last} are lost`;
  if (first !== undefined) return `server messages from ${first} on are lost`;
  if (last !== undefined) return `server messages up to ${last} are lost`;
  return 'an unknown number of server messages are lost';
}

/** The server could not replay the messages missed during a disconnect, or the client saw a seq gap. */
export class RecoveryFailedError extends WsClientError {
  override name = 'RecoveryFailedError';
  /** First missing seq, when known. */
  readonly firstMissing: number | undefined;
  /** Last missing seq, when known. */
  readonly lastMissing: number | undefined;
  /** Why; see {@link RecoveryFailure}. */
  readonly reason: RecoveryFailure;
  constructor(firstMissing: number | undefined, lastMissing: number | undefined, ctx: ClientErrorContext = {}, reason: RecoveryFailure = 'missing') {
    super('RECOVERY_FAILED', `session recovery failed (${reason}): ${lostRange(firstMissing, lastMissing)}; ${RECOVERY_TEXT[reason]}`, {
      hint: 'Reload the conversation state from your backend; the live session goes on.',
      ...ctx,
    });
    this.firstMissing = firstMissing;
    this.lastMissing = lastMissing;
    this.reason = reason;
  }
}

/** The server started a new session after a reconnect, so the old one could not be resumed. */
export class SessionResetError extends WsClientError {
  override name = 'SessionResetError';
  /** The session the client had. */
  readonly previousSessionId: string;
  /** The session the server opened. */
  readonly sessionId: string;
  constructor(previousSessionId: string, sessionId: string, ctx: ClientErrorContext = {}) {
    const what = previousSessionId === sessionId ? `server lost the history of session ${sessionId}` : `server opened a new session ${sessionId} (was ${previousSessionId})`;
    super('SESSION_RESET', `${what}; server messages sent while disconnected may be lost`, {
      hint: 'Usually the server restarted and kept sessions in memory. Reload state from your backend if it matters.',
      ...ctx,
    });
    this.previousSessionId = previousSessionId;
    this.sessionId = sessionId;
  }
}

/** Why a message was dropped. */
export type DropReason = 'overflow' | 'ttl' | 'too-large-for-queue' | 'not-connected' | 'connection-closed' | 'connection-failed';

/** A message was dropped without being sent. */
export class MessageDroppedError extends WsClientError {
  override name = 'MessageDroppedError';
  /** Why it was dropped. */
  readonly reason: DropReason;
  constructor(reason: DropReason, ctx: ClientErrorContext = {}) {
    super('MESSAGE_DROPPED', `message dropped (${reason})`, {
      hint: reason === 'overflow' || reason === 'too-large-for-queue' ? 'Raise queue.maxCount/maxBytes or send less while offline.' : reason === 'ttl' ? 'The message waited longer than queue.ttlMs; raise it or resend.' : 'Send again once the connection is open.',
      ...ctx,
    });
    this.reason = reason;
  }
}

/** `request()` timed out. */
export class RequestTimeoutError extends WsClientError {
  override name = 'RequestTimeoutError';
  /** The timeout that elapsed, in ms. */
  readonly timeoutMs: number;
  /**
   * What was awaited: `reply` (request(): the reply or stream end, from the send; replies.ts) or `stream-idle`
   * (the streams plugin: a started stream's next chunk or end; the handler producing it is gone, for example
   * with its server node, and a new request is needed; streaming.ts).
   */
  readonly phase: 'reply' | 'stream-idle';
  /** `message` and `ctx.hint` come from the plugin that raises it, so each bundle holds only its own text. */
  constructor(timeoutMs: number, phase: 'reply' | 'stream-idle', message: string, ctx: ClientErrorContext = {}) {
    super('REQUEST_TIMEOUT', message, ctx);
    this.timeoutMs = timeoutMs;
    this.phase = phase;
  }
}

/** What {@link ServerError} reads from the error reply: its code and text (the protocol's error-code and error-text fields). */
export interface ServerErrorDetail {
  /** The protocol error code. */
  errorCode: string;
  /** The error text, if the reply has one. */
  text: string | undefined;
  /** Whether the protocol's error code table marks the code retryable. */
  retryable: boolean;
}

/** The server replied with a message of the `error` role (error_message in the bundled protocol). */
export class ServerError extends WsClientError {
  override name = 'ServerError';
  /** The protocol error code. */
  readonly errorCode: string;
  /** Whether the protocol says this error is retryable. */
  readonly retryable: boolean;
  /** The full error reply. */
  readonly reply: object;
  constructor(reply: object, detail: ServerErrorDetail, ctx: ClientErrorContext = {}) {
    super('SERVER_ERROR', `server error ${detail.errorCode}${detail.text === undefined ? '' : `: ${detail.text}`}`, {
      hint: detail.retryable ? 'The protocol marks this error retryable: send again later.' : 'Not retryable: fix the request.',
      ...ctx,
    });
    this.errorCode = detail.errorCode;
    this.retryable = detail.retryable;
    this.reply = reply;
  }
}

/** The connection is closed for good, or closed while a request was pending. */
export class ConnectionClosedError extends WsClientError {
  override name = 'ConnectionClosedError';
  /** The close code, if a close frame was seen. */
  readonly closeCode: number | undefined;
  /** The close reason or a description. */
  readonly reason: string;
  constructor(closeCode: number | undefined, reason: string, ctx: ClientErrorContext = {}) {
    super('CONNECTION_CLOSED', `connection closed${closeCode !== undefined ? ` (${closeCode})` : ''}: ${reason}`, {
      hint: 'Call connect() again if the app still needs this connection.',
      ...ctx,
    });
    this.closeCode = closeCode;
    this.reason = reason;
  }
}

/** No connection has the given id. */
export class UnknownConnectionError extends WsClientError {
  override name = 'UnknownConnectionError';
  /** Ids that do exist. */
  readonly known: string[];
  constructor(connectionId: string, known: string[]) {
    super('UNKNOWN_CONNECTION', `no connection named "${connectionId}"`, {
      connectionId,
      hint: `Call connect() first. Known: ${known.join(', ') || 'none'}.`,
    });
    this.known = known;
  }
}

/** No WebSocket implementation is available. */
export class TransportUnavailableError extends WsClientError {
  override name = 'TransportUnavailableError';
  /** Where the runtime looked. */
  readonly tried: string[];
  constructor(tried: string[], ctx: ClientErrorContext = {}) {
    super('TRANSPORT_UNAVAILABLE', `no WebSocket implementation (tried ${tried.join(', ')})`, {
      hint: 'Install the "ws" package in Node, or pass options.WebSocket.',
      ...ctx,
    });
    this.tried = tried;
  }
}

/** A subscriber threw. */
export class HandlerError extends WsClientError {
  override name = 'HandlerError';
  /** The message type being delivered (or "status"). */
  readonly messageType: string;
  constructor(messageType: string, cause: unknown, ctx: ClientErrorContext = {}) {
    super('HANDLER_ERROR', `a ${messageType} handler threw: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'Fix the handler; other handlers still ran.',
      cause,
      ...ctx,
    });
    this.messageType = messageType;
  }
}

/**
 * A call the client cannot serve as made, reported where an error must be a WsClientError (the React hooks'
 * `error`): for example `request()` without the `requests()` plugin. `cause` is what was thrown (a TypeError).
 */
export class UsageError extends WsClientError {
  override name = 'UsageError';
  /** The name of what was thrown (`TypeError`...). */
  readonly thrown: string;
  constructor(cause: unknown, ctx: ClientErrorContext = {}) {
    super('USAGE_ERROR', cause instanceof Error ? cause.message : String(cause), { hint: 'Fix the call: see the message and `cause`.', cause, ...ctx });
    this.thrown = cause instanceof Error ? cause.name : typeof cause;
  }
}
