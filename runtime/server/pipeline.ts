// The per-frame pipeline: binary refusal, the rate limit, parse + validate,
// direction and session checks, the application's inspection, the endpoint
// parameters (a field holding another value than its path parameter), then routing:
// role messages (ping, pong, resume) to the runtime, the others to their
// handler. Each refusal is a connection-level error reply when the protocol
// has the error role; without it, a frame that cannot be served closes the
// connection with 1008 (RFC 6455 §7.4.1) and a rate-limited one is dropped.
import type { Connection } from './connection.js';
import type { FrameClock } from './clock.js';
import { ConfigError, InvalidOutboundError } from './errors.js';
import { TokenBucket } from './limits.js';
import type { LatencySeries, ServerMetrics } from './metrics.js';
import type { MessageHandler, ResolvedOptions, ServerOptions } from './options.js';
import { paramMismatch, paramMismatchText } from './params.js';
import { goLive, resume } from './resume.js';
import { RequestTracker, type PendingRequest } from './requests.js';
import type { Message, MessageScope, RuntimeProtocol } from './roles.js';
import type { Stream } from './sessions.js';
import type { Logger } from './types.js';
import { invalidMessageReply, salvageId, StdCloseCode } from './wire.js';

/** What the frame pipeline needs from the core. */
export interface FrameContext {
  readonly opts: ResolvedOptions;
  readonly options: ServerOptions;
  readonly protocol: RuntimeProtocol;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** The server's clock: each frame's readings (handlers see it as `ConnectionContext.clock`). */
  readonly clock: FrameClock;
  /** A correlation id for a pong answering a ping without one. */
  pongId(): string;
}

/** Refuses one frame: an error reply, or (no error role) a 1008 close unless `dropOnly`. */
function reject(rt: RuntimeProtocol, c: Connection, code: string, text: string, ref: string | undefined, dropOnly = false): void {
  const reply = rt.error(code, text, { ref }, c);
  if (reply !== undefined) sendQuietly(() => c.reply(reply));
  else if (!dropOnly) c.close(StdCloseCode.POLICY_VIOLATION, `${code}: ${text}`);
}

/** Sends an error reply the runtime built; one the schema refuses (logged as invalid_outbound) is not sent and never throws into the frame loop or a timer. */
function sendQuietly(send: () => unknown): void {
  try {
    send();
  } catch (err) {
    if (!(err instanceof InvalidOutboundError)) throw err;
  }
}

/** Where a request's replies go: its session, endpoint and session stream. */
type StreamScope = MessageScope & { readonly stream: Stream };

/** A handler threw or rejected: INTERNAL_ERROR into the session stream (the text only with exposeErrors). */
function handlerFailed(ctx: FrameContext, type: string, connectionId: string, scope: StreamScope, ref: string | undefined, err: unknown): void {
  const text = err instanceof Error ? err.message : String(err);
  const hint = err instanceof InvalidOutboundError ? `the handler's ${err.type} breaks the schema: not sent, no seq taken` : 'the handler threw';
  ctx.logger.log('warn', 'handler_error', { code: 'INTERNAL_ERROR', connection_id: connectionId, message_id: ref, type, error: text, hint });
  const reply = ctx.protocol.error('INTERNAL_ERROR', ctx.options.exposeErrors ? `handler failed: ${text}` : 'the server failed while handling the message', { ref, sessionId: scope.session.sessionId }, scope);
  if (reply !== undefined) sendQuietly(() => scope.stream.send(reply));
}

/** The scope (session, endpoint, stream) of a pending request, for its replies. */
function scopeOf(req: PendingRequest): StreamScope {
  return { session: req.stream.owner.info, endpoint: req.stream.endpoint, stream: req.stream };
}

/**
 * The request tracker of a server: a settled promise is observed (latency by message type, unless the application
 * times its own handlers: `handlerMetrics: false`), a rejection becomes INTERNAL_ERROR, a deadline passed becomes the
 * `handlerTimeoutCode` error reply in the session stream.
 */
