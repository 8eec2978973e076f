// The transport-agnostic server core (like graphql-ws's makeServer): wires the
// handshake decision (handshake.ts), the per-frame pipeline (pipeline.ts),
// sessions with replay and resume (sessions.ts, resume.ts), publishing,
// heartbeat, health, metrics and graceful shutdown (shutdown.ts). Transports
// (ws.ts) only move frames.
import { randomUUID } from 'node:crypto';
import { AGENT_TYPE_VALUES, CloseCode, PILLAR_TYPE_VALUES, ErrorCode, SCHEMA_HASH, validateMessage, type SessionCreated } from '../../generated/ts/index.js';
import { ChatService } from './chat.js';
import { Connection, type ConnectionHealth, type ConnectionShared } from './connection.js';
import { decideHandshake, type AcceptedHandshake, type HandshakeContext, type HandshakeRequest, type HandshakeResult } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { silentLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { resolveOptions, type ResolvedOptions, type ServerOptions } from './options.js';
import { makeFrameHandler } from './pipeline.js';
import { timestamp, type ServerMessage } from './protocol.js';
import { Registry, type Audience } from './registry.js';
import { goLive } from './resume.js';
import { SessionStore, type SessionState, type Stream } from './sessions.js';
import { ConnectionShutdown } from './shutdown.js';
import type { Logger, TransportSocket } from './types.js';

export type { HandshakeRequest, AcceptedHandshake, RefusedHandshake, HandshakeResult } from './handshake.js';

/** What a transport calls for one open socket. */
export interface ConnectionHandle {
  /** The connection id ("" when the connection was refused after the upgrade). */
  readonly id: string;
  /** One inbound frame: its text (UTF-8 decoded), or isBinary for a binary frame. */
  onMessage(text: string, isBinary: boolean): void;
  /** A transport-level pong arrived. */
  onPong(): void;
  /** The socket closed (by either side, or was lost). */
  onClose(code: number, reason: string): void;
}

/** The server core. */
export interface ServerCore {
  /** Resolved options (limits the transport must apply, such as maxPayload). */
  readonly options: ResolvedOptions;
  readonly registry: Registry;
  readonly sessions: SessionStore;
  readonly chat: ChatService;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** True once close() started: handshakes are refused with 503. */
  readonly closing: boolean;
  /** While closing: the Retry-After (seconds) of a 503, the shutdown deadline rounded up (at least 1). */
  readonly retryAfter: number;
  /** Decides an upgrade request (auth, origin, routing) before any WebSocket exists. */
  handshake(req: HandshakeRequest): Promise<HandshakeResult>;
  /** Attaches an upgraded socket; returns the handle the transport feeds. */
  open(socket: TransportSocket, accepted: AcceptedHandshake): ConnectionHandle;
  /** Sends a server message into a session's stream on an endpoint (numbered, buffered, replayable). */
  sendToSession(sessionId: string, endpointKey: string, msg: ServerMessage): boolean;
  /** Sends a server message to every connection of an audience (same realm and tenant always). Returns how many streams got it. */
  publish(audience: Audience, msg: ServerMessage): number;
  /** Health of one connection. */
  getConnectionHealth(connectionId: string): ConnectionHealth | undefined;
  /** Health of every connection, by id. */
  getAllConnectionsHealth(): Map<string, ConnectionHealth>;
  /** One heartbeat round (the timer calls it; tests may too). */
  heartbeatTick(): void;
  /** One maintenance round: buffer TTLs, idle streams (a timer calls it). */
  sweep(): void;
  /**
   * Graceful shutdown: refuse new handshakes (503, Retry-After), close every connection over a jittered window, terminate
   * stragglers at the deadline, abort pending requests, flush session buffers (onFlush). Settles on every path; a second
   * call returns the same promise.
   */
  close(): Promise<void>;
}

/**
 * A standalone copy of a string: the token is a slice of the
 * Sec-WebSocket-Protocol header (or the URL), which a slice would keep alive
 * for the life of the connection.
 */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

const NOOP_HANDLE: ConnectionHandle = { id: '', onMessage() {}, onPong() {}, onClose() {} };

/** Creates the transport-agnostic server core. */
export function makeServer(options: ServerOptions): ServerCore {
  const opts = resolveOptions(options);
  const logger = options.logger ?? silentLogger;
  const registry = new Registry();
  const metrics = new ServerMetrics(registry, options.metricsPrefix);
  const validate = opts.validateOutbound
    ? (msg: ServerMessage): void => {
        const r = validateMessage(msg);
        if (!r.ok) {
          logger.log('error', 'invalid_outbound', { code: ErrorCode.INTERNAL_ERROR, type: msg.type, errors: r.errors, hint: 'the server built an invalid message' });
          throw new Error(`invalid outbound ${msg.type}: ${JSON.stringify(r.errors)}`);
        }
      }
    : undefined;
  const chat = new ChatService({
    timeoutMs: opts.handlerTimeoutMs,
    maxInFlight: opts.maxInFlight,
    exposeErrors: options.exposeErrors ?? false,
    logger,
    series: (a, o) => metrics.latencySeries(a, o),
  });
  for (const agent of AGENT_TYPE_VALUES) {
    const h = options.agents?.[agent];
    if (h) chat.registerAgent(agent, h);
  }
  for (const pillar of PILLAR_TYPE_VALUES) {
    const h = options.pillars?.[pillar];
    if (h) chat.registerPillar(pillar, h);
  }

  const shutdown = new ConnectionShutdown();
  let closing = false;
  let closePromise: Promise<void> | undefined;

  const sessions = new SessionStore({
    limits: opts.replay,
    detachedTtlMs: opts.detachedTtlMs,
    lowPriority: new Set(opts.backpressure.lowPriorityTypes),
    validate,
    onDrop: () => void metrics.dropped++,
    onExpire: (state: SessionState) => expire(state),
  });

  const shared: ConnectionShared = {
    onFrame: (c, text, isBinary) => onFrame(c, text, isBinary),
    onSocketClose: (c, code, reason) => {
      if (!c.closed) shared.onClosed(c, code, reason, false);
      shutdown.socketClosed(c);
    },
    softBytes: opts.backpressure.softBytes,
    hardBytes: opts.backpressure.hardBytes,
    validate,
    countOut: (type) => metrics.countOut(type),
    onSlow: (c) => {
      logger.log('warn', 'slow_consumer', { code: CloseCode.SLOW_CONSUMER, connection_id: c.id, buffered: c.socket.bufferedAmount, hint: 'client reads too slowly' });
      c.close(CloseCode.SLOW_CONSUMER, 'slow consumer: send buffer over budget');
    },
    onClosed: (c, code, reason, byServer) => {
      c.closed = true;
      if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
      registry.remove(c);
      if (c.stream.conn === c) {
        c.stream.conn = undefined;
        c.stream.detachedAt = Date.now();
      }
      shutdown.closed(c, byServer);
      metrics.countClose(code);
      logger.log(code >= 4000 || code === 1008 || code === 1009 || code === 1011 ? 'warn' : 'info', 'connection_closed', {
        connection_id: c.id,
        session_id: c.session.sessionId,
        endpoint: c.endpoint.key,
        close_code: code,
        reason,
        by: byServer ? 'server' : 'client',
      });
    },
  };

  function expire(state: SessionState): void {
    const sid = state.info.sessionId;
    logger.log('info', 'session_expired', { session_id: sid });
    for (const stream of state.streams.values()) {
      chat.abortAll(stream);
      const c = stream.conn;
      stream.send({ type: 'session_expired', timestamp: timestamp(), session_id: sid, realm: state.info.realm });
      if (c instanceof Connection) c.close(CloseCode.SESSION_EXPIRED, 'session expired: refresh the token and reconnect');
    }
    sessions.drop(state);
  }

  const heartbeat = new Heartbeat(
    opts.heartbeatIntervalMs,
    () => registry.all(),
    (c) => {
      logger.log('info', 'heartbeat_timeout', { code: CloseCode.HEARTBEAT_TIMEOUT, connection_id: c.id, hint: 'no pong within one interval' });
      c.terminate(CloseCode.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    },
  );
  heartbeat.start();
  const sweeper = setInterval(() => sessions.sweep(), Math.min(5_000, Math.max(100, opts.replay.ttlMs / 4)));
  sweeper.unref();

  let nextId = 0;
  const idPrefix = randomUUID().slice(0, 8) + '-';

  /** Retry-After of a refusal while shutting down: the shutdown deadline, in whole seconds (at least 1). */
  function retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(opts.shutdown.deadlineMs / 1000));
  }

  const handshakeContext: HandshakeContext = { options, metrics, logger, closing: () => closing, retryAfter: retryAfterSeconds };
  const handshake = (req: HandshakeRequest): Promise<HandshakeResult> => decideHandshake(handshakeContext, req);

  function open(socket: TransportSocket, a: AcceptedHandshake): ConnectionHandle {
    const { session, endpoint } = a;
    if (closing) {
      socket.close(opts.shutdown.code, 'shutting down');
      return NOOP_HANDLE;
    }
    const { stream, rejoined } = sessions.linkConnectionToSession(session, endpoint);
    const previous = stream.conn instanceof Connection ? stream.conn : undefined;
    const userCount = registry.forUser(session.userId).size - (previous !== undefined ? 1 : 0);
    if (userCount >= opts.maxConnectionsPerUser) {
      metrics.countClose(CloseCode.TOO_MANY_CONNECTIONS);
      logger.log('warn', 'too_many_connections', { code: CloseCode.TOO_MANY_CONNECTIONS, user_id: session.userId, limit: opts.maxConnectionsPerUser });
      socket.close(CloseCode.TOO_MANY_CONNECTIONS, `too many connections for this user (limit ${opts.maxConnectionsPerUser})`);
      if (stream.conn === undefined && stream.detachedAt === 0) stream.detachedAt = Date.now();
      return NOOP_HANDLE;
    }
    const c = new Connection(idPrefix + (++nextId).toString(36), socket, endpoint, session, ownCopy(a.token), stream, shared);
    if (previous !== undefined) {
      stream.conn = c;
      previous.close(CloseCode.REPLACED, 'replaced by a newer connection of the same session');
    }
    stream.conn = c;
    stream.detachedAt = 0;
    registry.add(c);
    metrics.opened++;
    c.resumeFloor = stream.seq;
    const created: SessionCreated = {
      type: 'session_created',
      timestamp: timestamp(),
      session_id: session.sessionId,
      realm: session.realm,
      schema_hash: SCHEMA_HASH,
      epoch: stream.epoch,
      seq: stream.seq,
      agent: endpoint.agent,
    };
    if (endpoint.pillar !== undefined) created.pillar = endpoint.pillar;
    c.reply(created);
    if (rejoined) {
      // Hold live messages until the client says what it has (session_resume), so replay stays in order.
      c.live = false;
      c.resumeTimer = setTimeout(() => goLive(c), opts.resumeWaitMs);
      c.resumeTimer.unref();
    }
    logger.log('info', 'connection_opened', { connection_id: c.id, session_id: session.sessionId, user_id: session.userId, realm: session.realm, endpoint: endpoint.key, rejoined });
    return c; // the connection is its own handle (no closures per connection)
  }

  const onFrame = makeFrameHandler({ opts, metrics, logger, chat, pongId: () => 'pong-' + (++nextId).toString(36) });

  function sendToSession(sessionId: string, endpointKey: string, msg: ServerMessage): boolean {
    const stream: Stream | undefined = sessions.sessions.get(sessionId)?.streams.get(endpointKey);
    return stream !== undefined && stream.send(msg);
  }

  function publish(audience: Audience, msg: ServerMessage): number {
    let n = 0;
    for (const c of registry.select(audience)) {
      // One copy per stream: each gets its own seq.
      if (c.stream.send({ ...msg, realm: c.session.realm } as ServerMessage)) n++;
    }
    return n;
  }

  /**
   * Graceful shutdown. Every timer it waits on holds the event loop (none is
   * unref'd, see shutdown.ts), so the promise settles whatever the connections do:
   * none, one, many, a client leaving before its turn or during the closing handshake.
   * It takes at most about shutdown.deadlineMs plus onFlush's own time.
   */
  function close(): Promise<void> {
    if (closePromise) return closePromise;
    closing = true;
    heartbeat.stop();
    clearInterval(sweeper);
    const { code, jitterMs, deadlineMs } = opts.shutdown;
    closePromise = (async () => {
      const conns = [...registry.all()];
      logger.log('info', 'shutdown_started', { connections: conns.length, code, jitter_ms: jitterMs, deadline_ms: deadlineMs });
      const started = Date.now();
      await shutdown.run(conns, opts.shutdown);
      chat.abortAll();
      if (options.onFlush) {
        const flushed = [...sessions.streams()].map((s) => ({ sessionId: s.owner.info.sessionId, endpoint: s.endpoint.key, epoch: s.epoch, seq: s.seq, messages: s.snapshot() }));
        try {
          await options.onFlush(flushed);
        } catch (err) {
          logger.log('error', 'flush_failed', { error: err instanceof Error ? err.message : String(err) });
        }
      }
      sessions.clear();
      logger.log('info', 'shutdown_complete', { ms: Date.now() - started });
    })();
    return closePromise;
  }

  return {
    options: opts,
    registry,
    sessions,
    chat,
    metrics,
    logger,
    get closing() {
      return closing;
    },
    get retryAfter() {
      return retryAfterSeconds();
    },
    handshake,
    open,
    sendToSession,
    publish,
    getConnectionHealth: (id) => registry.get(id)?.health(),
    getAllConnectionsHealth: () => new Map([...registry.all()].map((c) => [c.id, c.health()])),
    heartbeatTick: () => heartbeat.tick(),
    sweep: () => sessions.sweep(),
    close,
  };
}
