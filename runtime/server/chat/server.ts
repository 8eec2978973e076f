// The bundled chat app as one user of the generic core: its endpoints (guide,
// liaison per pillar), the fields it adds to runtime-built messages (timestamp,
// realm, agent, pillar), its session_token check, and the ChatService as the
// handler of user_message and file_selected. `createChatServer` keeps the
// options of the seed's server (agents, pillars, handlerTimeoutMs...).
import { AgentType, ErrorCode, PILLAR_TYPE_VALUES, protocol, Realm, type FileSelected, type PillarType, type Protocol, type UserMessage } from '../../../generated/ts/index.js';
import { InMemorySessionValidator, safeEqual } from '../auth.js';
import { makeServer, type ServerCore } from '../core.js';
import { defaultLogger } from '../logger.js';
import type { MessageHandler, ServerOptions } from '../options.js';
import { bindProtocol, type Message, type MessageScope } from '../roles.js';
import type { SessionInfo } from '../types.js';
import { timestamp } from '../wire.js';
import { createServer, type WsgenServer, type WsServerOptions } from '../ws.js';
import { CHAT_ENDPOINTS, chatEndpoint, endpointKeyOfAgent, type ChatCoreEndpoint } from './endpoints.js';
import { ChatService, type AgentHandler, type ServerMessage } from './service.js';

/** Options of the chat server: the core's (without protocol, endpoints, handlers) plus the agents. */
export interface ChatServerOptions extends Omit<WsServerOptions<Protocol>, 'protocol' | 'endpoints' | 'handlers' | 'decorate' | 'sessionFields' | 'inspect' | 'onAbort' | 'inFlight' | 'handlerMetrics'> {
  /** Agent handlers by agent type (the guide, or a liaison agent). */
  agents?: Partial<Record<AgentType, AgentHandler>>;
  /** Agent handlers by liaison pillar (take precedence over `agents`). */
  pillars?: Partial<Record<PillarType, AgentHandler>>;
  /** Deadline of an agent reply (and of each next stream chunk), in ms (default 30 000). */
  handlerTimeoutMs?: number;
  /** Most requests handled at once per session stream (default 16); beyond it RATE_LIMITED. */
  maxInFlight?: number;
}

/** A fan-out selector of the chat app: realm and tenant always, then an agent, a pillar or a user. */
export interface ChatAudience {
  realm: Realm;
  tenant: string;
  agent?: AgentType;
  pillar?: PillarType;
  userId?: string;
}

/** The chat app on a core. */
export interface ChatLayer {
  /** Routes user messages to the agents. */
  readonly service: ChatService;
  /** Sends a server message to every connection of an audience, each copy with its connection's realm. Returns how many streams got it. */
  publish(audience: ChatAudience, msg: ServerMessage): number;
}

/**
 * Adds the bundled protocol's own fields to the messages the runtime builds: timestamp; realm, agent and pillar where
 * the type has them; on the stream messages (agent_streaming, agent_complete) also session_id and is_streaming.
 */
function decorate(m: Message, scope: MessageScope | undefined): void {
  m['timestamp'] = timestamp();
  if (scope === undefined) return;
  const t = m['type'];
  if (t === 'session_created') {
    m['realm'] = scope.session.realm;
    const ep = chatEndpoint(scope.endpoint);
    m['agent'] = ep.agent;
    if (ep.pillar !== undefined) m['pillar'] = ep.pillar;
  } else if (t === 'session_updated' || t === 'session_expired') {
    m['realm'] = scope.session.realm;
  } else if (t === 'agent_streaming' || t === 'agent_complete') {
    const ep = chatEndpoint(scope.endpoint);
    m['agent'] = ep.agent;
    m['session_id'] = scope.session.sessionId;
    m['realm'] = scope.session.realm;
    if (ep.pillar !== undefined) m['pillar'] = ep.pillar;
    m['is_streaming'] = t === 'agent_streaming';
  }
}

/**
 * The core options of the chat app and a `bind` that attaches its ChatService to the core built from them.
 * Handlers run only after `bind`.
 */
