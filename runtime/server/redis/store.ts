// The Redis session store of one node: the SessionBackend whose streams keep
// their log in Redis (stream.ts). It links a stream in Redis at the handshake
// (open.lua), appends and replays through the scripts, unlinks on close
// (release.lua), and gives broken streams a new epoch when Redis returns
// (reset.lua). docs/redis-layout.md.
import { randomBytes } from 'node:crypto';
import type { Cluster, ClusterHooks } from '../cluster.js';
import type { Message } from '../roles.js';
import { SessionStore, type ReplayPlan, type SessionState, type SessionStoreOptions, type Stream } from '../sessions.js';
import { silentLogger } from '../logger.js';
import type { Endpoint, Logger, SessionInfo } from '../types.js';
import { streamKeys } from './keys.js';
import type { RedisLink } from './link.js';
import { type AppendFailure, appendFailure, lostPlan, RedisStream, StoreFault, type Batch } from './stream.js';

/** The `reason` of a `redis_stream_broken` line, in the Python runtime's words: not stored, Redis lost the stream, or another node appended. */
const BROKEN_REASON: Record<AppendFailure, string> = { outage: 'unavailable', epoch: 'lost', seq: 'conflict', error: 'error' };

/** The Redis-side state of a stream read at the handshake, applied when the connection links. */
interface Prepared {
  epoch: string;
  seq: number;
  ownerId: string;
  /** False when Redis did not answer: the stream is linked broken (new local epoch). */
  stored: boolean;
  at: number;
}

/** What the store needs besides the in-memory options. */
export interface RedisStoreContext {
  link: RedisLink;
  /** How long a handshake waits for Redis to be ready, in ms (the command timeout). */
  commandTimeoutMs: number;
  /** This node's id (`[A-Za-z0-9_-]`). */
  nodeId: string;
  /** The key prefix. */
  prefix: string;
  /** Routes a message to a session stream no connection of this node holds (fanout.ts). */
  route(sessionId: string, endpointKey: string, msg: Message): boolean;
  /** Appends a message of a stream lost to another writer after its top, in order (fanout.ts); then calls `done`. */
  appendAfterTop(sessionId: string, endpointKey: string, msg: Message, done?: () => void): void;
  /** Tells the node that held a stream before this link (control channel `takeover`). */
  takeover(previousOwner: string, sessionId: string, endpointKey: string): void;
  /** The longest a message waits for others to share its append call, in ms (0: never), see {@link RedisSessionStore.scheduleFlush}. */
  lingerMs: number;
}

/** The most calls a node sends at once (without lingering) after lingered calls that gained nothing. */
const MAX_LINGER_SKIP = 256;
/** Weight of the latest call in the node's arrival-rate estimate (an exponentially weighted moving average). */
const RATE_WEIGHT = 0.25;

/** A new random epoch (as the in-memory store makes them). */
export function newEpoch(): string {
  return randomBytes(12).toString('base64url');
}

/** A link id: unique per link on this node. */
function linkId(): string {
  return randomBytes(6).toString('base64url');
}

/** The replay plan of a replay.lua answer `[epoch, seq, firstSeq, ...texts]` for `stream` after `lastSeq`. */
function planOf(stream: RedisStream, lastSeq: number, r: unknown[]): ReplayPlan {
  const [epoch, seq, firstSeq] = r as [string, number, number];
  const texts = r.slice(3) as string[];
  if (epoch !== stream.epoch) return lostPlan(lastSeq, stream.seq); // Redis lost (or re-created) the stream
  if (seq > stream.seq) stream.seq = seq;
  if (lastSeq > seq) return { texts: [], ahead: true };
  if (texts.length === 0) return lostPlan(lastSeq, seq);
  if (firstSeq > lastSeq + 1) return { texts, missing: { first_missing: lastSeq + 1, last_missing: firstSeq - 1 } };
  return { texts };
}

