// The per-frame pipeline: binary refusal, the rate limit, parse + validate,
// direction and session checks, the application's inspection, then routing:
// role messages (ping, pong, resume) to the runtime, the others to their
// handler. Each refusal is a connection-level error reply when the protocol
// has the error role; without it, a frame that cannot be served closes the
// connection with 1008 (RFC 6455 §7.4.1) and a rate-limited one is dropped.
import type { Connection } from './connection.js';
import { TokenBucket } from './limits.js';
import type { ServerMetrics } from './metrics.js';
import type { MessageHandler, ResolvedOptions, ServerOptions } from './options.js';
import { goLive, resume } from './resume.js';
import type { Message, RuntimeProtocol } from './roles.js';
import type { Logger } from './types.js';
import { invalidMessageReply, salvageId, StdCloseCode } from './wire.js';

/** What the frame pipeline needs from the core. */
export interface FrameContext {
  readonly opts: ResolvedOptions;
  readonly options: ServerOptions;
  readonly protocol: RuntimeProtocol;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  /** A correlation id for a pong answering a ping without one. */
  pongId(): string;
}

/** Refuses one frame: an error reply, or (no error role) a 1008 close unless `dropOnly`. */
function reject(rt: RuntimeProtocol, c: Connection, code: string, text: string, ref: string | undefined, dropOnly = false): void {
  const reply = rt.error(code, text, { ref }, c);
  if (reply !== undefined) c.reply(reply);
  else if (!dropOnly) c.close(StdCloseCode.POLICY_VIOLATION, `${code}: ${text}`);
}

/** A handler threw or rejected: INTERNAL_ERROR into the session stream (the text only with exposeErrors). */
function handlerFailed(ctx: FrameContext, m: Message, c: Connection, ref: string | undefined, err: unknown): void {
  const text = err instanceof Error ? err.message : String(err);
  ctx.logger.log('warn', 'handler_error', { code: 'INTERNAL_ERROR', connection_id: c.id, message_id: ref, type: m[ctx.protocol.tag], error: text, hint: 'the handler threw' });
  const reply = ctx.protocol.error('INTERNAL_ERROR', ctx.options.exposeErrors ? `handler failed: ${text}` : 'the server failed while handling the message', { ref, sessionId: c.session.sessionId }, c);
  if (reply !== undefined && !c.closed) c.stream.send(reply);
}

/** Runs a handler (no allocation on the synchronous path); a throw or a rejection goes to {@link handlerFailed}. */
function runHandler(ctx: FrameContext, h: MessageHandler<Message>, m: Message, c: Connection, ref: string | undefined, now: number): void {
  try {
    const r = h(m, c, now);
    if (r !== undefined) r.then(undefined, (err: unknown) => handlerFailed(ctx, m, c, ref, err));
  } catch (err) {
    handlerFailed(ctx, m, c, ref, err);
  }
}

/** The checks of a valid message before routing: direction, session id, the application's inspection. */
function admit(ctx: FrameContext, c: Connection, m: Message, type: string, ref: string | undefined): boolean {
  const rt = ctx.protocol;
  if (!rt.isClientType(type)) {
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
  return true;
}

/** Creates the handler of one inbound frame of a connection (text UTF-8 decoded, or isBinary). */
export function makeFrameHandler(ctx: FrameContext): (c: Connection, text: string, isBinary: boolean) => void {
  const { opts, metrics, logger, protocol: rt } = ctx;
  const handlers = (ctx.options.handlers ?? {}) as Readonly<Record<string, MessageHandler<Message> | undefined>>;
  const { tag, role } = rt;
  const refField = rt.field['correlation-id'];
  const resumeType = rt.has('resume') ? role['session-resume'] : undefined;
  const pingType = rt.has('heartbeat') ? role.ping : undefined;
  const pongType = rt.has('heartbeat') ? role.pong : undefined;
  return function onFrame(c: Connection, text: string, isBinary: boolean): void {
    if (c.closed) return;
    c.alive = true;
    c.messagesIn++;
    if (isBinary) {
      metrics.countInvalid('binary');
      logger.log('info', 'binary_frame', { code: 'INVALID_MESSAGE', connection_id: c.id, hint: 'the protocol is text-only' });
      c.close(StdCloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
      return;
    }
    const now = Date.now();
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
    if (!admit(ctx, c, m, type, ref)) return;
    if (type === pingType) {
      const pong = rt.pong(ref ?? ctx.pongId(), c);
      if (pong !== undefined) c.reply(pong);
      return;
    }
    if (type === pongType) return;
    if (type === resumeType) {
      resume(rt, c, m);
      return;
    }
    const h = handlers[type];
    if (h === undefined) {
      reject(rt, c, 'UNSUPPORTED_TYPE', `no handler serves ${type} on ${c.endpoint.key}`, ref);
      return;
    }
    if (!c.live) goLive(rt, c);
    runHandler(ctx, h, m, c, ref, now);
  };
}
