// Heartbeat: one timer for all connections. Each tick terminates connections
// that did not answer the previous ping (nor sent any frame), then pings the
// rest. Browsers cannot send ping frames, so application-level ping messages
// are answered by the core and also count as a sign of life.
import type { Connection } from './connection.js';

/** Drives transport-level pings over a set of connections. */
export class Heartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly intervalMs: number;
  private readonly connections: () => Iterable<Connection>;
  private readonly onStale: (c: Connection) => void;

  /** Pings `connections()` every `intervalMs` (0 disables); `onStale` gets each that did not answer the last round. */
  constructor(intervalMs: number, connections: () => Iterable<Connection>, onStale: (c: Connection) => void) {
    this.intervalMs = intervalMs;
    this.connections = connections;
    this.onStale = onStale;
  }

  /** Starts the timer (a no-op when the interval is 0 or it already runs). */
  start(): void {
    if (this.timer !== undefined || this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round: terminate the stale, ping the others. Exposed for tests. */
  tick(): void {
    const stale: Connection[] = [];
    for (const c of this.connections()) {
      if (!c.alive) {
        stale.push(c);
        continue;
      }
      c.alive = false;
      try {
        c.socket.ping();
      } catch {
        stale.push(c);
      }
    }
    for (const c of stale) this.onStale(c);
  }
}
