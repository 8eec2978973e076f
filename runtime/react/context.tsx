/** The provider that shares one WebSocketService across an app. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { WebSocketService, type WebSocketServiceOptions } from '../client/index.js';

const ServiceContext = createContext<WebSocketService | null>(null);

/** Props of {@link WebSocketProvider}. */
export interface WebSocketProviderProps {
  /** A service to share. The provider never disposes a service it was given. */
  service?: WebSocketService;
  /** Options for the service the provider creates when `service` is not given (read once). */
  options?: WebSocketServiceOptions;
  children?: ReactNode;
}

const pendingDispose = new WeakMap<WebSocketService, ReturnType<typeof setTimeout>>();

/**
 * Shares one {@link WebSocketService}. A service the provider created is disposed on
 * unmount, deferred by a macrotask so StrictMode's simulated unmount/remount keeps it.
 * StrictMode also runs the state initializer twice and drops one result: that is safe
 * because creating a service has no side effect (no socket, timer or browser listener
 * exists before its first connection), so the dropped one holds nothing to dispose.
 */
export function WebSocketProvider({ service, options, children }: WebSocketProviderProps): ReactNode {
  const [svc] = useState(() => service ?? new WebSocketService(options));
  const owned = service === undefined;
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
  return <ServiceContext.Provider value={svc}>{children}</ServiceContext.Provider>;
}

/** The service of the nearest {@link WebSocketProvider}. Throws outside one. */
export function useWebSocketService(): WebSocketService {
  const s = useContext(ServiceContext);
  if (!s) throw new Error('useWebSocketService: no <WebSocketProvider> above this component. Wrap the app in <WebSocketProvider options={{ baseUrl }}>.');
  return s;
}
