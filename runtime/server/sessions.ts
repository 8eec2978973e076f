// Sessions that survive reconnects (the "Traffic Cop" role). A session has one
// stream per endpoint; a stream numbers its server messages (seq), keeps a
// bounded replay buffer (count, bytes, TTL) and is linked to at most one open
// connection. Messages produced while no connection is linked are buffered and
// replayed on session_resume; what fell out of the buffer is reported as a gap.
import { randomBytes } from 'node:crypto';
import type { Message, RuntimeProtocol } from './roles.js';
import { serializedBytes, toJson } from './wire.js';
import { StreamTable } from './stream-table.js';
import type { Endpoint, SessionInfo } from './types.js';
import type { SessionBackend, SessionStoreOptions } from './backend.js';

/** Bounds of a stream's replay buffer. */
export interface ReplayLimits {
  /** Most messages kept (default 256). */
  maxMessages: number;
  /** Most UTF-8 bytes kept (default 256 KiB). */
  maxBytes: number;
  /** Oldest message age kept, in ms (default 60 000). */
  ttlMs: number;
}

/** Default replay limits. */
export const DEFAULT_REPLAY_LIMITS: ReplayLimits = { maxMessages: 256, maxBytes: 256 * 1024, ttlMs: 60_000 };

/** Where a stream delivers: the linked connection. */
export interface StreamSink {
  /** False while the connection waits for session_resume (messages are then only buffered). */
  readonly live: boolean;
  /** Whether the socket's send buffer is over the soft budget (drop low-priority messages). */
  overSoftBudget(): boolean;
  /** Writes one serialized message. */
  deliver(text: string, type: string): void;
  /** Optional: coalesces the writes of this tick into one (before delivering several messages at once). */
  coalesce?(): void;
}

/** The outcome of a resume request. */
export interface ReplayPlan {
  /** Buffered messages after last_seq, oldest first. */
  texts: string[];
  /** The seq range that is lost (not buffered any more), if any. */
  missing?: { first_missing: number; last_missing: number };
  /** last_seq is beyond the latest seq: the server does not know this history (for example after a restart). */
  ahead?: boolean;
}

/** One server→client message stream of a session on one endpoint. */
export class Stream {
  /**
   * This instance of the stream, new whenever the stream is created (so after a restart or an expiry): a seq
   * names a message only together with its epoch, and a resume from another epoch is never replayed against.
   * A shared store sets it from the store when it links the stream.
   */
  epoch = randomBytes(12).toString('base64url');
  /** The latest seq assigned (0 before the first message). */
  seq = 0;
  /** The linked connection, if any. */
  conn: StreamSink | undefined = undefined;
  /** When the last connection was unlinked (epoch ms), or 0 while linked. */
  detachedAt = 0;
  /** False once the stream was discarded (session expired, idle or shut down): sends are ignored. */
  open = true;
  /** Low-priority messages dropped for backpressure or because no connection was linked. */
  dropped = 0;
  /** Requests being handled for this stream. */
  inFlight = 0;
  // The replay buffer: parallel arrays used as a queue (live entries from
  // `head` on; the consumed prefix is cut off in bulk), allocated on the first
  // message. Byte accounting is O(1): each entry's UTF-8 size is kept.
  private texts: (string | undefined)[] | undefined;
  private sizes: number[] | undefined;
  private times: number[] | undefined;
  private head = 0;
  private bytes = 0;

  /** The session state owning this stream. */
  readonly owner: SessionState;
  /** The endpoint of the stream. */
  readonly endpoint: Endpoint;
  private readonly store: SessionStore;

  /** A new stream (a new epoch) of `owner` on `endpoint`. */
  constructor(owner: SessionState, endpoint: Endpoint, store: SessionStore) {
    this.owner = owner;
    this.endpoint = endpoint;
    this.store = store;
  }

  /** Messages currently buffered. */
  private get count(): number {
    return this.texts === undefined ? 0 : this.texts.length - this.head;
  }

  /** Seq of the oldest buffered message (seq + 1 when the buffer is empty). */
  get firstBuffered(): number {
    return this.seq - this.count + 1;
  }

  /** Messages and bytes currently buffered. */
  get buffered(): { messages: number; bytes: number } {
    return { messages: this.count, bytes: this.bytes };
  }

  /**
   * Numbers, buffers and (when a live connection is linked) delivers one
   * server message. Low-priority types are dropped instead when no live
   * connection is linked or its send buffer is over the soft budget; they take
   * no seq, so no gap appears. Without the resume capability nothing is numbered
   * or buffered: the message goes to a live connection or is lost. A
   * connection-level message ({@link RuntimeProtocol.isConnectionLevel},
   * such as a RATE_LIMITED refusal) takes no seq and is not buffered: it goes to
   * the linked connection only, live or not. Returns whether the message was
   * kept (or, for a connection-level one, delivered).
   */
  send(msg: Message): boolean {
    return this.sendWith(msg, toJson);
  }

