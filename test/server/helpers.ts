// Test helpers: a server on 127.0.0.1 with outbound validation on, a captured
// logger, and a client that validates every message it receives.
import { request } from 'node:http';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { validateMessage, type WebSocketMessage } from '../../generated/ts/index.js';
import { tokenProtocols, type IssueOptions } from '../../runtime/server/auth.js';
import { chatSessionValidator, createChatServer, type ChatServer, type ChatServerOptions } from '../../runtime/server/chat/server.js';
import { echoAgent, referenceAgents } from '../../runtime/server/chat/reference.js';
import type { Logger } from '../../runtime/server/types.js';

/** Every outbound message any test client saw that failed validation. */
export const invalidInbound: { text: string; errors: unknown }[] = [];

/** A logger that keeps every line as JSON text. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    log(level, event, fields) {
      lines.push(JSON.stringify({ level, event, ...fields }));
    },
  };
}

/** A running test server. */
export interface TestServer {
  server: ChatServer;
  validator: ReturnType<typeof chatSessionValidator>;
  logs: string[];
  /** ws:// URL of a path. */
  url(path: string): string;
  /** Mints a token. */
  issue(o?: IssueOptions): string;
  close(): Promise<void>;
}

/** Starts a server with the reference agents (fast chunks), outbound validation and a captured logger. */
export async function startServer(o: Partial<ChatServerOptions> = {}): Promise<TestServer> {
  const validator = chatSessionValidator();
  const logger = captureLogger();
  const server = await createChatServer({
    validator,
    host: '127.0.0.1',
    port: 0,
    agents: referenceAgents({ chunkDelayMs: 2 }),
    logger,
    validateOutbound: true,
    shutdown: { jitterMs: 20, deadlineMs: 500 },
    ...o,
  });
  return {
    server,
    validator,
    logs: logger.lines,
    url: (p) => server.url(p),
    issue: (io) => validator.issue(io).token,
    close: () => server.close(),
  };
}

/** A test client: queues every message (validated) and records the close. */
export class TestClient {
  readonly messages: WebSocketMessage[] = [];
  readonly raw: string[] = [];
  closed: Promise<{ code: number; reason: string }>;
  private waiters: (() => void)[] = [];
  private cursor = 0;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      const r = validateMessage(JSON.parse(text));
      if (!r.ok) invalidInbound.push({ text, errors: r.errors });
      this.messages.push(JSON.parse(text) as WebSocketMessage);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('error', () => {});
  }

  /** Sends an object as JSON. */
  send(obj: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** Sends a user_message. */
  say(message: string, message_id?: string): void {
    this.send({ type: 'user_message', timestamp: new Date().toISOString(), message, ...(message_id ? { message_id } : {}) });
  }

  /** The epoch of this connection's session_created (waits for it; the cursor does not move). */
  async epoch(): Promise<string> {
    for (;;) {
      const created = this.messages.find((m) => m.type === 'session_created');
      if (created) return created.epoch;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Waits for the next message (after the cursor) matching `pred`, moving the cursor past it. */
  async next(pred: (m: WebSocketMessage) => boolean = () => true, timeoutMs = 5000): Promise<WebSocketMessage> {
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

  /** Waits for a message of a type. */
  nextOfType<T extends WebSocketMessage['type']>(type: T, timeoutMs?: number): Promise<Extract<WebSocketMessage, { type: T }>> {
    return this.next((m) => m.type === type, timeoutMs) as Promise<Extract<WebSocketMessage, { type: T }>>;
  }

  /** Closes and waits for the close event. */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.close();
    await this.closed;
  }
}

/** Opens a client with the token in Sec-WebSocket-Protocol (or the query), resolving once session_created arrived. */
export async function connect(url: string, token: string, o: { via?: 'protocol' | 'query'; ws?: WebSocket.ClientOptions } = {}): Promise<TestClient> {
  const ws =
    o.via === 'query' ? new WebSocket(`${url}?session_token=${encodeURIComponent(token)}`, o.ws) : new WebSocket(url, tokenProtocols(token), o.ws);
  const c = new TestClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
  return c;
}

/**
 * Starts a chat server ({@link startServer} with `o`, the echo agent on the guide unless `o.agents` says otherwise),
 * connects a client to the guide endpoint and waits for its session_created, runs `body`, then closes the server
 * (also when `body` throws).
 */
export async function withGuideClient(o: Partial<ChatServerOptions>, body: (c: TestClient, t: TestServer) => Promise<void>): Promise<void> {
  const t = await startServer({ agents: { guide_agent: echoAgent }, ...o });
  try {
    const c = await connect(t.url('/api/ws/guide'), t.issue());
    await c.nextOfType('session_created');
    await body(c, t);
  } finally {
    await t.close();
  }
}

/** The net.Socket under a ws client (ws keeps it in its private `_socket`: serialize.test.ts pins that), to write raw bytes, watch them, or cork. */
export function rawSocket(ws: WebSocket): Socket {
  return (ws as unknown as { _socket: Socket })._socket;
}

/**
 * Sends `frames` in one write of the client (its socket corked around the sends), so that the server takes them
 * from one read: the ws adapter handles them in one synchronous run and reports the 2nd and later as `continued`.
 */
export function sendInOneWrite(ws: WebSocket, frames: readonly string[]): void {
  const sock = rawSocket(ws);
  sock.cork();
  for (const f of frames) ws.send(f);
  sock.uncork();
}

/** Opens a raw client (no waiting for session_created) and returns the HTTP status of a refused upgrade, or 101. */
export function upgradeStatus(url: string, protocols: string[] | undefined, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('error', () => resolve(-1));
  });
}

/** GETs an HTTP path of the server. */
export function httpGet(server: { address(): { port: number } }, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.address().port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A valid timestamp. */
export const ts = (): string => new Date().toISOString();

/** Sleeps. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
