/**
 * Decoding one inbound frame, the part every protocol has: text only, JSON, the
 * protocol's validator, and the direction rule of the descriptor (a server may not
 * send a client-only type). The resume plugin (resume.ts) judges the rest: the
 * session-created message only as the first message, seqs, the end of a replay.
 */
import { InvalidFrameError } from './errors.js';
import { idOf, isServerSendable, tagPath, typeOf, type Wire, type WireMessage } from './wire.js';

/** A decoded frame, or why it is not delivered. */
export type Decoded = { ok: true; msg: WireMessage; type: string; data: string } | { ok: false; error: InvalidFrameError };

/** Decodes one frame of connection `connectionId`. */
export function decodeFrame(w: Wire, data: unknown, connectionId: string): Decoded {
  const ctx = { connectionId };
  if (typeof data !== 'string') return { ok: false, error: new InvalidFrameError([], '[binary frame]', ctx) };
  const r = w.protocol.parse(data);
  if (!r.ok) return { ok: false, error: new InvalidFrameError(r.errors, data, ctx) };
  const msg = r.value as WireMessage;
  const type = typeOf(w, msg);
  if (!isServerSendable(w, type)) {
    const issue = { path: tagPath(w), keyword: 'direction', message: `a server may not send ${type}`, params: { type } };
    return { ok: false, error: new InvalidFrameError([issue], data, { ...ctx, messageId: idOf(w, msg) }) };
  }
  return { ok: true, msg, type, data };
}
