/**
 * Request/reply, a plugin: {@link requests}. Correlation by correlation id: a
 * reply of the `error` role rejects with {@link ServerError} (the `error-replies`
 * capability); a stream chunk never settles a request, its stream-end does.
 * Stream assembly is the streams plugin's (streaming.ts).
 */
import type { Capability, RequestsPart } from './capability.js';
import type { Clock, TimerHandle } from './clock.js';
import { MessageDroppedError, RequestTimeoutError, ServerError } from './errors.js';
import type { SendResult } from './options.js';
import { idOf, read, typeOf, type Wire, type WireMessage } from './wire.js';

interface Pending {
  resolve: (m: WireMessage) => void;
  reject: (e: Error) => void;
  timer: TimerHandle;
}

/**
 * The request/reply plugin: `request()` sends and resolves with the reply carrying the same correlation id
 * (rejecting with ServerError for a reply of the `error` role, RequestTimeoutError when none comes in time).
 * Without it, `request()` throws a TypeError and sends nothing. Works on every protocol; without the
 * correlation-id role no reply can match, so a request times out.
 */
export function requests(): Capability {
  return { name: 'requests', service: (w, clock) => new Replies(w, clock) };
}

/** Pending requests, per connection id. */
export class Replies implements RequestsPart {
  readonly #pending = new Map<string, Map<string, Pending>>();
  readonly #w: Wire;
  readonly #clock: Clock;

  /** Reads messages of protocol `w`; request timeouts run on `clock`. */
  constructor(w: Wire, clock: Clock) {
    this.#w = w;
    this.#clock = clock;
  }

  /**
   * Waits for the reply to the message `r` reports sent or queued on `id`: resolves with the first
   * message carrying its correlation id that is not a stream chunk. Rejects at once when it was dropped,
   * after `timeoutMs` with RequestTimeoutError, or with ServerError for an error reply.
   */
  wait(id: string, r: SendResult, timeoutMs: number): Promise<WireMessage> {
    if (r.status === 'dropped') return Promise.reject(new MessageDroppedError(r.reason ?? 'not-connected', { connectionId: id, messageId: r.messageId }));
    let map = this.#pending.get(id);
    if (!map) this.#pending.set(id, (map = new Map()));
    const m = map;
    return new Promise<WireMessage>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        m.delete(r.messageId);
        const hint = 'Raise the timeout or check the server is answering with the same message_id.';
        reject(new RequestTimeoutError(timeoutMs, 'reply', `no reply within ${timeoutMs} ms`, { connectionId: id, messageId: r.messageId, hint }));
      }, timeoutMs);
      m.set(r.messageId, { resolve, reject, timer });
    });
  }

  /** Feeds a server message of `id`: settles the request it answers, if any (a stream chunk answers none). */
  take(id: string, m: WireMessage): void {
    const mid = idOf(this.#w, m);
    const type = typeOf(this.#w, m);
    if (mid !== undefined && type !== this.#w.r.chunk) this.#settle(id, mid, m, type);
  }

  /** Rejects every pending request of `id` with `err`. */
  rejectAll(id: string, err: Error): void {
    const map = this.#pending.get(id);
    if (!map) return;
    this.#pending.delete(id);
    for (const p of map.values()) {
      this.#clock.clearTimeout(p.timer);
      p.reject(err);
    }
  }

  #settle(id: string, mid: string, m: WireMessage, type: string): void {
    const p = this.#pending.get(id)?.get(mid);
    if (!p) return;
    this.#pending.get(id)?.delete(mid);
    this.#clock.clearTimeout(p.timer);
    if (type !== this.#w.r.error) return p.resolve(m);
    const code = String(read(m, this.#w.f.errorCode));
    const text = read(m, this.#w.f.errorText);
    const codes = this.#w.protocol.errorCodes;
    const retryable = Object.hasOwn(codes, code) ? (codes[code]?.retryable ?? false) : false;
    p.reject(new ServerError(m, { errorCode: code, text: typeof text === 'string' ? text : undefined, retryable }, { connectionId: id, messageId: mid }));
  }
}