  /**
   * {@link send} with a serializer that must produce exactly JSON.stringify(msg)
   * (a specialized one for a hot message shape, see chat/serialize.ts). The string is
   * built once: the same string is buffered and sent. `now` (epoch ms, for the
   * buffer's age bound) lets a caller that just read the clock reuse it.
   */
  sendWith<M extends Message>(msg: M, serialize: (msg: M) => string, now: number = Date.now()): boolean {
    if (!this.open) return false;
    const c = this.conn;
    const store = this.store;
    const rt = store.protocol;
    const type = msg[rt.tag] as string;
    if (rt.isConnectionLevel(msg)) {
      if (c === undefined) return false;
      if (type === rt.role.error) delete msg[store.seqField!]; // (session created's seq is the stream's latest: kept)
      store.validate?.(msg);
      c.deliver(serialize(msg), type);
      return true;
    }
    if (store.lowPriority.has(type) && (c === undefined || !c.live || c.overSoftBudget())) {
      this.dropped++;
      store.onDrop(type);
      return false;
    }
    const seqField = store.seqField;
    if (seqField === undefined) {
      store.validate?.(msg);
      if (c !== undefined && c.live) c.deliver(serialize(msg), type);
      return c !== undefined && c.live;
    }
    const seq = this.seq + 1;
    (msg as Message)[seqField] = seq;
    const check = store.validate;
    if (check !== undefined) check(msg);
    const text = serialize(msg);
    this.seq = seq; // only now: a message that fails validation or serialization (a BigInt) takes no seq, so leaves no gap
    this.commit(text, type, now);
    return true;
  }

  /**
   * Keeps one numbered message (`text`, of `type`, made at `now` epoch ms) and delivers it to a live linked
   * connection. In memory: buffered, then delivered at once; a shared store appends it first (redis/stream.ts).
   */
  protected commit(text: string, type: string, now: number): void {
    this.record(text, serializedBytes(text), now);
    const c = this.conn;
    if (c !== undefined && c.live) c.deliver(text, type);
  }

  private record(text: string, size: number, now: number): void {
    if (this.texts === undefined) {
      this.texts = [];
      this.sizes = [];
      this.times = [];
      this.head = 0;
    }
    this.texts.push(text);
    this.sizes!.push(size);
    this.times!.push(now);
    this.bytes += size;
    this.trim(now);
  }

  /** Evicts the oldest messages beyond the count, byte and age bounds. */
  trim(now: number, lim: ReplayLimits = this.store.limits): void {
    const texts = this.texts;
    if (texts === undefined) return;
    const sizes = this.sizes!;
    const times = this.times!;
    const oldest = now - lim.ttlMs;
    let head = this.head;
    while (head < texts.length && (texts.length - head > lim.maxMessages || this.bytes > lim.maxBytes || times[head]! < oldest)) {
      texts[head] = undefined; // release the string now
      this.bytes -= sizes[head]!;
      head++;
    }
    if (head === texts.length) {
      this.texts = this.sizes = this.times = undefined;
      this.head = 0;
      this.bytes = 0;
    } else if (head >= 32 && head * 2 >= texts.length) {
      // Cut the consumed prefix off in bulk: amortized O(1) per message.
      texts.splice(0, head);
      sizes.splice(0, head);
      times.splice(0, head);
      this.head = 0;
    } else {
      this.head = head;
    }
  }

  /** What to replay for a client whose last processed seq is `lastSeq`. */
  replayAfter(lastSeq: number): ReplayPlan {
    this.trim(Date.now());
    if (lastSeq > this.seq) return { texts: [], ahead: true };
    const first = this.firstBuffered;
    const texts = (this.texts?.slice(this.head) ?? []) as string[];
    if (lastSeq + 1 >= first) return { texts: texts.slice(lastSeq + 1 - first) };
    return { texts, missing: { first_missing: lastSeq + 1, last_missing: first - 1 } };
  }

  /**
   * Calls `then` with the replay plan after `lastSeq`, in order with this stream's sends: every message kept
   * before this call is in the plan, and every later one is delivered after `then` returned. In memory `then`
   * runs at once; a shared store calls it when the store answered.
   */
  withReplay(lastSeq: number, then: (plan: ReplayPlan) => void): void {
    then(this.replayAfter(lastSeq));
  }

