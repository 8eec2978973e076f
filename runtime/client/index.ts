/**
 * wsgen client runtime: a WebSocketService for browsers and Node, generic over
 * any wsgen protocol: construct it with the protocol's descriptor
 * (`generated/ts/protocol.ts`). Imports nothing generated. See README.md.
 * `WebSocketClient` is the same client with only the capability plugins it is
 * given (`heartbeat()`, `resume()`, `streams()`, `requests()`), for smaller bundles.
 */
export { WebSocketService, allCapabilities } from './service.js';
export { WebSocketClient } from './client.js';
export type { WebSocketServiceOptions, MessageHandler, AnyHandler, StatusHandler, ErrorHandler, StreamHandler, RequestOptions } from './client.js';
export { resume } from './resume.js';
export { requests, Replies } from './replies.js';
export { capabilitySet } from './capability.js';
export type { Capability, CapabilitySet, ConnectionHost, HeartbeatPart, SessionsPart, SessionVerdict, StreamsPart, RequestsPart, ServiceEvents } from './capability.js';
export type {
  ProtocolDescriptor,
  MessageInfo,
  CloseCodeInfo,
  Direction,
  ParseOutcome,
  ValidationIssue,
  MessageType,
  MessageOf,
  InputOf,
  ClientType,
  ServerType,
  ClientMessage,
  ServerMessage,
  FieldName,
  Filled,
  Body,
  Outbound,
} from './protocol.js';
export { Connection } from './connection.js';
export { resolveOptions, defaultTokenProtocols, schemaProtocols, SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, VERSION_PROTOCOL_PREFIX, HASH_PROTOCOL_PREFIX } from './options.js';
export type { ConnectionOptions, ResolvedConnectionOptions, SendResult, StatusEvent, TokenSource, ConnectionDeps } from './options.js';
export { Backoff, backoffCeiling, fullJitterDelay, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { decideRetry, decideHttpRetry, CLOSE_UNAUTHORIZED, CLOSE_PROTOCOL_MISMATCH } from './retry.js';
export type { RetryDecision, CloseKind, CloseTables } from './retry.js';
export { OutboundQueue, DEFAULT_QUEUE } from './queue.js';
export type { QueueOptions, QueueEntry, EnqueueResult, OverflowPolicy } from './queue.js';
export { Heartbeat, DEFAULT_HEARTBEAT, heartbeat } from './heartbeat.js';
export type { HeartbeatOptions, HeartbeatHooks } from './heartbeat.js';
export { StreamAssembler, streams } from './streaming.js';
export type { StreamState, StreamEvent, StreamPart, StreamsOptions } from './streaming.js';
export { emptyHealth } from './health.js';
export type { ConnectionHealth, ConnectionStatus } from './health.js';
export { resolveWebSocket, isBrowserLike, OPEN } from './transport.js';
export type { SocketLike, SocketEvent, WebSocketCtor } from './transport.js';
export { systemClock, utf8Length, uuid } from './clock.js';
export type { Clock, RandomSource, TimerHandle } from './clock.js';
export { makeFiller, prepareOutbound } from './messages.js';
export type { Filler, Prepared } from './messages.js';
export { wireOf, isClientSendable, isServerSendable } from './wire.js';
export { UntaggedRootError, UNTAGGED_ROOT_CODE } from '../protocol/descriptor.js';
export type { Wire, WireMessage, WireFields, WireRoles } from './wire.js';
export * from './errors.js';
