/**
 * The service's listeners (per connection id, or `*` for all) and the order in
 * which they hear things. Deliveries are run to completion, one at a time: an
 * event raised while another is being delivered (a listener that closes, sends
 * or reconnects) waits until every listener has heard the current one. So every
 * listener sees the same sequence, e.g. `open` then `closed`, never the reverse.
 */
import { HandlerError, type WsClientError } from './errors.js';
import type { StatusEvent } from './options.js';
import type { StreamEvent } from './streaming.js';
import type { WireMessage } from './wire.js';

/** A handler of every server message. */
export type AnyHandler<M = WireMessage> = (message: M) => void;
/** A status listener. */
export type StatusHandler = (event: StatusEvent) => void;
/** An error listener. */
export type ErrorHandler = (error: WsClientError) => void;
/** A stream listener. */
export type StreamHandler = (event: StreamEvent) => void;

interface Subscribers {
  byType: Map<string, Set<(m: WireMessage) => void>>;
  any: Set<AnyHandler>;
  status: Set<StatusHandler>;
  error: Set<ErrorHandler>;
  stream: Set<StreamHandler>;
}

/** The wildcard id: listeners of every connection. */
export const ALL = '*';

type Kind = 'status' | 'error' | 'stream';
type EventOf<K extends Kind> = K extends 'status' ? StatusEvent : K extends 'error' ? WsClientError : StreamEvent;

/** Listener sets by connection id, with run-to-completion delivery. */
export class Listeners {
  readonly #subs = new Map<string, Subscribers>();
  readonly #backlog: Array<() => void> = [];
  #delivering = false;

  /** Adds a listener of one message type on `id`; returns the function that removes it. */
  addTyped(id: string, type: string, handler: (m: WireMessage) => void): () => void {
    const s = this.#of(id);
    let set = s.byType.get(type);
    if (!set) s.byType.set(type, (set = new Set()));
    const own = set;
    own.add(handler);
    return () => void own.delete(handler);
  }

  /** Adds a listener of every message (`any`) or of status, error or stream events on `id`; returns the remover. */
  add<K extends Kind | 'any'>(id: string, kind: K, handler: K extends Kind ? (ev: EventOf<K>) => void : AnyHandler): () => void {
    const set = this.#of(id)[kind] as Set<typeof handler>;
    set.add(handler);
    return () => void set.delete(handler);
  }

  /**
   * Runs `fn` (a delivery) now, or, when a delivery is already running (we are inside a listener),
   * after it and after everything queued before. Each queued delivery runs even if an earlier one threw.
   */
  notify(fn: () => void): void {
    this.#backlog.push(fn);
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (let next = this.#backlog.shift(); next !== undefined; next = this.#backlog.shift()) {
        try {
          next();
        } catch {
          /* a delivery never throws (handlers are guarded); keep the rest going regardless */
        }
      }
    } finally {
      this.#delivering = false;
    }
  }

  /** Calls the typed and `any` listeners of `id` and of `*` with a message of type `type`; a throwing handler is reported as HandlerError. */
  message(id: string, type: string, m: WireMessage): void {
    for (const key of [id, ALL]) {
      const s = this.#subs.get(key);
      if (!s) continue;
      const typed = s.byType.get(type);
      if (typed) for (const h of [...typed]) this.#guard(id, type, () => h(m));
      for (const h of [...s.any]) this.#guard(id, type, () => h(m));
    }
  }

  /** Calls the status, error or stream listeners of `id` and of `*` (only `*` when id is `*`). */
  emit<K extends Kind>(id: string, kind: K, ev: EventOf<K>): void {
    const keys = id === ALL ? [ALL] : [id, ALL];
    for (const key of keys) {
      const s = this.#subs.get(key);
      if (!s) continue;
      const set = s[kind] as Set<(e: EventOf<K>) => void>;
      for (const h of [...set]) {
        try {
          h(ev);
        } catch (e) {
          if (kind !== 'error') this.emit(id, 'error', new HandlerError(kind, e, { connectionId: id }));
        }
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.#subs.clear();
  }

  #guard(id: string, type: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.emit(id, 'error', new HandlerError(type, e, { connectionId: id }));
    }
  }

  #of(id: string): Subscribers {
    let s = this.#subs.get(id);
    if (!s) this.#subs.set(id, (s = { byType: new Map(), any: new Set(), status: new Set(), error: new Set(), stream: new Set() }));
    return s;
  }
}
