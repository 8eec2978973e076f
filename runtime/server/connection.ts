// One open connection: the socket, its session and endpoint, its stream, its
// limits and counters. It is the StreamSink of its stream while linked.
import type { ServerClock } from './clock.js';
import type { TypedEndpoint } from './endpoints.js';
import { truncateCloseReason, type TokenBucket } from './limits.js';
import type { Message, RuntimeProtocol } from './roles.js';
import type { Stream, StreamSink } from './sessions.js';
import type { ReplyOf, ReplyTypes, StreamChunkOf, StreamEndFieldsOf, UntypedReplies } from './reply-types.js';
import { sendStream, type StreamOutcome } from './streams.js';
import type { Endpoint, SessionInfo, TransportSocket } from './types.js';

/** What every connection of one server shares (one pointer per connection). */
export interface ConnectionShared {
  /** Send-buffer budget above which low-priority messages are dropped. */
  softBytes: number;
  /** Send-buffer budget above which the connection is closed with SLOW_CONSUMER. */
  hardBytes: number;
  /** Counts one outbound message of `type`. */
  countOut(type: string): void;
  /** Called once when a connection is closed or lost (unlink, unindex, metrics, logs). */
  onClosed(c: Connection, code: number, reason: string, byServer: boolean): void;
  /** Called when the send buffer goes over the hard budget. */
  onSlow(c: Connection): void;
  /** Optional outbound check (dev mode). */
  validate?: ((msg: Message) => void) | undefined;
  /** The protocol (connection-level rule, tag). */
  protocol: RuntimeProtocol;
  /** The correlation id of a stream reply to a request of `c` with correlation id `ref` (a server id when undefined: RequestTracker.streamRef). */
  streamRef(c: Connection, ref: string | undefined): string;
  /** The watch of a stream reply to `ref` on `stream` (moves the deadline on; false after a timeout), called before each chunk and before the end. */
  watchStream(stream: Stream, ref: string): () => boolean;
  /** The server's clock (ConnectionContext.clock). */
  readonly clock: ServerClock;
  /** One inbound frame of a connection (the core's pipeline). */
  onFrame(c: Connection, text: string, isBinary: boolean, continued?: boolean): void;
  /** The transport reports the socket closed or lost. */
  onSocketClose(c: Connection, code: number, reason: string): void;
}

/** Point-in-time health of one connection (getConnectionHealth). */
export interface ConnectionHealth {
  connectionId: string;
  /** The endpoint key (`liaison:content`). */
  endpoint: string;
  /** The endpoint's path parameters. */
  params: Readonly<Record<string, string>>;
  realm: string;
  tenant: string;
  userId: string;
  sessionId: string;
  connectedAt: string;
  lastSeenAt: string;
  /** Whether the last heartbeat was answered. */
  alive: boolean;
  /** False while the connection waits for session_resume. */
  live: boolean;
  messagesIn: number;
  messagesOut: number;
  bufferedAmount: number;
  /** Latest seq of the session stream. */
  seq: number;
  replayBuffered: { messages: number; bytes: number };
  inFlight: number;
}

/**
 * What a message handler gets about the connection a message arrived on (the {@link Connection} itself); `EP` is
 * the endpoint type, with its path parameters typed by their enums when the server's endpoints are (EndpointOf).
 */
/**
 * What a handler gets: the connection, typed by its endpoint `EP` and by `R`, what it may reply (`reply`,
 * `replyStream`; a handler of protocol `P` gets `RepliesOf<P>`, see reply-types.ts; by default untyped messages).
 */