/** Sessions whose streams keep their log in Redis, shared by every node on that Redis. */
export class RedisSessionStore extends SessionStore {
  /** {@inheritDoc SessionBackend.cluster} Set once by redisSessionStore. */
  cluster: Cluster | undefined;
  /** The core's hooks (set by bind before any connection). */
  hooks: ClusterHooks | undefined;
  readonly logger: Logger;
  private readonly ctx: RedisStoreContext;
  private readonly prepared = new Map<string, Prepared>();
  /** Streams with a batch to send at the end of this turn of the event loop, or once the append in flight settled. */
  private toFlush: RedisStream[] = [];
  /** Whether an append_many call of {@link flushAll} is in flight (one at a time: the next one batches what came meanwhile). */
  private flushing = false;
  /** When the first batch of {@link toFlush} became due (performance.now(), ms). */
  private dueAt = 0;
  /** When the last append_many call of {@link flushAll} was sent (performance.now(), ms). */
  private lastCallAt = -Infinity;
  /** Messages per ms the node appends, estimated at each call: what it carried over the time since the previous one. */
  private rate = 0;
  /** Whether the flush now scheduled lingers (a timer) rather than going at the end of the turn. */
  private lingering = false;
  /** Calls still to send at once before lingering again (after a lingered call that carried one message). */
  private lingerSkip = 0;
  /** The next {@link lingerSkip} after a miss: doubles on each miss in a row, up to {@link MAX_LINGER_SKIP}. */
  private lingerBackoff = 1;
  /** Streams this node broke or could not route to while Redis was down: they get a new epoch when it returns. */
  private readonly brokenRemote = new Map<string, { sessionId: string; endpointKey: string }>();

  /** A store on `ctx.link` with the in-memory store's options. */
  constructor(opts: SessionStoreOptions, ctx: RedisStoreContext) {
    super(opts);
    this.ctx = ctx;
    this.logger = opts.logger ?? silentLogger;
  }

  /** The detached TTL in ms (the expiry of a stream's keys). */
  get ttlMs(): number {
    return this.opts.detachedTtlMs;
  }

  /** {@inheritDoc SessionStore.newStream} */
  protected override newStream(state: SessionState, endpoint: Endpoint): Stream {
    return new RedisStream(state, endpoint, this, streamKeys(this.ctx.prefix, state.info.sessionId, endpoint.key));
  }

  /**
   * Links the stream in Redis (open.lua) before the upgrade; tells the previous owner node to close its connection.
   * @throws {ConfigError} when the session id or endpoint key cannot be a Redis key (streamKeys).
   */
  async prepare(info: SessionInfo, endpoint: Endpoint): Promise<void> {
    const keys = streamKeys(this.ctx.prefix, info.sessionId, endpoint.key);
    const ownerId = `${this.ctx.nodeId}/${linkId()}`;
    const p: Prepared = { epoch: newEpoch(), seq: 0, ownerId, stored: false, at: Date.now() };
    if (!this.ctx.link.up) await this.ctx.link.ready(this.ctx.commandTimeoutMs); // starting, or a short outage
    try {
      const [epoch, seq, , previous] = (await this.ctx.link.run('open', [keys.meta, keys.log], [p.epoch, ownerId, this.ttlMs])) as [string, number, number, string];
      this.ctx.link.answered();
      Object.assign(p, { epoch, seq, stored: true });
      if (previous !== '' && !previous.startsWith(this.ctx.nodeId + '/')) this.ctx.takeover(previous, info.sessionId, endpoint.key);
    } catch (err) {
      this.ctx.link.failed(err);
    }
    this.prepared.set(info.sessionId + '\u0000' + endpoint.key, p);
  }

  /** {@inheritDoc SessionStore.linkConnectionToSession} The stream takes the epoch and seq read by {@link prepare}. */
  override linkConnectionToSession(info: SessionInfo, endpoint: Endpoint): { stream: Stream; rejoined: boolean } {
    const stream = super.linkConnectionToSession(info, endpoint).stream as RedisStream;
    const key = info.sessionId + '\u0000' + endpoint.key;
    const p = this.prepared.get(key);
    this.prepared.delete(key);
    if (p === undefined || !p.stored) {
      if (stream.seq === 0) stream.epoch = p?.epoch ?? stream.epoch; // not in Redis: a local epoch, repaired later
      stream.broken = true;
      this.brokenRemote.set(key, { sessionId: info.sessionId, endpointKey: endpoint.key });
    } else if (p.epoch !== stream.epoch) {
      stream.adoptEpoch(p.epoch, p.seq);
    } else if (p.seq > stream.seq) {
      stream.seq = p.seq;
    }
    stream.ownerId = p?.ownerId ?? '';
    stream.relinked();
    return { stream, rejoined: stream.seq > 0 };
  }

