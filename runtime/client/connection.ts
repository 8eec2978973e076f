/**
 * One named, long-lived logical connection. It outlives its sockets: on a drop
 * it reconnects (backoff + close-code table), re-authenticates, resumes the
 * server session and flushes the queue. Subscribers live in the service, never
 * on a socket, so a reconnect cannot deliver a message twice.
 *
 * Order on every (re)connect: `session_resume`, the server's replay (ended by its
 * `session_updated`), the queued messages in order, then new sends; status `open`
 * is reported only then. Until then every send goes to the back of the queue.
 * (Message names are the bundled protocol's; any protocol's roles play these parts.
 * The session and the resume are the resume plugin's (resume.ts), the ping the
 * heartbeat plugin's (heartbeat.ts): without them the connection is open once the
 * socket is, no session message is awaited and no ping is sent.)
 *
 * Re-entrancy: every callback into the app (status, message and error listeners)
 * runs after the state it reports is complete, and each may send, close or probe.
 * After a callback the connection goes on only if the socket is still its own
 * ({@link Connection.owns}); otherwise the app closed or replaced it meanwhile.
 */
import { Backoff } from './backoff.js';
import type { ConnectionHost, HeartbeatPart, SessionsPart } from './capability.js';
import { utf8Length, uuid } from './clock.js';
import { NamedTimers } from './timers.js';
import {
  ConnectionClosedError,
  InvalidMessageError,
  MessageDroppedError,
  MessageTooLargeError,
  TransportUnavailableError,
  WsClientError,
} from './errors.js';
import { emptyHealth, type ConnectionHealth, type ConnectionStatus } from './health.js';
import { decodeFrame } from './inbound.js';
import { prepareOutbound } from './messages.js';
import { Outbox } from './outbox.js';
import { resolveOptions, type ConnectionDeps, type ConnectionOptions, type ResolvedConnectionOptions, type SendResult, type StatusEvent, type TokenSource } from './options.js';
import { closeOutcome } from './retry.js';
import { detach, describeErrorEvent, httpStatusOf, type SocketLike } from './transport.js';
import { openSocket, pickUrl, prepareDial } from './dial.js';
import { typeOf, type Wire, type WireMessage } from './wire.js';

export type { ConnectionDeps, ConnectionOptions, SendResult, StatusEvent, TokenSource } from './options.js';

/** A named logical connection; see the module comment. Created by the service. */
export class Connection {
  #opts: ResolvedConnectionOptions;
  #socket: SocketLike | null = null;
  #gen = 0;
  #statusValue: ConnectionStatus = 'idle';
  readonly #backoff: Backoff;
  readonly #outbox: Outbox;
  readonly #timers: NamedTimers;
  /** The heartbeat plugin's part, when the service has it and the protocol its roles. */
  readonly #beat: HeartbeatPart | undefined;
  /** The resume plugin's part, likewise. */
  readonly #sessions: SessionsPart | undefined;
  #everOpen = false;
  #retries = 0;
  #httpStatus: number | undefined;
  #waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  readonly #h: ConnectionHealth;
  readonly #deps: ConnectionDeps;
  readonly #w: Wire;
  /** Failed or lost dials so far: picks the failover URL of the next one. */
  #target = 0;
  /** Connection id. */
  readonly id: string;
  /** Endpoint URL (without token). */
  readonly url: string;

  constructor(id: string, url: string, options: ConnectionOptions, deps: ConnectionDeps) {
    this.id = id;
    this.url = url;
    this.#deps = deps;
    this.#w = deps.wire;
    this.#opts = resolveOptions(options);
    this.#timers = new NamedTimers(deps.clock);
    this.#h = emptyHealth(id, url);
    this.#backoff = new Backoff(this.#opts.backoff, deps.random);
    this.#outbox = new Outbox(this.#opts.queue, deps.clock, this.#h, (reason, e) => deps.onError(new MessageDroppedError(reason, { connectionId: id, messageId: e.messageId })));
    const host: ConnectionHost = {
      id,
      wire: this.#w,
      options: this.#opts,
      clock: deps.clock,
      health: this.#h,
      fill: deps.fill,
      owns: (sock) => this.#owns(sock),
      sendControl: (msg) => this.#sendControl(msg),
      abandon: (code, reason) => this.#abandon(code, reason),
      setStatus: (status) => this.#setStatus(status),
      callBack: (sock, errors, msg) => this.#callBack(sock, errors, msg),
      established: () => this.#established(),
      goOpen: (sock, resume) => this.#goOpen(sock, resume),
    };
    this.#beat = deps.capabilities.heartbeat?.connection(host);
    this.#sessions = deps.capabilities.resume?.connection(host);
  }

