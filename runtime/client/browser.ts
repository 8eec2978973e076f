/**
 * Browser probes: on `online` (window) and on `visibilitychange` to visible
 * (document), probe every connection (reconnect now if waiting, ping now if open).
 * The listeners are attached only while the service has connections, so a
 * service that is created but never used, or disposed, holds none (React
 * StrictMode creates and drops services freely).
 */
import { isBrowserLike } from './transport.js';

type Target = { addEventListener?: (t: string, f: () => void) => void; removeEventListener?: (t: string, f: () => void) => void };

/** The window and document listeners of one service. */
export class BrowserProbes {
  #detachFn: (() => void) | null = null;
  readonly #probe: () => void;

  /** `probe` is called on each trigger. */
  constructor(probe: () => void) {
    this.#probe = probe;
  }

  /** Are the listeners attached? */
  get attached(): boolean {
    return this.#detachFn !== null;
  }

  /** Attaches the listeners (once; a no-op outside a browser). */
  attach(): void {
    if (this.#detachFn !== null) return;
    const g = globalThis as Target & { document?: Target & { visibilityState?: string } };
    if (!isBrowserLike() || typeof g.addEventListener !== 'function') return;
    const onOnline = () => this.#probe();
    const onVisible = () => {
      if (g.document?.visibilityState === 'visible') this.#probe();
    };
    g.addEventListener('online', onOnline);
    g.document?.addEventListener?.('visibilitychange', onVisible);
    this.#detachFn = () => {
      g.removeEventListener?.('online', onOnline);
      g.document?.removeEventListener?.('visibilitychange', onVisible);
    };
  }

  /** Removes the listeners, if attached. */
  detach(): void {
    const d = this.#detachFn;
    this.#detachFn = null;
    d?.();
  }
}
