// Per-connection limits: a synchronous token bucket, and close-reason truncation.
//
// Why not rate-limiter-flexible's RateLimiterMemory: its consume() returns a
// promise per call and keeps one shared Map keyed by string with timers, while
// a per-connection bucket is two numbers and a timestamp, checked synchronously
// on the hot path (see README.md, "Rate limiting").

/** Options of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Largest burst (tokens when full). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
}

/** A token bucket: `take()` spends one token if there is one. O(1), no timers, no allocation. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;
  /** A full bucket of `capacity` tokens refilled at `perMs` tokens per ms. */
  constructor(capacity: number, perMs: number, now: number = Date.now()) {
    this.capacity = capacity;
    this.perMs = perMs;
    this.tokens = capacity;
    this.last = now;
  }

  /** Creates a bucket from options. */
  static from(o: TokenBucketOptions, now?: number): TokenBucket {
    return new TokenBucket(o.capacity, o.refillPerSecond / 1000, now);
  }

  /** Spends one token; false when the bucket is empty. */
  take(now: number = Date.now()): boolean {
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.perMs);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** RFC 6455 limit of a close reason, in UTF-8 bytes. */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Truncates a close reason to 123 UTF-8 bytes without splitting a character. */
export function truncateCloseReason(reason: string): string {
  if (reason.length <= MAX_CLOSE_REASON_BYTES / 3) return reason;
  const buf = Buffer.from(reason, 'utf8');
  if (buf.length <= MAX_CLOSE_REASON_BYTES) return reason;
  let end = MAX_CLOSE_REASON_BYTES;
  while (end > 0 && ((buf[end] ?? 0) & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}