  /**
   * Flushes `stream`'s batch once this turn of the event loop is over (setImmediate: after every read of the turn),
   * or, while an append is in flight, once it settled: under load one call carries what every stream sent during a
   * round trip (fewer, larger calls), idle streams still go at the end of their turn.
   *
   * Linger (as Kafka's producer `linger.ms`): when messages come often (the node's recent rate, messages per call
   * over the time between calls, averaged, is 2 or more per `lingerMs`), the call waits until `lingerMs` after its
   * first message became due, so that the messages the node's streams send meanwhile share it (a call costs the node
   * ~17 µs of CPU whatever it carries). Adaptive: a lingered call that carried one message only (nothing came
   * meanwhile, e.g. one client waiting for each reply) makes the next calls go at once (1, then 2, 4… up to 256 after
   * misses in a row; a lingered call carrying more resets it). A message still reaches its client only once Redis
   * has it; it waits at most `lingerMs` more.
   */
  scheduleFlush(stream: RedisStream): void {
    this.toFlush.push(stream);
    if (this.toFlush.length === 1) {
      this.dueAt = performance.now();
      if (!this.flushing) this.due();
    }
  }

  /** Schedules {@link flushAll}: at the end of this turn, or after the linger (see {@link scheduleFlush}). */
  private due(): void {
    const linger = this.ctx.lingerMs;
    const now = performance.now();
    const wait = this.dueAt + linger - now;
    this.lingering = linger > 0 && this.lingerSkip === 0 && this.rate * linger >= 2 && wait >= 1;
    if (this.lingering) setTimeout(this.flushAll, wait);
    else setImmediate(this.flushAll);
  }

  /** Sends `stream`'s batch now (before a replay read of it), alone. */
  flushNow(stream: RedisStream): void {
    const b = stream.takeBatch();
    if (b !== undefined) this.append([b]);
  }

  /** Sends the batches of every stream of this turn in one append_many.lua call. */
  private readonly flushAll = (): void => {
    if (this.flushing) return;
    const streams = this.toFlush;
    this.toFlush = [];
    const batches: Batch[] = [];
    let messages = 0;
    for (const s of streams) {
      const b = s.takeBatch();
      if (b !== undefined) {
        batches.push(b);
        messages += b.items.length;
      }
    }
    if (batches.length === 0) return;
    this.lingered(messages);
    this.flushing = true;
    this.append(batches, this.flushed);
  };

  /** Adapts the linger to what the call now sent (`messages`) gained by it (see {@link scheduleFlush}). */
  private lingered(messages: number): void {
    const now = performance.now();
    this.rate += RATE_WEIGHT * (messages / Math.max(now - this.lastCallAt, 0.01) - this.rate);
    this.lastCallAt = now;
    if (!this.lingering) {
      if (this.lingerSkip > 0) this.lingerSkip--;
    } else if (messages > 1) {
      this.lingerBackoff = 1;
    } else {
      this.lingerSkip = this.lingerBackoff;
      this.lingerBackoff = Math.min(2 * this.lingerBackoff, MAX_LINGER_SKIP);
    }
    this.lingering = false;
  }

  /** The append of {@link flushAll} settled: the streams that sent meanwhile go in the next call. */
  private readonly flushed = (): void => {
    this.flushing = false;
    if (this.toFlush.length > 0) this.due();
  };

