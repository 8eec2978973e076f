/**
 * One named, long-lived logical connection. It outlives its sockets: on a drop
 * it reconnects (backoff + close-code table), re-authenticates, resumes the
 * server session and flushes the queue. Subscribers live in the service, never
 * on a socket, so a reconnect cannot deliver a message twice.
 */
import { SCHEMA_HASH, parseMessage, type WebSocketMessage } from '../../generated/ts/index.js';
import { SessionTracker, foreignSchemaHash, isForeignHash } from './session.js';
import { Backoff } from './backoff.js';
import { type TimerHandle, utf8Length, uuid } from './clock.js';
import {
  AuthError,
  ConnectionClosedError,
  InvalidFrameError,
  InvalidMessageError,
  MessageDroppedError,
  MessageTooLargeError,
  ProtocolMismatchError,
  RecoveryFailedError,
  SessionResetError,
  TransportUnavailableError,
  WsClientError,
  type DropReason,
} from './errors.js';
import { emptyHealth, type ConnectionHealth, type ConnectionStatus } from './health.js';
import { Heartbeat } from './heartbeat.js';
import { isServerSendable, prepareOutbound, type OutboundMessage, type ServerMessage } from './messages.js';
import { OutboundQueue, type QueueEntry } from './queue.js';
import { resolveOptions, type ConnectionDeps, type ConnectionOptions, type ResolvedConnectionOptions, type SendResult, type StatusEvent, type TokenSource } from './options.js';
import { decideHttpRetry, decideRetry } from './retry.js';
import { OPEN, describeErrorEvent, httpStatusOf, resolveWebSocket, type SocketLike, type WebSocketCtor } from './transport.js';

export type { ConnectionDeps, ConnectionOptions, SendResult, StatusEvent, TokenSource } from './options.js';

const noop = (): void => {};
/** A named logical connection; see the module comment. Created by the service. */
export class Connection {
  private opts: ResolvedConnectionOptions;
  private socket: SocketLike | null = null;
  private gen = 0;
  private statusValue: ConnectionStatus = 'idle';
  private readonly backoff: Backoff;
  private readonly queue: OutboundQueue;
  private readonly heartbeat: Heartbeat;
  private timers: Record<'reconnect' | 'stable' | 'auth', TimerHandle | null> = { reconnect: null, stable: null, auth: null };
  private everOpen = false;
  private retries = 0;
  private httpStatus: number | undefined;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private readonly h: ConnectionHealth;
  private readonly session: SessionTracker;

  constructor(
    /** Connection id. */
    readonly id: string,
    /** Endpoint URL (without token). */
    readonly url: string,
    options: ConnectionOptions,
    private readonly deps: ConnectionDeps,
  ) {
    this.opts = resolveOptions(options);
    this.h = emptyHealth(id, url);
    this.session = new SessionTracker(this.h);
    this.backoff = new Backoff(this.opts.backoff, deps.random);
    this.queue = new OutboundQueue(this.opts.queue);
    this.heartbeat = new Heartbeat(this.opts.heartbeat, deps.clock, {
      newId: uuid,
      sendPing: (id) => this.sendNow({ type: 'ping', message_id: id, timestamp: new Date().toISOString() }),
      onTimeout: () => this.abandon(4002, 'heartbeat timeout: no pong'),
      onRtt: (ms) => {
        this.h.rttMs = ms;
        this.h.avgRttMs = this.h.avgRttMs === null ? ms : this.h.avgRttMs * 0.8 + ms * 0.2;
      },
    });
  }

  /** Current status. */
  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Replaces the token source (used from the next (re)connect on). */
  setToken(token: TokenSource): void {
    this.opts.token = token;
  }

  /** Opens the connection if it is idle, closed or failed; otherwise does nothing. */
  open(): void {
    if (this.statusValue === 'idle' || this.statusValue === 'closed' || this.statusValue === 'failed') {
      this.retries = 0;
      this.backoff.reset();
      void this.attempt();
    }
  }