function makeRequests(ctx: FrameContext): RequestTracker {
  const { opts, protocol: rt, metrics, logger } = ctx;
  const timed = ctx.options.handlerMetrics !== false;
  const seconds = (req: PendingRequest): number => (performance.now() - req.started) / 1000;
  return new RequestTracker(opts.handlerTimeoutMs, {
    settled(req, err, failed) {
      if (timed) metrics.observeLatency(req.type, failed ? 'error' : 'ok', seconds(req));
      if (failed) handlerFailed(ctx, req.type, req.connectionId, scopeOf(req), req.ref, err);
    },
    timedOut(req) {
      const code = opts.handlerTimeoutCode;
      if (timed) metrics.observeLatency(req.type, 'timeout', seconds(req));
      logger.log('warn', 'handler_timeout', { code, connection_id: req.connectionId, message_id: req.ref, type: req.type, hint: `no answer within ${opts.handlerTimeoutMs} ms` });
      const scope = scopeOf(req);
      const reply = rt.error(code, `${req.type} was not answered within ${opts.handlerTimeoutMs} ms`, { ref: req.ref, sessionId: scope.session.sessionId }, scope);
      if (reply !== undefined) sendQuietly(() => req.stream.send(reply));
    },
  });
}

/**
 * Runs a handler (no allocation on the synchronous path) and times it into `handler_duration_seconds` by message type
 * (when the route has its `ok` series: `handlerMetrics` is not false), from `at`, the frame's arrival, as the README
 * says: a handler that returns (anything but a thenable) is done, observed `ok` at one clock read after its call
 * (the read the next frame of the same socket read may share, clock.ts); a throw is observed `error` and goes to
 * {@link handlerFailed}; a promise (any thenable) becomes a pending request (deadline, in-flight count), observed
 * when it settles (`ok`, `error`) or times out (`timeout`). `now` and `at` are the frame's epoch (Date.now() ms) and
 * monotonic (performance.now() ms) readings; the handler gets `now`, and `at` as `connection.clock.frameAt`.
 */
function runHandler(ctx: FrameContext, requests: RequestTracker, route: HandlerRoute, m: Message, type: string, c: Connection, ref: string | undefined, now: number, at: number): void {
  // The message is the client's, untouched: a request sent without a correlation id has none, and gets a server id
  // only from a stream reply (RequestTracker.streamRef); one started during this call is this request's.
  requests.enter();
  let r: unknown;
  try {
    r = route.handler(m, c, now);
  } catch (err) {
    const given = requests.leave();
    if (route.ok !== undefined) ctx.metrics.observeLatency(type, 'error', (ctx.clock.read() - at) / 1000);
    handlerFailed(ctx, type, c.id, c, ref ?? given, err);
    return;
  }
  const given = requests.leave();
  // Only a thenable is a pending request; any other value (a JavaScript handler returning what its last call did) is done.
  if (typeof r === 'object' && r !== null && typeof (r as PromiseLike<unknown>).then === 'function') {
    requests.track(r as PromiseLike<unknown>, c.stream, ref ?? given, type, c.id, at);
  } else if (route.ok !== undefined) route.ok.observe((ctx.clock.read() - at) / 1000);
}

/**
 * Checks the options the pipeline reads against the protocol.
 * @throws {ConfigError} (code WSGEN_CONFIG) when `handlerTimeoutCode` is not an error code of the protocol.
 */
export function checkPipelineOptions(rt: RuntimeProtocol, opts: ResolvedOptions): void {
  const codes = rt.descriptor.errorCodes;
  if (rt.role.error !== undefined && !(opts.handlerTimeoutCode in codes)) {
    throw new ConfigError('handlerTimeoutCode', `${opts.handlerTimeoutCode} is not an error code of ${rt.descriptor.name}`, `one of: ${Object.keys(codes).join(', ')}`);
  }
}

