/** useGuideChat / useLiaisonChat: chat state over one pooled connection. */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { AgentType, ErrorCodeInfo, type PillarType } from '../../generated/ts/index.js';
import {
  ServerError,
  WsClientError,
  type ConnectionHealth,
  type ConnectionOptions,
  type ConnectionStatus,
  type SendResult,
  type ServerMessage,
  type TokenSource,
} from '../client/index.js';
import { useWebSocketService } from './context.js';

/** One line of a chat transcript. */
export interface ChatEntry {
  /** Unique key (for React lists). */
  key: string;
  /** Who said it. */
  role: 'user' | 'agent' | 'system' | 'error';
  /** The text. */
  text: string;
  /** message_id (a reply repeats the request's). */
  messageId: string | undefined;
  /** For user lines: sent, queued (offline, flushed on reconnect) or dropped. */
  delivery?: 'sent' | 'queued' | 'dropped';
}

/** What the chat hooks return. */
export interface ChatState {
  /** Connection id (`guide`, `liaison:content`, ...). */
  connectionId: string;
  /** Connection status. */
  status: ConnectionStatus;
  /** The transcript. */
  messages: ChatEntry[];
  /** Text of the reply being streamed ('' when none). */
  streamingText: string;
  /** Sends a user message; returns sent/queued/dropped, or null when it was invalid (see `error`). */
  sendMessage: (text: string) => SendResult | null;
  /** The latest error (auth, protocol mismatch, recovery failed, server error...), or null. */
  error: WsClientError | null;
  /** Clears `error`. */
  clearError: () => void;
  /** Health of the connection, refreshed every `healthIntervalMs` and on status changes. */
  health: ConnectionHealth | null;
}

/** Options of the chat hooks. */
export interface ChatOptions {
  /** Connection options (backoff, heartbeat, queue...), read when the connection is first opened. */
  connection?: ConnectionOptions;
  /** Health refresh period, ms [1000]. */
  healthIntervalMs?: number;
  /** Most transcript lines kept [500]. */
  maxMessages?: number;
}

interface State {
  id: string;
  status: ConnectionStatus;
  messages: ChatEntry[];
  streams: { messageId: string; text: string }[];
  error: WsClientError | null;
}

type Action =
  | { t: 'reset'; id: string; status: ConnectionStatus }
  | { t: 'status'; status: ConnectionStatus; error?: WsClientError | undefined }
  | { t: 'error'; error: WsClientError | null }
  | { t: 'sent'; entry: ChatEntry }
  | { t: 'msg'; m: ServerMessage; streamText?: string | undefined; max: number };

let seq = 0;
const key = () => `k${++seq}`;

function push(list: ChatEntry[], e: ChatEntry, max: number): ChatEntry[] {
  const out = list.length >= max ? list.slice(list.length - max + 1) : list.slice();
  out.push(e);
  return out;
}

function reducer(s: State, a: Action): State {
  switch (a.t) {
    case 'reset':
      return s.id === a.id ? s : { id: a.id, status: a.status, messages: [], streams: [], error: null };
    case 'status': {
      let messages = s.messages;
      // The queue is flushed as the connection opens.
      if (a.status === 'open' && messages.some((m) => m.delivery === 'queued')) messages = messages.map((m) => (m.delivery === 'queued' ? { ...m, delivery: 'sent' } : m));
      return { ...s, status: a.status, messages, error: a.error ?? s.error };
    }
    case 'error': {
      const e = a.error;
      if (e && e.code === 'MESSAGE_DROPPED' && e.messageId) {
        return { ...s, error: e, messages: s.messages.map((m) => (m.role === 'user' && m.messageId === e.messageId ? { ...m, delivery: 'dropped' } : m)) };
      }
      return { ...s, error: e };
    }
    case 'sent':
      return { ...s, messages: push(s.messages, a.entry, Infinity) };
    case 'msg': {
      const m = a.m;
      switch (m.type) {
        case 'agent_message':
          return { ...s, messages: push(s.messages, { key: key(), role: 'agent', text: m.message, messageId: m.message_id }, a.max) };
        case 'agent_streaming': {
          const streams = s.streams.filter((x) => x.messageId !== m.message_id);
          streams.push({ messageId: m.message_id, text: a.streamText ?? m.message });
          return { ...s, streams };
        }
        case 'agent_complete': {
          const st = s.streams.find((x) => x.messageId === m.message_id);
          const text = a.streamText ?? st?.text ?? m.message ?? '';
          return { ...s, streams: s.streams.filter((x) => x.messageId !== m.message_id), messages: push(s.messages, { key: key(), role: 'agent', text, messageId: m.message_id }, a.max) };
        }
        case 'error_message': {
          const retryable = (ErrorCodeInfo as Record<string, { retryable: boolean } | undefined>)[m.error_code]?.retryable ?? false;
          return {
            ...s,
            error: new ServerError(m, retryable, { connectionId: s.id }),
            messages: push(s.messages, { key: key(), role: 'error', text: `${m.error_code}: ${m.message}`, messageId: m.message_id }, a.max),
          };
        }
        case 'system_message':
        case 'warning_message':
          return { ...s, messages: push(s.messages, { key: key(), role: 'system', text: m.message, messageId: m.message_id }, a.max) };
        default:
          return s;
      }
    }
  }
}

interface Target {
  id: string;
  url: (svc: ReturnType<typeof useWebSocketService>) => string;
  agent: AgentType;
  pillar: PillarType | undefined;
}

