// A protocol-generic test client for the one server suite: it validates every
// message it receives with the protocol's own validator, and reads messages by
// their role (session created, error, pong...) through the descriptor.
import WebSocket from 'ws';
import { tokenProtocols } from '../../../runtime/server/auth.js';
import type { FieldRole, MessageRole, ProtocolDescriptor } from '../../../runtime/server/descriptor.js';
import type { Message } from '../../../runtime/server/roles.js';

/** A connected client of one protocol. */
export class SuiteClient {
  readonly messages: Message[] = [];
  /** Received messages that failed the protocol's validator (must stay empty). */
  readonly invalid: { text: string; errors: unknown }[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly ws: WebSocket;
  readonly protocol: ProtocolDescriptor;
  private waiters: (() => void)[] = [];
  private cursor = 0;

  constructor(ws: WebSocket, protocol: ProtocolDescriptor) {
    this.ws = ws;
    this.protocol = protocol;
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const text = data.toString();
      const r = protocol.parse(text);
      if (!r.ok) this.invalid.push({ text, errors: r.errors });
      this.messages.push(JSON.parse(text) as Message);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('error', () => {});
  }

  /** The type of a message. */
  typeOf(m: Message): string {
    return m[this.protocol.tag] as string;
  }

  /** The value of field role `r` on `m`. */
  field(m: Message, r: FieldRole): unknown {
    const name = this.protocol.fields[r];
    return name === undefined ? undefined : m[name];
  }

  /** The type of message role `r`. */
  role(r: MessageRole): string {
    const t = this.protocol.roles[r];
    if (t === undefined) throw new Error(`${this.protocol.name} has no ${r} role`);
    return t;
  }

  /** Sends an object as JSON. */
  send(m: Message): void {
    this.ws.send(JSON.stringify(m));
  }

  /** Waits for the next message (after the cursor) matching `pred`, moving the cursor past it. */
  async next(pred: (m: Message) => boolean = () => true, timeoutMs = 5000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.messages.length) {
        const m = this.messages[this.cursor++]!;
        if (pred(m)) return m;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for a message; got ${JSON.stringify(this.messages.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  /** Waits for the next message of a type. */
  nextOfType(type: string, timeoutMs?: number): Promise<Message> {
    return this.next((m) => this.typeOf(m) === type, timeoutMs);
  }

  /** Closes and waits for the close event. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

/** Opens a client with the token in Sec-WebSocket-Protocol; resolves once open. */
export async function connectTo(url: string, token: string, protocol: ProtocolDescriptor): Promise<SuiteClient> {
  const ws = new WebSocket(url, tokenProtocols(token));
  const c = new SuiteClient(ws, protocol);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return c;
}
