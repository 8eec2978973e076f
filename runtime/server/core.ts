// The transport-agnostic server core (like graphql-ws's makeServer): the
// handshake decision, the per-frame pipeline (limits, parse + validate,
// session checks, routing), sessions with replay, heartbeat, backpressure,
// health, metrics and graceful shutdown. Transports (ws.ts) only move frames.
import { randomUUID } from 'node:crypto';
import {
  AGENT_TYPE_VALUES,
  CloseCode,
  PILLAR_TYPE_VALUES,
  ErrorCode,
  parseMessage,
  SCHEMA_HASH,
  validateMessage,
  type Pong,
  type SessionCreated,
  type SessionResume,
  type SessionUpdated,
} from '../../generated/ts/index.js';
import { defaultAuthorize, extractToken, matchEndpoint, originAllowed, safeEqual, SUBPROTOCOL } from './auth.js';
import { ChatService } from './chat.js';
import { Connection, type ConnectionHealth, type ConnectionShared } from './connection.js';
import { Heartbeat } from './heartbeat.js';
import { TokenBucket } from './limits.js';
import { silentLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { resolveOptions, type ResolvedOptions, type ServerOptions } from './options.js';
import { errorMessage, invalidMessageReply, isClientType, salvageMessageId, StdCloseCode, timestamp, type ServerMessage } from './protocol.js';
import { Registry, type Audience } from './registry.js';
import { SessionStore, type SessionState, type Stream } from './sessions.js';
import type { Endpoint, Logger, SessionInfo, TransportSocket } from './types.js';

/** The transport-neutral facts of an upgrade request. */
export interface HandshakeRequest {
  /** The request target (path and query). Never logged with its query. */
  url: string;
  /** The Origin header, if any. */
  origin?: string | undefined;
  /** The offered subprotocols (Sec-WebSocket-Protocol entries). */
  protocols: readonly string[];
}

/** A handshake that may proceed to the upgrade. */
export interface AcceptedHandshake {
  ok: true;
  endpoint: Endpoint;
  session: SessionInfo;
  token: string;
  /** The subprotocol to select, if the client offered it. */
  protocol: string | undefined;
}

/** A handshake refused before the upgrade. */
export interface RefusedHandshake {
  ok: false;
  /** 401 (token), 403 (origin, permission), 404 (path, pillar) or 503 (shutting down). */
  status: 401 | 403 | 404 | 503;
  reason: string;
  /** With 503: seconds after which a retry may succeed (the HTTP Retry-After header, RFC 9110 §10.2.3). */
  retryAfter?: number;
}

/** The handshake outcome. */
export type HandshakeResult = AcceptedHandshake | RefusedHandshake;

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
  /** Graceful shutdown: refuse new handshakes, close every connection over a jittered window, terminate stragglers at the deadline, flush session buffers. */
  close(): Promise<void>;
}

/**
 * Whether the messages built from a validated session (session_created first)
 * can be valid: its session id and realm are checked by the generated
 * validator on the session_created it implies, so the rule is the schema's.
 */
