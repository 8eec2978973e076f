// `wsgen serve --schema`: any protocol's descriptor served on the generic
// createServer with a reply per message (replyHandlers), a dev token, printed URLs, and graceful
// shutdown on SIGINT/SIGTERM (README "wsgen serve --schema").
import { SUBPROTOCOL, TOKEN_PROTOCOL_PREFIX, InMemorySessionValidator } from './auth.js';
import type { ProtocolDescriptor, ValidationIssue } from './descriptor.js';
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

/** Rounds of filling missing required properties (a validator may report one missing property per run). */
const MAX_FILL_ROUNDS = 16;

/** Length of the common prefix of `a` and `b` (`chat_send`/`chat`: 4; `cursor_move`/`cursor_moved`: 11). */
function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The server message types a reply to a `type` message may take: every
 * server (or both-way) type without a role, the one sharing the longest name
 * prefix with `type` first (`say` → `said`, `shape_add` → `shape_added`),
 * ties in schema order.
 */
export function replyCandidates(protocol: ProtocolDescriptor, type: string): string[] {
  const types = Object.entries(protocol.messages).filter(([, info]) => info.direction !== 'client' && info.role === null).map(([t]) => t);
  return types.map((t, i) => ({ t, i, p: sharedPrefix(type, t) })).sort((a, b) => b.p - a.p || a.i - b.i).map((c) => c.t);
}

/** The top-level properties a validation outcome says are missing (keyword `required` at ""). */
function missingProperties(errors: readonly ValidationIssue[]): string[] {
  return errors.filter((e) => e.keyword === 'required' && e.path === '' && typeof e.params['missingProperty'] === 'string').map((e) => e.params['missingProperty'] as string);
}

/** Whether `msg` has a property of its own content: one that is neither the tag nor a field with a runtime role (correlation id, seq, …). */
function hasContent(protocol: ProtocolDescriptor, msg: Message): boolean {
  const runtime = new Set<string>([protocol.tag!, ...Object.values(protocol.fields).filter((f): f is string => f !== undefined)]);
  return Object.keys(msg).some((k) => !runtime.has(k));
}

/**
 * The reply `wsgen serve --schema` sends to a valid client message: the
 * message's fields (all but the tag) under the first of
 * {@link replyCandidates} whose validator accepts them, once the top-level
 * properties that type requires and the message lacks are filled with
 * `user` (the session's user id: the one value the server has of its own;
 * `chat_send {text}` → `chat {text, user}`). Filling needs some content of the
 * message's own to carry over: a message of only its tag and role fields
 * (`list_lobbies {ref}`) is never answered with user ids in another type's
 * content fields. A candidate that still refuses the fields is skipped.
 * Returns undefined when no server type accepts them.
 */
export function replyOf(protocol: ProtocolDescriptor, msg: Message, user: string): Message | undefined {
  const type = String(msg[protocol.tag!]);
  const rounds = hasContent(protocol, msg) ? MAX_FILL_ROUNDS : 0;
  for (const candidateType of replyCandidates(protocol, type)) {
    let candidate: Message = { ...msg, [protocol.tag!]: candidateType };
    for (let round = 0; ; round++) {
      const outcome = protocol.validate(candidate);
      if (outcome.ok) return candidate;
      const missing = missingProperties(outcome.errors).filter((p) => !(p in candidate));
      if (missing.length === 0 || round >= rounds) break;
      candidate = { ...candidate, ...Object.fromEntries(missing.map((p) => [p, user])) };
    }
  }
  return undefined;
}

/**
 * Handlers for every client message type without a runtime role: each
 * message (valid: the runtime refused an invalid one with INVALID_MESSAGE
 * already) is logged (`serve_received`: type, connection, the reply's type or
 * null) and answered by {@link replyOf}; when no server type can carry it, by
 * an `UNSUPPORTED_TYPE` error reply (error role) naming the type, under the
 * message's correlation id (without the error role nothing is sent).
 */
export function replyHandlers(protocol: ProtocolDescriptor, logger: Logger): Record<string, MessageHandler<Message>> {
  const ref = protocol.fields['correlation-id'];
  const handlers: Record<string, MessageHandler<Message>> = {};
  for (const [type, info] of Object.entries(protocol.messages)) {
    if (info.direction === 'server' || (info.role !== null && RUNTIME_ROLES.has(info.role))) continue;
    handlers[type] = (msg, c) => {
      const reply = replyOf(protocol, msg, c.session.userId);
      logger.log('info', 'serve_received', { type, connection: c.id, reply: reply === undefined ? null : (reply[protocol.tag!] as string) });
      if (reply !== undefined) return c.reply(reply);
      const id = ref !== undefined && typeof msg[ref] === 'string' ? (msg[ref] as string) : undefined;
      c.replyError('UNSUPPORTED_TYPE', `wsgen serve answers a message with its fields under a server type that accepts them (missing required fields filled with the user id); none accepts a "${type}" message`, id);
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
 * Serves `protocol` with {@link replyHandlers} on {@link ECHO_PATH}, prints its
 * URLs and a dev token (the only place the token appears), and shuts down
 * gracefully on SIGINT/SIGTERM. Outbound messages are always validated.
 * Resolves once listening.
 * @throws {ListenError} (code WSGEN_LISTEN) when host:port cannot be bound.
 */
export async function serveProtocol(opts: ServeProtocolOptions): Promise<{ server: WsgenServer; token: string }> {
  const print = opts.print ?? ((l: string) => void process.stdout.write(l + '\n'));
  const logger = opts.logger ?? jsonLogger({ level: 'info' });
  const validator = new InMemorySessionValidator();
  const { token, session } = validator.issue({ userId: 'dev-user', tenant: 'dev-tenant' });
  const server = await createServer({
    protocol: opts.protocol,
    endpoints: { echo: { path: ECHO_PATH } },
    handlers: replyHandlers(opts.protocol, logger),
    validator,
    host: opts.host,
    port: opts.port,
    logger,
    validateOutbound: true,
  });
  const http = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${server.address().port}`;
  const caps = opts.protocol.capabilities.length ? opts.protocol.capabilities.join(', ') : 'none';
  if (opts.handleSignals !== false) closeOnSignals(server, print);
  print(`wsgen dev server for ${opts.protocol.name} ${opts.protocol.version} listening (session ${session.sessionId}; capabilities: ${caps})`);
  print(`  endpoint: ${server.url(ECHO_PATH)}`);
  print(`  metrics:  ${http}/metrics`);
  print(`  health:   ${http}/healthz`);
  print(`  dev token: ${token}`);
  print(`  connect with subprotocols ["${SUBPROTOCOL}", "${TOKEN_PROTOCOL_PREFIX}<token>"]`);
  print(`  each client message is logged and answered with its fields under the server type that accepts them (missing required fields: the user id, when the message has content of its own), else with UNSUPPORTED_TYPE`);
  return { server, token };
}
