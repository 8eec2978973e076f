// Streamed replies (the streams capability): a handler's chunks become
// stream-chunk messages under the request's correlation id, numbered by the
// stream index from 0, closed by the stream-end message carrying the number of
// chunks. They go into the session stream (numbered, buffered, replayable).
// Every streamed reply of the server goes through here: the generic
// `replyStream` of a connection and the chat app's agent streams alike.
import type { Message, MessageScope, RuntimeProtocol } from './roles.js';
import type { Stream } from './sessions.js';

/** What one stream reply sent. */
export interface StreamOutcome {
  /** Chunks sent. */
  readonly chunks: number;
  /** False when the stream was closed (session gone) or the request timed out before the end. */
  readonly completed: boolean;
}

/** How an application shapes its stream messages (all optional). */
export interface StreamShape {
  /** Fills one stream-chunk message from one value (default: the value becomes the stream-content). */
  chunk?(msg: Message, value: unknown): void;
  /** Adds the application's fields to the stream-end message. */
  end?(msg: Message): void;
  /**
   * Fields the stream-end message gets (a handler's `replyStream(ref, chunks, end)`), written before the runtime's
   * own: the tag, correlation id and stream index always stay the runtime's.
   */
  endFields?: Message;
  /**
   * Called before each chunk and before the end (the handler deadline: each call moves it on); false stops the
   * reply (the request timed out or was aborted).
   */
  watch?(): boolean;
}

/** Whether the reply may go on: the stream is open and the watch agrees. */
function going(stream: Stream, shape: StreamShape | undefined): boolean {
  return stream.open && (shape?.watch === undefined || shape.watch());
}

/** Builds and sends stream-chunk `index` of `value`. */
function sendChunk(rt: RuntimeProtocol, stream: Stream, scope: MessageScope, ref: string, type: string, index: number, value: unknown, shape: StreamShape | undefined): void {
  const m = rt.message(type, scope);
  rt.setField(m, 'correlation-id', ref);
  rt.setField(m, 'stream-index', index);
  if (shape?.chunk !== undefined) shape.chunk(m, value);
  else rt.setField(m, 'stream-content', value);
  stream.send(m);
}

/** Builds and sends the stream end after `count` chunks. */
function sendEnd(rt: RuntimeProtocol, stream: Stream, scope: MessageScope, ref: string, type: string, count: number, shape: StreamShape | undefined): StreamOutcome {
  const end = rt.message(type, scope);
  if (shape?.endFields !== undefined) Object.assign(end, shape.endFields, { [rt.tag]: type });
  rt.setField(end, 'correlation-id', ref);
  rt.setField(end, 'stream-index', count);
  shape?.end?.(end);
  stream.send(end);
  return { chunks: count, completed: true };
}

function isAsyncIterable(x: AsyncIterable<unknown> | Iterable<unknown>): x is AsyncIterable<unknown> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

/**
 * Sends `chunks` as one streamed reply to the request `ref` on `stream`: each value becomes a stream-chunk message
 * (its stream-content, or what `shape.chunk` makes of it), then a stream-end message. A synchronous iterable (an
 * array) is sent at once, before this returns; an async one chunk by chunk. Stops early (completed false, no stream
 * end) when the stream is discarded or `shape.watch` says so; the iterator is then closed (its `return`, so a
 * generator's `finally` runs).
 * @throws {Error} when the protocol has no streams capability (a server bug: check `protocol.has('streams')`).
 */
export function sendStream(rt: RuntimeProtocol, stream: Stream, scope: MessageScope, ref: string, chunks: AsyncIterable<unknown> | Iterable<unknown>, shape?: StreamShape): Promise<StreamOutcome> {
  const chunkType = rt.role['stream-chunk'];
  const endType = rt.role['stream-end'];
  if (!rt.has('streams') || chunkType === undefined || endType === undefined) return Promise.reject(new Error(`${rt.descriptor.name} has no streams capability (stream-chunk and stream-end roles)`));
  if (isAsyncIterable(chunks)) return sendAsync(rt, stream, scope, ref, chunks, chunkType, endType, shape);
  let index = 0;
  try {
    for (const value of chunks) {
      if (!going(stream, shape)) return Promise.resolve({ chunks: index, completed: false });
      sendChunk(rt, stream, scope, ref, chunkType, index++, value, shape);
    }
    if (!going(stream, shape)) return Promise.resolve({ chunks: index, completed: false });
    return Promise.resolve(sendEnd(rt, stream, scope, ref, endType, index, shape));
  } catch (err) {
    return Promise.reject(err);
  }
}

async function sendAsync(rt: RuntimeProtocol, stream: Stream, scope: MessageScope, ref: string, chunks: AsyncIterable<unknown>, chunkType: string, endType: string, shape: StreamShape | undefined): Promise<StreamOutcome> {
  let index = 0;
  for await (const value of chunks) {
    if (!going(stream, shape)) return { chunks: index, completed: false };
    sendChunk(rt, stream, scope, ref, chunkType, index++, value, shape);
  }
  if (!going(stream, shape)) return { chunks: index, completed: false };
  return sendEnd(rt, stream, scope, ref, endType, index, shape);
}
