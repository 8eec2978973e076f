// The appends of one node's Redis streams (docs/redis-layout.md "Principles"): the batches of every stream of an
// event-loop turn go in one append_many.lua call, one call in flight per node at a time (what the streams send
// meanwhile goes in the next one), with the adaptive linger; each stream learns its own outcome. The Python
// runtime's cluster/appender.py does the same.
import type { RedisLink } from './link.js';
import type { RedisSessionStore } from './store.js';
import { StoreFault, type Batch, type RedisStream } from './stream.js';

/** The most calls a node sends at once (without lingering) after lingered calls that gained nothing. */
const MAX_LINGER_SKIP = 256;
/** Weight of the latest call in the node's arrival-rate estimate (an exponentially weighted moving average). */
const RATE_WEIGHT = 0.25;
/** The most extra turns of the event loop a call due at the end of a turn waits while each brings more messages. */
const MAX_EXTRA_TURNS = 8;

/** Batches the appends of every stream of one store (see the module comment). */
export class Appender {
  private readonly store: RedisSessionStore;
  private readonly link: RedisLink;
  /** The longest a message waits for others to share its call, in ms (0: never). */
  private readonly lingerMs: number;
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
  /** Messages batched since the due call last looked (see {@link endOfTurn}). */
  private arrived = 0;
  /** Extra turns the due call waited so far (see {@link endOfTurn}). */
  private extraTurns = 0;
  /** Calls still to send at the end of their turn without waiting an extra turn (after an extra turn that brought nothing). */
  private turnSkip = 0;
  /** The next {@link turnSkip} after an extra turn that brought nothing: doubles on each in a row, up to {@link MAX_LINGER_SKIP}. */
  private turnBackoff = 1;

  /** The appender of `store`'s streams on `link`, lingering up to `lingerMs` (0: never). */
  constructor(store: RedisSessionStore, link: RedisLink, lingerMs: number) {
    this.store = store;
    this.link = link;
    this.lingerMs = lingerMs;
  }

  /**
   * Flushes `stream`'s batch once this turn of the event loop is over (setImmediate: after every read of the turn;
   * and the next turns while each brings more, see {@link endOfTurn}), or, while an append is in flight, once it
   * settled: under load one call carries what every stream sent during a round trip (fewer, larger calls), idle
   * streams still go at the end of their turn.
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
    this.arrived++;
    this.toFlush.push(stream);
    if (this.toFlush.length === 1) {
      this.dueAt = performance.now();
      if (!this.flushing) this.due();
    }
  }

  /** One more message batched by a stream whose batch is already scheduled (counted for {@link endOfTurn}). */
  added(): void {
    this.arrived++;
  }

  /** Schedules {@link flushAll}: at the end of this turn, or after the linger (see {@link scheduleFlush}). */
  private due(): void {
    const linger = this.lingerMs;
    const now = performance.now();
    const wait = this.dueAt + linger - now;
    // lingerMs below 1 never lingers (Node timers have 1 ms resolution); the wait left is judged on its own (> 0: a
    // timer of less than 1 ms fires after 1 ms), so that a 1 ms linger does linger (the time since dueAt is never 0).
    this.lingering = linger >= 1 && this.lingerSkip === 0 && this.rate * linger >= 2 && wait > 0;
    if (this.lingering) setTimeout(this.flushAll, wait);
    else {
      this.arrived = 0;
      this.extraTurns = 0;
      setImmediate(this.endOfTurn);
    }
  }

  /**
   * The end of a turn with a call due (setImmediate): when the turn brought more messages (a burst being read, over
   * several turns: one read of every socket per turn), the call waits one more turn, up to {@link MAX_EXTRA_TURNS},
   * so that one call carries the burst. A next turn with something to do does not sleep (libuv polls without
   * waiting while an immediate is pending), so each extra turn costs the node a poll, never a wake-up; while a call
   * per turn would cost a wake-up for each reply (the node sleeps until Redis answers). An extra turn that brought
   * nothing (a client waiting for each reply) makes the next calls go at the end of their turn (1, then 2, 4… up
   * to 256 calls, as the linger's misses).
   */
  private readonly endOfTurn = (): void => {
    const turns = this.extraTurns;
    if (turns === 0 && this.turnSkip > 0) this.turnSkip--;
    else if (turns === 0 || this.arrived > 0) {
      if (turns === 1) this.turnBackoff = 1; // the first extra turn brought more: worth it
      if (turns < MAX_EXTRA_TURNS) {
        this.extraTurns = turns + 1;
        this.arrived = 0;
        setImmediate(this.endOfTurn);
        return;
      }
    } else if (turns === 1) {
      this.turnSkip = this.turnBackoff; // the first extra turn brought nothing
      this.turnBackoff = Math.min(2 * this.turnBackoff, MAX_LINGER_SKIP);
    }
    this.flushAll();
  };

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
      call = this.link.runNow('append_many', ...this.appendArgs(batches));
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
        this.store.logFault(b.stream, thrown);
      }
    }
  }

  /** The KEYS and ARGV of append_many.lua for `batches`. */
  private appendArgs(batches: readonly Batch[]): [string[], (string | number)[]] {
    const l = this.store.limits;
    const keys: string[] = [];
    const args: (string | number)[] = [Date.now(), l.maxMessages, l.maxBytes, l.ttlMs, this.store.ttlMs];
    for (const b of batches) {
      keys.push(b.stream.keys.meta, b.stream.keys.log);
      const items = b.items;
      let texts = items[0]!.text; // one argument: JSON text has no raw line feed (RFC 8259 section 7)
      for (let i = 1; i < items.length; i++) texts += '\n' + items[i]!.text;
      args.push(b.stream.epoch, b.seq, texts);
    }
    return [keys, args];
  }
}
