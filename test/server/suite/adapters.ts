// Per-protocol adapters of the one server suite (suite.test.ts), the way
// graphql-ws runs one suite against every adapter: each says how to start a
// server for its protocol, which paths it serves, and how to build a valid
// client message, a request answered by one reply, a streamed request, an
// invalid message and a server-only message. The bundled protocol runs the
// chat app (createChatServer); the whiteboard (test/fixtures/whiteboard, tag
// `op`, no agents, pillars or realms) runs a small board app on createServer.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { protocol as bundled } from '../../../generated/ts/index.js';
import { generate } from '../../../generator/index.js';
import { writeOutput } from '../../../generator/write.js';
import { InMemorySessionValidator } from '../../../runtime/server/auth.js';
import { referenceAgents } from '../../../runtime/server/chat/reference.js';
import { chatSessionValidator, createChatServer } from '../../../runtime/server/chat/server.js';
import { silentLogger } from '../../../runtime/server/logger.js';
import type { ProtocolDescriptor } from '../../../runtime/server/descriptor.js';
import type { MessageHandler } from '../../../runtime/server/options.js';
import type { Message } from '../../../runtime/server/roles.js';
import { createServer, type WsgenServer, type WsServerOptions } from '../../../runtime/server/ws.js';
import { tempDir } from '../../generator/helpers.js';

const ROOT = join(import.meta.dirname, '../../..');

/** Options every suite server gets: fast shutdown, outbound validation on. */
export type SuiteOptions = Partial<Pick<WsServerOptions, 'rateLimit' | 'resumeWaitMs' | 'maxPayload' | 'shutdown'>>;

/** A running suite server. */
export interface SuiteServer {
  readonly server: WsgenServer;
  /** Mints a token (a new session unless `sessionId` is given). */
  issue(o?: { sessionId?: string; token?: string }): string;
  close(): Promise<void>;
}

/** How the suite drives one protocol. */
export interface ProtocolAdapter {
  readonly name: string;
  readonly protocol: ProtocolDescriptor;
  /** An endpoint path with an enum-typed parameter bound to a valid value, and its endpoint key. */
  readonly path: string;
  readonly endpointKey: string;
  /** The same endpoint with the parameter outside its enum (404). */
  readonly badParamPath: string;
  start(o?: SuiteOptions): Promise<SuiteServer>;
  /** Adds the application fields a client message needs (the bundled protocol's timestamp). */
  envelope(m: Message): Message;
  /** A valid client request with correlation id `ref`, answered by one message of {@link replyType}. */
  request(ref: string, text: string): Message;
  readonly replyType: string;
  /** A client request answered by `n` stream chunks and a stream end. */
  streamRequest(ref: string, n: number): Message;
  /** A client request sent without a correlation id, answered by `n` stream chunks and a stream end. */
  streamRequestWithoutRef(n: number): Message;
  /** A JSON message that breaks the schema, with the JSON pointer and keyword of the first issue. */
  readonly invalid: { readonly message: Message; readonly path: string; readonly keyword: string };
  /** A valid message of a server-only type. */
  serverOnly(): Message;
  /** A valid server message the server may put into a session stream (sendToSession). */
  notice(text: string): Message;
}

const ts = (): string => new Date().toISOString();

/** The bundled protocol, served by the chat app. */
export const bundledAdapter: ProtocolAdapter = {
  name: 'bundled (WebSocketMessage, tag type)',
  protocol: bundled,
  path: '/api/ws/liaison/content',
  endpointKey: 'liaison:content',
  badParamPath: '/api/ws/liaison/astrology',
  async start(o = {}) {
    const validator = chatSessionValidator();
    const server = await createChatServer({ logger: silentLogger, validator, agents: referenceAgents({ chunkDelayMs: 1 }), validateOutbound: true, heartbeatIntervalMs: 0, shutdown: { jitterMs: 20, deadlineMs: 500 }, ...o });
    // The suite sends plain objects: its view of the core takes any message (the chat server's is typed by the bundled protocol).
    return { server: server as unknown as WsgenServer, issue: (io) => validator.issue(io).token, close: () => server.close() };
  },
  envelope: (m) => ({ ...m, timestamp: ts() }),
  request: (ref, text) => ({ type: 'user_message', timestamp: ts(), message_id: ref, message: '/echo ' + text }),
  replyType: 'agent_message',
  streamRequest: (ref, n) => ({ type: 'user_message', timestamp: ts(), message_id: ref, message: `/stream ${n}` }),
  streamRequestWithoutRef: (n) => ({ type: 'user_message', timestamp: ts(), message: `/stream ${n}` }),
  invalid: { message: { type: 'user_message', timestamp: ts(), message: 42 }, path: '/message', keyword: 'type' },
  serverOnly: () => ({ type: 'agent_message', timestamp: ts(), agent: 'guide_agent', message: 'forged' }),
  notice: (text) => ({ type: 'system_message', timestamp: ts(), message: text }),
};