function sessionFitsSchema(session: SessionInfo, endpoint: Endpoint): boolean {
  return validateMessage({ type: 'session_created', timestamp: timestamp(), session_id: session.sessionId, realm: session.realm, schema_hash: SCHEMA_HASH, epoch: 'e', seq: 0, agent: endpoint.agent }).ok;
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
  const authorize = options.authorize ?? defaultAuthorize;
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

  /** Connections the server closed whose socket has not reported its close yet. */
  const closingSockets = new Set<Connection>();
  /** During shutdown: per connection still open, what ends its wait for its turn to be closed. */
  const shutdownWaits = new Map<Connection, () => void>();
  /** During shutdown: called when closingSockets becomes empty. */
  let onDrained: (() => void) | undefined;
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
      if (closingSockets.delete(c) && closingSockets.size === 0) onDrained?.();
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
      if (byServer) closingSockets.add(c);
      const wait = shutdownWaits.get(c);
      if (wait !== undefined) {
        shutdownWaits.delete(c);
        wait();
      }
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

  async function handshake(req: HandshakeRequest): Promise<HandshakeResult> {
    const refuse = (status: RefusedHandshake['status'], reason: string): RefusedHandshake => {
      metrics.countRefused(status);
      const q = req.url.indexOf('?');
      logger.log('info', 'handshake_refused', { status, reason, path: q === -1 ? req.url : req.url.slice(0, q) });
      return { ok: false, status, reason };
    };
    const shuttingDown = (): RefusedHandshake => ({ ...refuse(503, 'shutting down'), retryAfter: retryAfterSeconds() });
    if (closing) return shuttingDown();
    const endpoint = matchEndpoint(req.url);
    if (endpoint === undefined) return refuse(404, 'unknown endpoint');
    if (!originAllowed(req.origin, options.allowedOrigins)) return refuse(403, 'origin not allowed');
    const found = extractToken(req.protocols, req.url);
    if (found === undefined) return refuse(401, 'missing session token');
    let v;
    try {
      v = await options.validator.validateSession(found.token);
    } catch (err) {
      logger.log('error', 'validator_failed', { code: ErrorCode.INTERNAL_ERROR, error: err instanceof Error ? err.message : String(err), hint: 'the session validator threw' });
      return refuse(401, 'session validation failed');
    }
    if (!v.ok) return refuse(401, v.reason);
    if (!sessionFitsSchema(v.session, endpoint)) {
      logger.log('error', 'invalid_session', { code: ErrorCode.INTERNAL_ERROR, hint: 'the session validator returned a session id or realm that session_created cannot carry (schema)' });
      return refuse(401, 'session validation failed');
    }
    if (closing) return shuttingDown();
    if (!authorize(v.session, endpoint)) return refuse(403, `session may not use ${endpoint.key}`);
    return { ok: true, endpoint, session: v.session, token: found.token, protocol: req.protocols.includes(SUBPROTOCOL) ? SUBPROTOCOL : undefined };
  }

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

  /** Ends the wait for session_resume: flush what was produced since the link, then go live. */
  function goLive(c: Connection): void {
    if (c.live || c.closed) return;
    if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
    c.resumeTimer = undefined;
    const plan = c.stream.replayAfter(c.resumeFloor);
    if (plan.missing) c.reply(recoveryFailed(c, plan.missing));
    for (const t of plan.texts) c.deliver(t, 'replay');
    c.live = true;
  }

  function recoveryFailed(c: Connection, details: Record<string, unknown>, text = 'some server messages are no longer buffered and cannot be replayed') {
    return errorMessage(ErrorCode.RECOVERY_FAILED, text, { session_id: c.session.sessionId, error_details: details });
  }

  function resume(c: Connection, m: SessionResume): void {
    if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
    c.resumeTimer = undefined;
    const sameEpoch = m.epoch === c.stream.epoch;
    if (!sameEpoch) {
      // last_seq counts in another instance of the stream: nothing of it can be replayed. Say so, then replay
      // this epoch from its start (the client has seen none of it).
      c.reply(
        recoveryFailed(
          c,
          { first_missing: null, last_missing: null, latest_seq: c.stream.seq, reason: 'epoch_mismatch', epoch: c.stream.epoch },
          `epoch ${m.epoch} is not the stream's epoch ${c.stream.epoch}: the messages after last_seq ${m.last_seq} are lost (restart?)`,
        ),
      );
    }
    const plan = c.stream.replayAfter(sameEpoch ? m.last_seq : 0);
    if (plan.ahead) {
      c.reply(
        recoveryFailed(
          c,
          { first_missing: null, last_missing: null, latest_seq: c.stream.seq, reason: 'last_seq_ahead' },
          `last_seq ${m.last_seq} is beyond the latest seq ${c.stream.seq}: the server does not know that history (restart?)`,
        ),
      );
    } else if (plan.missing) {
      c.reply(recoveryFailed(c, plan.missing));
    }
    for (const t of plan.texts) c.deliver(t, 'replay');
    c.live = true;
    const upd: SessionUpdated = { type: 'session_updated', timestamp: timestamp(), session_id: c.session.sessionId, realm: c.session.realm, status: plan.missing || plan.ahead || !sameEpoch ? 'resumed_with_gap' : 'resumed' };
    if (m.message_id !== undefined) upd.message_id = m.message_id;
    c.stream.send(upd);
  }

  function reject(c: Connection, code: ErrorCode, text: string, messageId: string | undefined): void {
    c.reply(errorMessage(code, text, { message_id: messageId }));
  }

  function onFrame(c: Connection, text: string, isBinary: boolean): void {
    if (c.closed) return;
    c.alive = true;
    c.messagesIn++;
    if (isBinary) {
      metrics.countInvalid('binary');
      logger.log('info', 'binary_frame', { code: ErrorCode.INVALID_MESSAGE, connection_id: c.id, hint: 'the protocol is text-only' });
      c.close(StdCloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
      return;
    }
    const now = Date.now();
    c.lastSeenAt = now;
    const rl0 = opts.rateLimit;
    // The bucket is created on the first frame (full, as it would be by then): idle connections carry none.
    const bucket = rl0 ? (c.bucket ??= TokenBucket.from(rl0, now)) : undefined;
    if (bucket !== undefined && !bucket.take(now)) {
      metrics.rateLimited++;
      const rl = opts.rateLimit;
      if (rl && ++c.strikes >= rl.closeAfter) {
        logger.log('warn', 'rate_limit_exceeded', { code: CloseCode.RATE_LIMIT_EXCEEDED, connection_id: c.id, hint: 'kept flooding after RATE_LIMITED' });
        c.close(CloseCode.RATE_LIMIT_EXCEEDED, 'rate limit exceeded');
        return;
      }
      reject(c, ErrorCode.RATE_LIMITED, 'too many messages: this one was dropped; slow down', undefined);
      return;
    }
    c.strikes = 0;
    const r = parseMessage(text);
    if (!r.ok) {
      const first = r.errors[0];
      metrics.countInvalid(first?.keyword ?? 'unknown');
      const id = salvageMessageId(text);
      logger.log('debug', 'invalid_message', { code: ErrorCode.INVALID_MESSAGE, connection_id: c.id, message_id: id, path: first?.path, keyword: first?.keyword });
      c.reply(invalidMessageReply(r.errors, id));
      return;
    }
    const m = r.value;
    metrics.countIn(m.type);
    if (!isClientType(m.type)) {
      reject(c, ErrorCode.UNSUPPORTED_TYPE, `clients may not send ${m.type}`, m.message_id);
      return;
    }
    if ('session_token' in m && m.session_token !== undefined && !safeEqual(m.session_token, c.token)) {
      logger.log('warn', 'foreign_session', { code: ErrorCode.UNAUTHORIZED, connection_id: c.id, message_id: m.message_id, hint: 'session_token differs from the handshake token' });
      reject(c, ErrorCode.UNAUTHORIZED, "session_token is not this connection's token", m.message_id);
      return;
    }
    if (m.session_id !== undefined && m.session_id !== c.session.sessionId) {
      logger.log('warn', 'foreign_session', { code: ErrorCode.UNAUTHORIZED, connection_id: c.id, message_id: m.message_id, hint: 'session_id differs from the connection session' });
      reject(c, ErrorCode.UNAUTHORIZED, "session_id is not this connection's session", m.message_id);
      return;
    }
    switch (m.type) {
      case 'user_message':
      case 'file_selected':
        if (m.pillar !== undefined && m.pillar !== c.endpoint.pillar) {
          reject(c, ErrorCode.FORBIDDEN, `pillar ${m.pillar} is not served on ${c.endpoint.key}`, m.message_id);
          return;
        }
        if (!c.live) goLive(c);
        chat.dispatch(c.stream, c.id, m, now);
        return;
      case 'ping': {
        const pong: Pong = { type: 'pong', timestamp: timestamp(), message_id: m.message_id ?? 'pong-' + (++nextId).toString(36) };
        c.reply(pong);
        return;
      }
      case 'pong':
        return;
      case 'session_resume':
        resume(c, m);
        return;
      default:
        reject(c, ErrorCode.UNSUPPORTED_TYPE, `clients may not send ${m.type}`, m.message_id);
    }
  }

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
   * unref'd), so the promise settles whatever the connections do: none, one,
   * many, a client leaving before its turn or during the closing handshake.
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
      const window = Math.min(jitterMs, deadlineMs);
      await Promise.all(conns.map((c) => closeAfter(c, Math.random() * window, code)));
      await drained(deadlineMs - (Date.now() - started));
      for (const c of closingSockets) c.socket.terminate();
      closingSockets.clear();
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

  /** Closes `c` with `code` after `delayMs`, or resolves at once when it closes by itself first. */
  function closeAfter(c: Connection, delayMs: number, code: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        shutdownWaits.delete(c);
        c.close(code, code === 1012 ? 'server restarting' : 'server going away');
        resolve();
      }, delayMs);
      shutdownWaits.set(c, () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Resolves once every socket the server closed has finished closing, or after `ms`. */
  function drained(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (closingSockets.size === 0 || ms <= 0) return resolve();
      const t = setTimeout(done, ms);
      function done(): void {
        clearTimeout(t);
        onDrained = undefined;
        resolve();
      }
      onDrained = done;
    });
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
