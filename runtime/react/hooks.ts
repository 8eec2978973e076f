/**
 * Generic hooks over any protocol's {@link WebSocketClient} (a WebSocketService, or a
 * client with the plugins it uses: `useRequest` needs `requests()`, `useStream`
 * `streams()`): a connection and its
 * status, the messages of one type, request and reply, and a stream. Inline
 * functions and option objects are read through latest refs, so a new identity on
 * every render never reopens or resubscribes (StrictMode-safe: the connection is
 * retained and released, and release is deferred).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { UsageError, WsClientError, type ConnectionHealth, type ConnectionOptions, type ConnectionStatus, type MessageOf, type Outbound, type ProtocolDescriptor, type ServerMessage, type ServerType, type StreamState, type TokenSource, type WebSocketClient } from '../client/index.js';
import { useWebSocketService } from './context.js';

/**
 * The latest value of `value`, readable from effects and callbacks without depending on its identity
 * (the "latest ref" pattern): inline functions and option objects are new on every render.
 */
export function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

/** Options of {@link useConnection}. */
export interface UseConnectionOptions {
  /** The token or token provider (read on every (re)connect; a new string value reopens a failed or closed connection). */
  token?: TokenSource;
  /** Connection options, read when the connection is first opened. */
  connection?: ConnectionOptions;
  /** Health refresh period, ms [1000]. */
  healthIntervalMs?: number;
}

/** What {@link useConnection} returns. */
export interface ConnectionState {
  /** The connection id. */
  id: string;
  /** Its status. */
  status: ConnectionStatus;
  /** Its health, refreshed every `healthIntervalMs` and on status changes. */
  health: ConnectionHealth | null;
}

