/**
 * Exponential backoff with full jitter, applied after the cap:
 * `delay = random(0, min(maxDelayMs, minDelayMs · 2^attempt))`.
 * Jitter after the cap keeps clients spread out even once they all hit the cap
 * (socket.io jitters before the cap, so every client ends up waiting exactly the maximum).
 */
import type { RandomSource } from './clock.js';

/** Backoff settings. */
export interface BackoffOptions {
  /** Base delay (the cap of the first attempt's window), ms. Default 500. */
  minDelayMs: number;
  /** Upper bound of every window, ms. Default 30 000. */
  maxDelayMs: number;
}

/** Defaults of {@link BackoffOptions}. */
export const DEFAULT_BACKOFF: BackoffOptions = { minDelayMs: 500, maxDelayMs: 30_000 };

/** The window `[0, ceiling]` the delay of attempt `attempt` (0-based) is drawn from. */
export function backoffCeiling(attempt: number, opts: BackoffOptions): number {
  const exp = opts.minDelayMs * Math.pow(2, Math.min(attempt, 52));
  return Math.min(opts.maxDelayMs, exp);
}

/** One full-jitter delay for attempt `attempt` (0-based). */
export function fullJitterDelay(attempt: number, opts: BackoffOptions, random: RandomSource = Math.random): number {
  return Math.floor(random() * backoffCeiling(attempt, opts));
}

/** A backoff counter: `next()` returns the next delay and counts the attempt; `reset()` starts over. */
export class Backoff {
  #n = 0;
  readonly #opts: BackoffOptions;
  readonly #random: RandomSource;

  /** Delays within `opts`, jittered by `random`. Throws RangeError unless 0 <= minDelayMs <= maxDelayMs. */
  constructor(opts: BackoffOptions, random: RandomSource = Math.random) {
    this.#opts = opts;
    this.#random = random;
    if (!(opts.minDelayMs >= 0) || !(opts.maxDelayMs >= opts.minDelayMs)) {
      throw new RangeError(`backoff needs 0 <= minDelayMs <= maxDelayMs (got ${opts.minDelayMs}, ${opts.maxDelayMs})`);
    }
  }
  /** Attempts counted since the last reset. */
  get attempt(): number {
    return this.#n;
  }
  /** The delay before the next attempt; increments the counter. */
  next(): number {
    return fullJitterDelay(this.#n++, this.#opts, this.#random);
  }
  /** Resets the counter (call once a connection has stayed up). */
  reset(): void {
    this.#n = 0;
  }
}