  /**
   * Appends `batches` (one per stream) in one append_many.lua call; each stream learns its own outcome (stored, or
   * its `EPOCH`/`SEQ` reply), or all of them the outage. The node connects to one Redis (not a Cluster), so the keys
   * of one call need not share a slot. A throw of this node's own code while sending the call or reading its reply
   * (a bug) settles every batch of the call as a {@link StoreFault}: nothing is left waiting, the node goes on.
   */
  private append(batches: readonly Batch[], settled?: () => void): void {
    let call: Promise<unknown>;
    try {
      call = this.ctx.link.runNow('append_many', ...this.appendArgs(batches));
    } catch (err) {
      call = Promise.reject(new StoreFault(err));
    }
    call.then(
      (replies) => {
        settled?.();
        this.settleCall(batches, replies, undefined);
      },
      (err: unknown) => {
        settled?.();
        this.settleCall(batches, undefined, err);
      },
    );
  }

  /**
   * Tells each stream of a call its outcome: `err` (the outage or a {@link StoreFault}) for all, else its reply. A
   * reply that is not one per stream is a fault; so is a throw while a stream takes its outcome (the other streams
   * still take theirs).
   */
  private settleCall(batches: readonly Batch[], replies: unknown, err: unknown): void {
    let all = err;
    if (all === undefined && (!Array.isArray(replies) || replies.length !== batches.length)) {
      all = new StoreFault(new Error(`append_many.lua answered ${JSON.stringify(replies)} for ${batches.length} streams`));
    }
    for (let i = 0; i < batches.length; i++) {
      const b = batches[i]!;
      const reply = all === undefined ? (replies as unknown[])[i] : undefined;
      try {
        b.stream.appended(b.items, all ?? (reply === 'OK' ? undefined : new Error(String(reply))));
      } catch (thrown) {
        this.logFault(b.stream, thrown);
      }
    }
  }

  /** The KEYS and ARGV of append_many.lua for `batches`. */
  private appendArgs(batches: readonly Batch[]): [string[], (string | number)[]] {
    const l = this.limits;
    const keys: string[] = [];
    const args: (string | number)[] = [Date.now(), l.maxMessages, l.maxBytes, l.ttlMs, this.ttlMs];
    for (const b of batches) {
      keys.push(b.stream.keys.meta, b.stream.keys.log);
      const items = b.items;
      let texts = items[0]!.text; // one argument: JSON text has no raw line feed (RFC 8259 section 7)
      for (let i = 1; i < items.length; i++) texts += '\n' + items[i]!.text;
      args.push(b.stream.epoch, b.seq, texts);
    }
    return [keys, args];
  }

  /** The replay plan after `lastSeq`, read from Redis (replay.lua). */
  async replay(stream: RedisStream, lastSeq: number): Promise<ReplayPlan> {
    const r = (await this.ctx.link.run('replay', [stream.keys.meta, stream.keys.log], [lastSeq, Date.now(), this.limits.ttlMs])) as unknown[];
    const plan = planOf(stream, lastSeq, r);
    if (r[0] !== stream.epoch) this.markBroken(stream, new Error('EPOCH the stream is gone from Redis'));
    return plan;
  }

  /** Logs a fault of this node's own code (a bug) met while appending `stream`'s messages (`redis_stream_failed`). */
  logFault(stream: RedisStream, err: unknown): void {
    this.logger.log('error', 'redis_stream_failed', {
      code: 'INTERNAL_ERROR',
      session_id: stream.owner.info.sessionId,
      endpoint: stream.endpoint.key,
      node_id: this.ctx.nodeId,
      error: err instanceof StoreFault ? String(err.cause) : String(err),
      hint: 'a bug in the Redis store: please report it',
    });
  }

  /** An append or replay failed: the stream is not stored any more until it gets a new epoch. */
  markBroken(stream: RedisStream, err: unknown): void {
    const why = appendFailure(err);
    if (why === 'outage') this.ctx.link.failed(err);
    else if (why === 'error') this.logFault(stream, err);
    if (stream.broken) return;
    stream.broken = true;
    this.brokenRemote.set(stream.owner.info.sessionId + '\u0000' + stream.endpoint.key, { sessionId: stream.owner.info.sessionId, endpointKey: stream.endpoint.key });
    this.logger.log('warn', 'redis_stream_broken', {
      session_id: stream.owner.info.sessionId,
      endpoint: stream.endpoint.key,
      seq: stream.seq,
      reason: BROKEN_REASON[why],
      error: err instanceof Error ? err.message : String(err),
      hint: 'messages are delivered but not stored',
    });
    if (this.ctx.link.up) queueMicrotask(() => this.repair());
  }

