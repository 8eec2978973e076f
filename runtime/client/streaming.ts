import type { Capability, ServiceEvents, StreamsPart } from './capability.js';
import type { Clock, TimerHandle } from './clock.js';
import { RequestTimeoutError } from './errors.js';
import { idOf, read, typeOf, type Wire, type WireMessage } from './wire.js';

/**
 * The streams capability (stream-chunk and stream-end roles), a plugin: {@link streams}.
 * Assembles the chunks of a protocol's `stream-chunk` role (agent_streaming in
 * the bundled protocol) into text, per correlation id and in stream-index order.
 * Repeated chunks are dropped, chunks after the `stream-end` message are ignored,
 * and out-of-order chunks wait for the gap to fill. A chunk's `stream-content`
 * is appended as is when it is a string, else as its JSON text; `chunks` keeps
 * each contiguous chunk's content as received (objects stay objects).
 * A stream that is not complete and receives nothing for `idleTimeoutMs` ends
 * with `error` (a RequestTimeoutError, code `REQUEST_TIMEOUT`): the handler that
 * produced it is gone (for example its server node died), and a new request is needed.
 */

/** One stream message, read through the protocol's field roles. */
export interface StreamPart {
  /** The correlation id of the request the stream answers. */
  id: string;
  /** `chunk` (stream-chunk role) or `end` (stream-end role). */
  kind: 'chunk' | 'end';
  /** The stream index of a chunk (0, 1, ...). */
  index: number;
  /** The chunk's content, or the end message's content when it has one. */
  content: unknown;
}

const text = (x: unknown): string => (typeof x === 'string' ? x : JSON.stringify(x) ?? '');

/** The state of one stream. */
export interface StreamState {
  /** message_id of the request this stream answers. */
  messageId: string;
  /**
   * Text of the contiguous chunks 0..n-1 received so far: string chunks as they are, other chunks as their
   * JSON text (so object chunks read `{"kind":…}{"kind":…}`: use `chunks` for those).
   */
  text: string;
  /** The content of the contiguous chunks 0..n-1, as received (a string, an object...), in stream-index order. */
  chunks: unknown[];
  /** Number of contiguous chunks in `text`. */
  contiguous: number;
  /** Chunks held back because an earlier index is missing. */
  pending: number;
  /** agent_complete arrived. */
  complete: boolean;
  /** Chunks dropped as repeats or as arriving after completion. */
  dropped: number;
  /**
   * Set when the stream ended without its stream-end message: no chunk for `idleTimeoutMs`
   * (RequestTimeoutError, code `REQUEST_TIMEOUT`). `complete` stays false; chunks after it are ignored.
   */
  error?: RequestTimeoutError;
}

/** Outcome of {@link StreamAssembler.push}. */
export type StreamEvent =
  | { kind: 'chunk' | 'complete'; state: StreamState }
  | { kind: 'timeout'; state: StreamState & { error: RequestTimeoutError } }
  | { kind: 'ignored'; reason: 'duplicate' | 'after-complete'; state: StreamState };

interface Entry {
  state: StreamState;
  parts: Map<number, unknown>;
}

const snapshot = (s: StreamState): StreamState => ({ ...s, chunks: [...s.chunks] });

/** Keeps the most recent streams (default 100) so memory stays bounded. */
export class StreamAssembler {
  readonly #streams = new Map<string, Entry>();
  readonly #keep: number;

  /** Keeps at most about `keep` streams (completed ones are forgotten first). */
  constructor(keep = 100) {
    this.#keep = keep;
  }

  /** Feeds one stream message. */
  push(msg: StreamPart): StreamEvent {
    const e = this.#entry(msg.id);
    const s = e.state;
    if (msg.kind === 'end') {
      if (s.complete || s.error) {
        s.dropped++;
        return { kind: 'ignored', reason: s.error ? 'after-complete' : 'duplicate', state: snapshot(s) };
      }
      s.complete = true;
      // A complete message may carry the final text; use it when no chunk arrived.
      if (s.text === '' && typeof msg.content === 'string') s.text = msg.content;
      return { kind: 'complete', state: snapshot(s) };
    }
    if (s.complete || s.error) {
      s.dropped++;
      return { kind: 'ignored', reason: 'after-complete', state: snapshot(s) };
    }
    const i = msg.index;
    if (i < s.contiguous || e.parts.has(i)) {
      s.dropped++;
      return { kind: 'ignored', reason: 'duplicate', state: snapshot(s) };
    }
    e.parts.set(i, msg.content);
    while (e.parts.has(s.contiguous)) {
      const next = e.parts.get(s.contiguous);
      e.parts.delete(s.contiguous);
      s.text += text(next);
      s.chunks.push(next);
      s.contiguous++;
    }
    s.pending = e.parts.size;
    return { kind: 'chunk', state: snapshot(s) };
  }

