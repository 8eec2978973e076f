// The per-frame pipeline: binary refusal, the rate limit, parse + validate,
// direction and session checks, then routing (chat dispatch, ping, resume).
// Each refusal is a connection-level reply (protocol.ts isConnectionLevel).
import { CloseCode, ErrorCode, parseMessage, type Pong } from '../../generated/ts/index.js';
import { safeEqual } from './auth.js';
import type { ChatService } from './chat.js';
import type { Connection } from './connection.js';
import { TokenBucket } from './limits.js';
import type { ServerMetrics } from './metrics.js';
import type { ResolvedOptions } from './options.js';
import { errorMessage, invalidMessageReply, isClientType, salvageMessageId, StdCloseCode, timestamp } from './protocol.js';
import { goLive, resume } from './resume.js';
import type { Logger } from './types.js';

/** What the frame pipeline needs from the core. */
export interface FrameContext {
  readonly opts: ResolvedOptions;
  readonly metrics: ServerMetrics;
  readonly logger: Logger;
  readonly chat: ChatService;
  /** A message_id for a pong answering a ping without one. */
  pongId(): string;
}

/** Refuses one frame with a connection-level error_message. */
function reject(c: Connection, code: ErrorCode, text: string, messageId: string | undefined): void {
  c.reply(errorMessage(code, text, { message_id: messageId }));
}

/** Creates the handler of one inbound frame of a connection (text UTF-8 decoded, or isBinary). */
export function makeFrameHandler(ctx: FrameContext): (c: Connection, text: string, isBinary: boolean) => void {
  const { opts, metrics, logger, chat } = ctx;
  return function onFrame(c: Connection, text: string, isBinary: boolean): void {
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
        const pong: Pong = { type: 'pong', timestamp: timestamp(), message_id: m.message_id ?? ctx.pongId() };
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
  };
}
