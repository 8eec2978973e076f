/**
 * WebSocketService: one per app. Pools named connections (`guide`,
 * `liaison:content`, ...), keeps subscribers outside socket lifetimes,
 * correlates requests, assembles streams and reports health.
 */
import { ErrorCodeInfo, type PillarType } from '../../generated/ts/index.js';
import { systemClock, type Clock, type RandomSource, type TimerHandle } from './clock.js';
import { Connection } from './connection.js';
import { BrowserProbes } from './browser.js';
import { ConnectionClosedError, MessageDroppedError, RequestTimeoutError, ServerError, UnknownConnectionError } from './errors.js';
import type { ConnectionHealth, ConnectionStatus } from './health.js';
import type { AnyMessageType, MessageOfType, OutboundMessage, ServerMessage, ServerMessageType } from './messages.js';
import type { ConnectionOptions, SendResult, StatusEvent, TokenSource } from './options.js';
import { ALL, Listeners, type AnyHandler, type ErrorHandler, type StatusHandler, type StreamHandler } from './listeners.js';
import { StreamAssembler, type StreamState } from './streaming.js';
import { isBrowserLike, type WebSocketCtor } from './transport.js';

export type { AnyHandler, ErrorHandler, StatusHandler, StreamHandler } from './listeners.js';

/** Service-wide options. */
export interface WebSocketServiceOptions {
  /** Base URL of the server, e.g. `ws://127.0.0.1:8787`. Default in browsers: the page's host (ws: or wss:). Required in Node for the helpers. */
  baseUrl?: string;
  /** Path of the guide endpoint [`/api/ws/guide`]. */
  guidePath?: string;
  /** Path of a liaison endpoint [`/api/ws/liaison/{pillar}`]. */
  liaisonPath?: (pillar: PillarType) => string;
  /** Defaults for every connection (overridden per connect call). */
  defaults?: ConnectionOptions;
  /** WebSocket constructor [native in browsers, `ws` in Node]. */
  WebSocket?: WebSocketCtor;
  /** Clock [real timers, looked up at call time]. */
  clock?: Clock;
  /** Random source for jitter [Math.random]. */
  random?: RandomSource;
  /** In browsers, probe every connection on `online` and on `visibilitychange` to visible [true]. The listeners are attached only while connections exist. */
  browserProbes?: boolean;
  /** How long `release()` waits before disconnecting an unused connection, ms [0: next macrotask]. */
  releaseGraceMs?: number;
}

/** A typed message handler. */
export type MessageHandler<T extends AnyMessageType> = (message: MessageOfType<T>) => void;

/** Options of {@link WebSocketService.request}. */
export interface RequestOptions {
  /** Reject with RequestTimeoutError after this long, ms [30000]. */
  timeout?: number;
}

interface Pending {
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  timer: TimerHandle;
}

/** The client runtime's entry point. See runtime/client/README.md. */
export class WebSocketService {
  private readonly connections = new Map<string, Connection>();
  private readonly listeners = new Listeners();
  private readonly pending = new Map<string, Map<string, Pending>>();
  private readonly streams = new Map<string, StreamAssembler>();
  private readonly refs = new Map<string, number>();
  private readonly releaseTimers = new Map<string, TimerHandle>();
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly browser: BrowserProbes;
  private readonly options: WebSocketServiceOptions;

  /** Creating a service has no side effect: no socket, timer or browser listener exists until a connection does. */
  constructor(options: WebSocketServiceOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.browser = new BrowserProbes(() => this.probe());
  }

  // ---- connections ------------------------------------------------------------

  /** Connects to the guide agent (id `guide`); reuses the connection if it exists. Resolves with the id once open. */
  connectToGuide(token: TokenSource, options: ConnectionOptions = {}): Promise<string> {
    return this.connect('guide', this.endpoint(this.options.guidePath ?? '/api/ws/guide'), { ...options, token });
  }

  /** Connects to a pillar's liaison agent (id `liaison:{pillar}`); reuses the connection if it exists. */
  connectToLiaison(pillar: PillarType, token: TokenSource, options: ConnectionOptions = {}): Promise<string> {
    const path = this.options.liaisonPath ? this.options.liaisonPath(pillar) : `/api/ws/liaison/${encodeURIComponent(pillar)}`;
    return this.connect(`liaison:${pillar}`, this.endpoint(path), { ...options, token });
  }

  /** Opens (or reuses) connection `name` to `url`. Resolves with the id once open; rejects if it fails first. */
  async connect(name: string, url: string, options: ConnectionOptions = {}): Promise<string> {
    const c = this.ensure(name, url, options);
    await c.whenOpen();
    return name;
  }

