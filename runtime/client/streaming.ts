import type { Capability, StreamsPart } from './capability.js';
import { idOf, read, typeOf, type Wire, type WireMessage } from './wire.js';

/**
 * The streams capability (stream-chunk and stream-end roles), a plugin: {@link streams}.
 * Assembles the chunks of a protocol's `stream-chunk` role (agent_streaming in
 * the bundled protocol) into text, per correlation id and in stream-index order.
 * Repeated chunks are dropped, chunks after the `stream-end` message are ignored,
 * and out-of-order chunks wait for the gap to fill. A chunk's `stream-content`
 * is appended as is when it is a string, else as its JSON text.
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
  /** Text of the contiguous chunks 0..n-1 received so far. */
  text: string;
  /** Number of contiguous chunks in `text`. */
  contiguous: number;
  /** Chunks held back because an earlier index is missing. */
  pending: number;
  /** agent_complete arrived. */
  complete: boolean;
  /** Chunks dropped as repeats or as arriving after completion. */
  dropped: number;
}

/** Outcome of {@link StreamAssembler.push}. */
export type StreamEvent = { kind: 'chunk' | 'complete'; state: StreamState } | { kind: 'ignored'; reason: 'duplicate' | 'after-complete'; state: StreamState };

interface Entry {
  state: StreamState;
  parts: Map<number, string>;
}

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
      if (s.complete) {
        s.dropped++;
        return { kind: 'ignored', reason: 'duplicate', state: { ...s } };
      }
      s.complete = true;
      // A complete message may carry the final text; use it when no chunk arrived.
      if (s.text === '' && typeof msg.content === 'string') s.text = msg.content;
      return { kind: 'complete', state: { ...s } };
    }
    if (s.complete) {
      s.dropped++;
      return { kind: 'ignored', reason: 'after-complete', state: { ...s } };
    }
    const i = msg.index;
    if (i < s.contiguous || e.parts.has(i)) {
      s.dropped++;
      return { kind: 'ignored', reason: 'duplicate', state: { ...s } };
    }
    e.parts.set(i, text(msg.content));
    let next = e.parts.get(s.contiguous);
    while (next !== undefined) {
      e.parts.delete(s.contiguous);
      s.text += next;
      s.contiguous++;
      next = e.parts.get(s.contiguous);
    }
    s.pending = e.parts.size;
    return { kind: 'chunk', state: { ...s } };
  }

  /** The state of a stream, if known. */
  get(messageId: string): StreamState | undefined {
    const e = this.#streams.get(messageId);
    return e ? { ...e.state } : undefined;
  }

  /** Streams that have not completed. */
  active(): StreamState[] {
    return [...this.#streams.values()].filter((e) => !e.state.complete).map((e) => ({ ...e.state }));
  }

  /** Forgets everything. */
  clear(): void {
    this.#streams.clear();
  }

  #entry(id: string): Entry {
    let e = this.#streams.get(id);
    if (!e) {
      e = { state: { messageId: id, text: '', contiguous: 0, pending: 0, complete: false, dropped: 0 }, parts: new Map() };
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

/**
 * The streams plugin: on a protocol with the stream-chunk and stream-end roles, the service assembles each
 * connection's streams by correlation id in stream-index order (`onStream`, `getStream`). Inert without
 * those roles (then `getStream` is undefined and `onStream` hears nothing).
 */
export function streams(): Capability {
  return { name: 'streams', service: (w) => (w.streams ? streamsPart(w) : undefined) };
}

function streamsPart(w: Wire): StreamsPart {
  const byConnection = new Map<string, StreamAssembler>();
  return {
    take(id: string, m: WireMessage): StreamEvent | undefined {
      const type = typeOf(w, m);
      const mid = idOf(w, m);
      if (mid === undefined || (type !== w.r.chunk && type !== w.r.end)) return undefined;
      let a = byConnection.get(id);
      if (!a) byConnection.set(id, (a = new StreamAssembler()));
      const index = read(m, w.f.index);
      return a.push({ id: mid, kind: type === w.r.chunk ? 'chunk' : 'end', index: typeof index === 'number' ? index : 0, content: read(m, w.f.content) });
    },
    get: (id: string, messageId: string) => byConnection.get(id)?.get(messageId),
    forget: (id: string) => void byConnection.get(id)?.clear(),
  };
}
