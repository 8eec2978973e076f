// Graceful shutdown of the connections: jittered closes, the wait for their
// closing handshakes, and termination of stragglers at the deadline. Every
// timer it waits on holds the event loop, so its promise always settles.
import type { Connection } from './connection.js';
import type { ShutdownOptions } from './options.js';

/**
 * Tracks connections through a shutdown. The core reports every close
 * ({@link closed}) and every socket close ({@link socketClosed}); {@link run}
 * closes a set of connections and settles in at most about `deadlineMs`,
 * whatever they do (close by themselves before their turn, never finish the
 * closing handshake, or are already gone).
 */
export class ConnectionShutdown {
  /** Connections the server closed whose socket has not reported its close yet. */
  private readonly closingSockets = new Set<Connection>();
  /** During a run: per connection still open, what ends its wait for its turn to be closed. */
  private readonly waits = new Map<Connection, () => void>();
  /** During a run: called when closingSockets becomes empty. */
  private onDrained: (() => void) | undefined;

  /** A connection was closed or lost (by the server when `byServer`: its socket is then still closing). */
  closed(c: Connection, byServer: boolean): void {
    if (byServer) this.closingSockets.add(c);
    const wait = this.waits.get(c);
    if (wait !== undefined) {
      this.waits.delete(c);
      wait();
    }
  }

  /** The socket of a connection reported its close. */
  socketClosed(c: Connection): void {
    if (this.closingSockets.delete(c) && this.closingSockets.size === 0) this.onDrained?.();
  }

  /**
   * Closes every connection of `conns` with `o.code` at a uniformly random moment within min(jitterMs, deadlineMs)
   * (a connection that closes by itself first ends its wait at once), waits for the closing handshakes until
   * deadlineMs from the start, then terminates the sockets still closing.
   */
  async run(conns: readonly Connection[], o: ShutdownOptions): Promise<void> {
    const started = Date.now();
    const window = Math.min(o.jitterMs, o.deadlineMs);
    const reason = o.code === 1012 ? 'server restarting' : 'server going away';
    await Promise.all(conns.map((c) => this.closeAfter(c, Math.random() * window, o.code, reason)));
    await this.drained(o.deadlineMs - (Date.now() - started));
    for (const c of this.closingSockets) c.socket.terminate();
    this.closingSockets.clear();
  }

  /** Closes `c` after `delayMs`, or resolves at once when it closes by itself first. */
  private closeAfter(c: Connection, delayMs: number, code: number, reason: string): Promise<void> {
    if (c.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.waits.delete(c);
        c.close(code, reason);
        resolve();
      }, delayMs);
      this.waits.set(c, () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Resolves once every socket the server closed has finished closing, or after `ms`. */
  private drained(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.closingSockets.size === 0 || ms <= 0) return resolve();
      const done = (): void => {
        clearTimeout(t);
        this.onDrained = undefined;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.onDrained = done;
    });
  }
}
