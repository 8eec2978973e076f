// A small protocol server for the client tests (the real one is runtime/server).
// Sessions are keyed by token and survive restarts when the same store is passed;
// each endpoint has its own seq stream and a bounded replay buffer. A user_message
// "stream:N[:ms]" streams N chunks; "error:x" answers with error_message; anything
// else gets an agent_message echo. Binds 127.0.0.1 only.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { SCHEMA_HASH, parseMessage, type WebSocketMessage } from '../../../generated/ts/index.js';

type Msg = Record<string, unknown> & { type: string };

export interface Stream {
  /** This instance of the stream (a new one after a restart of this server). */
  epoch: string;
  seq: number;
  buffer: { seq: number; text: string }[];
  sock: WebSocket | null;
  live: boolean;
}

export interface Session {
  id: string;
  streams: Map<string, Stream>;
}

/** Sessions by token; pass the same store to a restarted server to keep them. */
export type SessionStore = Map<string, Session>;

export interface TestServerOptions {
  port?: number;
  /** Accepted tokens (default: any non-empty token except "bad"). */
  accept?: (token: string) => boolean;
  store?: SessionStore;
  schemaHash?: string;
  /** Replay buffer size per stream (default 1000). */
  replayLimit?: number;
  /** Hold live messages on a rejoined stream until session_resume (default true). */
  holdUntilResume?: boolean;
}

/** Epochs handed out by every TestServer of this process: a restarted server never reuses one. */
let epochs = 0;

