// Messages across nodes (docs/redis-layout.md "Channels"): publish to an
// audience on `Pfanout`, control messages to one node on `Pnode:<id>`
// (takeover, send), and the route of a session-addressed message whose stream
// no connection of this node holds: to the owner node, else appended to the log.
import type { Audience } from '../registry.js';
import type { Message } from '../roles.js';
import { streamKeys, type Names, type StreamKeys } from './keys.js';
import type { RedisLink } from './link.js';
import type { RedisSessionStore } from './store.js';
import { appendFailure, type RedisStream } from './stream.js';

/** Attempts of a detached append that loses a seq race (another node appended first). */
const APPEND_ATTEMPTS = 5;

/**
 * A control message on `Pnode:<nodeId>`. A `send` with `ack` (the sender's node id) and `id` is answered on
 * `Pnode:<ack>` with `ack`: `ok` true once the message is stored and delivered, false when this node holds no
 * connection of the stream (it did nothing: the sender appends the message itself, in order with its other sends).
 */
type Control =
  | { op: 'takeover'; session: string; endpoint: string }
  | { op: 'send'; session: string; endpoint: string; message: Message; ack?: string; id?: string }
  | { op: 'ack'; id: string; ok: boolean };

/** How a forward to the owner node ended. */
type Forwarded = 'ok' | 'declined' | 'timeout' | 'unheard';

/** A message on `Pfanout`. */
interface Fanout {
  origin: string;
  audience: Audience;
  message: Message;
}

/** The node's pub/sub side and its message router. */
export class Broker {
  private readonly link: RedisLink;
  private readonly names: Names;
  private readonly nodeId: string;
  private readonly store: RedisSessionStore;
  /** The tail of the routed messages of each stream (kept in order per stream). */
  private readonly chains = new Map<string, Promise<void>>();
  /** Forwards waiting for the owner's `ack`, by id. */
  private readonly waiting = new Map<string, (ok: boolean) => void>();
  /** The id of the last forward. */
  private forwards = 0;

  /** A broker of node `nodeId` over `link`, delivering into `store`. */
  constructor(link: RedisLink, names: Names, nodeId: string, store: RedisSessionStore) {
    this.link = link;
    this.names = names;
    this.nodeId = nodeId;
    this.store = store;
  }

  /** Subscribes to the fan-out channel and this node's control channel (ioredis subscribes again after a reconnect). */
  async start(): Promise<void> {
    this.link.sub.on('message', (channel: string, text: string) => this.onMessage(channel, text));
    // Bounded: while Redis is down the subscription completes (ioredis retries it) after the handshakes moved on.
    const subscribed = this.link.sub.subscribe(this.names.fanout, this.names.node(this.nodeId)).then(
      () => undefined,
      (err: unknown) => this.link.failed(err),
    );
    await Promise.race([subscribed, new Promise<void>((r) => setTimeout(r, this.link.commandTimeoutMs).unref())]);
  }

  /** Publishes `msg` to `audience` on every other node (at most once: Redis pub/sub). */
  publish(audience: Audience, msg: Message): void {
    const f: Fanout = { origin: this.nodeId, audience, message: msg };
    this.link.cmd.publish(this.names.fanout, JSON.stringify(f)).catch((err: unknown) => this.link.failed(err));
  }

  /** Tells the node of `previousOwner` (`<nodeId>/<linkId>`) that its link of the stream was taken over. */
  takeover(previousOwner: string, sessionId: string, endpointKey: string): void {
    const node = previousOwner.slice(0, previousOwner.indexOf('/'));
    const c: Control = { op: 'takeover', session: sessionId, endpoint: endpointKey };
    this.link.cmd.publish(this.names.node(node), JSON.stringify(c)).catch((err: unknown) => this.link.failed(err));
  }

  /**
   * Routes a message to a session stream no connection of this node holds, in order per stream. Returns true
   * (accepted); the outcome is asynchronous: delivered by the owner node, appended for a resume, or dropped
   * (with a `route_unknown_stream` log line) when Redis knows no such stream.
   */
  route(sessionId: string, endpointKey: string, msg: Message): boolean {
    const copy = { ...msg };
    this.enqueue(sessionId, endpointKey, () => this.routeNow(sessionId, endpointKey, copy, true));
    return true;
  }

  /**
   * Appends a message of a stream this node held and lost to another writer (a `SEQ` conflict) after the stream's
   * top, in order with this node's other messages of the stream: the same as Python (`stream.py` `_fenced`).
   */
  appendAfterTop(sessionId: string, endpointKey: string, msg: Message, done?: () => void): void {
    this.enqueue(sessionId, endpointKey, () => this.routeNow(sessionId, endpointKey, msg, false).finally(done));
  }

  /** Runs `step` after the earlier routed messages of the stream (one chain per stream keeps their order). */
  private enqueue(sessionId: string, endpointKey: string, step: () => Promise<void> | void): void {
    const key = sessionId + '\u0000' + endpointKey;
    const tail: Promise<void> = (this.chains.get(key) ?? Promise.resolve())
      .then(step)
      .catch((err: unknown) => this.routeFailed(sessionId, endpointKey, err))
      .finally(() => {
        if (this.chains.get(key) === tail) this.chains.delete(key);
      });
    this.chains.set(key, tail);
  }

  private routeFailed(sessionId: string, endpointKey: string, err: unknown): void {
    this.store.logger.log('warn', 'route_failed', { session_id: sessionId, endpoint: endpointKey, error: err instanceof Error ? err.message : String(err) });
    if (appendFailure(err) === 'outage') {
      this.link.failed(err);
      this.store.lostRoute(sessionId, endpointKey);
    }
  }

