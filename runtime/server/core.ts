// The transport-agnostic server core (like graphql-ws's makeServer): wires the
// handshake decision (handshake.ts), the per-frame pipeline (pipeline.ts),
// sessions with replay and resume (sessions.ts, resume.ts), publishing,
// heartbeat, health, metrics and graceful shutdown (shutdown.ts). Transports
// (ws.ts) only move frames.
import { randomUUID } from 'node:crypto';
import { FrameClock } from './clock.js';
import { Connection, type ConnectionHealth, type ConnectionShared } from './connection.js';
import type { ProtocolDescriptor, ServerInputOf } from './descriptor.js';
import { expandEndpoints, type EndpointSpecs } from './endpoints.js';
import { ConfigError, InvalidOutboundError } from './errors.js';
import { decideHandshake, type AcceptedHandshake, type HandshakeContext, type HandshakeRequest, type HandshakeResult } from './handshake.js';
import { Heartbeat } from './heartbeat.js';
import { defaultLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { judgeAsSent } from './outbound.js';
import { resolveOptions, type ResolvedOptions, type ServerOptions } from './options.js';
import { checkPipelineOptions, makeFrameHandler } from './pipeline.js';
import { Registry, type Audience } from './registry.js';
import { goLive } from './resume.js';
import { bindProtocol, type Message, type RuntimeProtocol } from './roles.js';
import { SessionStore, type SessionBackend, type SessionState, type SessionStoreOptions, type Stream } from './sessions.js';
import { ConnectionShutdown } from './shutdown.js';
import type { Endpoint, Logger, TransportSocket } from './types.js';

export type { HandshakeRequest, AcceptedHandshake, RefusedHandshake, HandshakeResult } from './handshake.js';

/** What a transport calls for one open socket. */
export interface ConnectionHandle {
  /** The connection id ("" when the connection was refused after the upgrade). */
  readonly id: string;
  /**
   * One inbound frame: its text (UTF-8 decoded), or isBinary for a binary frame. `continued` (default false): the
   * frame follows a frame of this connection that was handled in the same synchronous run (the next frame of one
   * socket read), so it may reuse that frame's clock reading; a transport that cannot tell passes false.
   */
  onMessage(text: string, isBinary: boolean, continued?: boolean): void;
  /** A transport-level pong arrived. */
  onPong(): void;
  /** The socket closed (by either side, or was lost). */
  onClose(code: number, reason: string): void;
}

/** The server core of protocol `P` (its messages type sendToSession and publish). */
export interface ServerCore<P extends ProtocolDescriptor = ProtocolDescriptor> {
  /** Resolved options (limits the transport must apply, such as maxPayload). */
  readonly options: ResolvedOptions;
  readonly registry: Registry;
  /** Sessions and their streams (the in-memory SessionStore unless `sessionStore` made another). */
  readonly sessions: SessionBackend;
  readonly metrics: ServerMetrics;
  /**
   * Settles once the core may take connections: at once in memory; with a shared store, once this node is announced
   * there (presence key) and subscribed, or after the store's command timeout when it is down. Never rejects.
   */
  readonly ready: Promise<void>;
  /** The runtime view of the protocol descriptor. */
  readonly protocol: RuntimeProtocol;
  /** Every concrete endpoint, by request path. */
  readonly endpoints: ReadonlyMap<string, Endpoint>;
  /** Requests being handled: handlers' pending promises, plus the `inFlight` option's count. */
  readonly inFlight: number;
  readonly logger: Logger;
  /** True once close() started: handshakes are refused with 503. */
  readonly closing: boolean;
  /** While closing: the Retry-After (seconds) of a 503, the shutdown deadline rounded up (at least 1). */
  readonly retryAfter: number;
  /** Decides an upgrade request (auth, origin, routing) before any WebSocket exists. */
  handshake(req: HandshakeRequest): Promise<HandshakeResult>;
  /** Attaches an upgraded socket; returns the handle the transport feeds. */
  open(socket: TransportSocket, accepted: AcceptedHandshake): ConnectionHandle;
  /** Sends a server message into a session's stream on an endpoint (numbered, buffered, replayable with resume). */
  sendToSession(sessionId: string, endpointKey: string, msg: ServerInputOf<P>): boolean;
  /**
   * Sends a server message to every connection of an audience (same realm and tenant always), one copy per stream
   * (each gets its own seq), with the `sessionFields` of its connection's session (on every node, so a copy is the
   * same whichever node published it). Returns how many streams of this node got it.
   */
  publish(audience: Audience, msg: ServerInputOf<P>): number;
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
   * call returns the same promise. `quiet`: log no `shutdown_started`/`shutdown_complete` (a server that never
   * listened releases its core this way: it had nothing to shut down).
   */
  close(options?: { quiet?: boolean }): Promise<void>;
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

/**
 * Refuses handlers the runtime would never call: unknown or server-only types, and role messages it answers itself.
 * Each hint lists the types a handler may be registered for (client or both directions, less those role messages).
 */
function checkHandlers(rt: RuntimeProtocol, handlers: Readonly<Record<string, unknown>> | undefined): void {
  const answered = new Set([rt.role.ping, rt.role.pong, rt.role['session-resume']].filter((t) => t !== undefined));
  const allowed = Object.keys(rt.descriptor.messages).filter((t) => rt.isClientType(t) && !answered.has(t));
  const listed = allowed.length > 0 ? allowed.join(', ') : 'none: the protocol has no message a handler answers';
  for (const type of Object.keys(handlers ?? {})) {
    if (!(type in rt.descriptor.messages)) throw new ConfigError(`handlers.${type}`, `${type} is not a message type of ${rt.descriptor.name}`, `register a handler for one of: ${listed}`);
    if (!rt.isClientType(type)) throw new ConfigError(`handlers.${type}`, `clients may not send ${type} (x-direction server)`, `remove it; a handler may be registered for: ${listed}`);
    if (answered.has(type)) throw new ConfigError(`handlers.${type}`, `${type} is a role message the runtime answers itself`, `remove it; a handler may be registered for: ${listed}`);
  }
}

/**
 * Creates the transport-agnostic server core for the protocol of `options.protocol`.
 * @throws {ConfigError} (code WSGEN_CONFIG) when the endpoints or handlers cannot work with the protocol.
 */
export function makeServer<P extends ProtocolDescriptor, const E extends EndpointSpecs<P> = EndpointSpecs<P>>(options: ServerOptions<P, E>): ServerCore<P> {
  const rt = bindProtocol(options.protocol, options.decorate);
  checkHandlers(rt, options.handlers as Readonly<Record<string, unknown>> | undefined);
  const base = options as unknown as ServerOptions; // the handlers' message and endpoint types are the descriptor's
  const endpoints = expandEndpoints(base.endpoints, options.protocol);
  const opts = resolveOptions(base, rt.lowPriority);
  checkPipelineOptions(rt, opts);
  const logger = options.logger ?? defaultLogger;
  const registry = new Registry();
  const metrics = new ServerMetrics(registry, options.metricsPrefix);
  const check = (value: unknown): ReturnType<typeof rt.descriptor.validate> => rt.descriptor.validate(value);
  const validate = opts.validateOutbound
    ? (msg: Message): void => {
        const r = judgeAsSent(check, msg); // a key set to undefined is judged as its JSON leaves it: out
        if (!r.ok) {
          const err = new InvalidOutboundError(String(msg[rt.tag]), r.errors);
          logger.log('error', 'invalid_outbound', { code: err.code, type: err.type, errors: r.errors, hint: err.hint });
          throw err;
        }
      }
    : undefined;

  const shutdown = new ConnectionShutdown();
  let closing = false;
  let closePromise: Promise<void> | undefined;

  const storeOptions: SessionStoreOptions = {
    limits: opts.replay,
    detachedTtlMs: opts.detachedTtlMs,
    lowPriority: new Set(opts.backpressure.lowPriorityTypes),
    validate,
    protocol: rt,
    logger,
    onDrop: () => void metrics.dropped++,
    onExpire: (state: SessionState) => expire(state),
  };
  const sessions: SessionBackend = options.sessionStore?.(storeOptions) ?? new SessionStore(storeOptions);
  const cluster = sessions.cluster;

  const clock = new FrameClock(); // this server's own: no reading of another server serves its frames
  const shared: ConnectionShared = {
    clock,
    onFrame: (c, text, isBinary, continued) => onFrame(c, text, isBinary, continued),
    onSocketClose: (c, code, reason) => {
      if (!c.closed) shared.onClosed(c, code, reason, false);
      shutdown.socketClosed(c);
    },
    softBytes: opts.backpressure.softBytes,
    hardBytes: opts.backpressure.hardBytes,
    validate,
    protocol: rt,
    streamRef: (c, ref) => pipeline.requests.streamRef(c.stream, ref, c.id),
    watchStream: (stream, ref) => pipeline.requests.watch(stream, ref),
    countOut: (type) => metrics.countOut(type),
    onSlow: (c) => {
      const code = rt.closeCode('SLOW_CONSUMER');
      logger.log('warn', 'slow_consumer', { code, connection_id: c.id, buffered: c.socket.bufferedAmount, hint: 'client reads too slowly' });
      c.close(code, 'slow consumer: send buffer over budget');
    },
    onClosed: (c, code, reason, byServer) => {
      c.closed = true;
      if (c.resumeTimer !== undefined) clearTimeout(c.resumeTimer);
      registry.remove(c);
      cluster?.closed(c);
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
      options.onAbort?.(stream);
      pipeline.requests.abortAll(stream);
      const c = stream.conn;
      const msg = rt.expired({ session: state.info, endpoint: stream.endpoint });
      if (msg !== undefined) stream.send(msg);
      if (c instanceof Connection) c.close(rt.closeCode('SESSION_EXPIRED'), 'session expired: refresh the token and reconnect');
    }
    sessions.drop(state);
  }

  const heartbeat = new Heartbeat(
    opts.heartbeatIntervalMs,
    () => registry.all(),
    (c) => {
      const code = rt.closeCode('HEARTBEAT_TIMEOUT');
      logger.log('info', 'heartbeat_timeout', { code, connection_id: c.id, hint: 'no pong within one interval' });
      c.terminate(code, 'heartbeat timeout');
    },
  );
  heartbeat.start();
  const sweeper = setInterval(() => sessions.sweep(), Math.min(5_000, Math.max(100, opts.replay.ttlMs / 4)));
  sweeper.unref();

  const ready: Promise<void> = cluster?.bind({
    publishLocal: (audience, msg) => publishLocal(audience, msg),
    closeLinked: (stream, why, reason) => {
      const c = stream.conn;
      if (c instanceof Connection) c.close(why === 'REPLACED' ? rt.closeCode('REPLACED') : 1012, reason);
    },
  }) ?? Promise.resolve();

  let nextId = 0;
  const idPrefix = randomUUID().slice(0, 8) + '-';

  /** Retry-After of a refusal while shutting down: the shutdown deadline, in whole seconds (at least 1). */
  function retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(opts.shutdown.deadlineMs / 1000));
  }

  const handshakeContext: HandshakeContext = { options: base, protocol: rt, endpoints, metrics, logger, closing: () => closing, retryAfter: retryAfterSeconds };
  const handshake =
    cluster === undefined
      ? (req: HandshakeRequest): Promise<HandshakeResult> => decideHandshake(handshakeContext, req)
      : async (req: HandshakeRequest): Promise<HandshakeResult> => {
          const r = await decideHandshake(handshakeContext, req);
          if (r.ok) await cluster.prepare(r.session, r.endpoint); // link in the shared store before the upgrade
          return r;
        };
  const resumable = rt.has('resume');

  function open(socket: TransportSocket, a: AcceptedHandshake): ConnectionHandle {
    const { session, endpoint } = a;
    if (closing) {
      socket.close(opts.shutdown.code, 'shutting down');
      return NOOP_HANDLE;
    }
    const { stream, rejoined } = sessions.linkConnectionToSession(session, endpoint);
    const previous = stream.conn instanceof Connection ? stream.conn : undefined;
    const userCount = registry.forUser(session.userId).size + (cluster?.remoteConnections(session.userId) ?? 0) - (previous !== undefined ? 1 : 0);
    if (userCount >= opts.maxConnectionsPerUser) {
      const code = rt.closeCode('TOO_MANY_CONNECTIONS');
      metrics.countClose(code);
      logger.log('warn', 'too_many_connections', { code, user_id: session.userId, limit: opts.maxConnectionsPerUser });
      socket.close(code, `too many connections for this user (limit ${opts.maxConnectionsPerUser})`);
      if (stream.conn === undefined && stream.detachedAt === 0) stream.detachedAt = Date.now();
      return NOOP_HANDLE;
    }
    const c = new Connection(idPrefix + (++nextId).toString(36), socket, endpoint, session, ownCopy(a.token), stream, shared);
    if (previous !== undefined) {
      stream.conn = c;
      previous.close(rt.closeCode('REPLACED'), 'replaced by a newer connection of the same session');
    }
    stream.conn = c;
    stream.detachedAt = 0;
    registry.add(c);
    cluster?.opened(c);
    metrics.opened++;
    c.resumeFloor = stream.seq;
    const created = rt.created(c, stream.epoch, stream.seq);
    if (created !== undefined) c.reply(created);
    if (rejoined && resumable) {
      // Hold live messages until the client says what it has (its resume message), so replay stays in order.
      c.live = false;
      c.resumeTimer = setTimeout(() => goLive(rt, c), opts.resumeWaitMs);
      c.resumeTimer.unref();
    }
    logger.log('info', 'connection_opened', { connection_id: c.id, session_id: session.sessionId, user_id: session.userId, realm: session.realm, endpoint: endpoint.key, rejoined });
    return c; // the connection is its own handle (no closures per connection)
  }

  const pipeline = makeFrameHandler({ opts, options: base, protocol: rt, metrics, logger, clock, pongId: () => 'pong-' + (++nextId).toString(36) });
  const onFrame = pipeline.onFrame;

  function sendToSession(sessionId: string, endpointKey: string, msg: ServerInputOf<P>): boolean {
    const stream: Stream | undefined = sessions.findStream(sessionId, endpointKey);
    if (cluster !== undefined && stream?.conn === undefined) return cluster.route(sessionId, endpointKey, msg as unknown as Message);
    return stream !== undefined && stream.send(msg as unknown as Message);
  }

  function publish(audience: Audience, msg: ServerInputOf<P>): number {
    cluster?.publish(audience, msg as unknown as Message);
    return publishLocal(audience, msg as unknown as Message);
  }

  /**
   * Delivers to this node's connections of an audience, one copy per stream (each gets its own seq). Every per-copy
   * field comes from `sessionFields`, computed here: a publish of another node gets the same fields as a local one.
   */
  function publishLocal(audience: Audience, msg: Message): number {
    const fields = options.sessionFields;
    let n = 0;
    for (const c of registry.select(audience)) {
      const copy: Message = fields === undefined ? { ...msg } : { ...msg, ...fields(c.session) };
      if (c.stream.send(copy)) n++;
    }
    return n;
  }

  /**
   * Graceful shutdown. Every timer it waits on holds the event loop (none is
   * unref'd, see shutdown.ts), so the promise settles whatever the connections do:
   * none, one, many, a client leaving before its turn or during the closing handshake.
   * It takes at most about shutdown.deadlineMs plus onFlush's own time.
   */
  function close({ quiet = false }: { quiet?: boolean } = {}): Promise<void> {
    if (closePromise) return closePromise;
    closing = true;
    heartbeat.stop();
    clearInterval(sweeper);
    const { code, jitterMs, deadlineMs } = opts.shutdown;
    closePromise = (async () => {
      const conns = [...registry.all()];
      if (!quiet) logger.log('info', 'shutdown_started', { connections: conns.length, code, jitter_ms: jitterMs, deadline_ms: deadlineMs });
      const started = Date.now();
      await shutdown.run(conns, opts.shutdown);
      options.onAbort?.();
      pipeline.requests.abortAll();
      if (options.onFlush) {
        const flushed = [...sessions.streams()].map((s) => ({ sessionId: s.owner.info.sessionId, endpoint: s.endpoint.key, epoch: s.epoch, seq: s.seq, messages: s.snapshot() }));
        try {
          await options.onFlush(flushed);
        } catch (err) {
          logger.log('error', 'flush_failed', { code: 'INTERNAL_ERROR', error: err instanceof Error ? err.message : String(err), hint: 'the onFlush option threw: the flushed streams may not be saved' });
        }
      }
      sessions.clear();
      await cluster?.close();
      if (!quiet) logger.log('info', 'shutdown_complete', { ms: Date.now() - started });
    })();
    return closePromise;
  }

  return {
    options: opts,
    registry,
    sessions,
    metrics,
    ready,
    logger,
    protocol: rt,
    endpoints,
    get inFlight() {
      return (options.inFlight?.() ?? 0) + pipeline.requests.size;
    },
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