export class TestServer {
  readonly received: Msg[] = [];
  readonly connections = new Set<WebSocket>();
  readonly store: SessionStore;
  attempts = 0;
  private constructor(
    private http: Server,
    private wss: WebSocketServer,
    readonly port: number,
    private opts: TestServerOptions,
    store: SessionStore,
  ) {
    this.store = store;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  static async start(opts: TestServerOptions = {}): Promise<TestServer> {
    const store = opts.store ?? new Map();
    const http = createServer((_req, res) => {
      res.writeHead(404).end();
    });
    const wss = new WebSocketServer({ noServer: true, handleProtocols: (set) => (set.has('wsgen.v1') ? 'wsgen.v1' : false) });
    let self: TestServer | undefined;
    http.on('upgrade', (req, socket, head) => {
      if (self) self.attempts++;
      const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((s) => s.trim());
      let token = protocols.find((p) => p.startsWith('wsgen.token.'))?.slice('wsgen.token.'.length);
      const url = new URL(req.url ?? '/', 'http://x');
      token ??= url.searchParams.get('session_token') ?? undefined;
      const accept = opts.accept ?? ((t: string) => t !== 'bad');
      if (!token || !accept(token)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const path = url.pathname;
      if (path !== '/api/ws/guide' && !/^\/api\/ws\/liaison\/(content|insights|operations|business_outcomes)$/.test(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => self?.onConnection(ws, token as string, path));
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const port = (http.address() as AddressInfo).port;
    self = new TestServer(http, wss, port, opts, store);
    return self;
  }

  /** Starts a new server on the same port with the same session store. */
  async restart(): Promise<TestServer> {
    await this.kill();
    return TestServer.start({ ...this.opts, port: this.port, store: this.store });
  }

  /** Drops every socket without a close frame (client sees 1006) and stops listening. */
  async kill(): Promise<void> {
    for (const ws of this.connections) ws.terminate();
    this.connections.clear();
    this.wss.close();
    await new Promise<void>((r) => this.http.close(() => r()));
    this.http.closeAllConnections();
  }

  /** Closes every client socket with `code` (or terminates when code is undefined); the server stays up. */
  drop(code?: number, reason = ''): void {
    for (const ws of [...this.connections]) {
      if (code === undefined) ws.terminate();
      else ws.close(code, reason);
    }
  }

  /** Sends a numbered server message on a session's endpoint stream (buffered while offline). */
  emit(token: string, path: string, msg: Msg): void {
    const s = this.store.get(token)?.streams.get(path);
    if (!s) throw new Error(`no stream for ${token} ${path}`);
    this.send(s, msg);
  }

  /** Sends raw text to every connection. */
  broadcastRaw(text: string): void {
    for (const ws of this.connections) ws.send(text);
  }

  userMessages(): Msg[] {
    return this.received.filter((m) => m.type === 'user_message');
  }

  private onConnection(ws: WebSocket, token: string, path: string): void {
    this.connections.add(ws);
    let session = this.store.get(token);
    if (!session) this.store.set(token, (session = { id: `s-${token}-${Math.random().toString(36).slice(2, 8)}`, streams: new Map() }));
    let stream = session.streams.get(path);
    const rejoined = stream !== undefined;
    if (!stream) session.streams.set(path, (stream = { epoch: `e${++epochs}`, seq: 0, buffer: [], sock: null, live: true }));
    if (stream.sock) stream.sock.close(4505, 'replaced');
    stream.sock = ws;
    stream.live = !(rejoined && (this.opts.holdUntilResume ?? true));
    const s = stream;
    const sess = session;
    const floor = s.seq;
    if (!s.live) setTimeout(() => this.goLive(s, floor), 500).unref();
    ws.send(JSON.stringify({ type: 'session_created', timestamp: new Date().toISOString(), session_id: session.id, realm: 'experience', schema_hash: this.opts.schemaHash ?? SCHEMA_HASH, epoch: s.epoch, seq: s.seq }));
    ws.on('message', (data) => this.onMessage(ws, sess, s, path, String(data)));
    ws.on('close', () => {
      this.connections.delete(ws);
      if (s.sock === ws) s.sock = null;
    });
    ws.on('error', () => {});
  }

  private goLive(s: Stream, after: number): void {
    if (s.live) return;
    for (const b of s.buffer) if (b.seq > after) s.sock?.send(b.text);
    s.live = true;
  }

  private send(s: Stream, msg: Msg): void {
    const text = JSON.stringify({ ...msg, seq: ++s.seq });
    s.buffer.push({ seq: s.seq, text });
    if (s.buffer.length > (this.opts.replayLimit ?? 1000)) s.buffer.shift();
    if (s.live && s.sock && s.sock.readyState === 1) s.sock.send(text);
  }

  private onMessage(ws: WebSocket, session: Session, s: Stream, path: string, text: string): void {
    const r = parseMessage(text);
    const now = new Date().toISOString();
    if (!r.ok) {
      ws.send(JSON.stringify({ type: 'error_message', timestamp: now, error_code: 'INVALID_MESSAGE', message: 'invalid' }));
      return;
    }
    const m = r.value as WebSocketMessage & Msg;
    this.received.push(m);
    const agent = path === '/api/ws/guide' ? 'guide_agent' : `${path.split('/').pop()}_liaison`;
    switch (m.type) {
      case 'ping':
        ws.send(JSON.stringify({ type: 'pong', timestamp: now, message_id: m.message_id ?? 'x' }));
        return;
      case 'session_resume': {
        const first = s.buffer[0]?.seq ?? s.seq + 1;
        const after = m.epoch === s.epoch ? m.last_seq : 0;
        if (m.epoch !== s.epoch) {
          ws.send(JSON.stringify({ type: 'error_message', timestamp: now, error_code: 'RECOVERY_FAILED', message: 'epoch', error_details: { first_missing: null, last_missing: null, reason: 'epoch_mismatch' } }));
        } else if (m.last_seq > s.seq) {
          ws.send(JSON.stringify({ type: 'error_message', timestamp: now, error_code: 'RECOVERY_FAILED', message: 'ahead', error_details: { first_missing: null, last_missing: null } }));
        } else if (m.last_seq + 1 < first) {
          ws.send(JSON.stringify({ type: 'error_message', timestamp: now, error_code: 'RECOVERY_FAILED', message: 'gone', error_details: { first_missing: m.last_seq + 1, last_missing: first - 1 } }));
        }
        for (const b of s.buffer) if (b.seq > after) ws.send(b.text);
        s.live = true;
        this.send(s, { type: 'session_updated', timestamp: now, session_id: session.id, status: m.epoch === s.epoch ? 'resumed' : 'resumed_with_gap' });
        return;
      }
      case 'user_message': {
        const id = m.message_id as string;
        const sm = /^stream:(\d+)(?::(\d+))?$/.exec(m.message);
        if (sm) {
          const n = Number(sm[1]);
          const delay = Number(sm[2] ?? 0);
          let i = 0;
          const tick = () => {
            if (i < n) {
              this.send(s, { type: 'agent_streaming', timestamp: new Date().toISOString(), message_id: id, agent, message: `c${i} `, is_streaming: true, stream_index: i });
              i++;
              if (delay > 0) setTimeout(tick, delay);
              else tick();
            } else this.send(s, { type: 'agent_complete', timestamp: new Date().toISOString(), message_id: id, agent });
          };
          tick();
          return;
        }
        if (m.message.startsWith('error:')) {
          this.send(s, { type: 'error_message', timestamp: now, message_id: id, error_code: 'AGENT_ERROR', message: m.message.slice(6) });
          return;
        }
        this.send(s, { type: 'agent_message', timestamp: now, message_id: id, agent, message: `echo: ${m.message}` });
        return;
      }
      default:
        return;
    }
  }
}