  private async routeNow(sessionId: string, endpointKey: string, msg: Message, toOwner: boolean): Promise<void> {
    const keys = streamKeys(this.names.prefix, sessionId, endpointKey);
    const [epoch, seq, owner] = (await this.link.cmd.hmget(keys.meta, 'epoch', 'seq', 'owner')) as [string | null, string | null, string | null];
    if (epoch === null) {
      this.store.logger.log('info', 'route_unknown_stream', { session_id: sessionId, endpoint: endpointKey, hint: 'no such session stream (expired?): message dropped' });
      return;
    }
    const node = owner === null || !owner.includes('/') ? '' : owner.slice(0, owner.indexOf('/'));
    if (toOwner && node !== '' && node !== this.nodeId) {
      const answer = await this.forward(node, sessionId, endpointKey, msg);
      if (answer === 'ok') return;
      if (answer === 'timeout') this.store.logger.log('warn', 'route_forward_timeout', { session_id: sessionId, endpoint: endpointKey, node, hint: 'the owner node did not answer within the command timeout: appended here (stored twice if that node was only slow)' });
      if (answer !== 'unheard') return this.routeNow(sessionId, endpointKey, msg, false); // the stream changed: read it again
    }
    await this.appendDetached(keys, epoch, Number(seq), msg);
  }

  /**
   * Forwards `msg` to the owner `node` and waits for its answer (docs/redis-layout.md "Channels"): `ok` (stored and
   * delivered there), `declined` (that node holds no connection of the stream), `unheard` (no subscriber: a dead
   * node), or `timeout` (no answer within the command timeout). The caller's per-stream chain waits meanwhile, so
   * this node's next send to the stream cannot overtake it.
   */
  private forward(node: string, sessionId: string, endpointKey: string, msg: Message): Promise<Forwarded> {
    const id = String(++this.forwards);
    const c: Control = { op: 'send', session: sessionId, endpoint: endpointKey, message: msg, ack: this.nodeId, id };
    return new Promise<Forwarded>((resolve, reject) => {
      const finish = (answer: Forwarded): void => {
        clearTimeout(timer);
        if (this.waiting.delete(id)) resolve(answer);
      };
      const timer = setTimeout(finish, this.link.commandTimeoutMs, 'timeout');
      timer.unref();
      this.waiting.set(id, (ok) => finish(ok ? 'ok' : 'declined'));
      this.link.cmd.publish(this.names.node(node), JSON.stringify(c)).then(
        (heard) => {
          if (heard === 0) finish('unheard');
        },
        (err: unknown) => {
          clearTimeout(timer);
          if (this.waiting.delete(id)) reject(err);
        },
      );
    });
  }

  /** Answers a forward of node `to` (see {@link forward}). */
  private answer(to: string, id: string, ok: boolean): void {
    const c: Control = { op: 'ack', id, ok };
    this.link.cmd.publish(this.names.node(to), JSON.stringify(c)).catch((err: unknown) => this.link.failed(err));
  }

  /** Appends `msg` at the top of a stream no connection holds, retrying when another node appended first. */
  private async appendDetached(keys: StreamKeys, epoch: string, top: number, msg: Message): Promise<void> {
    const store = this.store;
    const l = store.limits;
    for (let attempt = 1; ; attempt++) {
      msg[store.seqField!] = top + 1;
      store.validate?.(msg);
      const text = JSON.stringify(msg);
      try {
        await this.link.run('append', [keys.meta, keys.log], [epoch, top + 1, text, Buffer.byteLength(text), Date.now(), l.maxMessages, l.maxBytes, l.ttlMs, store.ttlMs]);
        return;
      } catch (err) {
        if (appendFailure(err) !== 'seq' || attempt >= APPEND_ATTEMPTS) throw err;
        top = Number((err as Error).message.slice(4));
      }
    }
  }

  private onMessage(channel: string, text: string): void {
    try {
      if (channel === this.names.fanout) {
        const f = JSON.parse(text) as Fanout;
        if (f.origin !== this.nodeId) this.store.hooks?.publishLocal(f.audience, f.message);
        return;
      }
      this.onControl(JSON.parse(text) as Control);
    } catch (err) {
      this.store.logger.log('error', 'redis_bad_message', { code: 'INTERNAL_ERROR', channel, error: err instanceof Error ? err.message : String(err), hint: 'a node of another version on this Redis?' });
    }
  }

  private onControl(c: Control): void {
    if (c.op === 'ack') {
      this.waiting.get(c.id)?.(c.ok === true);
      return;
    }
    const stream = this.store.findStream(c.session, c.endpoint);
    if (c.op === 'takeover') {
      if (stream !== undefined) this.store.hooks?.closeLinked(stream, 'REPLACED', 'replaced by a newer connection of the same session on another node');
      return;
    }
    const { ack, id } = c;
    if (ack !== undefined && id !== undefined) {
      // Acknowledged: the sender waits for the answer before its next send to the stream, so no chain is needed here
      // (and none is waited for: two nodes forwarding to each other cannot block each other).
      if (stream?.conn !== undefined) (stream as RedisStream).sendAcked(c.message, () => this.answer(ack, id, true));
      else this.answer(ack, id, false); // not here (any more): the sender appends it, in order with its next sends
      return;
    }
    // A forward without `ack` (a node of an earlier version): behind any routed message of the stream still in flight
    // here, so that the sends of that node keep their order.
    if (stream?.conn !== undefined && !this.chains.has(c.session + '\u0000' + c.endpoint)) {
      stream.send(c.message);
      return;
    }
    this.enqueue(c.session, c.endpoint, () => {
      const s = this.store.findStream(c.session, c.endpoint);
      if (s?.conn !== undefined) s.send(c.message);
      else return this.routeNow(c.session, c.endpoint, c.message, false);
    });
  }
}
