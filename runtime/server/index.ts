// Public API of the wsgen server runtime: the generic core (any protocol
// descriptor), the `ws` adapter, and the bundled chat app built on them.
export { makeServer } from './core.js';
export type { ServerCore, HandshakeRequest, HandshakeResult, AcceptedHandshake, RefusedHandshake, ConnectionHandle } from './core.js';
export { createServer } from './ws.js';
export type { WsServerOptions, WsgenServer } from './ws.js';
export type { ServerOptions, ResolvedOptions, RateLimitOptions, BackpressureOptions, ShutdownOptions, FlushedStream, MessageHandler, MessageHandlers, Refusal } from './options.js';
export { resolveOptions } from './options.js';
export type { ProtocolDescriptor, MessageInfo, MessageRole, FieldRole, Capability, Direction, Issue, CheckResult, MessageType, MessageOf, ClientType, ServerType, ServerMessageOf, EnumValue } from './descriptor.js';
export { expandEndpoints, matchEndpoint } from './endpoints.js';
export type { EndpointSpec, EndpointSpecs } from './endpoints.js';
export { bindProtocol, STANDARD_CLOSE_CODES, CONNECTION_LEVEL_ERROR_CODES } from './roles.js';
export type { RuntimeProtocol, Message, MessageScope, Decorate, ErrorExtras, CloseName } from './roles.js';
export { InMemorySessionValidator, SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, tokenProtocols, extractToken, defaultAuthorize } from './auth.js';
export type { IssueOptions } from './auth.js';
export type { ConnectionHealth, ConnectionContext } from './connection.js';
export { Registry } from './registry.js';
export type { Audience } from './registry.js';
export { SessionStore, Stream, DEFAULT_REPLAY_LIMITS } from './sessions.js';
export type { ReplayLimits, ReplayPlan } from './sessions.js';
export { TokenBucket, truncateCloseReason } from './limits.js';
export { jsonLogger, silentLogger, redact } from './logger.js';
export { ServerMetrics } from './metrics.js';
export { StdCloseCode, timestamp } from './wire.js';
export { MAX_TEXT, splitText, truncateText, wellFormed, codePoints } from './text.js';
export { serve } from './serve.js';
export { ListenError, LISTEN_ERROR_CODE, ConfigError, CONFIG_ERROR_CODE } from './errors.js';
export type { Endpoint, SessionInfo, SessionValidation, SessionValidator, Logger, LogLevel, LogFields, TransportSocket } from './types.js';
export * from './chat.js';