  /** Every buffered message text, oldest first (for flushing at shutdown). */
  snapshot(): string[] {
    return (this.texts?.slice(this.head) ?? []) as string[];
  }

  /** Discards the buffer and stops accepting messages. */
  discard(): void {
    this.open = false;
    this.conn = undefined;
    this.texts = this.sizes = this.times = undefined;
    this.head = 0;
    this.bytes = 0;
  }
}

/** One session (all its streams), as known to the store. */
export class SessionState {
  /** Streams by endpoint key. */
  readonly streams = new StreamTable();
  /** The expiry timer, if the session expires. */
  timer: NodeJS.Timeout | undefined;
  /** The latest validated session info. */
  info: SessionInfo;
  /** A session known by `info`. */
  constructor(info: SessionInfo) {
    this.info = info;
  }
}

export type { SessionBackend, SessionStoreOptions } from './backend.js';

/** All sessions and their streams, in this process's memory. */
export class SessionStore implements SessionBackend {
  /** Sessions by id. */
  readonly sessions = new Map<string, SessionState>();
  readonly limits: ReplayLimits;
  readonly lowPriority: ReadonlySet<string>;
  readonly onDrop: (type: string) => void;
  readonly validate: ((msg: Message) => void) | undefined;
  readonly protocol: RuntimeProtocol;
  /** The sequence property when the protocol has the resume capability (else nothing is numbered or buffered). */
  readonly seqField: string | undefined;
  protected readonly opts: SessionStoreOptions;

  constructor(opts: SessionStoreOptions) {
    this.opts = opts;
    this.protocol = opts.protocol;
    this.seqField = opts.protocol.has('resume') ? opts.protocol.field.sequence : undefined;
    this.limits = opts.limits;
    this.lowPriority = opts.lowPriority;
    this.onDrop = opts.onDrop;
    this.validate = opts.validate;
  }

  /**
   * link_connection_to_session: the stream of a session on an endpoint, creating
   * session and stream as needed. A reconnect with the same session gets the same
   * stream back (`rejoined`), with its seq and replay buffer.
   */
  linkConnectionToSession(info: SessionInfo, endpoint: Endpoint): { stream: Stream; rejoined: boolean } {
    let state = this.sessions.get(info.sessionId);
    if (state === undefined) {
      state = new SessionState(info);
      this.sessions.set(info.sessionId, state);
    } else {
      state.info = info;
    }
    this.schedule(state);
    let stream = state.streams.get(endpoint.key);
    const rejoined = stream !== undefined && stream.seq > 0;
    if (stream === undefined) {
      stream = this.newStream(state, endpoint);
      state.streams.set(endpoint.key, stream);
    }
    return { stream, rejoined };
  }

  /** A new stream (a new epoch) of `state` on `endpoint`: a shared store makes its own kind. */
  protected newStream(state: SessionState, endpoint: Endpoint): Stream {
    return new Stream(state, endpoint, this);
  }

  private schedule(state: SessionState): void {
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    const at = state.info.expiresAt;
    if (at === undefined) return;
    // setTimeout holds at most ~24.8 days; longer expiries are re-armed by the next link.
    const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (this.sessions.get(state.info.sessionId) === state) this.opts.onExpire(state);
    }, delay);
    state.timer.unref();
  }

  /** Forgets a session and discards its streams. */
  drop(state: SessionState): void {
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.timer = undefined;
    for (const s of state.streams.values()) s.discard();
    state.streams.clear();
    if (this.sessions.get(state.info.sessionId) === state) this.sessions.delete(state.info.sessionId);
  }

  /** Trims buffers by age and forgets streams (and sessions) left without a connection for longer than detachedTtlMs. */
  sweep(now: number = Date.now()): void {
    for (const state of this.sessions.values()) {
      for (const [key, s] of state.streams) {
        s.trim(now);
        if (s.conn === undefined && s.inFlight === 0 && now - s.detachedAt > this.opts.detachedTtlMs) {
          s.discard();
          state.streams.delete(key);
        }
      }
      if (state.streams.size === 0) this.drop(state);
    }
  }

  /** {@inheritDoc SessionBackend.findStream} */
  findStream(sessionId: string, endpointKey: string): Stream | undefined {
    return this.sessions.get(sessionId)?.streams.get(endpointKey);
  }

  /** {@inheritDoc SessionBackend.sessionCount} */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Every stream of every session. */
  *streams(): Generator<Stream> {
    for (const state of this.sessions.values()) yield* state.streams.values();
  }

  /** Discards everything (after shutdown). */
  clear(): void {
    for (const state of [...this.sessions.values()]) this.drop(state);
  }
}
