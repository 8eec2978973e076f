// The seam between the server core and where sessions live: the options the core gives a session store, and the
// members it uses (the in-memory SessionStore of sessions.ts is the default; redis/ is a shared one, issue 12).
import type { Cluster } from './cluster.js';
import type { Message, RuntimeProtocol } from './roles.js';
import type { ReplayLimits, SessionState, Stream } from './sessions.js';
import type { Endpoint, Logger, SessionInfo } from './types.js';

/** Options of a {@link SessionStore}. */
export interface SessionStoreOptions {
  limits: ReplayLimits;
  /** How long a stream without connection is kept, in ms. */
  detachedTtlMs: number;
  /** Types dropped first under backpressure. */
  lowPriority: ReadonlySet<string>;
  /** Called when a session expires (the core closes its connections). */
  onExpire(state: SessionState): void;
  /** Called when a low-priority message is dropped. */
  onDrop(type: string): void;
  /** Optional outbound check (dev mode): throws on an invalid message. */
  validate?: ((msg: Message) => void) | undefined;
  /** The protocol: connection-level rule, tag, sequence field. */
  protocol: RuntimeProtocol;
  /** The server's logger (a shared store logs its outages). */
  logger?: Logger | undefined;
}

/**
 * Where sessions and their streams live: the seam for a shared store (sessions, epochs and replay in Redis, issue
 * 12). The core uses only these members; {@link SessionStore} is the in-memory one and the default
 * (`ServerOptions.sessionStore`).
 */
export interface SessionBackend {
  /** The stream of a session on an endpoint, created as needed; `rejoined` when it already has history. */
  linkConnectionToSession(info: SessionInfo, endpoint: Endpoint): { stream: Stream; rejoined: boolean };
  /** The stream of a session on an endpoint, if any. */
  findStream(sessionId: string, endpointKey: string): Stream | undefined;
  /** Forgets a session (expiry) and discards its streams. */
  drop(state: SessionState): void;
  /** Trims buffers by age and forgets streams left without a connection for too long. */
  sweep(now?: number): void;
  /** Every stream of every session (shutdown flush, health). */
  streams(): Iterable<Stream>;
  /** Discards everything (after shutdown). */
  clear(): void;
  /** Number of sessions known. */
  readonly sessionCount: number;
  /** The multi-node members of a shared store (undefined in memory: one process). */
  readonly cluster?: Cluster | undefined;
}