/**
 * Where a valid message of one type goes, decided once per server (not per frame): refused (clients may not send
 * the type), a role message the runtime answers (ping, pong, resume), a handler, or no handler on this server.
 */
type Route = { readonly kind: 'server-only' } | { readonly kind: 'ping' | 'pong' | 'resume' } | HandlerRoute | { readonly kind: 'unhandled' };

/** A handler's route: the handler and its `ok` latency series (cached: observing is an array increment), undefined when the application times its handlers itself (`handlerMetrics: false`). */
interface HandlerRoute {
  readonly kind: 'handler';
  readonly handler: MessageHandler<Message>;
  readonly ok: LatencySeries | undefined;
}

/** The route of every message type of the protocol (the table onFrame reads: one Map lookup per frame); `metrics`: where handlers are timed, if they are. */
function routeTable(rt: RuntimeProtocol, handlers: Readonly<Record<string, MessageHandler<Message> | undefined>>, metrics: ServerMetrics | undefined): Map<string, Route> {
  const heartbeat = rt.has('heartbeat');
  const resumeType = rt.has('resume') ? rt.role['session-resume'] : undefined;
  const table = new Map<string, Route>();
  for (const type of Object.keys(rt.descriptor.messages)) {
    const h = handlers[type];
    let route: Route;
    if (!rt.isClientType(type)) route = { kind: 'server-only' };
    else if (heartbeat && type === rt.role.ping) route = { kind: 'ping' };
    else if (heartbeat && type === rt.role.pong) route = { kind: 'pong' };
    else if (type === resumeType) route = { kind: 'resume' };
    else if (h !== undefined) route = { kind: 'handler', handler: h, ok: metrics?.latencySeries(type, 'ok') };
    else route = { kind: 'unhandled' };
    table.set(type, route);
  }
  return table;
}

/** A type the parser accepted that the table does not know (a descriptor whose parser and message list disagree): refused like a server-only one. */
const UNKNOWN_ROUTE: Route = { kind: 'server-only' };

/**
 * The checks of a valid message before routing: direction, session id, the application's inspection, then (a type
 * a handler may serve, not ping, pong or resume) the endpoint-parameter rule: a field named like a path parameter
 * holding another value is FORBIDDEN (params.ts).
 */
function admit(ctx: FrameContext, c: Connection, m: Message, type: string, ref: string | undefined, route: Route): boolean {
  const rt = ctx.protocol;
  if (route.kind === 'server-only') {
    reject(rt, c, 'UNSUPPORTED_TYPE', `clients may not send ${type}`, ref);
    return false;
  }
  const sid = rt.field['session-id'];
  if (sid !== undefined && m[sid] !== undefined && m[sid] !== c.session.sessionId) {
    ctx.logger.log('warn', 'foreign_session', { code: 'UNAUTHORIZED', connection_id: c.id, message_id: ref, hint: `${sid} differs from the connection session` });
    reject(rt, c, 'UNAUTHORIZED', `${sid} is not this connection's session`, ref);
    return false;
  }
  const refusal = ctx.options.inspect?.(m, c);
  if (refusal !== undefined) {
    reject(rt, c, refusal.code, refusal.text, ref);
    return false;
  }
  if (route.kind === 'handler' || route.kind === 'unhandled') {
    const p = paramMismatch(m, c.endpoint);
    if (p !== undefined) {
      reject(rt, c, 'FORBIDDEN', paramMismatchText(p, c.endpoint), ref);
      return false;
    }
  }
  return true;
}

/** The per-frame pipeline of a server: the frame handler and the handlers' pending requests. */
export interface FramePipeline {
  /**
   * Handles one inbound frame of a connection (text UTF-8 decoded, or isBinary). `continued`: the frame follows a
   * frame of the same connection handled in the same synchronous run (the next frame of one socket read), so it may
   * share that frame's clock reading (clock.ts, FrameClock).
   */
  onFrame(c: Connection, text: string, isBinary: boolean, continued?: boolean): void;
  /** Promises returned by handlers, with their deadlines. */
  readonly requests: RequestTracker;
}

