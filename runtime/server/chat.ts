// The bundled chat app's public API (its layer on the generic core lives in chat/):
// the ChatService and its handler types, the chat server, endpoints and reference agents.
export { ChatService } from './chat/service.js';
export type { AgentHandler, AgentRequest, AgentResult, AgentReply, AgentChunk, ChatOptions, ServerMessage } from './chat/service.js';
export { createChatServer, makeChatServer, chatServerOptions, chatSessionValidator } from './chat/server.js';
export type { ChatServer, ChatServerOptions, ChatLayer, ChatAudience, ChatSessionInfo } from './chat/server.js';
export { CHAT_ENDPOINTS, GUIDE_PATH, LIAISON_PREFIX, LIAISON_AGENT, chatEndpoint, endpointKeyOfAgent } from './chat/endpoints.js';
export type { ChatEndpoint } from './chat/endpoints.js';
export { agentMessageJson } from './chat/serialize.js';
export { referenceAgents, referenceGuideAgent, referenceLiaisonAgent, echoAgent } from './chat/reference.js';
export type { ReferenceAgentOptions } from './chat/reference.js';
