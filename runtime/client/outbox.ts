/**
 * The outbound side of one connection: writes to the current socket (with the
 * traffic counters) and the offline queue (bounded, TTL, overflow policy). A
 * message is written at once only when the connection is open and nothing is
 * queued before it; everything else waits at the back of the queue, which is
 * flushed in order when a (re)connect is complete.
 */
import type { Clock } from './clock.js';
import type { DropReason } from './errors.js';
import type { ConnectionHealth } from './health.js';
import type { SendResult } from './options.js';
import { OutboundQueue, type QueueEntry, type QueueOptions } from './queue.js';
import { OPEN, type SocketLike } from './transport.js';

/** The queue and the socket writer of a connection. */
export class Outbox {
  readonly #queue: OutboundQueue;
  readonly #clock: Clock;
  readonly #h: ConnectionHealth;
  readonly #onDrop: (reason: DropReason, entry: QueueEntry) => void;

  /** `onDrop` reports one dropped entry (it may call back into the connection). */
  constructor(options: QueueOptions, clock: Clock, health: ConnectionHealth, onDrop: (reason: DropReason, entry: QueueEntry) => void) {
    this.#queue = new OutboundQueue(options);
    this.#clock = clock;
    this.#h = health;
    this.#onDrop = onDrop;
  }

  /** Entries waiting. */
  get size(): number {
    return this.#queue.size;
  }

  /** Writes one frame to `sock` if it is open; counts it. False when it could not be written. */
  write(sock: SocketLike | null, data: string, bytes: number): boolean {
    if (!sock || sock.readyState !== OPEN) return false;
    try {
      sock.send(data);
    } catch {
      return false;
    }
    this.#h.bytesOut += bytes;
    this.#h.messagesOut++;
    return true;
  }

  /** Queues a serialized message at the back; expired and evicted entries are reported after the queue is consistent. */
  enqueue(messageId: string, data: string, bytes: number): SendResult {
    const now = this.#clock.now();
    const r = this.#queue.enqueue({ messageId, data, bytes, enqueuedAt: now }, now);
    this.syncHealth();
    for (const e of r.expired) this.#onDrop('ttl', e);
    for (const e of r.evicted) this.#onDrop('overflow', e);
    if (!r.accepted) return { status: 'dropped', messageId, reason: r.reason ?? 'overflow' };
    return { status: 'queued', messageId };
  }

  /**
   * Writes the whole queue to `sock` in order, including what drop reports add meanwhile. Returns true
   * when the queue is empty; false when `sock` stopped accepting writes (the rest stays queued, in order)
   * or when `owns()` says a report callback closed or replaced the socket.
   */
  flush(sock: SocketLike, owns: () => boolean): boolean {
    for (;;) {
      const { ready, expired } = this.#queue.drain(this.#clock.now());
      let blocked = false;
      for (let i = 0; i < ready.length; i++) {
        const e = ready[i] as QueueEntry;
        if (!this.write(sock, e.data, e.bytes)) {
          this.#queue.unshift(ready.slice(i));
          blocked = true;
          break;
        }
      }
      this.syncHealth();
      // Every expired entry is reported, even when a report's listener closes the connection.
      for (const e of expired) this.#onDrop('ttl', e);
      if (blocked || !owns()) return false;
      if (this.#queue.size === 0) return true;
    }
  }

  /** Empties the queue and returns what was in it (to be reported with {@link reportDrop}). */
  clear(): QueueEntry[] {
    const out = this.#queue.clear();
    this.syncHealth();
    return out;
  }

  /** Reports one dropped entry. */
  reportDrop(reason: DropReason, e: QueueEntry): void {
    this.#onDrop(reason, e);
  }

  /** Copies the queue's size into the health record. */
  syncHealth(): void {
    this.#h.queued = this.#queue.size;
    this.#h.queuedBytes = this.#queue.bytes;
  }
}