  /** Current status. */
  get status(): ConnectionStatus {
    return this.#statusValue;
  }

  /** Replaces the token source (used from the next (re)connect on). */
  setToken(token: TokenSource): void {
    this.#opts.token = token;
  }

  /** Opens the connection if it is idle, closed or failed; otherwise does nothing. */
  open(): void {
    if (this.#statusValue === 'idle' || this.#statusValue === 'closed' || this.#statusValue === 'failed') {
      this.#retries = 0;
      this.#backoff.reset();
      void this.#attempt();
    }
  }

  /** Resolves once the connection is open; rejects if it fails or is closed first. */
  whenOpen(): Promise<void> {
    if (this.#statusValue === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Reconnects now if waiting in backoff; pings now if open (a liveness probe). */
  probe(): void {
    if (this.#statusValue === 'reconnecting') {
      this.#timers.clear('reconnect');
      void this.#attempt();
    } else if (this.#statusValue === 'open') this.#beat?.probe();
  }

  /** Closes for good (status closed); queued messages are dropped and reported. */
  close(reason = 'disconnect() called'): void {
    if (this.#statusValue === 'closed') return;
    this.#shutDown(1000, 'client disconnect');
    this.#settle('closed', new ConnectionClosedError(1000, reason, { connectionId: this.id }), 'connection-closed', { reason });
  }

  /**
   * Validates a message, then sends it if the connection is open and nothing is queued before it;
   * otherwise queues it (at the back) or drops it. Throws {@link InvalidMessageError} /
   * {@link MessageTooLargeError}; nothing is sent then.
   */
  send(msg: WireMessage): SendResult {
    const prep = prepareOutbound(this.#w, msg, this.#deps.fill);
    if (!prep.ok) throw new InvalidMessageError(prep.issues, { connectionId: this.id, messageId: prep.messageId });
    const value = prep.value;
    const messageId = prep.messageId ?? uuid();
    const data = JSON.stringify(value);
    const bytes = utf8Length(data);
    if (bytes > this.#opts.maxMessageBytes) throw new MessageTooLargeError(bytes, this.#opts.maxMessageBytes, { connectionId: this.id, messageId });
    if (this.#statusValue === 'open' && this.#outbox.size === 0 && this.#outbox.write(this.#socket, data, bytes)) return { status: 'sent', messageId };
    // Pings and pongs are about this socket: never queued.
    const type = typeOf(this.#w, value);
    if (type === this.#w.r.ping || type === this.#w.r.pong) return { status: 'dropped', messageId, reason: 'not-connected' };
    if (this.#statusValue === 'closed' || this.#statusValue === 'failed' || this.#statusValue === 'idle') return { status: 'dropped', messageId, reason: 'connection-closed' };
    return this.#outbox.enqueue(messageId, data, bytes);
  }

  /** A snapshot of this connection's health. */
  health(): ConnectionHealth {
    this.#outbox.syncHealth();
    return { ...this.#h, status: this.#statusValue };
  }

  // ---- socket lifecycle -------------------------------------------------

  async #attempt(): Promise<void> {
    const gen = ++this.#gen;
    this.#timers.clear('reconnect');
    this.#httpStatus = undefined;
    this.#h.connectAttempts++;
    this.#setStatus('connecting');
    let dial: Awaited<ReturnType<typeof prepareDial>>;
    try {
      dial = await prepareDial(this.#opts, this.#deps.WebSocket);
    } catch (e) {
      if (gen !== this.#gen) return;
      if (e instanceof TransportUnavailableError) return this.#fail(e);
      this.#h.lastError = `token provider failed: ${e instanceof Error ? e.message : String(e)}`;
      return this.#scheduleReconnect(undefined, this.#h.lastError);
    }
    if (gen !== this.#gen) return;
    let sock: SocketLike;
    try {
      // After a failure, each dial takes the next URL of [url, ...failoverUrls].
      const target = pickUrl(this.url, this.#opts.failoverUrls, this.#target);
      this.#h.url = target; // the health record names the URL this dial uses (after a failover, not the first one)
      sock = openSocket(dial.Ctor, target, this.#opts, dial.token, this.#w.protocol, this.id);
    } catch (e) {
      return this.#fail(e as ConnectionClosedError);
    }
    this.#socket = sock;
    sock.onopen = () => {
      if (!this.#owns(sock)) return;
      if (this.#sessions) return this.#sessions.opened(sock);
      this.#established();
      this.#goOpen(sock, undefined);
    };
    sock.onmessage = (ev) => {
      if (this.#owns(sock)) this.#handleFrame(sock, ev.data);
    };
    sock.onerror = (ev) => {
      if (!this.#owns(sock)) return;
      const text = describeErrorEvent(ev);
      this.#h.lastError = text;
      const status = httpStatusOf(text);
      if (status !== undefined) this.#httpStatus = status;
    };
    sock.onclose = (ev) => {
      if (!this.#owns(sock)) return;
      this.#socket = null;
      detach(sock);
      this.#handleClose(typeof ev.code === 'number' ? ev.code : 1006, typeof ev.reason === 'string' ? ev.reason : '');
    };
  }

  /** Is `sock` still this connection's socket? False once the app closed it or a newer one replaced it. */
  #owns(sock: SocketLike): boolean {
    return this.#socket === sock;
  }

  /** Drops a socket we consider dead without waiting for its close event. */
  #abandon(code: number, reason: string): void {
    const s = this.#socket;
    if (!s) return;
    this.#socket = null;
    detach(s);
    try {
      if (typeof s.terminate === 'function') s.terminate();
      else s.close(4002, reason.slice(0, 120));
    } catch {
      /* ignore */
    }
    this.#h.lastError = reason;
    this.#handleClose(code, reason);
  }

  #handleClose(code: number, reason: string): void {
    this.#stopLive();
    if (this.#statusValue === 'closed' || this.#statusValue === 'failed') return;
    this.#h.lastCloseCode = code;
    const o = closeOutcome(this.#w.protocol, code, reason, this.#httpStatus, this.id);
    if (o.retry) this.#scheduleReconnect(code, o.reason);
    else this.#fail(o.error, code);
  }

  #scheduleReconnect(code: number | undefined, reason: string): void {
    if (this.#retries >= this.#opts.maxRetries) {
      return this.#fail(new ConnectionClosedError(code, `gave up after ${this.#retries} reconnect attempts (${reason})`, { connectionId: this.id }), code);
    }
    this.#retries++;
    this.#target++; // the next attempt dials the next failover URL, if any
    const attempt = this.#backoff.attempt;
    const delayMs = this.#backoff.next();
    this.#h.reconnectAttempts++;
    // The timer first, the status event last: a listener that probes or closes sees a consistent state.
    this.#timers.arm('reconnect', delayMs, () => void this.#attempt());
    this.#setStatus('reconnecting', { delayMs, reason, attempt, ...(code !== undefined ? { closeCode: code } : {}) });
  }

  /** Stops everything live (timers, heartbeat, pending reconnect) and closes the socket, if any, with `code`. */
  #shutDown(code: number, reason: string): void {
    this.#gen++;
    this.#stopLive();
    this.#timers.clear('reconnect');
    const s = this.#socket;
    this.#socket = null;
    if (!s) return;
    detach(s);
    try {
      s.close(code, reason);
    } catch {
      /* already closed */
    }
  }

  #fail(err: WsClientError, closeCode?: number): void {
    this.#shutDown(err.code === 'PROTOCOL_MISMATCH' ? 4504 : 1000, err.code);
    this.#h.lastError = err.message;
    this.#settle('failed', err, 'connection-failed', { error: err, reason: err.message, ...(closeCode !== undefined ? { closeCode } : {}) }, err);
  }

  /**
   * Ends in `closed` or `failed`: the queue is emptied and the waiters settled before any callback,
   * so a listener that reopens starts clean; then the status event, the error, and each drop.
   */
  #settle(status: 'closed' | 'failed', waiterError: Error, dropReason: 'connection-closed' | 'connection-failed', extra: Partial<StatusEvent>, report?: WsClientError): void {
    const dropped = this.#outbox.clear();
    this.#settleWaiters(waiterError);
    this.#setStatus(status, extra);
    if (report) this.#deps.onError(report);
    for (const e of dropped) this.#outbox.reportDrop(dropReason, e);
  }

  // ---- inbound --------------------------------------------------------------

  /**
   * One frame: decoded (inbound.ts), judged by the resume plugin (a duplicate is dropped, the session-created
   * message is its own), seen by the heartbeat plugin, then reported and delivered; the end of a replay opens
   * the connection. After each callback, goes on only if the socket is still ours.
   */
  #handleFrame(sock: SocketLike, data: unknown): void {
    this.#h.lastMessageAt = this.#deps.clock.now();
    this.#h.messagesIn++;
    if (typeof data === 'string') this.#h.bytesIn += utf8Length(data);
    const sessions = this.#sessions;
    sessions?.progress(sock);
    const r = decodeFrame(this.#w, data, this.id);
    if (!r.ok) {
      this.#h.invalidFrames++;
      const mismatch = sessions?.mismatch(data);
      if (mismatch && this.#opts.onSchemaMismatch === 'fail') return this.#fail(mismatch, 4504);
      return void this.#callBack(sock, mismatch ? [mismatch, r.error] : [r.error], undefined);
    }
    const v = sessions ? sessions.frame(sock, r.msg, r.type, r.data) : { reports: [] };
    if (!v) return;
    if (v.error) this.#h.invalidFrames++;
    if (v.drop) return void (v.error && this.#callBack(sock, [v.error], undefined));
    this.#beat?.frame(r.type, r.msg);
    if (this.#callBack(sock, v.reports, r.msg) && v.resumeEnded !== undefined) this.#goOpen(sock, v.resumeEnded);
  }

  /** Reports `errors`, then delivers `msg`; false as soon as a callback closed or replaced the socket. */
  #callBack(sock: SocketLike, errors: WsClientError[], msg: WireMessage | undefined): boolean {
    for (const e of errors) {
      this.#deps.onError(e);
      if (!this.#owns(sock)) return false;
    }
    if (msg) this.#deps.onMessage(this.id, msg);
    return this.#owns(sock);
  }

  /**
   * The session is established (the session-created message, or the socket's open event in a protocol or a
   * service without the resume plugin): counters, the heartbeat, the stable timer.
   */
  #established(): void {
    this.#h.connectedAt = this.#deps.clock.now();
    if (this.#everOpen) this.#h.reconnectCount++;
    this.#everOpen = true;
    this.#retries = 0;
    this.#beat?.start();
    this.#timers.arm('stable', this.#opts.stableAfterMs, () => this.#backoff.reset());
  }

  /** The replay is over (or there is none): flush the queue in order, then report `open`. */
  #goOpen(sock: SocketLike, resume: ConnectionHealth['resume'] | undefined): void {
    if (!this.#outbox.flush(sock, () => this.#owns(sock))) {
      // Still ours but not writable: the socket is dying. Reconnect; the rest of the queue waits.
      if (this.#owns(sock)) this.#abandon(1006, 'socket stopped accepting writes while flushing the queue');
      return;
    }
    this.#setStatus('open', resume !== undefined ? { resume } : {});
    if (this.#owns(sock)) this.#settleWaiters(null);
  }

  // ---- outbound -------------------------------------------------------------

  /** Sends a control message (a plugin's ping, pong or session_resume) straight to the socket, never queued. */
  #sendControl(msg: WireMessage): boolean {
    const data = JSON.stringify(msg);
    return this.#outbox.write(this.#socket, data, utf8Length(data));
  }

  // ---- helpers ------------------------------------------------------------------

  #stopLive(): void {
    this.#beat?.stop();
    this.#sessions?.stop();
    this.#timers.clear('stable');
  }

  #setStatus(status: ConnectionStatus, extra: Partial<StatusEvent> = {}): void {
    const previous = this.#statusValue;
    this.#statusValue = status;
    this.#h.status = status;
    this.#deps.onStatus({ connectionId: this.id, status, previous, attempt: this.#backoff.attempt, ...extra });
  }

  #settleWaiters(err: Error | null): void {
    const w = this.#waiters;
    this.#waiters = [];
    for (const x of w) {
      if (err) x.reject(err);
      else x.resolve();
    }
  }
}
