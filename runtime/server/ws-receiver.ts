/**
 * Close reasons for frames the `ws` receiver refuses. `ws` closes such a connection itself, with the status code
 * only (an empty reason): 1009 for a frame over maxPayload, 1007 for a text frame that is not UTF-8, 1002 for a
 * protocol error. RFC 6455 §7.4.1 defines the codes and §5.5.1 lets a close frame carry a reason, which every
 * other close of this server gives; so the server closes first, with the code and a short reason, and the
 * library's own close that follows is a no-op (a socket closes once).
 *
 * It listens on the receiver, ws 8's internal `_receiver` (ws is pinned in package.json; test/server/frames.test.ts
 * checks the reasons, so a ws that moves the receiver fails that test instead of dropping the reasons silently).
 */
import type { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';

/** The receiver of a ws 8 socket, with the socket it belongs to. */
type Receiver = EventEmitter & { [OWNER]?: WebSocket };
const OWNER = Symbol('wsgen.receiverOwner');

/** The status code ws gives a receiver error (its `status-code` symbol property), if it has one. */
function statusOf(err: Error): number | undefined {
  const key = Object.getOwnPropertySymbols(err).find((k) => k.description === 'status-code');
  const v = key === undefined ? undefined : (err as unknown as Record<symbol, unknown>)[key];
  return typeof v === 'number' ? v : undefined;
}

/**
 * The close code (ws's own, RFC 6455 §7.4.1) and a short reason for a ws receiver error (`code` WS_ERR_*), or
 * undefined for an error ws gives no status code.
 */
export function receiverClose(err: Error & { code?: string }, maxPayload: number): [number, string] | undefined {
  const status = statusOf(err);
  if (status === undefined) return undefined;
  if (status === 1009) return [status, `frame over ${maxPayload} bytes`];
  if (status === 1007) return [status, 'text is not valid UTF-8'];
  const what = (err.code ?? 'WS_ERR_FRAME').replace(/^WS_ERR_/, '').toLowerCase().replace(/_/g, ' ');
  return [status, status === 1002 ? `protocol error: ${what}` : `frame refused: ${what}`];
}

/**
 * A listener to attach to every accepted socket with {@link closeWithReason} (one function per server, not per
 * connection): it closes the socket with the code and reason of {@link receiverClose}.
 */
export function receiverErrorListener(maxPayload: number): (this: Receiver, err: Error & { code?: string }) => void {
  return function onReceiverError(this: Receiver, err: Error & { code?: string }): void {
    const close = receiverClose(err, maxPayload);
    const ws = this[OWNER];
    if (close !== undefined && ws !== undefined) ws.close(close[0], close[1]);
  };
}

/** Runs `listener` before ws's own handler of `ws`'s receiver errors (see the module comment). */
export function closeWithReason(ws: WebSocket, listener: (this: Receiver, err: Error & { code?: string }) => void): void {
  const receiver = (ws as unknown as { _receiver?: Receiver })._receiver;
  if (receiver === undefined) return;
  receiver[OWNER] = ws;
  receiver.prependListener('error', listener);
}