  /**
   * Ends stream `messageId` with `error` when it is neither complete nor already failed; returns the
   * timeout event, or undefined when there is nothing to end.
   */
  fail(messageId: string, error: RequestTimeoutError): StreamEvent | undefined {
    const s = this.#streams.get(messageId)?.state;
    if (!s || s.complete || s.error) return undefined;
    s.error = error;
    return { kind: 'timeout', state: { ...snapshot(s), error } };
  }

  /** The state of a stream, if known. */
  get(messageId: string): StreamState | undefined {
    const e = this.#streams.get(messageId);
    return e ? snapshot(e.state) : undefined;
  }

  /** Streams that have not completed. */
  active(): StreamState[] {
    return [...this.#streams.values()].filter((e) => !e.state.complete).map((e) => snapshot(e.state));
  }

  /** Forgets everything. */
  clear(): void {
    this.#streams.clear();
  }

  #entry(id: string): Entry {
    let e = this.#streams.get(id);
    if (!e) {
      e = { state: { messageId: id, text: '', chunks: [], contiguous: 0, pending: 0, complete: false, dropped: 0 }, parts: new Map() };
      this.#streams.set(id, e);
      if (this.#streams.size > this.#keep) {
        for (const [k, v] of this.#streams) {
          if (this.#streams.size <= this.#keep) break;
          if (v.state.complete || this.#streams.size > this.#keep * 2) this.#streams.delete(k);
        }
      }
    }
    return e;
  }
}

/** Options of {@link streams}. */
export interface StreamsOptions {
  /**
   * The longest wait, in ms, for a stream's next message (a chunk or its end) once it has started [30000,
   * the default request timeout]. When it passes, the stream ends with a RequestTimeoutError (code
   * `REQUEST_TIMEOUT`): a `timeout` stream event and an error event. `0` turns it off.
   */
  idleTimeoutMs?: number;
}

/**
 * The streams plugin: on a protocol with the stream-chunk and stream-end roles, the service assembles each
 * connection's streams by correlation id in stream-index order (`onStream`, `getStream`), and ends a stream
 * that goes silent for `idleTimeoutMs` with an error. Inert without those roles (then `getStream` is
 * undefined and `onStream` hears nothing).
 */
export function streams(options: StreamsOptions = {}): Capability {
  const idleMs = options.idleTimeoutMs ?? 30_000;
  return { name: 'streams', service: (w, clock, events) => (w.streams ? streamsPart(w, clock, events, idleMs) : undefined) };
}

function streamsPart(w: Wire, clock: Clock, events: ServiceEvents, idleMs: number): StreamsPart {
  const byConnection = new Map<string, StreamAssembler>();
  const timers = new Map<string, TimerHandle>();
  const arm = (id: string, mid: string, a: StreamAssembler, done: boolean): void => {
    const key = `${id}\u0000${mid}`;
    const old = timers.get(key);
    if (old !== undefined) clock.clearTimeout(old);
    timers.delete(key);
    if (done || idleMs <= 0) return;
    const fire = (): void => {
      timers.delete(key);
      const hint = 'The handler streaming it is gone (its server node may have died): send a new request. Raise streams({ idleTimeoutMs }) for slower streams.';
      const err = new RequestTimeoutError(idleMs, 'stream-idle', `the stream sent nothing for ${idleMs} ms and did not end`, { connectionId: id, messageId: mid, hint });
      const ev = a.fail(mid, err);
      if (!ev) return;
      events.emit(id, 'stream', ev);
      events.emit(id, 'error', err);
    };
    timers.set(key, clock.setTimeout(fire, idleMs));
  };
  return {
    take(id: string, m: WireMessage): StreamEvent | undefined {
      const type = typeOf(w, m);
      const mid = idOf(w, m);
      if (mid === undefined || (type !== w.r.chunk && type !== w.r.end)) return undefined;
      let a = byConnection.get(id);
      if (!a) byConnection.set(id, (a = new StreamAssembler()));
      const index = read(m, w.f.index);
      const ev = a.push({ id: mid, kind: type === w.r.chunk ? 'chunk' : 'end', index: typeof index === 'number' ? index : 0, content: read(m, w.f.content) });
      if (ev.kind !== 'ignored') arm(id, mid, a, ev.state.complete);
      return ev;
    },
    get: (id: string, messageId: string) => byConnection.get(id)?.get(messageId),
    forget: (id: string) => {
      byConnection.get(id)?.clear();
      for (const [k, t] of timers) {
        if (k.startsWith(`${id}\u0000`)) {
          clock.clearTimeout(t);
          timers.delete(k);
        }
      }
    },
  };
}