/** Opens (or reuses) connection `id` to `url` of the provider's service while mounted; returns its status and health. */
export function useConnection(id: string, url: string | ((s: WebSocketClient) => string), options: UseConnectionOptions = {}): ConnectionState {
  const service = useWebSocketService();
  const [status, setStatus] = useState<ConnectionStatus>(() => service.getConnectionStatus(id));
  const [health, setHealth] = useState<ConnectionHealth | null>(null);
  const latestUrl = useLatest(url);
  const connection = useLatest(options.connection);
  const latestToken = useLatest(options.token);
  // One stable provider: it reads the latest token on every (re)connect, so a new token needs no effect run.
  const tokenProvider = useCallback((): ReturnType<Extract<TokenSource, () => unknown>> => {
    const t = latestToken.current;
    return typeof t === 'function' ? t() : t;
  }, [latestToken]);
  const tokenValue = typeof options.token === 'function' ? undefined : options.token;
  const every = options.healthIntervalMs ?? 1000;

  useEffect(() => {
    const refresh = (): void => setHealth(service.connectionIds().includes(id) ? service.getConnectionHealth(id) : null);
    const off = service.onStatus(id, (ev) => {
      setStatus(ev.status);
      refresh();
    });
    const timer = setInterval(refresh, every);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [service, id, every]);

  useEffect(() => {
    const u = latestUrl.current;
    service.open(id, typeof u === 'function' ? u(service) : u, { ...connection.current, token: tokenProvider });
    service.retain(id);
    setStatus(service.getConnectionStatus(id));
    setHealth(service.getConnectionHealth(id));
    return () => service.release(id);
  }, [service, id, tokenValue, tokenProvider, latestUrl, connection]);

  return { id, status, health };
}

/** The messages of type `type` received on `id` while mounted, oldest first, at most `max` [100]. `P`: the protocol. */
export function useMessages<P extends ProtocolDescriptor, K extends ServerType<P>>(id: string, type: K, max = 100): Array<MessageOf<P, K>> {
  const service = useWebSocketService<WebSocketClient<P>>();
  const [list, setList] = useState<Array<MessageOf<P, K>>>([]);
  useEffect(() => {
    setList([]);
    return service.subscribe(id, type, (m) => setList((l) => (l.length >= max ? [...l.slice(l.length - max + 1), m] : [...l, m])));
  }, [service, id, type, max]);
  return list;
}

/** What {@link useRequest} returns: `O` the outbound message, `M` the reply. */
export interface RequestState<O, M> {
  /**
   * Sends a message and waits for its reply (see WebSocketClient.request); the promise also settles `reply`/`error`.
   * Whatever `request` throws (an invalid message, a client without the `requests()` plugin) rejects the promise
   * and becomes `error`: a WsClientError as thrown, anything else (the missing plugin's TypeError) wrapped in a
   * UsageError (code `USAGE_ERROR`, the original as `cause`).
   */
  request: (message: O) => Promise<M>;
  /** A request is waiting for its reply. */
  pending: boolean;
  /** The latest reply. */
  reply: M | null;
  /**
   * The latest failure, a WsClientError so its `code` reads without a cast: ServerError, RequestTimeoutError
   * (`REQUEST_TIMEOUT`), MessageDroppedError, InvalidMessageError, UsageError...
   */
  error: WsClientError | null;
}

/** Request and reply on `id`: `request(message)` sends and tracks the latest reply or error. `P`: the protocol. */
export function useRequest<P extends ProtocolDescriptor, F extends string = never>(id: string, timeoutMs?: number): RequestState<Outbound<P, F>, ServerMessage<P>> {
  const service = useWebSocketService<WebSocketClient<P, F>>();
  const [state, setState] = useState<{ pending: boolean; reply: ServerMessage<P> | null; error: WsClientError | null }>({ pending: false, reply: null, error: null });
  const request = useCallback(
    (message: Outbound<P, F>): Promise<ServerMessage<P>> => {
      setState((s) => ({ ...s, pending: true }));
      const asClientError = (e: unknown): WsClientError => (e instanceof WsClientError ? e : new UsageError(e, { connectionId: id }));
      let p: Promise<ServerMessage<P>>;
      try {
        p = service.request(id, message, timeoutMs === undefined ? {} : { timeout: timeoutMs });
      } catch (e) {
        p = Promise.reject(asClientError(e));
      }
      p.then(
        (reply) => setState({ pending: false, reply, error: null }),
        (e: unknown) => setState((s) => ({ pending: false, reply: s.reply, error: asClientError(e) })),
      );
      return p;
    },
    [service, id, timeoutMs],
  );
  return { request, ...state };
}

/**
 * The assembled stream answering `messageId` on `id` (protocols with the streams capability), updated on every
 * chunk: `chunks` holds each chunk's content as received (objects stay objects), `text` joins them (string chunks as
 * they are, others as JSON text: meant for string chunks), `error` is set (REQUEST_TIMEOUT) when the stream goes
 * silent before its end (streams plugin `idleTimeoutMs`).
 */
export function useStream(id: string, messageId: string | undefined): StreamState | undefined {
  const service = useWebSocketService();
  const [state, setState] = useState<StreamState | undefined>(() => (messageId === undefined ? undefined : service.getStream(id, messageId)));
  useEffect(() => {
    if (messageId === undefined) return setState(undefined);
    setState(service.getStream(id, messageId));
    return service.onStream(id, (ev) => {
      if (ev.state.messageId === messageId) setState(ev.state);
    });
  }, [service, id, messageId]);
  return state;
}

/** Health of every pooled connection, refreshed every `intervalMs` [1000] and on status changes. */
export function useConnectionsHealth(intervalMs = 1000): ConnectionHealth[] {
  const service = useWebSocketService();
  const [list, setList] = useState<ConnectionHealth[]>(() => [...service.getAllConnectionsHealth().values()]);
  useEffect(() => {
    const refresh = (): void => setList([...service.getAllConnectionsHealth().values()]);
    const off = service.onStatus('*', refresh);
    const t = setInterval(refresh, intervalMs);
    refresh();
    return () => {
      off();
      clearInterval(t);
    };
  }, [service, intervalMs]);
  return list;
}
