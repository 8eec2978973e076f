/**
 * The named one-shot timers of a connection (reconnect, stable, auth, resume):
 * arming one replaces the previous timer of that name, and a timer forgets
 * itself before it fires, so its callback may arm it again.
 */
import type { Clock, TimerHandle } from './clock.js';

/** A connection's timer names. */
export type TimerName = 'reconnect' | 'stable' | 'auth' | 'resume';

/**
 * The timers that keep a Node process alive: while the client waits to reconnect no socket is open,
 * and a process whose only work is this client must not exit in the middle of its backoff.
 */
const KEEP_ALIVE: ReadonlySet<TimerName> = new Set<TimerName>(['reconnect']);

/** Named one-shot timers on a {@link Clock}. */
export class NamedTimers {
  readonly #clock: Clock;
  readonly #handles: Record<TimerName, TimerHandle | null> = { reconnect: null, stable: null, auth: null, resume: null };

  /** Timers on `clock`. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `fn` after `ms` milliseconds, replacing the timer `name` if it is armed. */
  arm(name: TimerName, ms: number, fn: () => void): void {
    this.clear(name);
    this.#handles[name] = this.#clock.setTimeout(() => {
      this.#handles[name] = null;
      fn();
    }, ms, KEEP_ALIVE.has(name));
  }

  /** Cancels the timers named, if armed. */
  clear(...names: TimerName[]): void {
    for (const name of names) {
      const t = this.#handles[name];
      if (t !== null) this.#clock.clearTimeout(t);
      this.#handles[name] = null;
    }
  }
}
