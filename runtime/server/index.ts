// Public API of the wsgen server runtime.
export { makeServer } from './core.js';
export type { ServerCore, HandshakeRequest, HandshakeResult, AcceptedHandshake, RefusedHandshake, ConnectionHandle } from './core.js';
export { createServer } from './ws.js';
export type { WsServerOptions, WsgenServer } from './ws.js';
export type { ServerOptions, ResolvedOptions, RateLimitOptions, BackpressureOptions, ShutdownOptions, FlushedStream } from './options.js';
export { resolveOptions } from './options.js';
export {
  InMemorySessionValidator,
  SUBPROTOCOL,
  TOKEN_PROTOCOL_PREFIX,
  GUIDE_PATH,
  LIAISON_PREFIX,
  tokenProtocols,
  matchEndpoint,
  allEndpoints,
  extractToken,
  defaultAuthorize,
} from './auth.js';
export type { IssueOptions } from './auth.js';
export { ChatService } from './chat.js';
export type { AgentHandler, AgentRequest, AgentResult, AgentReply, AgentChunk } from './chat.js';
export type { ConnectionHealth } from './connection.js';
export { Registry } from './registry.js';
export type { Audience } from './registry.js';
export { SessionStore, Stream, DEFAULT_REPLAY_LIMITS } from './sessions.js';
export type { ReplayLimits, ReplayPlan } from './sessions.js';
export { TokenBucket, truncateCloseReason } from './limits.js';
export { jsonLogger, silentLogger, redact } from './logger.js';
export { ServerMetrics } from './metrics.js';
export { StdCloseCode, errorMessage, timestamp, isClientType, isConnectionLevel, CONNECTION_LEVEL_ERROR_CODES } from './protocol.js';
export { MAX_TEXT, splitText, truncateText, wellFormed, codePoints } from './text.js';
export type { ServerMessage, ClientMessage, ServerMessageType, ClientMessageType } from './protocol.js';
export { referenceAgents, referenceGuideAgent, referenceLiaisonAgent, echoAgent } from './agents/reference.js';
export { serve } from './serve.js';
export { ListenError, LISTEN_ERROR_CODE } from './errors.js';
export type { Endpoint, SessionInfo, SessionValidation, SessionValidator, Logger, LogLevel, LogFields, TransportSocket } from './types.js';
