/** wsgen React bindings: a provider and chat hooks over the client runtime. See README.md. */
export { WebSocketProvider, useWebSocketService } from './context.js';
export type { WebSocketProviderProps } from './context.js';
export { useGuideChat, useLiaisonChat, useConnectionsHealth } from './chat.js';
export type { ChatEntry, ChatState, ChatOptions } from './chat.js';
