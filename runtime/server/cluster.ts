// The multi-node seam of the server core: what a shared session backend (the
// Redis one in redis/, issue 12) adds to the in-memory SessionBackend, and the
// hooks the core gives it. The in-memory store has none of this (one process).
import type { Message } from './roles.js';
import type { Audience } from './registry.js';
import type { Stream } from './sessions.js';
import type { Endpoint, SessionInfo } from './types.js';

/** What a cluster member needs to know of one open connection (presence). */
export interface ConnectionRef {
  /** The connection id (unique on this node). */
  readonly id: string;
  /** Its session. */
  readonly session: SessionInfo;
  /** Its stream. */
  readonly stream: Stream;
}

/** What the core lets a cluster member do on this node. */
export interface ClusterHooks {
  /** Delivers a message published on another node to this node's matching connections; returns how many streams got it. */
  publishLocal(audience: Audience, msg: Message): number;
  /**
   * Closes the connection linked to `stream` on this node, if any: `REPLACED` (4505, the stream was linked on
   * another node) or `RESTART` (1012: the client must reconnect and resume from the shared store).
   */
  closeLinked(stream: Stream, why: 'REPLACED' | 'RESTART', reason: string): void;
}

/**
 * The members a shared (multi-node) session backend adds ({@link SessionBackend.cluster}). Every method must
 * settle and never throw for a store outage: it logs and degrades (docs/redis-layout.md "Redis down").
 */
export interface Cluster {
  /**
   * Called once by the core with its hooks, before any handshake. Resolves once this node is announced in the shared
   * store (its presence key written) and listens on its channels, or after the command timeout when the store is
   * down; never rejects. The server listens only then (`ServerCore.ready`).
   */
  bind(hooks: ClusterHooks): Promise<void>;
  /**
   * Links a session stream in the shared store before the upgrade (after the handshake accepted it), so that
   * `linkConnectionToSession` finds the stream's epoch and seq locally. Resolves even when the store is down.
   */
  prepare(info: SessionInfo, endpoint: Endpoint): Promise<void>;
  /** Open connections of `userId` on other nodes, as read by the latest `prepare` of that user (presence). */
  remoteConnections(userId: string): number;
  /** A connection was opened on this node (presence). */
  opened(c: ConnectionRef): void;
  /** A connection of this node closed (presence, unlink). */
  closed(c: ConnectionRef): void;
  /** Sends `msg` to the matching connections of the other nodes (this node delivered its own already). */
  publish(audience: Audience, msg: Message): void;
  /**
   * Sends `msg` into a session stream that no connection of this node holds: to the node that holds it, or
   * appended to the shared log for a later resume. Returns false when the session stream is unknown here and the
   * answer cannot be known at once (the message is then routed asynchronously).
   */
  route(sessionId: string, endpointKey: string, msg: Message): boolean;
  /** Stops timers and closes the store connections (after the core's shutdown). */
  close(): Promise<void>;
}
