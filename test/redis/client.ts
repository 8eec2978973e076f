// The real client runtime (ChatService, a WebSocketService of the bundled protocol) as the tests use it against
// server nodes: it records every numbered message it processes, in order.
import { ChatService } from '../../runtime/chat/client.js';
import { heartbeat, requests, resume, streams, type WsClientError } from '../../runtime/client/index.js';

/** A client of one guide connection that records the seqs and messages it processed. */
export interface RecordingClient {
  svc: ChatService;
  /** Seqs of the numbered messages processed, in order. */
  seqs: number[];
  /** Every server message processed, in order. */
  messages: Record<string, unknown>[];
  errors: WsClientError[];
  /** Sends a user message (`/stream n` makes the reference agent stream n chunks). */
  say(text: string, messageId: string): void;
  dispose(): void;
}

/**
 * Opens the guide connection on `url` with token `token`, failing over to `failoverUrls`; resolves once open.
 * `streamIdleMs`: the streams plugin's idle limit (its default, 30 s, when absent).
 */
export async function recordingClient(url: string, token: string, failoverUrls: string[] = [], maxDelayMs = 200, streamIdleMs?: number): Promise<RecordingClient> {
  const base = url.slice(0, url.indexOf('/api/'));
  const capabilities = streamIdleMs === undefined ? undefined : [heartbeat(), resume(), streams({ idleTimeoutMs: streamIdleMs }), requests()];
  const svc = new ChatService({ baseUrl: base, browserProbes: false, ...(capabilities ? { capabilities } : {}), defaults: { backoff: { minDelayMs: 20, maxDelayMs }, heartbeat: { intervalMs: 60_000, timeoutMs: 60_000 } } });
  const rc: RecordingClient = {
    svc,
    seqs: [],
    messages: [],
    errors: [],
    say: (text, messageId) => void svc.send('guide', 'user_message', { message: text, message_id: messageId }),
    dispose: () => svc.dispose(),
  };
  svc.onAny('guide', (m) => {
    rc.messages.push(m as unknown as Record<string, unknown>);
    const seq = (m as { seq?: unknown }).seq;
    if (typeof seq === 'number' && (m as { type?: unknown }).type !== 'session_created') rc.seqs.push(seq); // session_created carries the latest seq, it is not numbered
  });
  svc.onError('guide', (e) => rc.errors.push(e));
  await svc.connect('guide', url, { token, failoverUrls });
  return rc;
}

/** 1..n. */
export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Polls the async `cond` every 20 ms until it resolves truthy or `timeoutMs` passes. */
export async function waitForAsync(cond: () => Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