  /** Like {@link connect} but returns the id at once, without waiting for the connection to open. */
  open(name: string, url: string, options: ConnectionOptions = {}): string {
    this.ensure(name, url, options);
    return name;
  }

  /** The URL of the guide endpoint under `baseUrl`. */
  guideUrl(): string {
    return this.endpoint(this.options.guidePath ?? '/api/ws/guide');
  }

  /** The URL of a liaison endpoint under `baseUrl`. */
  liaisonUrl(pillar: PillarType): string {
    return this.endpoint(this.options.liaisonPath ? this.options.liaisonPath(pillar) : `/api/ws/liaison/${encodeURIComponent(pillar)}`);
  }

  /** Closes and forgets connection `id`; pending requests reject, queued messages are dropped. Subscriptions stay. */
  disconnect(id: string): void {
    const c = this.connections.get(id);
    this.cancelRelease(id);
    this.refs.delete(id);
    if (!c) return;
    this.connections.delete(id);
    if (this.connections.size === 0) this.browser.detach();
    this.rejectPending(id, new ConnectionClosedError(1000, 'disconnect() called', { connectionId: id }));
    this.streams.get(id)?.clear();
    // Last: closing calls the listeners, and one may reconnect `id` at once.
    c.close();
  }

  /** Disconnects everything. */
  disconnectAll(): void {
    for (const id of [...this.connections.keys()]) this.disconnect(id);
  }

  /** Disconnects everything, removes browser listeners and every subscription. */
  dispose(): void {
    this.disconnectAll();
    this.browser.detach();
    this.listeners.clear();
  }

  /** Counts a user of `id` (React hooks use this; StrictMode-safe with {@link release}). */
  retain(id: string): void {
    this.cancelRelease(id);
    this.refs.set(id, (this.refs.get(id) ?? 0) + 1);
  }

  /** Drops a user of `id`; when none is left after `releaseGraceMs`, disconnects it. */
  release(id: string): void {
    const n = (this.refs.get(id) ?? 0) - 1;
    if (n > 0) {
      this.refs.set(id, n);
      return;
    }
    this.refs.set(id, 0);
    this.cancelRelease(id);
    this.releaseTimers.set(
      id,
      this.clock.setTimeout(() => {
        this.releaseTimers.delete(id);
        if ((this.refs.get(id) ?? 0) === 0) this.disconnect(id);
      }, this.options.releaseGraceMs ?? 0),
    );
  }

  /** Reconnects now (if waiting) or pings now (if open): one connection, or all. */
  probe(id?: string): void {
    if (id !== undefined) this.connections.get(id)?.probe();
    else for (const c of this.connections.values()) c.probe();
  }

  // ---- sending ---------------------------------------------------------------------

  /**
   * Sends a client message on `id`: fills message_id and timestamp, validates, then
   * sends, queues or drops. Throws InvalidMessageError / MessageTooLargeError / UnknownConnectionError.
   */
  sendMessage(id: string, message: OutboundMessage): SendResult {
    return this.get(id).send(message);
  }

