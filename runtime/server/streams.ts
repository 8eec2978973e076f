// Streamed replies (the streams capability): a handler's chunks become
// stream-chunk messages under the request's correlation id, numbered by the
// stream index from 0, closed by the stream-end message carrying the number of
// chunks. They go into the session stream (numbered, buffered, replayable).
import type { MessageScope, RuntimeProtocol } from './roles.js';
import type { Stream } from './sessions.js';

/** What one stream reply sent. */
export interface StreamOutcome {
  /** Chunks sent. */
  readonly chunks: number;
  /** False when the stream was closed (session gone) before the end. */
  readonly completed: boolean;
}

/**
 * Sends `chunks` as one streamed reply to the request `ref` on `stream`: each value becomes the stream-content of a
 * stream-chunk message, then a stream-end message. Stops early (completed false) when the stream is discarded.
 * @throws {Error} when the protocol has no streams capability (a server bug: check `protocol.has('streams')`).
 */
export async function sendStream(rt: RuntimeProtocol, stream: Stream, scope: MessageScope, ref: string, chunks: AsyncIterable<unknown> | Iterable<unknown>): Promise<StreamOutcome> {
  const chunkType = rt.role['stream-chunk'];
  const endType = rt.role['stream-end'];
  if (!rt.has('streams') || chunkType === undefined || endType === undefined) throw new Error(`${rt.descriptor.name} has no streams capability (stream-chunk and stream-end roles)`);
  let index = 0;
  for await (const content of chunks) {
    if (!stream.open) return { chunks: index, completed: false };
    const m = rt.message(chunkType, scope);
    rt.setField(m, 'correlation-id', ref);
    rt.setField(m, 'stream-index', index++);
    rt.setField(m, 'stream-content', content);
    stream.send(m);
  }
  if (!stream.open) return { chunks: index, completed: false };
  const end = rt.message(endType, scope);
  rt.setField(end, 'correlation-id', ref);
  rt.setField(end, 'stream-index', index);
  stream.send(end);
  return { chunks: index, completed: true };
}
