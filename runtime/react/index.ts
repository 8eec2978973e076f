/** wsgen React bindings: a provider and generic hooks over the client runtime, for any protocol. See README.md. */
export { WebSocketProvider, useWebSocketService } from './context.js';
export type { WebSocketProviderProps, AnyService } from './context.js';
export { useConnection, useMessages, useRequest, useStream, useConnectionsHealth, useLatest } from './hooks.js';
export type { UseConnectionOptions, ConnectionState, RequestState } from './hooks.js';
