/**
 * wsgen client runtime: a WebSocketService for browsers and Node over the
 * generated protocol. See README.md.
 */
export { WebSocketService } from './service.js';
export type { WebSocketServiceOptions, MessageHandler, AnyHandler, StatusHandler, ErrorHandler, StreamHandler, RequestOptions } from './service.js';
export { Connection } from './connection.js';
export { resolveOptions, defaultTokenProtocols, SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX } from './options.js';
export type { ConnectionOptions, ResolvedConnectionOptions, SendResult, StatusEvent, TokenSource, ConnectionDeps } from './options.js';
export { Backoff, backoffCeiling, fullJitterDelay, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { decideRetry, decideHttpRetry } from './retry.js';
export type { RetryDecision, CloseKind } from './retry.js';
export { OutboundQueue, DEFAULT_QUEUE } from './queue.js';
export type { QueueOptions, QueueEntry, EnqueueResult, OverflowPolicy } from './queue.js';
export { Heartbeat, DEFAULT_HEARTBEAT } from './heartbeat.js';
export type { HeartbeatOptions, HeartbeatHooks } from './heartbeat.js';
export { StreamAssembler } from './streaming.js';
export type { StreamState, StreamEvent } from './streaming.js';
export { emptyHealth } from './health.js';
export type { ConnectionHealth, ConnectionStatus } from './health.js';
export { resolveWebSocket, isBrowserLike, OPEN } from './transport.js';
export type { SocketLike, SocketEvent, WebSocketCtor } from './transport.js';
export { systemClock, utf8Length, uuid } from './clock.js';
export type { Clock, RandomSource, TimerHandle } from './clock.js';
export { isClientSendable, isServerSendable, prepareOutbound } from './messages.js';
export type { AnyMessageType, MessageOfType, ClientMessageType, ServerMessageType, ClientMessage, ServerMessage, OutboundMessage } from './messages.js';
export * from './errors.js';