export interface ConnectionContext<EP extends TypedEndpoint = Endpoint, R extends ReplyTypes = UntypedReplies> {
  /** The connection id. */
  readonly id: string;
  /** The authenticated session. */
  readonly session: SessionInfo;
  /** The endpoint, with its path parameters. */
  readonly endpoint: EP;
  /** The session's stream on this endpoint: what it numbers and buffers (`stream.send`). */
  readonly stream: Stream;
  /** The handshake token, for an application that compares it with a token a message carries. Never log it. */
  readonly token: string;
  /**
   * The server's monotonic clock: `clock.frameAt` is the reading (performance.now() ms) of the frame being handled,
   * taken at its arrival before its parse (frames of one socket read may share one: clock.ts), from which a handler
   * may time itself; `clock.read()` reads the clock, and the next frame of the same read may reuse that reading.
   * Read `frameAt` during the handler's synchronous call (a later frame replaces it). The epoch reading is the
   * handler's `now` argument.
   */
  readonly clock: ServerClock;
  /**
   * Sends a reply: connection-level messages to this socket, the others into the session stream. Typed by `P`
   * ({@link ReplyOf}): only a type the server may send, its fields as the schema says (the sequence is written by
   * the stream).
   */
  reply(msg: R['reply']): void;
  /** Closes the connection with `code` and a reason of at most 123 bytes. */
  close(code: number, reason: string): void;
  /**
   * Replies with an error (the protocol's error role; false without one): connection-level for the per-frame codes
   * (CONNECTION_LEVEL_ERROR_CODES), else into the session stream.
   */
  replyError(code: string, text: string, ref?: string, details?: Record<string, unknown>): boolean;
  /**
   * Streams `chunks` as the reply to request `ref` (streams capability): stream-chunk messages indexed from 0, each
   * chunk its stream-content (typed by `P`: {@link StreamChunkOf}), then the stream end, which also gets the fields
   * of `end` ({@link StreamEndFieldsOf}: the end type's own fields, not its tag, correlation id, index or seq).
   * Resolves with how many chunks were sent. A request sent without a correlation id (`ref` undefined) gets a server
   * id `s<n>` here, since stream-chunk and stream-end require one; its error reply then carries it too.
   * @throws {Error} when the protocol has no streams capability.
   */
  replyStream(ref: string | undefined, chunks: AsyncIterable<R['chunk']> | Iterable<R['chunk']>, end?: R['end']): Promise<StreamOutcome>;
}

/**
 * An open connection. It is also the handle the transport feeds
 * (ConnectionHandle: onMessage, onPong, onClose), so that a connection costs
 * no closures.
 */
export class Connection implements StreamSink, ConnectionContext {
  /** Whether the last heartbeat ping (or any frame) was answered. */
  alive = true;
  /** Set once closed: every later event is ignored. */
  closed = false;
  /** False while waiting for session_resume after a rejoin (messages are buffered only). */
  live = true;
  /** The stream seq at link time: what a client that skips session_resume already has. */
  resumeFloor = 0;
  /** Frames refused by the rate limit since the last accepted one. */
  strikes = 0;
  messagesIn = 0;
  messagesOut = 0;
  lastSeenAt: number;
  readonly connectedAt: number;
  /** Timer that ends the wait for session_resume, if any. */
  resumeTimer: NodeJS.Timeout | undefined;
  /** The rate-limit bucket, created on the first frame (undefined while idle, or when rate limiting is off). */
  bucket: TokenBucket | undefined;

  readonly id: string;
  readonly socket: TransportSocket;
  readonly endpoint: Endpoint;
  readonly session: SessionInfo;
  /** The handshake token; an application may compare it with a token a message carries. Never logged. */
  readonly token: string;
  readonly stream: Stream;
  private readonly shared: ConnectionShared;

  /** A connection of `session` on `endpoint`, linked to `stream`. */
  constructor(id: string, socket: TransportSocket, endpoint: Endpoint, session: SessionInfo, token: string, stream: Stream, shared: ConnectionShared) {
    this.id = id;
    this.socket = socket;
    this.endpoint = endpoint;
    this.session = session;
    this.token = token;
    this.stream = stream;
    this.shared = shared;
    this.connectedAt = this.lastSeenAt = Date.now();
  }

  /** The server's clock (ConnectionContext.clock: one per server, not per connection). */
  get clock(): ServerClock {
    return this.shared.clock;
  }

