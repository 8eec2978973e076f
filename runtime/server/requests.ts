// Handler deadlines of the generic server: a handler that returns a promise is
// a pending request of its session stream (the stream's inFlight counts it, so
// the stream is not swept under it) until the promise settles or its deadline
// passes. Past the deadline the request gets an error reply with the
// configured timeout code, leaves the in-flight count, and any stream reply it
// is still sending stops. Each chunk of a stream reply moves the deadline on,
// so a long stream that keeps producing is not cut. One timer serves every
// pending request and runs only while there is one; a synchronous handler
// costs nothing here.
import type { Stream } from './sessions.js';

/** One handler call whose promise has not settled. */
export class PendingRequest {
  /** Set once settled, timed out or aborted: later outcomes are ignored. */
  done = false;
  /** Set when the deadline passed: a stream reply of this request stops. */
  timedOut = false;
  /** Clock reading (ms, performance.now) after which the request times out. */
  deadline: number;
  /** The session stream the request answers into. */
  readonly stream: Stream;
  /**
   * The request's correlation id: the client's, or the server's `s<n>` once a stream reply answers a request sent
   * without one (see {@link RequestTracker.streamRef}); undefined until then.
   */
  ref: string | undefined;
  /** The message type that started the request (the latency series' label). */
  readonly type: string;
  /** The connection the message arrived on (for logs). */
  readonly connectionId: string;
  /** Clock reading (ms, performance.now) of the frame whose handler started the request (clock.ts: a frame's reading may be shared with the frames before it in one socket read). */
  readonly started: number;
  /** What the tracker's user attached to the request (the chat app: its agent request), if anything. */
  readonly owner: unknown;

  /** A request on `stream`, started at `started`, due `timeoutMs` later. */
  constructor(stream: Stream, ref: string | undefined, type: string, connectionId: string, started: number, timeoutMs: number, owner?: unknown) {
    this.stream = stream;
    this.ref = ref;
    this.type = type;
    this.connectionId = connectionId;
    this.started = started;
    this.deadline = started + timeoutMs;
    this.owner = owner;
  }
}

/** What the tracker reports (the pipeline turns it into replies, logs and metrics). */
export interface RequestEvents {
  /** The promise settled in time: `error` is the rejection, undefined when it fulfilled. */
  settled(req: PendingRequest, error: unknown, failed: boolean): void;
  /** The deadline passed first. */
  timedOut(req: PendingRequest): void;
}

/** The pending requests of one server, with their deadlines. */
export class RequestTracker {
  private readonly byStream = new Map<Stream, PendingRequest[]>();
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly timeoutMs: number;
  private readonly events: RequestEvents;
  /** Server ids given so far (`s<n>`, n hexadecimal). */
  private anonymous = 0;
  /** True during a handler's synchronous call ({@link enter}, {@link leave}). */
  private calling = false;
  /** A server id given during that call, before the handler returned its promise (see {@link leave}). */
  private unclaimed: string | undefined;

  /** Deadlines of `timeoutMs` (0: requests are counted but never time out). */
  constructor(timeoutMs: number, events: RequestEvents) {
    this.timeoutMs = timeoutMs;
    this.events = events;
  }

  /** Pending requests of the whole server. */
  get size(): number {
    return this.count;
  }

  /**
   * Tracks the promise a handler returned for a message of `type` on `stream` (correlation id `ref`, from connection
   * `connectionId`, `owner` attached); returns the pending request (its `deadline` may be moved on).
   */
  track(promise: PromiseLike<unknown>, stream: Stream, ref: string | undefined, type: string, connectionId: string, started: number, owner?: unknown): PendingRequest {
    const req = new PendingRequest(stream, ref, type, connectionId, started, this.timeoutMs, owner);
    const list = this.byStream.get(stream);
    if (list === undefined) this.byStream.set(stream, [req]);
    else list.push(req);
    this.count++;
    stream.inFlight++;
    this.arm();
    promise.then(
      () => this.settle(req, undefined, false),
      (err: unknown) => this.settle(req, err, true),
    );
    return req;
  }

  /**
   * The correlation id of a stream reply on `stream` from connection `connectionId`: `ref` when the request had one;
   * else a server id `s<n>` (n hexadecimal), since stream-chunk and stream-end require the correlation id
   * (docs/roles.md). The server id becomes the id of the oldest pending request of that connection and stream sent
   * without one (its deadline and its error reply then use it); during the handler's synchronous call it is the id of
   * the request being handled, which {@link leave} hands over once the handler returns.
   */
  streamRef(stream: Stream, ref: string | undefined, connectionId: string): string {
    if (ref !== undefined) return ref;
    const id = 's' + (++this.anonymous).toString(16);
    const req = this.calling ? undefined : this.byStream.get(stream)?.find((r) => r.ref === undefined && r.connectionId === connectionId);
    if (req !== undefined) req.ref = id;
    else this.unclaimed = id;
    return id;
  }

  /** A handler is about to be called: a stream reply it starts before returning belongs to its own request. */
  enter(): void {
    this.calling = true;
    this.unclaimed = undefined;
  }

  /** The handler returned (or threw): the server id a stream reply got during the call (then forgotten), if any. */
  leave(): string | undefined {
    const id = this.unclaimed;
    this.calling = false;
    this.unclaimed = undefined;
    return id;
  }

  /**
   * The watch of a stream reply to request `ref` on `stream`, called after each chunk: it moves the request's
   * deadline on and returns false once the request timed out (the stream reply must stop). A stream reply of an
   * untracked request (a synchronous handler's) always goes on.
   */
  watch(stream: Stream, ref: string): () => boolean {
    let req: PendingRequest | undefined;
    return () => {
      req ??= this.byStream.get(stream)?.find((r) => r.ref === ref);
      if (req === undefined) return true;
      if (req.timedOut) return false;
      req.deadline = performance.now() + this.timeoutMs;
      return true;
    };
  }

  private settle(req: PendingRequest, error: unknown, failed: boolean): void {
    if (req.done) return;
    this.finish(req);
    this.events.settled(req, error, failed);
  }

  /** Removes a request from the pending set and the stream's in-flight count (once). */
  private finish(req: PendingRequest): void {
    req.done = true;
    const list = this.byStream.get(req.stream);
    const i = list === undefined ? -1 : list.indexOf(req);
    if (i === -1) return;
    list!.splice(i, 1);
    if (list!.length === 0) this.byStream.delete(req.stream);
    this.count--;
    req.stream.inFlight--;
    if (this.count === 0 && this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private arm(): void {
    if (this.timer !== undefined || this.timeoutMs <= 0) return;
    const every = Math.max(5, Math.min(250, this.timeoutMs / 4));
    this.timer = setInterval(() => this.sweep(), every);
    this.timer.unref();
  }

  /** Times out every request past its deadline (the timer calls it; tests may too). */
  sweep(now: number = performance.now()): void {
    const due: PendingRequest[] = [];
    for (const list of this.byStream.values()) for (const req of list) if (req.deadline <= now) due.push(req);
    for (const req of due) {
      req.timedOut = true;
      this.finish(req);
      this.events.timedOut(req);
    }
  }

  /** Drops the pending requests of `stream` (or of every stream) without a reply (session expiry, shutdown); returns them. */
  abortAll(stream?: Stream): PendingRequest[] {
    const lists = stream === undefined ? [...this.byStream.values()] : [this.byStream.get(stream) ?? []];
    const dropped = lists.flatMap((list) => [...list]);
    for (const req of dropped) this.finish(req);
    return dropped;
  }
}
