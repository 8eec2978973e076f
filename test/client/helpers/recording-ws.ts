// The `ws` WebSocket with a log of every frame the client writes, in order. TCP keeps
// that order, so it is the order in which the server reads them.
import WebSocket from 'ws';
import type { WebSocketCtor } from '../../../runtime/client/index.js';

/** One written frame: its type, and its text for user messages. */
export interface Written {
  type: string;
  message?: string;
  message_id?: string;
}

/** A WebSocket constructor that appends every sent frame to `log`. */
export function recordingWebSocket(log: Written[]): WebSocketCtor {
  class Recording extends WebSocket {
    override send(data: unknown, ...rest: unknown[]): void {
      const m = JSON.parse(String(data)) as Written;
      log.push({ type: m.type, ...(m.message !== undefined ? { message: m.message } : {}), ...(m.message_id !== undefined ? { message_id: m.message_id } : {}) });
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  }
  return Recording as unknown as WebSocketCtor;
}