/** Creates the per-frame pipeline of a server. */
export function makeFrameHandler(ctx: FrameContext): FramePipeline {
  const { opts, metrics, logger, protocol: rt } = ctx;
  const requests = makeRequests(ctx);
  const handlers = (ctx.options.handlers ?? {}) as Readonly<Record<string, MessageHandler<Message> | undefined>>;
  const { tag } = rt;
  const refField = rt.field['correlation-id'];
  const routes = routeTable(rt, handlers, ctx.options.handlerMetrics === false ? undefined : metrics);
  const clock = ctx.clock;
  function onFrame(c: Connection, text: string, isBinary: boolean, continued = false): void {
    if (c.closed) return;
    c.alive = true;
    c.messagesIn++;
    if (isBinary) {
      metrics.countInvalid('binary');
      logger.log('info', 'binary_frame', { code: 'INVALID_MESSAGE', connection_id: c.id, hint: 'the protocol is text-only' });
      c.close(StdCloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
      return;
    }
    clock.frame(continued);
    const now = clock.now;
    const at = clock.frameAt; // (kept here: the frame's own, whatever runs before its handler)
    c.lastSeenAt = now;
    const rl = opts.rateLimit;
    // The bucket is created on the first frame (full, as it would be by then): idle connections carry none.
    const bucket = rl ? (c.bucket ??= TokenBucket.from(rl, now)) : undefined;
    if (bucket !== undefined && !bucket.take(now)) {
      metrics.rateLimited++;
      if (rl && ++c.strikes >= rl.closeAfter) {
        const code = rt.closeCode('RATE_LIMIT_EXCEEDED');
        logger.log('warn', 'rate_limit_exceeded', { code, connection_id: c.id, hint: 'kept flooding after RATE_LIMITED' });
        c.close(code, 'rate limit exceeded');
        return;
      }
      reject(rt, c, 'RATE_LIMITED', 'too many messages: this one was dropped; slow down', undefined, true);
      return;
    }
    c.strikes = 0;
    const r = rt.descriptor.parse(text);
    if (!r.ok) {
      const first = r.errors[0];
      metrics.countInvalid(first?.keyword ?? 'unknown');
      const id = salvageId(text, refField);
      logger.log('debug', 'invalid_message', { code: 'INVALID_MESSAGE', connection_id: c.id, message_id: id, path: first?.path, keyword: first?.keyword });
      const reply = invalidMessageReply(rt, r.errors, id, c);
      if (reply !== undefined) c.reply(reply);
      else c.close(StdCloseCode.POLICY_VIOLATION, `INVALID_MESSAGE at "${first?.path ?? ''}": ${first?.message ?? 'invalid'}`);
      return;
    }
    const m = r.value as Message;
    const type = m[tag] as string;
    metrics.countIn(type);
    const ref = refField !== undefined ? (m[refField] as string | undefined) : undefined;
    const route = routes.get(type) ?? UNKNOWN_ROUTE;
    if (!admit(ctx, c, m, type, ref, route)) return;
    if (route.kind !== 'handler') {
      if (route.kind === 'ping') {
        const pong = rt.pong(ref ?? ctx.pongId(), c);
        if (pong !== undefined) c.reply(pong);
      } else if (route.kind === 'resume') resume(rt, c, m);
      else if (route.kind === 'unhandled') reject(rt, c, 'UNSUPPORTED_TYPE', `no handler serves ${type} on ${c.endpoint.key}`, ref);
      return; // (a pong needs nothing more: the frame marked the connection alive)
    }
    if (!c.live) goLive(rt, c);
    runHandler(ctx, requests, route, m, type, c, ref, now, at);
  }
  return { onFrame, requests };
}
