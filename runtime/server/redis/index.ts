// The Redis session store and broker of the Node server (issue 12): sessions,
// epochs, replay and fan-out shared by every node on one Redis. Layout and
// guarantees: docs/redis-layout.md. Select it with
// `sessionStore: redisSessionStore({ url })`; the in-memory store stays the default.
import { randomBytes } from 'node:crypto';
import type { Cluster, ClusterHooks, ConnectionRef } from '../cluster.js';
import { ConfigError } from '../errors.js';
import { defaultLogger } from '../logger.js';
import type { Audience } from '../registry.js';
import type { Message } from '../roles.js';
import type { SessionBackend, SessionStoreOptions } from '../sessions.js';
import type { Endpoint, Logger, SessionInfo } from '../types.js';
import { Broker } from './fanout.js';
import { Names } from './keys.js';
import { RedisLink } from './link.js';
import { Presence } from './presence.js';
import { RedisSessionStore } from './store.js';
import type { RedisStream } from './stream.js';

export { RedisSessionStore } from './store.js';
export { RedisStream } from './stream.js';
export { streamKeys, Names } from './keys.js';
export type { StreamKeys } from './keys.js';
export { SCRIPT_NAMES } from './link.js';

/** Options of {@link redisSessionStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (default `redis://127.0.0.1:6379`). */
  url?: string;
  /** Prefix of every key and channel (default `wsgen:`); nodes that share sessions use the same one. */
  keyPrefix?: string;
  /** This node's id, `[A-Za-z0-9_-]{1,64}` (default: random). Two live nodes must not share one. */
  nodeId?: string;
  /** Presence expiry in ms: a dead node's connections stop counting after this long (default 15 000). */
  presenceTtlMs?: number;
  /** A command unanswered this long fails and counts as an outage, in ms (default 2 000). */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts, in ms (default 1 000). */
  maxReconnectDelayMs?: number;
  /**
   * The longest a message waits, in ms, for the node's other messages to share its append call (as Kafka's producer
   * `linger.ms`), and only while messages come often (the previous call went less than this long ago; a lingered call
   * that gained nothing turns it off for the next calls). Node timers have 1 ms resolution: below 1, or 0, never
   * lingers. Default 0 (off: a call waits only for the turns of the event loop that bring more messages, never a
   * timer). `node bench/redis-scale.mjs --linger 1` measures it beside the default. See docs/redis-layout.md
   * "Principles".
   */
  lingerMs?: number;
  /** Logger (default: the server's). */
  logger?: Logger;
}

const NODE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The multi-node members of the Redis store (the core's {@link Cluster}). */
class RedisCluster implements Cluster {
  private readonly link: RedisLink;
  private readonly store: RedisSessionStore;
  private readonly broker: Broker;
  private readonly presence: Presence;

  constructor(link: RedisLink, store: RedisSessionStore, broker: Broker, presence: Presence) {
    this.link = link;
    this.store = store;
    this.broker = broker;
    this.presence = presence;
    link.onRecovered = () => store.repair();
    presence.onRefreshed = () => store.repair();
  }

  /** Settles once this node listens on its channels (a session is linked here only then, so no send misses it). */
  private subscribed: Promise<void> = Promise.resolve();

  async bind(hooks: ClusterHooks): Promise<void> {
    this.store.hooks = hooks;
    this.subscribed = this.broker.start();
    await Promise.all([this.subscribed, this.presence.start()]);
  }

  async prepare(info: SessionInfo, endpoint: Endpoint): Promise<void> {
    await this.subscribed;
    await Promise.all([this.store.prepare(info, endpoint), this.presence.readUser(info.userId)]);
  }

  remoteConnections(userId: string): number {
    return this.presence.remoteConnections(userId);
  }

  opened(c: ConnectionRef): void {
    this.presence.opened(c);
  }

  closed(c: ConnectionRef): void {
    this.presence.closed(c);
    const s = c.stream as RedisStream;
    if ((s.conn as unknown) === c) this.store.release(s);
  }

  publish(audience: Audience, msg: Message): void {
    this.broker.publish(audience, msg);
  }

  route(sessionId: string, endpointKey: string, msg: Message): boolean {
    return this.broker.route(sessionId, endpointKey, msg);
  }

  async close(): Promise<void> {
    await this.presence.stop();
    await this.link.close();
  }
}

/**
 * The `sessionStore` option of a server whose sessions live in Redis: `sessionStore: redisSessionStore({ url })`.
 * Every node given the same Redis and `keyPrefix` shares sessions, replay and fan-out (docs/redis-layout.md).
 * Connects at once; Redis being down at start is an outage like any other (logged, live traffic served).
 * @throws {ConfigError} when `nodeId` or `keyPrefix` is not usable.
 */
export function redisSessionStore(o: RedisStoreOptions = {}): (opts: SessionStoreOptions) => SessionBackend {
  const nodeId = o.nodeId ?? randomBytes(6).toString('base64url');
  if (!NODE_ID.test(nodeId)) throw new ConfigError('nodeId', `node id ${JSON.stringify(nodeId)} is not [A-Za-z0-9_-]{1,64}`, 'use letters, digits, - and _');
  const prefix = o.keyPrefix ?? 'wsgen:';
  const lingerMs = o.lingerMs ?? 0;
  if (!(lingerMs >= 0 && lingerMs <= 1_000)) throw new ConfigError('lingerMs', `lingerMs ${String(lingerMs)} is not a number of ms in 0..1000`, 'use 0 (never linger) or a few ms, e.g. 1');
  if (/[{}\s]/.test(prefix)) throw new ConfigError('keyPrefix', `key prefix ${JSON.stringify(prefix)} contains a brace or a space`, 'use for example "wsgen:"');
  return (opts) => {
    const logger = o.logger ?? opts.logger ?? defaultLogger;
    const commandTimeoutMs = o.commandTimeoutMs ?? 2_000;
    const link = new RedisLink({ url: o.url ?? 'redis://127.0.0.1:6379', commandTimeoutMs, maxReconnectDelayMs: o.maxReconnectDelayMs ?? 1_000, logger });
    const names = new Names(prefix);
    let broker: Broker | undefined;
    const store = new RedisSessionStore(
      { ...opts, logger },
      {
        link,
        commandTimeoutMs,
        nodeId,
        prefix,
        route: (sid, ep, msg) => broker!.route(sid, ep, msg),
        appendAfterTop: (sid, ep, msg, done) => broker!.appendAfterTop(sid, ep, msg, done),
        takeover: (prev, sid, ep) => broker!.takeover(prev, sid, ep),
        lingerMs,
      },
    );
    broker = new Broker(link, names, nodeId, store);
    const presence = new Presence(link, names, nodeId, o.presenceTtlMs ?? 15_000);
    store.cluster = new RedisCluster(link, store, broker, presence);
    return store;
  };
}
