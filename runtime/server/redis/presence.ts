// Presence with expiry (docs/redis-layout.md "Keys"): this node's key
// `Pnode:<id>` and its connections in `Ppresence:user:<userId>`, refreshed every
// TTL/3, so that a dead node's connections vanish from every count.
import type { ConnectionRef } from '../cluster.js';
import type { Names } from './keys.js';
import type { RedisLink } from './link.js';

/** This node's presence in Redis. */
export class Presence {
  private readonly link: RedisLink;
  private readonly names: Names;
  private readonly nodeId: string;
  private readonly ttlMs: number;
  /** This node's members (`<nodeId>/<connId>`) by user. */
  private readonly local = new Map<string, string>();
  /** Other nodes' connections per user, as read by the latest handshake of that user. */
  private readonly remote = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** Called after every refresh that Redis answered (a chance to repair what broke). */
  onRefreshed: () => void = () => {};

  /** Presence of node `nodeId` with expiry `ttlMs`. */
  constructor(link: RedisLink, names: Names, nodeId: string, ttlMs: number) {
    this.link = link;
    this.names = names;
    this.nodeId = nodeId;
    this.ttlMs = ttlMs;
  }

  /**
   * Writes the node key now and every TTL/3. Resolves once the first write settled (done, or failed: an outage,
   * logged by the link), at most after the command timeout; never rejects.
   */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.refresh(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
    // The command connection has no offline queue: wait until it is ready (bounded), so that the first write is not
    // refused (and logged as an outage) only because the connection was still being made.
    const first = this.link.ready(this.link.commandTimeoutMs).then(() => this.refresh());
    return Promise.race([first, new Promise<void>((r) => setTimeout(r, 2 * this.link.commandTimeoutMs).unref())]);
  }

  /** Stops refreshing and removes this node's key and members. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (!this.link.up) return;
    const p = this.link.cmd.pipeline().del(this.names.node(this.nodeId));
    for (const [member, user] of this.local) p.zrem(this.names.user(user), member);
    this.local.clear();
    await p.exec().catch(() => undefined);
  }

  /** Reads how many connections `userId` has on other nodes (expired members removed first). 0 when Redis is down. */
  async readUser(userId: string): Promise<void> {
    const key = this.names.user(userId);
    try {
      const r = await this.link.cmd.pipeline().zremrangebyscore(key, '-inf', Date.now()).zrange(key, 0, -1).exec();
      const members = (r?.[1]?.[1] ?? []) as string[];
      this.remote.set(userId, members.filter((m) => !m.startsWith(this.nodeId + '/')).length);
    } catch (err) {
      this.link.failed(err);
      this.remote.delete(userId);
    }
  }

  /** {@inheritDoc Cluster.remoteConnections} */
  remoteConnections(userId: string): number {
    const n = this.remote.get(userId) ?? 0;
    this.remote.delete(userId);
    return n;
  }

  /** Adds a connection of this node. */
  opened(c: ConnectionRef): void {
    const member = `${this.nodeId}/${c.id}`;
    const key = this.names.user(c.session.userId);
    this.local.set(member, c.session.userId);
    if (!this.link.up) return;
    this.link.cmd.pipeline().zadd(key, Date.now() + this.ttlMs, member).pexpire(key, this.ttlMs).exec().catch((err: unknown) => this.link.failed(err));
  }

  /** Removes a connection of this node. */
  closed(c: ConnectionRef): void {
    const member = `${this.nodeId}/${c.id}`;
    this.local.delete(member);
    if (!this.link.up) return;
    this.link.cmd.zrem(this.names.user(c.session.userId), member).catch((err: unknown) => this.link.failed(err));
  }

  private refresh(): Promise<void> {
    const expiry = Date.now() + this.ttlMs;
    const p = this.link.cmd.pipeline().set(this.names.node(this.nodeId), '1', 'PX', this.ttlMs);
    for (const [member, user] of this.local) p.zadd(this.names.user(user), expiry, member).pexpire(this.names.user(user), this.ttlMs);
    return p.exec().then(
      () => {
        this.link.answered();
        this.onRefreshed();
      },
      (err: unknown) => this.link.failed(err),
    );
  }
}