/** Generates the whiteboard fixture into a temp folder and imports its descriptor. */
export async function whiteboardProtocol(): Promise<ProtocolDescriptor> {
  const dir = tempDir('wsgen-board-');
  const { files } = await generate({ schema: join(ROOT, 'test/fixtures/whiteboard/board.schema.json'), out: join(dir, 'gen'), targets: ['ts'] });
  writeOutput(join(dir, 'gen'), files);
  return ((await import(pathToFileURL(join(dir, 'gen/ts/protocol.ts')).href)) as { protocol: ProtocolDescriptor }).protocol;
}

/** Parts `<part 0/>`… of an export of `n` parts. */
async function* parts(n: number): AsyncGenerator<string> {
  for (let i = 0; i < n; i++) yield `<part ${i}/>`;
}

/**
 * The board app: chat and shapes answered into the session stream, exports streamed (format svg: `n` = part count in
 * the ref suffix); a chat text `/parts n` is answered by an export stream of `n` parts (export_board requires its ref).
 */
function boardHandlers(): Record<string, MessageHandler<Message>> {
  return {
    chat_send: (m, c) => {
      const asked = /^\/parts (\d+)$/.exec(String(m['text']));
      if (asked !== null) return c.replyStream(m['ref'] as string | undefined, parts(Number(asked[1]))).then(() => undefined);
      return c.reply({ op: 'chat', ref: m['ref'], user: c.session.userId, text: m['text'] });
    },
    shape_add: (m, c) => c.reply({ op: 'shape_added', ref: m['ref'], by: c.session.userId, shape: m['shape'] }),
    cursor_move: (m, c) => c.reply({ op: 'cursor_moved', user: c.session.userId, x: m['x'], y: m['y'] }),
    export_board: (m, c) => {
      const ref = m['ref'] as string;
      const n = Number(/-(\d+)$/.exec(ref)?.[1] ?? '1');
      return c.replyStream(ref, parts(n)).then(() => undefined);
    },
  };
}

/** The whiteboard protocol (tag `op`, its own field names), served by the board app on the generic createServer. */
export async function whiteboardAdapter(): Promise<ProtocolAdapter> {
  const protocol = await whiteboardProtocol();
  return {
    name: 'whiteboard (BoardEvent, tag op)',
    protocol,
    path: '/boards/svg',
    endpointKey: 'board:svg',
    badParamPath: '/boards/gif',
    async start(o = {}) {
      const validator = new InMemorySessionValidator();
      const server = await createServer({
        logger: silentLogger,
        protocol,
        endpoints: { board: { path: '/boards/{format}', params: { format: 'ExportFormat' } } },
        handlers: boardHandlers(),
        validator,
        validateOutbound: true,
        heartbeatIntervalMs: 0,
        shutdown: { jitterMs: 20, deadlineMs: 500 },
        ...o,
      });
      return { server, issue: (io) => validator.issue(io).token, close: () => server.close() };
    },
    envelope: (m) => m,
    request: (ref, text) => ({ op: 'chat_send', ref, text }),
    replyType: 'chat',
    streamRequest: (ref, n) => ({ op: 'export_board', ref: `${ref}-${n}`, format: 'svg' }),
    streamRequestWithoutRef: (n) => ({ op: 'chat_send', text: `/parts ${n}` }),
    invalid: { message: { op: 'cursor_move', x: 'left', y: 1 }, path: '/x', keyword: 'type' },
    serverOnly: () => ({ op: 'chat', user: 'mallory', text: 'forged' }),
    notice: (text) => ({ op: 'chat', user: 'system', text }),
  };
}
