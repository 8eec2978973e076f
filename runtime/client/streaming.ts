/**
 * Assembles `agent_streaming` chunks into text, per message_id and in
 * stream_index order. Repeated chunks are dropped, chunks after `agent_complete`
 * are ignored, and out-of-order chunks wait for the gap to fill.
 */
import type { WebSocketMessage } from '../../generated/ts/index.js';

type Chunk = Extract<WebSocketMessage, { type: 'agent_streaming' }>;
type Complete = Extract<WebSocketMessage, { type: 'agent_complete' }>;

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
  private readonly streams = new Map<string, Entry>();
  constructor(private readonly keep = 100) {}

  /** Feeds one agent_streaming or agent_complete message. */
  push(msg: Chunk | Complete): StreamEvent {
    const e = this.entry(msg.message_id);
    const s = e.state;
    if (msg.type === 'agent_complete') {
      if (s.complete) {
        s.dropped++;
        return { kind: 'ignored', reason: 'duplicate', state: { ...s } };
      }
      s.complete = true;
      // A complete message may carry the final text; use it when no chunk arrived.
      if (s.text === '' && typeof msg.message === 'string') s.text = msg.message;
      return { kind: 'complete', state: { ...s } };
    }
    if (s.complete) {
      s.dropped++;
      return { kind: 'ignored', reason: 'after-complete', state: { ...s } };
    }
    const i = msg.stream_index;
    if (i < s.contiguous || e.parts.has(i)) {
      s.dropped++;
      return { kind: 'ignored', reason: 'duplicate', state: { ...s } };
    }
    e.parts.set(i, msg.message);
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
    const e = this.streams.get(messageId);
    return e ? { ...e.state } : undefined;
  }

  /** Streams that have not completed. */
  active(): StreamState[] {
    return [...this.streams.values()].filter((e) => !e.state.complete).map((e) => ({ ...e.state }));
  }

  /** Forgets everything. */
  clear(): void {
    this.streams.clear();
  }

  private entry(id: string): Entry {
    let e = this.streams.get(id);
    if (!e) {
      e = { state: { messageId: id, text: '', contiguous: 0, pending: 0, complete: false, dropped: 0 }, parts: new Map() };
      this.streams.set(id, e);
      if (this.streams.size > this.keep) {
        for (const [k, v] of this.streams) {
          if (this.streams.size <= this.keep) break;
          if (v.state.complete || this.streams.size > this.keep * 2) this.streams.delete(k);
        }
      }
    }
    return e;
  }
}
