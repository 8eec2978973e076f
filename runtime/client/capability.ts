/**
 * Capability plugins: the parts of the client that a protocol's roles enable
 * (docs/roles.md, "Capabilities") live in modules of their own, and a service
 * holds only the ones it is given, so a bundler drops the others:
 *
 * | plugin | module | roles it needs |
 * |---|---|---|
 * | `heartbeat()` | `heartbeat.ts` | ping, pong |
 * | `resume()` | `resume.ts` | session-created, session-resume, session-updated |
 * | `streams()` | `streaming.ts` | stream-chunk, stream-end |
 * | `requests()` | `replies.ts` | correlation-id (a reply of the `error` role rejects) |
 *
 * A plugin is inert on a protocol that lacks its roles. This module holds the
 * types the core and the plugins share, and no code of any plugin. A connection
 * calls its parts at fixed points (connection.ts): the socket opened, each frame,
 * the session established, the socket gone, a probe.
 */
import type { Clock } from './clock.js';
import type { WsClientError } from './errors.js';
import type { ConnectionHealth, ConnectionStatus } from './health.js';
import type { Filler } from './messages.js';
import type { ResolvedConnectionOptions } from './options.js';
import type { StreamEvent, StreamState } from './streaming.js';
import type { SendResult } from './options.js';
import type { SocketLike } from './transport.js';
import type { Wire, WireMessage } from './wire.js';

/** What a connection lends the per-connection part of a plugin. Every callback runs on the connection's own state. */
export interface ConnectionHost {
  /** The connection id. */
  readonly id: string;
  /** The protocol's view. */
  readonly wire: Wire;
  /** The connection's options, defaults filled in. */
  readonly options: ResolvedConnectionOptions;
  /** Timers and the current time. */
  readonly clock: Clock;
  /** The connection's health record (the plugin writes its own counters there). */
  readonly health: ConnectionHealth;
  /** Fills the correlation id and the service's `fill` fields of a control message. */
  readonly fill: Filler;
  /** Is `sock` still the connection's socket? */
  owns(sock: SocketLike): boolean;
  /** Sends a control message straight to the socket, never queued; false when it could not be written. */
  sendControl(msg: WireMessage): boolean;
  /** Gives the current socket up as dead and reconnects (close `code` is recorded). */
  abandon(code: number, reason: string): void;
  /** Reports a status change. */
  setStatus(status: ConnectionStatus): void;
  /** Reports `errors`, then delivers `msg`; false as soon as a callback closed or replaced `sock`. */
  callBack(sock: SocketLike, errors: WsClientError[], msg: WireMessage | undefined): boolean;
  /** The session is established on `sock`: counters, the heartbeat, the stable timer. */
  established(sock: SocketLike): void;
  /** The replay (if any) is over: flushes the queue, then reports `open` with the resume outcome. */
  goOpen(sock: SocketLike, resume: ConnectionHealth['resume'] | undefined): void;
}

/** The heartbeat of one connection (see heartbeat.ts). */
export interface HeartbeatPart {
  /** The session is established: start pinging. */
  start(): void;
  /** The socket is gone: stop. */
  stop(): void;
  /** Ping now (a liveness probe). */
  probe(): void;
  /** Sees each delivered message of type `type`: a pong ends the outstanding ping, a ping is answered. */
  frame(type: string, msg: WireMessage): void;
}

/** What the resume plugin decides about a decoded frame. */
export interface SessionVerdict {
  /** The frame is not delivered: a duplicate (nothing reported), or out of order (`error` reported, counted invalid). */
  drop?: true;
  /** The frame breaks the session rules (a session-created message after the first). */
  error?: WsClientError;
  /** Errors to report before the delivery. */
  reports: WsClientError[];
  /** The resume ends with this message: its outcome (the connection then flushes the queue and opens). */
  resumeEnded?: ConnectionHealth['resume'];
}

/** Sessions, seq bookkeeping and resume of one connection (see resume.ts). */
export interface SessionsPart {
  /** The socket opened: wait for the session-created message (status `authenticating`). */
  opened(sock: SocketLike): void;
  /** Any frame arrived on `sock` (progress: the wait for the end of a replay restarts). */
  progress(sock: SocketLike): void;
  /** A frame failed decoding while the session-created message was awaited: a protocol mismatch when it carries another schema hash. */
  mismatch(data: unknown): WsClientError | undefined;
  /**
   * Sees a decoded message of type `type` (`data`: its frame) before anyone else: undefined when the plugin
   * took it over (the session-created message), else what to do with it.
   */
  frame(sock: SocketLike, msg: WireMessage, type: string, data: string): SessionVerdict | undefined;
  /** The socket is gone: forget the pending wait and resume. */
  stop(): void;
}

/** The service's listeners, as a service-wide plugin raises events on them (a stream that timed out). */
export interface ServiceEvents {
  /** Calls the stream or error listeners of connection `id` (and of `*`). */
  emit(id: string, kind: 'stream', ev: StreamEvent): void;
  emit(id: string, kind: 'error', ev: WsClientError): void;
}

/** Stream assembly for a whole service (see streaming.ts). */
export interface StreamsPart {
  /** Feeds a server message of connection `id`; returns the stream event it makes, if any. */
  take(id: string, msg: WireMessage): StreamEvent | undefined;
  /** The assembled stream answering `messageId` on `id`. */
  get(id: string, messageId: string): StreamState | undefined;
  /** Forgets the streams of `id`. */
  forget(id: string): void;
}

/** Request/reply correlation for a whole service (see replies.ts). */
export interface RequestsPart {
  /** Waits for the reply to the message `sent` reports on `id` (RequestTimeoutError after `timeoutMs`). */
  wait(id: string, sent: SendResult, timeoutMs: number): Promise<WireMessage>;
  /** Feeds a server message of connection `id`: settles the request it answers, if any. */
  take(id: string, msg: WireMessage): void;
  /** Rejects every pending request of `id` with `err`. */
  rejectAll(id: string, err: Error): void;
}

/** A capability plugin, given to a service in `options.capabilities`. */
export type Capability =
  | { readonly name: 'heartbeat'; connection(host: ConnectionHost): HeartbeatPart | undefined }
  | { readonly name: 'resume'; connection(host: ConnectionHost): SessionsPart | undefined }
  | { readonly name: 'streams'; service(wire: Wire, clock: Clock, events: ServiceEvents): StreamsPart | undefined }
  | { readonly name: 'requests'; service(wire: Wire, clock: Clock): RequestsPart | undefined };

/** The plugins of a service, by name. */
export interface CapabilitySet {
  heartbeat?: Extract<Capability, { name: 'heartbeat' }>;
  resume?: Extract<Capability, { name: 'resume' }>;
  streams?: Extract<Capability, { name: 'streams' }>;
  requests?: Extract<Capability, { name: 'requests' }>;
}

/** Indexes `list` by name (a later plugin of the same name wins). */
export function capabilitySet(list: readonly Capability[] = []): CapabilitySet {
  const set: Record<string, Capability> = {};
  for (const c of list) set[c.name] = c;
  return set as CapabilitySet;
}
