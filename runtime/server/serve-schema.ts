// `wsgen serve --schema`: any protocol's descriptor served on the generic
// createServer with echo handlers, a dev token, printed URLs, and graceful
// shutdown on SIGINT/SIGTERM (README "wsgen serve --schema").
import { SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, InMemorySessionValidator } from './auth.js';
import type { ProtocolDescriptor } from './descriptor.js';
import { jsonLogger } from './logger.js';
import { closeOnSignals } from './signals.js';
import type { Logger } from './types.js';
import type { MessageHandler } from './options.js';
import type { Message } from './roles.js';
import { createServer, type WsgenServer } from './ws.js';

/** The one endpoint `wsgen serve --schema` serves. */
export const ECHO_PATH = '/ws';

/** Role messages the runtime answers itself: no handler may be registered for them (docs/roles.md). */
const RUNTIME_ROLES = new Set(['ping', 'pong', 'session-resume']);

/**
 * The echo reply to a client message: the message's fields (all but the tag)
 * under the first server message type, in schema order, whose validator
 * accepts them. Types with a role (session, ping/pong, error, stream) are never
 * used: the runtime sends those itself. Returns undefined when no server type
 * accepts the fields.
 */
export function echoOf(protocol: ProtocolDescriptor, msg: Message): Message | undefined {
  for (const [type, info] of Object.entries(protocol.messages)) {
    if (info.direction === 'client' || info.role !== null) continue;
    const candidate: Message = { ...msg, [protocol.tag]: type };
    if (protocol.validate(candidate).ok) return candidate;
  }
  return undefined;
}

/**
 * Echo handlers for every client message type without a runtime role: each
 * message is answered by {@link echoOf}; when no server type accepts its
 * fields, by an `UNSUPPORTED_TYPE` error reply (error role) naming the type,
 * under the message's correlation id (without the error role the message is
 * dropped and logged by the caller's logger, as `replyError` returns false).
 */
export function echoHandlers(protocol: ProtocolDescriptor): Record<string, MessageHandler<Message>> {
  const ref = protocol.fields['correlation-id'];
  const handlers: Record<string, MessageHandler<Message>> = {};
  for (const [type, info] of Object.entries(protocol.messages)) {
    if (info.direction === 'server' || (info.role !== null && RUNTIME_ROLES.has(info.role))) continue;
    handlers[type] = (msg, c) => {
      const echo = echoOf(protocol, msg);
      if (echo !== undefined) return c.reply(echo);
      const id = ref !== undefined && typeof msg[ref] === 'string' ? (msg[ref] as string) : undefined;
      c.replyError('UNSUPPORTED_TYPE', `wsgen serve echoes a message as the first server type that accepts its fields; none accepts a "${type}" message`, id);
    };
  }
  return handlers;
}

/** Options of {@link serveProtocol}. */
export interface ServeProtocolOptions {
  /** The protocol descriptor (a generated `protocol.ts`'s `protocol`). */
  protocol: ProtocolDescriptor;
  /** Interface to bind (the CLI passes 127.0.0.1). */
  host: string;
  /** Port (0 picks a free one). */
  port: number;
  /** Where the banner goes (default stdout). */
  print?: (line: string) => void;
  /** Install SIGINT/SIGTERM handlers (default true). */
  handleSignals?: boolean;
  /** Where log lines go (default JSON lines at level info on stdout). */
  logger?: Logger;
}

/**
 * Serves `protocol` with {@link echoHandlers} on {@link ECHO_PATH}, prints its
 * URLs and a dev token (the only place the token appears), and shuts down
 * gracefully on SIGINT/SIGTERM. Outbound messages are always validated.
 * Resolves once listening.
 * @throws {ListenError} (code WSGEN_LISTEN) when host:port cannot be bound.
 */
export async function serveProtocol(opts: ServeProtocolOptions): Promise<{ server: WsgenServer; token: string }> {
  const print = opts.print ?? ((l: string) => void process.stdout.write(l + '\n'));
  const validator = new InMemorySessionValidator();
  const { token, session } = validator.issue({ userId: 'dev-user', tenant: 'dev-tenant' });
  const server = await createServer({
    protocol: opts.protocol,
    endpoints: { echo: { path: ECHO_PATH } },
    handlers: echoHandlers(opts.protocol),
    validator,
    host: opts.host,
    port: opts.port,
    logger: opts.logger ?? jsonLogger({ level: 'info' }),
    validateOutbound: true,
  });
  const http = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${server.address().port}`;
  const caps = opts.protocol.capabilities.length ? opts.protocol.capabilities.join(', ') : 'none';
  if (opts.handleSignals !== false) closeOnSignals(server, print);
  print(`wsgen echo server for ${opts.protocol.name} ${opts.protocol.version} listening (session ${session.sessionId}; capabilities: ${caps})`);
  print(`  endpoint: ${server.url(ECHO_PATH)}`);
  print(`  metrics:  ${http}/metrics`);
  print(`  health:   ${http}/healthz`);
  print(`  dev token: ${token}`);
  print(`  connect with subprotocols ["${SUBPROTOCOL}", "${TOKEN_PROTOCOL_PREFIX}<token>"]`);
  print(`  each client message is echoed as the first server message type that accepts its fields, else answered with UNSUPPORTED_TYPE`);
  return { server, token };
}