  /**
   * Sends and resolves with the first non-streaming reply carrying the same message_id
   * (agent_message, agent_complete, pong...). An error_message reply rejects with ServerError.
   */
  request(id: string, message: OutboundMessage, opts: RequestOptions = {}): Promise<ServerMessage> {
    const r = this.sendMessage(id, message);
    if (r.status === 'dropped') return Promise.reject(new MessageDroppedError(r.reason ?? 'not-connected', { connectionId: id, messageId: r.messageId }));
    const timeout = opts.timeout ?? 30_000;
    let map = this.pending.get(id);
    if (!map) this.pending.set(id, (map = new Map()));
    const m = map;
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        m.delete(r.messageId);
        reject(new RequestTimeoutError(timeout, { connectionId: id, messageId: r.messageId }));
      }, timeout);
      m.set(r.messageId, { resolve, reject, timer });
    });
  }

  // ---- subscriptions ----------------------------------------------------------------

  /** Calls `handler` with every `type` message on `id` (narrowed). Works before the connection exists. Returns the unsubscribe function. */
  subscribe<T extends ServerMessageType>(id: string, type: T, handler: MessageHandler<T>): () => void {
    return this.listeners.addTyped(id, type, handler as unknown as (m: ServerMessage) => void);
  }

  /** Calls `handler` with every server message on `id` (or on every connection when id is `*`). */
  onAny(id: string, handler: AnyHandler): () => void {
    return this.listeners.add(id, 'any', handler);
  }

  /** Status changes of `id` (or `*`). */
  onStatus(id: string, handler: StatusHandler): () => void {
    return this.listeners.add(id, 'status', handler);
  }

  /** Errors of `id` (or `*`): invalid frames, auth, recovery, drops, protocol mismatch... */
  onError(id: string, handler: ErrorHandler): () => void {
    return this.listeners.add(id, 'error', handler);
  }

  /** Stream updates (chunk, complete, ignored) of `id` (or `*`). */
  onStream(id: string, handler: StreamHandler): () => void {
    return this.listeners.add(id, 'stream', handler);
  }

  /** The assembled stream answering `messageId` on `id`. */
  getStream(id: string, messageId: string): StreamState | undefined {
    return this.streams.get(id)?.get(messageId);
  }

  // ---- status and health ---------------------------------------------------------------

  /** Status of `id` (`closed` when unknown). */
  getConnectionStatus(id: string): ConnectionStatus {
    return this.connections.get(id)?.status ?? 'closed';
  }

  /** Is `id` open (session established)? */
  isConnected(id: string): boolean {
    return this.getConnectionStatus(id) === 'open';
  }

  /** Health of `id`. Throws UnknownConnectionError. */
  getConnectionHealth(id: string): ConnectionHealth {
    return this.get(id).health();
  }

  /** Health of every connection, by id. */
  getAllConnectionsHealth(): Map<string, ConnectionHealth> {
    const out = new Map<string, ConnectionHealth>();
    for (const [id, c] of this.connections) out.set(id, c.health());
    return out;
  }

  /** Ids of the pooled connections. */
  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  // ---- internals ------------------------------------------------------------------------

  private ensure(name: string, url: string, options: ConnectionOptions): Connection {
    let c = this.connections.get(name);
    if (c && c.url !== url) {
      this.disconnect(name);
      c = undefined;
    }
    if (!c) {
      const merged: ConnectionOptions = { ...this.options.defaults, ...options };
      c = new Connection(name, url, merged, {
        clock: this.clock,
        random: this.random,
        WebSocket: this.options.WebSocket,
        onMessage: (id, m) => this.listeners.notify(() => this.dispatch(id, m)),
        onStatus: (ev) => this.listeners.notify(() => this.emitStatus(ev)),
        onError: (err) => this.listeners.notify(() => this.listeners.emit(err.connectionId ?? ALL, 'error', err)),
      });
      this.connections.set(name, c);
      if (this.options.browserProbes !== false) this.browser.attach();
    } else if ('token' in options) {
      c.setToken(options.token);
    }
    c.open();
    return c;
  }

  private get(id: string): Connection {
    const c = this.connections.get(id);
    if (!c) throw new UnknownConnectionError(id, [...this.connections.keys()]);
    return c;
  }

  private endpoint(path: string): string {
    let base = this.options.baseUrl;
    if (!base && isBrowserLike()) {
      const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
      if (loc) base = `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}`;
    }
    if (!base) throw new TypeError('WebSocketService needs options.baseUrl (e.g. ws://127.0.0.1:8787) outside a browser');
    return base.replace(/\/+$/, '') + path;
  }

  private dispatch(id: string, m: ServerMessage): void {
    if (m.type === 'agent_streaming' || m.type === 'agent_complete') {
      let a = this.streams.get(id);
      if (!a) this.streams.set(id, (a = new StreamAssembler()));
      const ev = a.push(m);
      this.listeners.emit(id, 'stream', ev);
    }
    const mid = m.message_id;
    if (mid !== undefined && m.type !== 'agent_streaming') {
      const p = this.pending.get(id)?.get(mid);
      if (p) {
        this.pending.get(id)?.delete(mid);
        this.clock.clearTimeout(p.timer);
        if (m.type === 'error_message') {
          const retryable = (ErrorCodeInfo as Record<string, { retryable: boolean } | undefined>)[m.error_code]?.retryable ?? false;
          p.reject(new ServerError(m, retryable, { connectionId: id }));
        } else p.resolve(m);
      }
    }
    this.listeners.message(id, m);
  }

  /** A failed status rejects the pending requests of the connection, then reaches the listeners. */
  private emitStatus(ev: StatusEvent): void {
    if (ev.status === 'failed') this.rejectPending(ev.connectionId, ev.error ?? new ConnectionClosedError(undefined, 'connection failed', { connectionId: ev.connectionId }));
    this.listeners.emit(ev.connectionId, 'status', ev);
  }

  private rejectPending(id: string, err: Error): void {
    const map = this.pending.get(id);
    if (!map) return;
    this.pending.delete(id);
    for (const p of map.values()) {
      this.clock.clearTimeout(p.timer);
      p.reject(err);
    }
  }

  private cancelRelease(id: string): void {
    const t = this.releaseTimers.get(id);
    if (t !== undefined) {
      this.clock.clearTimeout(t);
      this.releaseTimers.delete(id);
    }
  }
}