  /** Remembers a stream a routed message could not reach while Redis was down (repaired when it returns). */
  lostRoute(sessionId: string, endpointKey: string): void {
    this.brokenRemote.set(sessionId + '\u0000' + endpointKey, { sessionId, endpointKey });
  }

  /** Another node appended to a stream this node holds: its client must resume from Redis. */
  conflict(stream: RedisStream): void {
    this.logger.log('warn', 'stream_conflict', { session_id: stream.owner.info.sessionId, endpoint: stream.endpoint.key, hint: 'another node appended to this stream: the client resumes from Redis' });
    this.hooks?.closeLinked(stream, 'RESTART', 'the stream moved to another node: resume');
  }

  /** {@inheritDoc Cluster.route} */
  route(sessionId: string, endpointKey: string, msg: Message): boolean {
    return this.ctx.route(sessionId, endpointKey, msg);
  }

  /** A message of `stream` that lost a SEQ conflict: appended after the stream's top, in order ({@link RedisStoreContext.appendAfterTop}). */
  appendAfterTop(sessionId: string, endpointKey: string, msg: Message, done?: () => void): void {
    this.ctx.appendAfterTop(sessionId, endpointKey, msg, done);
  }

  /** Unlinks a closed connection's stream in Redis (release.lua), when the stream is still this link's. */
  release(stream: RedisStream): void {
    const ownerId = stream.ownerId;
    stream.ownerId = '';
    if (ownerId === '' || !this.ctx.link.up) return;
    this.ctx.link.run('release', [stream.keys.meta], [ownerId, this.ttlMs]).catch((err: unknown) => this.ctx.link.failed(err));
  }

  /**
   * Gives every broken stream a new epoch in Redis (reset.lua), then closes its connection on this node (1012) so the
   * client resumes and learns of the loss (RECOVERY_FAILED epoch_mismatch). Runs when Redis answers again.
   */
  repair(): void {
    for (const [key, ref] of [...this.brokenRemote]) {
      this.brokenRemote.delete(key);
      const local = this.findStream(ref.sessionId, ref.endpointKey) as RedisStream | undefined;
      this.reset(ref.sessionId, ref.endpointKey, local).catch((err: unknown) => {
        this.brokenRemote.set(key, ref);
        this.ctx.link.failed(err);
      });
    }
  }

  private async reset(sessionId: string, endpointKey: string, local: RedisStream | undefined): Promise<void> {
    const keys = streamKeys(this.ctx.prefix, sessionId, endpointKey);
    const epoch = newEpoch();
    const linked = local?.conn !== undefined && local.ownerId !== '';
    const done = await this.ctx.link.run('reset', [keys.meta, keys.log], [linked ? local.ownerId : '', epoch, this.ttlMs, linked ? '1' : '0']);
    this.logger.log('info', 'stream_new_epoch', { session_id: sessionId, endpoint: endpointKey, epoch, reset: done === 1 });
    if (local === undefined) return;
    if (done === 1) local.adoptEpoch(epoch, 0);
    this.hooks?.closeLinked(local, done === 1 ? 'RESTART' : 'REPLACED', 'the session store recovered: resume');
  }

  /** {@inheritDoc SessionStore.sweep} Also forgets local streams no connection holds (Redis keeps them), and stale handshakes. */
  override sweep(now: number = Date.now()): void {
    for (const [key, p] of this.prepared) if (now - p.at > 60_000) this.prepared.delete(key);
    for (const state of this.sessions.values()) {
      for (const [key, s] of state.streams) {
        const r = s as RedisStream;
        if (r.conn === undefined && r.inFlight === 0 && r.pending === 0 && !r.broken) {
          r.discard();
          state.streams.delete(key);
        }
      }
      if (state.streams.size === 0) this.drop(state);
    }
  }
}
