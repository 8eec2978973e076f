// A session stream whose log is in Redis (docs/redis-layout.md). A message is
// numbered here, appended with append_many.lua (every stream of a turn in one call), and delivered only once Redis has
// it; a queue keeps deliveries and replays in the order of the sends, whatever
// order the promises settle in. A stream no connection of this node holds
// routes its messages through the store (to the owner node, or appended).
import type { Message } from '../roles.js';
import { Stream, type ReplayPlan, type SessionState } from '../sessions.js';
import type { Endpoint } from '../types.js';
import type { StreamKeys } from './keys.js';
import type { RedisSessionStore } from './store.js';

const PENDING = 0;
const STORED = 1;
/** Not stored: another node appended first (SEQ conflict); the message is routed again. */
const REROUTE = 2;

/** One send or replay waiting for Redis, in send order. */
export interface Pending {
  state: number;
  /** The message text (a send). */
  text: string;
  type: string;
  /** A replay: called with the plan, in order. */
  then: ((plan: ReplayPlan) => void) | undefined;
  plan: ReplayPlan | undefined;
  /** A forwarded send's acknowledgement: called once the message is stored (or delivered while broken), in order. */
  done: (() => void) | undefined;
}

/** The messages of one stream to append in one call, numbered from `seq`. */
export interface Batch {
  readonly stream: RedisStream;
  readonly seq: number;
  readonly items: readonly Pending[];
}

/** What a failed script call means for the stream: Redis lost it, another node appended, an outage, or a fault of this node. */
export type AppendFailure = 'epoch' | 'seq' | 'outage' | 'error';

/**
 * An append that failed in this node's own code (a bug: a throw while sending the call or reading its reply), not
 * for a Redis reply or an outage. The streams of the call break (log `redis_stream_failed`, code INTERNAL_ERROR):
 * their messages are delivered live, not stored, and get a new epoch, while Redis still counts as up.
 */
export class StoreFault extends Error {
  /** The error code of its log line. */
  readonly code = 'INTERNAL_ERROR';
  /** What was thrown. */
  override readonly cause: unknown;