  /** One inbound frame (ConnectionHandle). */
  onMessage(text: string, isBinary: boolean, continued?: boolean): void {
    this.shared.onFrame(this, text, isBinary, continued);
  }

  /** A transport-level pong arrived (ConnectionHandle). */
  onPong(): void {
    this.alive = true;
  }

  /** The socket closed or was lost (ConnectionHandle). */
  onClose(code: number, reason: string): void {
    this.shared.onSocketClose(this, code, reason);
  }

  /** {@inheritDoc StreamSink.overSoftBudget} */
  overSoftBudget(): boolean {
    return this.socket.bufferedAmount > this.shared.softBytes;
  }

  /** {@inheritDoc StreamSink.coalesce} */
  coalesce(): void {
    this.socket.cork?.();
  }

  /** {@inheritDoc StreamSink.deliver} Closes with SLOW_CONSUMER when the send buffer is over the hard budget. */
  deliver(text: string, type: string): void {
    if (this.closed) return;
    if (this.socket.bufferedAmount > this.shared.hardBytes) {
      this.shared.onSlow(this);
      return;
    }
    this.socket.send(text);
    this.messagesOut++;
    this.shared.countOut(type);
  }

  /**
   * Sends a reply to a frame of this connection, routed by {@link RuntimeProtocol.isConnectionLevel}:
   * a connection-level message (session created, pong, a frame's refusal) goes to
   * this socket with no seq and is not buffered; any other message goes into the
   * session stream (numbered, buffered, replayable).
   */
  reply(msg: Message): void {
    const rt = this.shared.protocol;
    if (!rt.isConnectionLevel(msg)) {
      this.stream.send(msg);
      return;
    }
    const check = this.shared.validate;
    if (check !== undefined) check(msg);
    this.deliver(JSON.stringify(msg), msg[rt.tag] as string);
  }

  /** {@inheritDoc ConnectionContext.replyError} */
  replyError(code: string, text: string, ref?: string, details?: Record<string, unknown>): boolean {
    const msg = this.shared.protocol.error(code, text, { ref, sessionId: this.session.sessionId, details }, this);
    if (msg === undefined) return false;
    this.reply(msg);
    return true;
  }

  /** {@inheritDoc ConnectionContext.replyStream} */
  replyStream(ref: string | undefined, chunks: AsyncIterable<unknown> | Iterable<unknown>, end?: Message): Promise<StreamOutcome> {
    const id = ref ?? this.shared.streamRef(this, ref);
    const watch = this.shared.watchStream(this.stream, id);
    return sendStream(this.shared.protocol, this.stream, this, id, chunks, end === undefined ? { watch } : { watch, endFields: end });
  }

  /** Closes with `code` (reason truncated to 123 bytes) and unlinks at once. */
  close(code: number, reason: string): void {
    if (this.closed) return;
    try {
      this.socket.close(code, truncateCloseReason(reason));
    } catch {
      this.socket.terminate();
    }
    this.shared.onClosed(this, code, reason, true);
  }

  /** Destroys the socket without a closing handshake and unlinks at once; `code` is what metrics record. */
  terminate(code: number, reason: string): void {
    if (this.closed) return;
    this.socket.terminate();
    this.shared.onClosed(this, code, reason, true);
  }

  /** A health snapshot. */
  health(): ConnectionHealth {
    return {
      connectionId: this.id,
      endpoint: this.endpoint.key,
      params: this.endpoint.params,
      realm: this.session.realm,
      tenant: this.session.tenant,
      userId: this.session.userId,
      sessionId: this.session.sessionId,
      connectedAt: new Date(this.connectedAt).toISOString(),
      lastSeenAt: new Date(this.lastSeenAt).toISOString(),
      alive: this.alive,
      live: this.live,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      bufferedAmount: this.socket.bufferedAmount,
      seq: this.stream.seq,
      replayBuffered: this.stream.buffered,
      inFlight: this.stream.inFlight,
    };
  }
}
