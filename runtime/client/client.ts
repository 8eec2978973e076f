/**
 * WebSocketClient: one per app and protocol. Constructed with a protocol
 * descriptor (any wsgen protocol's `generated/ts/protocol.ts`) and typed by it.
 * Pools named connections, keeps subscribers outside socket lifetimes,
 * correlates requests and reports health. It has the capabilities of the plugins
 * it is given (`options.capabilities`, capability.ts) and imports none of them:
 * the bundle of an app that gives none holds no heartbeat, resume or stream code.
 * {@link WebSocketService} (service.ts) is the client with every plugin.
 */
import { systemClock, type Clock, type RandomSource, type TimerHandle } from './clock.js';
import { capabilitySet, type Capability, type RequestsPart, type StreamsPart } from './capability.js';
import { Connection } from './connection.js';
import { BrowserProbes } from './browser.js';
import { ConnectionClosedError, UnknownConnectionError } from './errors.js';
import type { ConnectionHealth, ConnectionStatus } from './health.js';
import { ALL, Listeners, type AnyHandler, type ErrorHandler, type StatusHandler, type StreamHandler } from './listeners.js';
import { makeFiller, type Filler } from './messages.js';
import type { ConnectionOptions, SendResult, StatusEvent } from './options.js';
import type { Body, ClientType, MessageOf, Outbound, ProtocolDescriptor, ServerMessage, ServerType } from './protocol.js';
import { uuid } from './clock.js';
import type { StreamState } from './streaming.js';
import { isBrowserLike, type WebSocketCtor } from './transport.js';
import { typeOf, wireOf, type Wire, type WireMessage } from './wire.js';

export type { AnyHandler, ErrorHandler, StatusHandler, StreamHandler } from './listeners.js';

/** Service-wide options. `F`: the names of the fields `fill` sets. */
export interface WebSocketServiceOptions<F extends string = never> {
  /**
   * Capability plugins: `heartbeat()`, `resume()`, `streams()`, `requests()`; each works only on a protocol
   * with its roles [WebSocketClient: none; WebSocketService: all four].
   */
  capabilities?: readonly Capability[];
  /** Base URL of the server, e.g. `ws://127.0.0.1:8787`, for {@link WebSocketService.url}. Default in browsers: the page's host (ws: or wss:). */
  baseUrl?: string;
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
  /** Fields every outbound message gets when it leaves them out, by name: each function gives the value (e.g. `{timestamp: () => new Date().toISOString()}`). */
  fill?: { readonly [K in F]: () => unknown };
}

/** A typed message handler. */
export type MessageHandler<M> = (message: M) => void;

/** Options of {@link WebSocketService.request}. */
export interface RequestOptions {
  /** Reject with RequestTimeoutError after this long, ms [30000]. */
  timeout?: number;
}

/** The client runtime, typed by protocol `P`, with the capability plugins it is given. See runtime/client/README.md. */
export class WebSocketClient<P extends ProtocolDescriptor = ProtocolDescriptor, F extends string = never> {
  /** The protocol this service speaks. */
  readonly protocol: P;
  readonly #wire: Wire;
  readonly #fill: Filler;
  readonly #connections = new Map<string, Connection>();
  readonly #listeners = new Listeners();
  readonly #replies: RequestsPart | undefined;
  readonly #streams: StreamsPart | undefined;
  readonly #capabilities: ReturnType<typeof capabilitySet>;
  readonly #refs = new Map<string, number>();
  readonly #releaseTimers = new Map<string, TimerHandle>();
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #browser: BrowserProbes;
  readonly #options: WebSocketServiceOptions<F>;

  /** Creating a service has no side effect: no socket, timer or browser listener exists until a connection does. */
  constructor(protocol: P, options: WebSocketServiceOptions<F> = {}) {
    this.protocol = protocol;
    this.#options = options;
    this.#wire = wireOf(protocol);
    this.#fill = makeFiller(this.#wire, uuid, options.fill as Readonly<Record<string, () => unknown>> | undefined);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#capabilities = capabilitySet(options.capabilities);
    this.#streams = this.#capabilities.streams?.service(this.#wire, this.#clock, this.#listeners);
    this.#replies = this.#capabilities.requests?.service(this.#wire, this.#clock);
    this.#browser = new BrowserProbes(() => this.probe());
  }

  // ---- connections ------------------------------------------------------------

  /** Opens (or reuses) connection `name` to `url`. Resolves with the id once open; rejects if it fails first. */
  async connect(name: string, url: string, options: ConnectionOptions = {}): Promise<string> {
    const c = this.#ensure(name, url, options);
    await c.whenOpen();
    return name;
  }