  /** Resolves once the connection is open; rejects if it fails or is closed first. */
  whenOpen(): Promise<void> {
    if (this.statusValue === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Reconnects now if waiting in backoff; pings now if open (a liveness probe). */
  probe(): void {
    if (this.statusValue === 'reconnecting') {
      this.clear('reconnect');
      void this.attempt();
    } else if (this.statusValue === 'open') this.heartbeat.probe();
  }

  /** Closes for good (status closed); queued messages are dropped and reported. */
  close(reason = 'disconnect() called'): void {
    if (this.statusValue === 'closed') return;
    this.shutDown(1000, 'client disconnect');
    this.setStatus('closed', { reason });
    this.dropAll('connection-closed');
    this.settleWaiters(new ConnectionClosedError(1000, reason, { connectionId: this.id }));
  }

  /**
   * Validates and sends a message, or queues it while not open. Throws
   * {@link InvalidMessageError} / {@link MessageTooLargeError}; nothing is sent then.
   */
  send(msg: OutboundMessage): SendResult {
    const prep = prepareOutbound(msg, uuid);
    if (!prep.ok) throw new InvalidMessageError(prep.issues, { connectionId: this.id, messageId: prep.messageId });
    const value = prep.value;
    const messageId = value.message_id as string;
    const data = JSON.stringify(value);
    const bytes = utf8Length(data);
    if (bytes > this.opts.maxMessageBytes) throw new MessageTooLargeError(bytes, this.opts.maxMessageBytes, { connectionId: this.id, messageId });
    if (this.statusValue === 'open' && this.writeRaw(data, bytes)) return { status: 'sent', messageId };
    // Pings and pongs are about this socket: never queued.
    if (value.type === 'ping' || value.type === 'pong') return this.dropped('not-connected', messageId);
    if (this.statusValue === 'closed' || this.statusValue === 'failed' || this.statusValue === 'idle') return this.dropped('connection-closed', messageId);
    const r = this.queue.enqueue({ messageId, data, bytes, enqueuedAt: this.deps.clock.now() }, this.deps.clock.now());
    for (const e of r.expired) this.reportDrop('ttl', e);
    for (const e of r.evicted) this.reportDrop('overflow', e);
    this.syncQueueHealth();
    if (!r.accepted) return this.dropped(r.reason ?? 'overflow', messageId);
    return { status: 'queued', messageId };
  }

  /** A snapshot of this connection's health. */
  health(): ConnectionHealth {
    this.syncQueueHealth();
    return { ...this.h, status: this.statusValue };
  }

  // ---- socket lifecycle -------------------------------------------------

  private async attempt(): Promise<void> {
    const gen = ++this.gen;
    this.clear('reconnect');
    this.httpStatus = undefined;
    this.setStatus('connecting');
    this.h.connectAttempts++;
    let token: string | null | undefined;
    let Ctor: WebSocketCtor;
    try {
      const t = this.opts.token;
      token = typeof t === 'function' ? await t() : t;
      Ctor = await resolveWebSocket(this.deps.WebSocket);
    } catch (e) {
      if (gen !== this.gen) return;
      if (e instanceof TransportUnavailableError) return this.fail(e);
      this.h.lastError = `token provider failed: ${e instanceof Error ? e.message : String(e)}`;
      return this.scheduleReconnect(undefined, this.h.lastError);
    }
    if (gen !== this.gen) return;
    let url = this.url;
    let protocols = [...this.opts.protocols];
    if (token) {
      if (this.opts.tokenIn === 'query') url += (url.includes('?') ? '&' : '?') + 'session_token=' + encodeURIComponent(token);
      else protocols = this.opts.tokenProtocols(token);
    }
    let sock: SocketLike;
    try {
      sock = protocols.length > 0 ? new Ctor(url, protocols) : new Ctor(url);
    } catch (e) {
      return this.fail(new ConnectionClosedError(undefined, `cannot open ${this.url}: ${e instanceof Error ? e.message : String(e)}`, { connectionId: this.id, cause: e }));
    }
    this.socket = sock;
    sock.onopen = () => {
      if (this.socket !== sock) return;
      this.setStatus('authenticating');
      this.timers.auth = this.deps.clock.setTimeout(() => {
        this.timers.auth = null;
        this.abandon(4002, 'no session_created in time');
      }, this.opts.authTimeoutMs);
    };
    sock.onmessage = (ev) => {
      if (this.socket === sock) this.handleFrame(ev.data);
    };
    sock.onerror = (ev) => {
      if (this.socket !== sock) return;
      const text = describeErrorEvent(ev);
      this.h.lastError = text;
      const status = httpStatusOf(text);
      if (status !== undefined) this.httpStatus = status;
    };
    sock.onclose = (ev) => {
      if (this.socket !== sock) return;
      this.socket = null;
      this.detach(sock);
      this.handleClose(typeof ev.code === 'number' ? ev.code : 1006, typeof ev.reason === 'string' ? ev.reason : '');
    };
  }

  /** Drops a socket we consider dead without waiting for its close event. */
  private abandon(code: number, reason: string): void {
    const s = this.socket;
    if (!s) return;
    this.socket = null;
    this.detach(s);
    try {
      if (typeof s.terminate === 'function') s.terminate();
      else s.close(4002, reason.slice(0, 120));
    } catch {
      /* ignore */
    }
    this.h.lastError = reason;
    this.handleClose(code, reason);
  }

  private handleClose(code: number, reason: string): void {
    this.stopLive();
    if (this.statusValue === 'closed' || this.statusValue === 'failed') return;
    this.h.lastCloseCode = code;
    const ctx = { connectionId: this.id };
    if (this.httpStatus !== undefined) {
      const d = decideHttpRetry(this.httpStatus);
      if (!d.retry) return this.fail(d.kind === 'auth' ? new AuthError({ httpStatus: this.httpStatus }, ctx) : new ConnectionClosedError(code, d.reason, ctx), code);
      return this.scheduleReconnect(code, d.reason);
    }
    const d = decideRetry(code, false);
    if (!d.retry) {
      const err =
        d.kind === 'auth'
          ? new AuthError({ closeCode: code }, ctx)
          : d.kind === 'protocol'
            ? new ProtocolMismatchError(SCHEMA_HASH, '', ctx)
            : new ConnectionClosedError(code, reason || d.reason, ctx);
      return this.fail(err, code);
    }
    this.scheduleReconnect(code, reason || d.reason);
  }

  private scheduleReconnect(code: number | undefined, reason: string): void {
    if (this.retries >= this.opts.maxRetries) {
      return this.fail(new ConnectionClosedError(code, `gave up after ${this.retries} reconnect attempts (${reason})`, { connectionId: this.id }), code);
    }
    this.retries++;
    const attempt = this.backoff.attempt;
    const delayMs = this.backoff.next();
    this.h.reconnectAttempts++;
    this.setStatus('reconnecting', { delayMs, reason, attempt, ...(code !== undefined ? { closeCode: code } : {}) });
    this.timers.reconnect = this.deps.clock.setTimeout(() => {
      this.timers.reconnect = null;
      void this.attempt();
    }, delayMs);
  }

  /** Stops everything live (timers, heartbeat, pending reconnect) and closes the socket, if any, with `code`. */
  private shutDown(code: number, reason: string): void {
    this.gen++;
    this.stopLive();
    this.clear('reconnect');
    const s = this.socket;
    this.socket = null;
    if (!s) return;
    this.detach(s);
    try {
      s.close(code, reason);
    } catch {
      /* already closed */
    }
  }

  private fail(err: WsClientError, closeCode?: number): void {
    this.shutDown(err.code === 'PROTOCOL_MISMATCH' ? 4504 : 1000, err.code);
    this.h.lastError = err.message;
    this.setStatus('failed', { error: err, reason: err.message, ...(closeCode !== undefined ? { closeCode } : {}) });
    this.deps.onError(err);
    this.dropAll('connection-failed');
    this.settleWaiters(err);
  }

  // ---- inbound --------------------------------------------------------------

  private handleFrame(data: unknown): void {
    this.h.lastMessageAt = this.deps.clock.now();
    this.h.messagesIn++;
    if (typeof data !== 'string') {
      this.h.invalidFrames++;
      this.deps.onError(new InvalidFrameError([], '[binary frame]', { connectionId: this.id }));
      return;
    }
    this.h.bytesIn += utf8Length(data);
    const r = parseMessage(data);
    if (!r.ok) {
      this.h.invalidFrames++;
      // A server on another schema may send a session_created our validator rejects: say so clearly.
      const hash = this.statusValue === 'authenticating' ? foreignSchemaHash(data) : undefined;
      if (hash !== undefined) {
        const err = new ProtocolMismatchError(SCHEMA_HASH, hash, { connectionId: this.id });
        if (this.opts.onSchemaMismatch === 'fail') return this.fail(err, 4504);
        this.deps.onError(err);
      }
      this.deps.onError(new InvalidFrameError(r.errors, data, { connectionId: this.id }));
      return;
    }
    const msg = r.value;
    if (!isServerSendable(msg.type)) {
      this.h.invalidFrames++;
      const issue = { path: '/type', keyword: 'direction', message: `a server may not send ${msg.type}`, params: { type: msg.type } };
      this.deps.onError(new InvalidFrameError([issue], data, { connectionId: this.id, messageId: msg.message_id }));
      return;
    }
    const server = msg as ServerMessage;
    if (server.type === 'session_created') {
      if (!this.handleSessionCreated(server)) return;
    } else {
      if (!this.session.accept((server as { seq?: number }).seq)) return;
      this.handleControl(server);
    }
    this.deps.onMessage(this.id, server);
  }

  private handleControl(msg: ServerMessage): void {
    switch (msg.type) {
      case 'pong':
        this.heartbeat.handlePong(msg.message_id);
        break;
      case 'ping':
        this.sendNow({ type: 'pong', message_id: msg.message_id ?? uuid(), timestamp: new Date().toISOString() });
        break;
      case 'session_updated':
        {
          const outcome = this.session.onUpdated(msg.status);
          if (outcome) this.emitStatus('open', { resume: outcome });
        }
        break;
      case 'error_message':
        if (msg.error_code === 'RECOVERY_FAILED') {
          this.session.onRecoveryFailed();
          const d = msg.error_details ?? {};
          const num = (x: unknown) => (typeof x === 'number' ? x : undefined);
          this.deps.onError(new RecoveryFailedError(num(d['first_missing']), num(d['last_missing']), { connectionId: this.id, messageId: msg.message_id }));
        }
        break;
      default:
        break;
    }
  }

  /** Returns false when the connection must stop (schema mismatch with policy fail). */
  private handleSessionCreated(msg: Extract<WebSocketMessage, { type: 'session_created' }>): boolean {
    this.clear('auth');
    if (isForeignHash(msg.schema_hash)) {
      const err = new ProtocolMismatchError(SCHEMA_HASH, msg.schema_hash, { connectionId: this.id });
      if (this.opts.onSchemaMismatch === 'fail') {
        this.fail(err, 4504);
        return false;
      }
      this.deps.onError(err);
    }
    const plan = this.session.onCreated(msg, this.opts.resume);
    if (plan.resetFrom !== null) this.deps.onError(new SessionResetError(plan.resetFrom, msg.session_id, { connectionId: this.id }));
    this.h.connectedAt = this.deps.clock.now();
    if (this.everOpen) this.h.reconnectCount++;
    this.everOpen = true;
    this.retries = 0;
    this.setStatus('open');
    this.heartbeat.start();
    this.timers.stable = this.deps.clock.setTimeout(() => {
      this.timers.stable = null;
      this.backoff.reset();
    }, this.opts.stableAfterMs);
    if (plan.resumeFrom !== null) {
      const { lastSeq, epoch } = plan.resumeFrom;
      this.sendNow({ type: 'session_resume', session_id: msg.session_id, last_seq: lastSeq, epoch, message_id: uuid(), timestamp: new Date().toISOString() });
    }
    this.flush();
    this.settleWaiters(null);
    return true;
  }

  // ---- outbound -------------------------------------------------------------

  private flush(): void {
    const { ready, expired } = this.queue.drain(this.deps.clock.now());
    for (const e of expired) this.reportDrop('ttl', e);
    for (let i = 0; i < ready.length; i++) {
      const e = ready[i] as QueueEntry;
      if (!this.writeRaw(e.data, e.bytes)) {
        this.queue.unshift(ready.slice(i));
        break;
      }
    }
    this.syncQueueHealth();
  }

  /** Sends a control message directly (never queued). */
  private sendNow(msg: OutboundMessage): boolean {
    const data = JSON.stringify(msg);
    return this.writeRaw(data, utf8Length(data));
  }

  private writeRaw(data: string, bytes: number): boolean {
    const s = this.socket;
    if (!s || s.readyState !== OPEN) return false;
    try {
      s.send(data);
    } catch {
      return false;
    }
    this.h.bytesOut += bytes;
    this.h.messagesOut++;
    return true;
  }

  private dropped(reason: DropReason, messageId: string): SendResult {
    return { status: 'dropped', messageId, reason };
  }

  private reportDrop(reason: DropReason, e: QueueEntry): void {
    this.deps.onError(new MessageDroppedError(reason, { connectionId: this.id, messageId: e.messageId }));
  }

  private dropAll(reason: DropReason): void {
    for (const e of this.queue.clear()) this.reportDrop(reason, e);
    this.syncQueueHealth();
  }

  private syncQueueHealth(): void {
    this.h.queued = this.queue.size;
    this.h.queuedBytes = this.queue.bytes;
  }

  // ---- helpers ------------------------------------------------------------------

  private stopLive(): void {
    this.heartbeat.stop();
    this.clear('stable');
    this.clear('auth');
  }

  private clear(name: 'reconnect' | 'stable' | 'auth'): void {
    const t = this.timers[name];
    if (t !== null) this.deps.clock.clearTimeout(t);
    this.timers[name] = null;
  }

  private detach(s: SocketLike): void {
    s.onopen = noop;
    s.onmessage = noop;
    s.onclose = noop;
    // `ws` throws on an 'error' event nobody listens to, so keep a listener.
    s.onerror = noop;
  }

  private setStatus(status: ConnectionStatus, extra: Partial<StatusEvent> = {}): void {
    const previous = this.statusValue;
    this.statusValue = status;
    this.h.status = status;
    this.deps.onStatus({ connectionId: this.id, status, previous, attempt: this.backoff.attempt, ...extra });
  }

  private emitStatus(status: ConnectionStatus, extra: Partial<StatusEvent>): void {
    this.deps.onStatus({ connectionId: this.id, status, previous: this.statusValue, attempt: this.backoff.attempt, ...extra });
  }

  private settleWaiters(err: Error | null): void {
    const w = this.waiters;
    this.waiters = [];
    for (const x of w) {
      if (err) x.reject(err);
      else x.resolve();
    }
  }
}
