// A scriptable WebSocket stand-in for unit tests with fake timers.
import { SCHEMA_HASH } from '../../../generated/ts/index.js';
import type { SocketEvent, SocketLike, WebSocketCtor } from '../../../runtime/client/index.js';

export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  readyState = 0;
  bufferedAmount = 0;
  protocol = '';
  sent: string[] = [];
  onopen: ((ev: SocketEvent) => void) | null = null;
  onmessage: ((ev: SocketEvent) => void) | null = null;
  onerror: ((ev: SocketEvent) => void) | null = null;
  onclose: ((ev: SocketEvent) => void) | null = null;
  closedWith: { code?: number | undefined; reason?: string | undefined } | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeSocket.instances.push(this);
  }
  static reset(): void {
    FakeSocket.instances = [];
  }
  static last(): FakeSocket {
    const s = FakeSocket.instances[FakeSocket.instances.length - 1];
    if (!s) throw new Error('no socket');
    return s;
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }
  sentMessages(): Array<Record<string, unknown>> {
    return this.sent.map((s) => JSON.parse(s) as Record<string, unknown>);
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
  // --- driving ---
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown): void {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  created(sessionId = 's1', seq = 0, hash = SCHEMA_HASH, epoch = 'e1'): void {
    this.receive({ type: 'session_created', timestamp: new Date().toISOString(), session_id: sessionId, realm: 'experience', schema_hash: hash, epoch, seq });
  }
  /** The last session_resume the client sent on this socket, if any. */
  lastResume(): Record<string, unknown> | undefined {
    return this.sentMessages().filter((m) => m['type'] === 'session_resume').pop();
  }
  /** Ends the client's pending resume: session_updated echoing its message_id (no seq unless given). */
  resumed(status = 'resumed', seq?: number): void {
    const r = this.lastResume();
    this.receive({ type: 'session_updated', timestamp: new Date().toISOString(), session_id: r?.['session_id'] ?? 's1', status, ...(r ? { message_id: r['message_id'] } : {}), ...(seq !== undefined ? { seq } : {}) });
  }
  /** open + session_created + (when the client resumes) session_updated: the connection is open. */
  accept(sessionId = 's1', seq = 0): void {
    this.open();
    this.created(sessionId, seq);
    if (this.lastResume()) this.resumed();
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
  fail(message: string): void {
    this.onerror?.({ message });
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason: '' });
  }
}

export const FakeCtor = FakeSocket as unknown as WebSocketCtor;

/** Lets the promise jobs of an async connect attempt run (token provider, transport). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
