/** The provider that shares one WebSocketService (or any WebSocketClient) across an app. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { WebSocketService, type ProtocolDescriptor, type WebSocketClient, type WebSocketServiceOptions } from '../client/index.js';

/** Any service, whatever its protocol (a WebSocketService or WebSocketClient of any descriptor, or a subclass such as the chat app's). */
export interface AnyService {
  /** Disconnects everything and removes every subscription. */
  dispose(): void;
}

const ServiceContext = createContext<AnyService | null>(null);

/** Props of {@link WebSocketProvider}: a service to share, or how to create one. */
export interface WebSocketProviderProps {
  /** A service to share. The provider never disposes a service it was given. */
  service?: AnyService;
  /** Creates the service when `service` is not given (called once). */
  create?: () => AnyService;
  /**
   * With `options`: the provider creates `new WebSocketService(protocol, options)` (every plugin, unless
   * `options.capabilities` lists fewer) when neither `service` nor `create` is given. For a smaller bundle,
   * pass `create={() => new WebSocketClient(protocol, {...})}` instead.
   */
  protocol?: ProtocolDescriptor;
  /** Options of the created service (read once). */
  options?: WebSocketServiceOptions;
  /** The app. */
  children?: ReactNode;
}

const pendingDispose = new WeakMap<AnyService, ReturnType<typeof setTimeout>>();

function createService(p: WebSocketProviderProps): AnyService {
  if (p.service) return p.service;
  if (p.create) return p.create();
  if (p.protocol) return new WebSocketService(p.protocol, p.options);
  throw new TypeError('WebSocketProvider needs a service, create or protocol prop');
}

/**
 * Shares one {@link WebSocketService}. A service the provider created is disposed on
 * unmount, deferred by a macrotask so StrictMode's simulated unmount/remount keeps it.
 * StrictMode also runs the state initializer twice and drops one result: that is safe
 * because creating a service has no side effect (no socket, timer or browser listener
 * exists before its first connection), so the dropped one holds nothing to dispose.
 */
export function WebSocketProvider(props: WebSocketProviderProps): ReactNode {
  const [svc] = useState(() => createService(props));
  const owned = props.service === undefined;
  useEffect(() => {
    const t = pendingDispose.get(svc);
    if (t !== undefined) {
      clearTimeout(t);
      pendingDispose.delete(svc);
    }
    if (!owned) return undefined;
    return () => {
      pendingDispose.set(
        svc,
        setTimeout(() => {
          pendingDispose.delete(svc);
          svc.dispose();
        }, 0),
      );
    };
  }, [svc, owned]);
  return <ServiceContext.Provider value={svc}>{props.children}</ServiceContext.Provider>;
}

/**
 * The service of the nearest {@link WebSocketProvider}, as type `S` (the caller names its protocol:
 * `useWebSocketService<WebSocketService<typeof protocol>>()`; default: a WebSocketClient of any protocol). Throws outside a provider.
 */
export function useWebSocketService<S = WebSocketClient>(): S {
  const s = useContext(ServiceContext);
  if (!s) throw new Error('useWebSocketService: no <WebSocketProvider> above this component. Wrap the app in <WebSocketProvider protocol={protocol} options={{ baseUrl }}>.');
  return s as unknown as S;
}