export function chatServerOptions(o: ChatServerOptions): { options: WsServerOptions<Protocol, typeof CHAT_ENDPOINTS>; bind(core: ServerCore<Protocol>): ChatLayer } {
  const logger = o.logger ?? defaultLogger;
  const rt = bindProtocol(protocol, decorate);
  let service: ChatService | undefined;
  // A liaison's other pillar is refused by the pipeline already (params.ts); this check adds the guide, which has no
  // pillar parameter: a pillar named there is FORBIDDEN too.
  const dispatch: MessageHandler<UserMessage | FileSelected, ChatCoreEndpoint> = (msg, c, now) => {
    if (msg.pillar !== undefined && msg.pillar !== c.endpoint.params.pillar) {
      c.reply(rt.error(ErrorCode.FORBIDDEN, `pillar ${msg.pillar} is not served on ${c.endpoint.key}`, { ref: msg.message_id }, c)!);
      return;
    }
    service!.dispatch(c.stream, c.id, msg, now, c.clock);
  };
  const options: WsServerOptions<Protocol, typeof CHAT_ENDPOINTS> = {
    ...o,
    protocol,
    endpoints: CHAT_ENDPOINTS,
    handlers: { user_message: dispatch, file_selected: dispatch },
    handlerTimeoutCode: ErrorCode.AGENT_TIMEOUT,
    decorate,
    sessionFields: (session) => ({ realm: session.realm }),
    inspect(m, c) {
      const token = m['session_token'];
      if (typeof token !== 'string' || safeEqual(token, c.token)) return undefined;
      logger.log('warn', 'foreign_session', { code: ErrorCode.UNAUTHORIZED, connection_id: c.id, message_id: m['message_id'], hint: 'session_token differs from the handshake token' });
      return { code: ErrorCode.UNAUTHORIZED, text: "session_token is not this connection's token" };
    },
    onAbort: (stream) => service?.abortAll(stream),
    inFlight: () => service?.inFlight ?? 0,
    handlerMetrics: false, // the service times each agent's request (by agent), not the core (by message type)
  };
  return {
    options,
    bind(core) {
      service = new ChatService({
        timeoutMs: o.handlerTimeoutMs ?? 30_000,
        maxInFlight: o.maxInFlight ?? 16,
        exposeErrors: o.exposeErrors ?? false,
        logger,
        series: (a, outcome) => core.metrics.latencySeries(a, outcome),
        error: (code, text, messageId, stream) => rt.error(code, text, { ref: messageId, sessionId: stream.owner.info.sessionId }, undefined)!,
        protocol: rt,
      });
      for (const [agent, h] of Object.entries(o.agents ?? {})) if (h) service.registerAgent(agent as AgentType, h);
      for (const pillar of PILLAR_TYPE_VALUES) {
        const h = o.pillars?.[pillar];
        if (h) service.registerPillar(pillar, h);
      }
      const s = service;
      return {
        service: s,
        publish(audience, msg) {
          const { agent, pillar, ...rest } = audience;
          const endpoint = pillar !== undefined ? `liaison:${pillar}` : agent !== undefined ? endpointKeyOfAgent(agent) : undefined;
          if (pillar !== undefined && agent !== undefined && endpointKeyOfAgent(agent) !== endpoint) return 0;
          return core.publish({ ...rest, ...(endpoint !== undefined ? { endpoint } : {}) }, msg); // realm: sessionFields
        },
      };
    },
  };
}

/** The chat app's transport-agnostic core (for another transport, or tests without sockets). */
export function makeChatServer(o: ChatServerOptions): { core: ServerCore<Protocol>; chat: ChatLayer } {
  const { options, bind } = chatServerOptions(o);
  const core = makeServer(options);
  return { core, chat: bind(core) };
}

/** A running chat server: the generic server plus the chat layer. */
export interface ChatServer extends WsgenServer<Protocol> {
  readonly chat: ChatLayer;
}

/**
 * Creates the bundled chat server (`wsgen serve` runs it with the reference agents): the generic server for the
 * bundled protocol on the guide and liaison endpoints, with the agents as handlers.
 * @throws {ListenError} (code WSGEN_LISTEN) when the standalone server cannot listen.
 */
export async function createChatServer(o: ChatServerOptions): Promise<ChatServer> {
  const { options, bind } = chatServerOptions(o);
  const server = await createServer(options);
  return Object.assign(server, { chat: bind(server.core) });
}

/** An in-memory session validator for the chat app: sessions default to the realm `experience`. */
export function chatSessionValidator(): InMemorySessionValidator {
  return new InMemorySessionValidator({ defaultRealm: Realm.EXPERIENCE });
}

/** The session info type the chat app's validators return (realm: a Realm of the schema). */
export type ChatSessionInfo = SessionInfo & { readonly realm: Realm };
