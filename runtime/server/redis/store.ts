// The Redis session store of one node: the SessionBackend whose streams keep
// their log in Redis (stream.ts). It links a stream in Redis at the handshake
// (open.lua), appends and replays through the scripts, unlinks on close
// (release.lua), and gives broken streams a new epoch when Redis returns
// (reset.lua). docs/redis-layout.md.
import { randomBytes } from 'node:crypto';
import type { Cluster, ClusterHooks } from '../cluster.js';
import type { Message } from '../roles.js';
import { SessionStore, type ReplayPlan, type SessionState, type SessionStoreOptions, type Stream } from '../sessions.js';
import { defaultLogger } from '../logger.js';
import type { Endpoint, Logger, SessionInfo } from '../types.js';
import { streamKeys } from './keys.js';
import type { RedisLink } from './link.js';
import { Appender } from './appender.js';
import { type AppendFailure, appendFailure, lostPlan, RedisStream, StoreFault } from './stream.js';

/** The `reason` of a `redis_stream_broken` line, in the Python runtime's words: not stored, Redis lost the stream, another node appended, or a fault of this node (a bug). */
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
  /** The longest a message waits for others to share its append call, in ms (0: never), see {@link Appender.scheduleFlush}. */
  lingerMs: number;
}

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
  /** The node's appends: one append_many.lua call in flight, the linger. */
  private readonly appender: Appender;
  /** Streams this node broke or could not route to while Redis was down: they get a new epoch when it returns. */
  private readonly brokenRemote = new Map<string, { sessionId: string; endpointKey: string }>();

  /** A store on `ctx.link` with the in-memory store's options. */
  constructor(opts: SessionStoreOptions, ctx: RedisStoreContext) {
    super(opts);
    this.ctx = ctx;
    this.logger = opts.logger ?? defaultLogger;
    this.appender = new Appender(this, ctx.link, ctx.lingerMs);
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

  /** {@inheritDoc Appender.scheduleFlush} */
  scheduleFlush(stream: RedisStream): void {
    this.appender.scheduleFlush(stream);
  }

  /** {@inheritDoc Appender.added} */
  added(): void {
    this.appender.added();
  }

  /** {@inheritDoc Appender.flushNow} */
  flushNow(stream: RedisStream): void {
    this.appender.flushNow(stream);
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
