/**
 * The bundled chat app's React layer: useGuideChat / useLiaisonChat, chat state
 * over one pooled connection of a {@link ChatService}, built on the generic hooks
 * of runtime/react (useConnection for the connection, its status and health).
 */
import { createElement, useCallback, useEffect, useReducer, type ReactNode } from 'react';
import { AgentType, ErrorCodeInfo, type PillarType, type Protocol } from '../../generated/ts/index.js';
import { ServerError, WsClientError, type ConnectionHealth, type ConnectionOptions, type ConnectionStatus, type SendResult, type ServerMessage, type TokenSource } from '../client/index.js';
import { WebSocketProvider, useConnection, useWebSocketService } from '../react/index.js';
import { ChatService, type ChatServiceOptions } from './client.js';

type ChatMessage = ServerMessage<Protocol>;

/** Props of {@link ChatProvider}. */
export interface ChatProviderProps {
  /** A service to share (never disposed by the provider). */
  service?: ChatService;
  /** Options of the ChatService the provider creates otherwise (read once). */
  options?: ChatServiceOptions;
  /** The app. */
  children?: ReactNode;
}

/** A {@link WebSocketProvider} sharing a {@link ChatService} (created from `options` unless `service` is given). */
export function ChatProvider({ service, options, children }: ChatProviderProps): ReactNode {
  return createElement(WebSocketProvider, service ? { service } : { create: () => new ChatService(options) }, children);
}

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
  | { t: 'msg'; m: ChatMessage; streamText?: string | undefined; max: number };

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
            error: new ServerError(m, { errorCode: m.error_code, text: m.message, retryable }, { connectionId: s.id, messageId: m.message_id }),
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
  url: (svc: ChatService) => string;
  agent: AgentType;
  pillar: PillarType | undefined;
}

function useAgentChat(target: Target, token: TokenSource, options: ChatOptions = {}): ChatState {
  const service = useWebSocketService<ChatService>();
  const { id } = target;
  const max = options.maxMessages ?? 500;
  const [state, dispatch] = useReducer(reducer, undefined, () => ({ id, status: service.getConnectionStatus(id), messages: [], streams: [], error: null }));
  // The connection, its status and health: the generic hook (latest-ref token and options, retain/release).
  const { health } = useConnection(id, target.url as (s: unknown) => string, {
    token,
    ...(options.connection ? { connection: options.connection } : {}),
    ...(options.healthIntervalMs !== undefined ? { healthIntervalMs: options.healthIntervalMs } : {}),
  });

  // Subscriptions (outside the socket's lifetime: a reconnect never duplicates them).
  useEffect(() => {
    dispatch({ t: 'reset', id, status: service.getConnectionStatus(id) });
    const offs = [
      service.onAny(id, (m) => {
        const streamText = m.type === 'agent_streaming' || m.type === 'agent_complete' ? service.getStream(id, m.message_id)?.text : undefined;
        // Drop chunks the assembler ignored (repeat or after completion).
        if (m.type === 'agent_streaming' && service.getStream(id, m.message_id)?.complete) return;
        dispatch({ t: 'msg', m, streamText, max });
      }),
      service.onStatus(id, (ev) => dispatch({ t: 'status', status: ev.status, error: ev.error })),
      service.onError(id, (e) => dispatch({ t: 'error', error: e })),
    ];
    // The connection effect below may have run first (it opens on mount): catch up with its status.
    dispatch({ t: 'status', status: service.getConnectionStatus(id) });
    return () => {
      for (const off of offs) off();
    };
  }, [service, id, max]);

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
