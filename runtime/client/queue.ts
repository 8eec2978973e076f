/**
 * The offline send queue: bounded by count and by bytes, with a TTL per entry and
 * an explicit overflow policy. Entries leave in FIFO order.
 */

/** What to do when a new message does not fit. */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest';

/** Queue settings. */
export interface QueueOptions {
  /** Most entries held. Default 100. */
  maxCount: number;
  /** Most bytes (UTF-8 of the serialized messages) held. Default 256 KiB. */
  maxBytes: number;
  /** An entry older than this is dropped instead of sent, ms. Default 60 000. */
  ttlMs: number;
  /** `drop-newest` (default): the new message is refused ('dropped'). `drop-oldest`: the oldest entries are evicted to make room. */
  overflow: OverflowPolicy;
}

/** Defaults of {@link QueueOptions}. */
export const DEFAULT_QUEUE: QueueOptions = { maxCount: 100, maxBytes: 256 * 1024, ttlMs: 60_000, overflow: 'drop-newest' };

/** One queued message. */
export interface QueueEntry {
  /** message_id of the message. */
  messageId: string;
  /** The serialized message. */
  data: string;
  /** UTF-8 size of `data`. */
  bytes: number;
  /** When it was queued (clock ms). */
  enqueuedAt: number;
}

/** Outcome of {@link OutboundQueue.enqueue}. */
export interface EnqueueResult {
  /** Was the new entry queued? */
  accepted: boolean;
  /** Why not, when it was refused. */
  reason?: 'overflow' | 'too-large-for-queue';
  /** Older entries evicted to make room (drop-oldest) or found expired. */
  evicted: QueueEntry[];
  /** Entries that expired and were removed on the way. */
  expired: QueueEntry[];
}

/** A bounded FIFO of outbound messages. */
export class OutboundQueue {
  #items: QueueEntry[] = [];
  #head = 0;
  #total = 0;

  /** The limits. */
  readonly options: QueueOptions;

  /** A queue within `options`. Throws RangeError on a negative limit or a TTL not above 0. */
  constructor(options: QueueOptions) {
    this.options = options;
    if (options.maxCount < 0 || options.maxBytes < 0 || options.ttlMs <= 0) throw new RangeError('queue limits must be >= 0 and ttlMs > 0');
  }

  /** Entries held. */
  get size(): number {
    return this.#items.length - this.#head;
  }
  /** Bytes held. */
  get bytes(): number {
    return this.#total;
  }

  /** Adds an entry, applying TTL first and then the overflow policy. */
  enqueue(entry: QueueEntry, now: number): EnqueueResult {
    const expired = this.purgeExpired(now);
    const { maxCount, maxBytes } = this.options;
    if (entry.bytes > maxBytes || maxCount === 0) return { accepted: false, reason: 'too-large-for-queue', evicted: [], expired };
    const fits = () => this.size + 1 <= maxCount && this.#total + entry.bytes <= maxBytes;
    const evicted: QueueEntry[] = [];
    if (!fits()) {
      if (this.options.overflow === 'drop-newest') return { accepted: false, reason: 'overflow', evicted, expired };
      while (!fits()) {
        const old = this.#shift();
        if (!old) break;
        evicted.push(old);
      }
    }
    this.#items.push(entry);
    this.#total += entry.bytes;
    return { accepted: true, evicted, expired };
  }

  /** Removes and returns entries older than the TTL. */
  purgeExpired(now: number): QueueEntry[] {
    const out: QueueEntry[] = [];
    // FIFO: enqueuedAt is non-decreasing, so expired entries are at the front.
    for (;;) {
      const e = this.#items[this.#head];
      if (!e || now - e.enqueuedAt < this.options.ttlMs) break;
      this.#shift();
      out.push(e);
    }
    return out;
  }

  /** Empties the queue: live entries in order, plus the expired ones. */
  drain(now: number): { ready: QueueEntry[]; expired: QueueEntry[] } {
    const expired = this.purgeExpired(now);
    const ready = this.#items.slice(this.#head);
    this.#clearAll();
    return { ready, expired };
  }

  /** Puts entries back at the front (when a flush was cut short). */
  unshift(entries: QueueEntry[]): void {
    if (entries.length === 0) return;
    this.#items = entries.concat(this.#items.slice(this.#head));
    this.#head = 0;
    this.#total = this.#items.reduce((n, e) => n + e.bytes, 0);
  }

  /** Removes everything and returns it. */
  clear(): QueueEntry[] {
    const out = this.#items.slice(this.#head);
    this.#clearAll();
    return out;
  }

  #clearAll(): void {
    this.#items = [];
    this.#head = 0;
    this.#total = 0;
  }

  #shift(): QueueEntry | undefined {
    const e = this.#items[this.#head];
    if (!e) return undefined;
    this.#head++;
    this.#total -= e.bytes;
    if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return e;
  }
}