/**
 * The latest value of `value`, readable from effects and callbacks without depending on its identity
 * (the "latest ref" pattern): inline functions and option objects are new on every render.
 */
function useLatest<T>(value: T): { readonly current: T } {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}

function useAgentChat(target: Target, token: TokenSource, options: ChatOptions = {}): ChatState {
  const service = useWebSocketService();
  const { id } = target;
  const max = options.maxMessages ?? 500;
  const [state, dispatch] = useReducer(reducer, undefined, () => ({ id, status: service.getConnectionStatus(id), messages: [], streams: [], error: null }));
  const [health, setHealth] = useState<ConnectionHealth | null>(null);
  const url = useLatest(target.url);
  const connection = useLatest(options.connection);
  const latestToken = useLatest(token);
  // One stable provider for the connection: it reads the latest token on every (re)connect, so a new
  // token (or a new inline function) needs no effect run.
  const tokenProvider = useCallback((): ReturnType<Extract<TokenSource, () => unknown>> => {
    const t = latestToken.current;
    return typeof t === 'function' ? t() : t;
  }, [latestToken]);
  // A string token's value, not a function's identity, re-runs the connection effect: a new token then
  // reopens a connection that failed or closed (an auth failure, say); an open one is kept.
  const tokenValue = typeof token === 'function' ? undefined : token;

  // Subscriptions (outside the socket's lifetime: a reconnect never duplicates them).
  useEffect(() => {
    dispatch({ t: 'reset', id, status: service.getConnectionStatus(id) });
    const refresh = () => setHealth(service.connectionIds().includes(id) ? service.getConnectionHealth(id) : null);
    const offs = [
      service.onAny(id, (m) => {
        const streamText = m.type === 'agent_streaming' || m.type === 'agent_complete' ? service.getStream(id, m.message_id)?.text : undefined;
        // Drop chunks the assembler ignored (repeat or after completion).
        if (m.type === 'agent_streaming' && service.getStream(id, m.message_id)?.complete) return;
        dispatch({ t: 'msg', m, streamText, max });
      }),
      service.onStatus(id, (ev) => {
        dispatch({ t: 'status', status: ev.status, error: ev.error });
        refresh();
      }),
      service.onError(id, (e) => dispatch({ t: 'error', error: e })),
    ];
    const timer = setInterval(refresh, options.healthIntervalMs ?? 1000);
    return () => {
      for (const off of offs) off();
      clearInterval(timer);
    };
  }, [service, id, max, options.healthIntervalMs]);

  // The connection: opened (or reused) and retained; released on unmount, deferred so StrictMode keeps it.
  useEffect(() => {
    service.open(id, url.current(service), { ...connection.current, token: tokenProvider });
    service.retain(id);
    dispatch({ t: 'status', status: service.getConnectionStatus(id) });
    setHealth(service.getConnectionHealth(id));
    return () => service.release(id);
  }, [service, id, tokenValue, tokenProvider, url, connection]);

  const { agent, pillar } = target;
  const sendMessage = useCallback(
    (text: string): SendResult | null => {
      try {
        const r = service.sendMessage(id, { type: 'user_message', message: text, agent, ...(pillar !== undefined ? { pillar } : {}) });
        dispatch({ t: 'sent', entry: { key: key(), role: 'user', text, messageId: r.messageId, delivery: r.status } });
        return r;
      } catch (e) {
        if (e instanceof WsClientError) {
          dispatch({ t: 'error', error: e });
          return null;
        }
        throw e;
      }
    },
    [service, id, agent, pillar],
  );
  const clearError = useCallback(() => dispatch({ t: 'error', error: null }), []);

  const current = state.id === id ? state : { ...state, messages: [], streams: [], error: null };
  const last = current.streams[current.streams.length - 1];
  return { connectionId: id, status: current.status, messages: current.messages, streamingText: last?.text ?? '', sendMessage, error: current.error, clearError, health };
}

/** Chat with the guide agent over the pooled `guide` connection. */
export function useGuideChat(sessionToken: TokenSource, options?: ChatOptions): ChatState {
  return useAgentChat({ id: 'guide', url: (s) => s.guideUrl(), agent: AgentType.GUIDE_AGENT, pillar: undefined }, sessionToken, options);
}

const LIAISON: Record<PillarType, AgentType> = {
  content: AgentType.CONTENT_LIAISON,
  insights: AgentType.INSIGHTS_LIAISON,
  operations: AgentType.OPERATIONS_LIAISON,
  business_outcomes: AgentType.BUSINESS_OUTCOMES_LIAISON,
};

/** Chat with a pillar's liaison agent over the pooled `liaison:{pillar}` connection. Changing the pillar switches connections. */
export function useLiaisonChat(pillar: PillarType, sessionToken: TokenSource, options?: ChatOptions): ChatState {
  return useAgentChat({ id: `liaison:${pillar}`, url: (s) => s.liaisonUrl(pillar), agent: LIAISON[pillar], pillar }, sessionToken, options);
}

/** Health of every pooled connection, refreshed every `intervalMs` [1000]. */
export function useConnectionsHealth(intervalMs = 1000): ConnectionHealth[] {
  const service = useWebSocketService();
  const [list, setList] = useState<ConnectionHealth[]>(() => [...service.getAllConnectionsHealth().values()]);
  useEffect(() => {
    const refresh = () => setList([...service.getAllConnectionsHealth().values()]);
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