  /** Like {@link connect} but returns the id at once, without waiting for the connection to open. */
  open(name: string, url: string, options: ConnectionOptions = {}): string {
    this.#ensure(name, url, options);
    return name;
  }

  /** The URL of `path` under `baseUrl` (in a browser without one, under the page's host). Throws TypeError outside a browser without `baseUrl`. */
  url(path: string): string {
    let base = this.#options.baseUrl;
    if (!base && isBrowserLike()) {
      const loc = (globalThis as { location?: { protocol: string; host: string } }).location;
      if (loc) base = `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}`;
    }
    if (!base) throw new TypeError('WebSocketService needs options.baseUrl (e.g. ws://127.0.0.1:8787) outside a browser');
    return base.replace(/\/+$/, '') + path;
  }

  /** Closes and forgets connection `id`; pending requests reject, queued messages are dropped. Subscriptions stay. */
  disconnect(id: string): void {
    const c = this.#connections.get(id);
    this.#cancelRelease(id);
    this.#refs.delete(id);
    if (!c) return;
    this.#connections.delete(id);
    if (this.#connections.size === 0) this.#browser.detach();
    this.#streams?.forget(id);
    this.#replies?.rejectAll(id, new ConnectionClosedError(1000, 'disconnect() called', { connectionId: id }));
    // Last: closing calls the listeners, and one may reconnect `id` at once.
    c.close();
  }

  /** Disconnects everything. */
  disconnectAll(): void {
    for (const id of [...this.#connections.keys()]) this.disconnect(id);
  }

  /** Disconnects everything, removes browser listeners and every subscription. */
  dispose(): void {
    this.disconnectAll();
    this.#browser.detach();
    this.#listeners.clear();
  }

  /** Counts a user of `id` (React hooks use this; StrictMode-safe with {@link release}). */
  retain(id: string): void {
    this.#cancelRelease(id);
    this.#refs.set(id, (this.#refs.get(id) ?? 0) + 1);
  }

  /** Drops a user of `id`; when none is left after `releaseGraceMs`, disconnects it. */
  release(id: string): void {
    const n = (this.#refs.get(id) ?? 0) - 1;
    if (n > 0) {
      this.#refs.set(id, n);
      return;
    }
    this.#refs.set(id, 0);
    this.#cancelRelease(id);
    const t = this.#clock.setTimeout(() => {
      this.#releaseTimers.delete(id);
      if ((this.#refs.get(id) ?? 0) === 0) this.disconnect(id);
    }, this.#options.releaseGraceMs ?? 0);
    this.#releaseTimers.set(id, t);
  }

  /** Reconnects now (if waiting) or pings now (if open and the protocol has the heartbeat): one connection, or all. */
  probe(id?: string): void {
    if (id !== undefined) this.#connections.get(id)?.probe();
    else for (const c of this.#connections.values()) c.probe();
  }

  // ---- sending ---------------------------------------------------------------------

  /**
   * Sends a message of client type `type` on `id`: the body is the message without its tag; the
   * correlation id and the `fill` fields may be left out. Validates with the protocol's validator, then
   * sends, queues or drops. Throws InvalidMessageError / MessageTooLargeError / UnknownConnectionError.
   */
  send<K extends ClientType<P>>(id: string, type: K, body: Body<P, K, F>): SendResult {
    return this.#get(id).send({ ...(body as WireMessage), [this.#wire.tag]: type });
  }

  /** Like {@link send}, with the whole message (tag included). */
  sendMessage(id: string, message: Outbound<P, F>): SendResult {
    return this.#get(id).send(message as WireMessage);
  }

  /**
   * Sends and resolves with the first reply carrying the same correlation id that is not a stream chunk
   * (a stream's end, a pong...). A reply of the protocol's `error` role rejects with ServerError.
   */
  request(id: string, message: Outbound<P, F>, opts: RequestOptions = {}): Promise<ServerMessage<P>> {
    const replies = this.#replies;
    if (!replies) throw new TypeError('request() needs the requests() plugin: new WebSocketClient(protocol, { capabilities: [requests()] })');
    const r = this.sendMessage(id, message);
    return replies.wait(id, r, opts.timeout ?? 30_000) as Promise<ServerMessage<P>>;
  }

  // ---- subscriptions ----------------------------------------------------------------

  /** Calls `handler` with every `type` message on `id` (narrowed). Works before the connection exists. Returns the unsubscribe function. */
  subscribe<K extends ServerType<P>>(id: string, type: K, handler: MessageHandler<MessageOf<P, K>>): () => void {
    return this.#listeners.addTyped(id, type, handler as unknown as (m: WireMessage) => void);
  }

  /** Calls `handler` with every server message on `id` (or on every connection when id is `*`). */
  onAny(id: string, handler: AnyHandler<ServerMessage<P>>): () => void {
    return this.#listeners.add(id, 'any', handler as unknown as AnyHandler);
  }

  /** Status changes of `id` (or `*`). */
  onStatus(id: string, handler: StatusHandler): () => void {
    return this.#listeners.add(id, 'status', handler);
  }

  /** Errors of `id` (or `*`): invalid frames, auth, recovery, drops, protocol mismatch... */
  onError(id: string, handler: ErrorHandler): () => void {
    return this.#listeners.add(id, 'error', handler);
  }

  /** Stream updates (chunk, complete, ignored) of `id` (or `*`); only with the streams plugin on a protocol with its roles. */
  onStream(id: string, handler: StreamHandler): () => void {
    return this.#listeners.add(id, 'stream', handler);
  }

  /** The assembled stream answering `messageId` on `id` (streams plugin). */
  getStream(id: string, messageId: string): StreamState | undefined {
    return this.#streams?.get(id, messageId);
  }

  // ---- status and health ---------------------------------------------------------------

  /** Status of `id` (`closed` when unknown). */
  getConnectionStatus(id: string): ConnectionStatus {
    return this.#connections.get(id)?.status ?? 'closed';
  }

  /** Is `id` open (session established)? */
  isConnected(id: string): boolean {
    return this.getConnectionStatus(id) === 'open';
  }

  /** Health of `id`. Throws UnknownConnectionError. */
  getConnectionHealth(id: string): ConnectionHealth {
    return this.#get(id).health();
  }

  /** Health of every connection, by id. */
  getAllConnectionsHealth(): Map<string, ConnectionHealth> {
    const out = new Map<string, ConnectionHealth>();
    for (const [id, c] of this.#connections) out.set(id, c.health());
    return out;
  }

  /** Ids of the pooled connections. */
  connectionIds(): string[] {
    return [...this.#connections.keys()];
  }

  // ---- internals ------------------------------------------------------------------------

  #ensure(name: string, url: string, options: ConnectionOptions): Connection {
    let c = this.#connections.get(name);
    if (c && c.url !== url) {
      this.disconnect(name);
      c = undefined;
    }
    if (!c) {
      const merged: ConnectionOptions = { ...this.#options.defaults, ...options };
      c = new Connection(name, url, merged, {
        wire: this.#wire,
        fill: this.#fill,
        capabilities: this.#capabilities,
        clock: this.#clock,
        random: this.#random,
        WebSocket: this.#options.WebSocket,
        onMessage: (id, m) => this.#listeners.notify(() => this.#dispatch(id, m)),
        onStatus: (ev) => this.#listeners.notify(() => this.#emitStatus(ev)),
        onError: (err) => this.#listeners.notify(() => this.#listeners.emit(err.connectionId ?? ALL, 'error', err)),
      });
      this.#connections.set(name, c);
      if (this.#options.browserProbes !== false) this.#browser.attach();
    } else if ('token' in options) {
      c.setToken(options.token);
    }
    c.open();
    return c;
  }

  #get(id: string): Connection {
    const c = this.#connections.get(id);
    if (!c) throw new UnknownConnectionError(id, [...this.#connections.keys()]);
    return c;
  }

  #dispatch(id: string, m: WireMessage): void {
    const ev = this.#streams?.take(id, m);
    this.#replies?.take(id, m);
    if (ev) this.#listeners.emit(id, 'stream', ev);
    this.#listeners.message(id, typeOf(this.#wire, m), m);
  }

  /** A failed status rejects the pending requests of the connection, then reaches the listeners. */
  #emitStatus(ev: StatusEvent): void {
    if (ev.status === 'failed') this.#replies?.rejectAll(ev.connectionId, ev.error ?? new ConnectionClosedError(undefined, 'connection failed', { connectionId: ev.connectionId }));
    this.#listeners.emit(ev.connectionId, 'status', ev);
  }

  #cancelRelease(id: string): void {
    const t = this.#releaseTimers.get(id);
    if (t !== undefined) {
      this.#clock.clearTimeout(t);
      this.#releaseTimers.delete(id);
    }
  }
}
