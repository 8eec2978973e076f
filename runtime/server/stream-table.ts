// The streams of one session by endpoint key: an exactly-sized array with the
// Map methods the runtime uses (a session usually has one stream).
import type { Stream } from './sessions.js';

const NO_STREAMS: readonly Stream[] = Object.freeze([]);

/**
 * The streams of a session by endpoint key, with the Map methods the runtime
 * uses. A session has at most one stream per endpoint and usually one in all,
 * so this is an exactly-sized array, replaced on change (~60 bytes, where a
 * Map costs ~180 per session). Iteration works on a snapshot, so deleting
 * while iterating is safe.
 */
export class StreamTable {
  private list: readonly Stream[] = NO_STREAMS;
  /** Number of streams. */
  get size(): number {
    return this.list.length;
  }
  /** The stream of an endpoint key. */
  get(key: string): Stream | undefined {
    for (const s of this.list) if (s.endpoint.key === key) return s;
    return undefined;
  }
  /** Adds (or replaces) the stream of `stream.endpoint.key`. */
  set(key: string, stream: Stream): this {
    if (key !== stream.endpoint.key) throw new Error(`stream of ${stream.endpoint.key} set under ${key}`);
    this.list = [...this.list.filter((s) => s.endpoint.key !== key), stream];
    return this;
  }
  /** Removes the stream of an endpoint key. */
  delete(key: string): boolean {
    const n = this.list.length;
    this.list = this.list.filter((s) => s.endpoint.key !== key);
    if (this.list.length === 0) this.list = NO_STREAMS;
    return this.list.length !== n;
  }
  /** Removes every stream. */
  clear(): void {
    this.list = NO_STREAMS;
  }
  /** The streams. */
  values(): IterableIterator<Stream> {
    return this.list.values();
  }
  /** The endpoint keys. */
  keys(): IterableIterator<string> {
    return this.list.map((s) => s.endpoint.key).values();
  }
  /** [endpoint key, stream] pairs. */
  entries(): IterableIterator<[string, Stream]> {
    return this.list.map((s): [string, Stream] => [s.endpoint.key, s]).values();
  }
  [Symbol.iterator](): IterableIterator<[string, Stream]> {
    return this.entries();
  }
}