  /** A fault whose thrown value is `cause`. */
  constructor(cause: unknown) {
    super(`the append failed in this node: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StoreFault';
    this.cause = cause;
  }
}

/** Classifies a rejected append: `EPOCH …` and `SEQ …` errors of append.lua and append_many.lua, a {@link StoreFault}, or an outage (anything else). */
export function appendFailure(err: unknown): AppendFailure {
  if (err instanceof StoreFault) return 'error';
  const m = err instanceof Error ? err.message : '';
  if (m.startsWith('EPOCH')) return 'epoch';
  if (m.startsWith('SEQ ')) return 'seq';
  return 'outage';
}

/** The replay plan after `lastSeq` when the store cannot answer: everything after lastSeq up to `seq` is lost. */
export function lostPlan(lastSeq: number, seq: number): ReplayPlan {
  if (lastSeq > seq) return { texts: [], ahead: true };
  if (lastSeq === seq) return { texts: [] };
  return { texts: [], missing: { first_missing: lastSeq + 1, last_missing: seq } };
}

/** A session stream backed by a Redis log ({@link RedisSessionStore}). */
export class RedisStream extends Stream {
  /** The Redis keys of the stream. */
  readonly keys: StreamKeys;
  /** Owner id (`<nodeId>/<linkId>`) of this node's link in Redis; '' while not linked here. */
  ownerId = '';
  /**
   * True once an append failed for an outage or Redis lost the stream: messages are then delivered without being
   * stored, and the stream gets a new epoch when Redis answers again.
   */
  broken = false;
  private readonly redis: RedisSessionStore;
  private readonly queue: (Pending | undefined)[] = [];
  private qHead = 0;
  /** Messages of this turn of the event loop, not sent to Redis yet (see {@link flush}). */
  private batch: Pending[] = [];
  /** The seq of the first batched message. */
  private batchSeq = 0;
  /** Set once a SEQ conflict closed the linked connection (closed once per link): later messages go after the top. */
  private conflicted = false;
  /** True while an append of this stream is in flight (one at a time). */
  private appending = false;
  /** Replay reads waiting for the append in flight. */
  private replays: (() => void)[] = [];
  /** The acknowledgement of the message {@link sendAcked} is sending (taken by commit). */
  private ackNext: (() => void) | undefined;

  /** A stream of `owner` on `endpoint` kept in `store`'s Redis under `keys`. */
  constructor(owner: SessionState, endpoint: Endpoint, store: RedisSessionStore, keys: StreamKeys) {
    super(owner, endpoint, store);
    this.redis = store;
    this.keys = keys;
  }

  /** Sends and replays still waiting for Redis. */
  get pending(): number {
    return this.queue.length - this.qHead;
  }

  /** {@inheritDoc Stream.sendWith} Without a connection of this node, the message is routed through the store. */
  override sendWith<M extends Message>(msg: M, serialize: (msg: M) => string, now: number = Date.now()): boolean {
    if (this.conn !== undefined || !this.open) return super.sendWith(msg, serialize, now);
    const store = this.redis;
    const rt = store.protocol;
    if (rt.isConnectionLevel(msg) || store.seqField === undefined) return false;
    const type = msg[rt.tag] as string;
    if (store.lowPriority.has(type)) {
      this.dropped++;
      store.onDrop(type);
      return false;
    }
    return store.route(this.owner.info.sessionId, this.endpoint.key, msg);
  }

  /**
   * Sends a message another node forwarded to this stream's connection (docs/redis-layout.md "Channels", `send` with
   * `ack`): `done` is called once it is stored in Redis and delivered (after this stream's earlier messages), or at
   * once when it takes no seq (dropped as low priority, as a local send would be).
   */
  sendAcked(msg: Message, done: () => void): void {
    this.ackNext = done;
    try {
      this.send(msg);
    } finally {
      const notTaken = this.ackNext;
      this.ackNext = undefined;
      notTaken?.();
    }
  }

  /**
   * Appends the numbered message to the Redis log, batched with the stream's other messages of this turn of the
   * event loop (one append_many.lua call for every stream of the turn); delivers it, in order, once stored.
   */
  protected override commit(text: string, type: string, now: number): void {
    const it: Pending = { state: PENDING, text, type, then: undefined, plan: undefined, done: this.ackNext };
    this.ackNext = undefined;
    this.queue.push(it);
    if (this.broken) {
      it.state = STORED; // not stored: live traffic goes on during an outage, the stream gets a new epoch later
      this.drain();
      return;
    }
    if (this.batch.length === 0) {
      this.batchSeq = this.seq;
      this.redis.scheduleFlush(this);
    } else this.redis.added();
    this.batch.push(it);
  }

  /**
   * Takes the batched messages to send to Redis (the store appends the batches of every stream of this turn in one
   * append_many.lua call, then calls {@link appended}). One append per stream is in flight at a time: while one is,
   * nothing is taken and what is sent meanwhile waits in the batch, so that after a `SEQ` conflict no later message
   * of this node can land at a position of the log it was not numbered for (its order is kept:
   * docs/redis-layout.md "Fencing"). Returns undefined when there is nothing to append (a broken or conflicted
   * stream settles its batch here).
   */
  takeBatch(): Batch | undefined {
    if (this.appending) return undefined;
    const items = this.batch;
    if (items.length === 0) {
      this.sendReplays();
      return undefined;
    }
    this.batch = [];
    if (this.broken || this.conflicted) {
      // Broken: delivered live, not stored. Conflicted: appended after the top, in order (see reroute).
      for (const it of items) it.state = this.broken ? STORED : REROUTE;
      this.drain();
      this.sendReplays();
      return undefined;
    }
    this.appending = true;
    return { stream: this, seq: this.batchSeq, items };
  }

  /**
   * The append of `items` (taken by {@link takeBatch}) settled: `err` undefined when stored, else the `EPOCH`/`SEQ`
   * reply or the outage. Delivers in order; the replays asked meanwhile read Redis first, then the next batch goes.
   */
  appended(items: readonly Pending[], err: unknown): void {
    if (err === undefined) for (const it of items) it.state = STORED;
    else this.failedAppend(items, err);
    this.appending = false;
    this.drain();
    this.sendReplays();
    if (this.batch.length > 0) this.redis.scheduleFlush(this);
  }

  /** Sends the replay reads that waited for the append in flight (Redis runs them before any later append). */
  private sendReplays(): void {
    const r = this.replays;
    this.replays = [];
    for (const read of r) read();
  }

  /** {@inheritDoc Stream.withReplay} The plan is read from Redis (replay.lua), in order with the sends. */
  override withReplay(lastSeq: number, then: (plan: ReplayPlan) => void): void {
    this.redis.flushNow(this); // the replay reads what was sent before it
    const it: Pending = { state: PENDING, text: '', type: '', then, plan: undefined, done: undefined };
    this.queue.push(it);
    if (this.broken) {
      it.plan = lostPlan(lastSeq, this.seq);
      this.settle(it, STORED);
      return;
    }
    const read = (): void => {
      this.redis.replay(this, lastSeq).then(
        (plan) => {
          it.plan = plan;
          this.settle(it, STORED);
        },
        (err: unknown) => {
          this.redis.markBroken(this, err);
          it.plan = lostPlan(lastSeq, this.seq);
          this.settle(it, STORED);
        },
      );
    };
    if (this.appending) this.replays.push(read);
    else read();
  }

  /**
   * The stream takes another epoch, at `seq` (a new epoch written after a break, or the one Redis holds at a new link).
   * The messages it numbered in the previous epoch and has not sent yet (its batch) are never sent: delivered live,
   * not stored, in order, so the new epoch's log holds only messages numbered in it (docs/redis-layout.md "Redis
   * down"). None of its appends is in flight then: a broken stream sends none, and a link replaces no live one.
   */
  adoptEpoch(epoch: string, seq: number): void {
    const stale = this.batch;
    this.batch = [];
    for (const it of stale) it.state = STORED;
    this.epoch = epoch;
    this.seq = seq;
    this.broken = false;
    if (stale.length > 0) this.drain();
  }

  /** A new link on this node: forget the conflict of the previous one. */
  relinked(): void {
    this.conflicted = false;
  }

  private failedAppend(items: readonly Pending[], err: unknown): void {
    const why = appendFailure(err);
    if (why !== 'seq') this.redis.markBroken(this, err);
    else if (!this.conflicted) {
      this.conflicted = true;
      this.redis.conflict(this);
    }
    for (const it of items) it.state = why === 'seq' ? REROUTE : STORED;
  }

  private settle(it: Pending, state: number): void {
    it.state = state;
    this.drain();
  }

  /** Delivers the settled head of the queue, in send order. */
  private drain(): void {
    const q = this.queue;
    if (q.length - this.qHead > 1) this.conn?.coalesce?.(); // several messages: one write
    while (this.qHead < q.length) {
      const it = q[this.qHead]!;
      if (it.state === PENDING) break;
      q[this.qHead++] = undefined;
      if (it.then !== undefined) it.then(it.plan!);
      else if (it.state === REROUTE) this.reroute(it.text, it.done);
      else {
        const c = this.conn;
        if (c !== undefined && c.live) c.deliver(it.text, it.type);
        it.done?.();
      }
    }
    if (this.qHead === q.length) {
      q.length = 0;
      this.qHead = 0;
    }
  }

  /**
   * Another node appended to this stream first (the client was told to resume from Redis): append the message after
   * the top, renumbered, in order with this node's other messages of the stream, so none is lost.
   */
  private reroute(text: string, done: (() => void) | undefined): void {
    this.redis.appendAfterTop(this.owner.info.sessionId, this.endpoint.key, JSON.parse(text) as Message, done);
  }
}
