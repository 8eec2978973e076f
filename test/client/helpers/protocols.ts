// Per-protocol adapters for the suites that run against every protocol (bundled,
// whiteboard, mini), and a scripted `ws` server on 127.0.0.1 (port 0) that greets
// with the protocol's session message, answers resume and ping, and records the rest.
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { protocol as bundled } from '../../../generated/ts/index.js';
import { protocol as whiteboard } from '../../../examples/whiteboard/generated/ts/index.js';
import { protocol as mini } from '../../protocols/mini/ts/index.js';
import type { ProtocolDescriptor, WireMessage } from '../../../runtime/client/index.js';

/** What a suite needs to know about one protocol. */
export interface Adapter {
  name: string;
  protocol: ProtocolDescriptor;
  fill?: Record<string, () => unknown>;
  /** The session-created message (null: the protocol has no sessions). */
  created: ((seq: number) => WireMessage) | null;
  /** The session-updated message ending a resume whose correlation id is `ref`. */
  updated?: (ref: unknown) => WireMessage;
  /** A client message and the server message that answers it (same correlation id when the protocol has one). */
  request: WireMessage;
  answer: (req: WireMessage) => WireMessage;
  /** A client message the validator refuses. */
  invalid: WireMessage;
  /** The error reply to a request whose correlation id is `ref` (null: no error role), and whether its code is retryable. */
  error: { reply: (ref: unknown) => WireMessage; retryable: boolean } | null;
  /** Stream chunk and end messages answering `ref` (null: no streams capability). */
  stream: ((ref: string) => WireMessage[]) | null;
}

const now = (): string => new Date().toISOString();
/** The stream epoch the scripted server announces. */
export const EPOCH = 'AAAAAAAAAAAAAAAA';
/** The bundled protocol, the whiteboard (tag op) and mini (no roles). */
export const adapters: Adapter[] = [
  {
    name: 'bundled',
    protocol: bundled,
    fill: { timestamp: now },
    created: (seq) => ({ type: 'session_created', timestamp: now(), session_id: 's1', epoch: EPOCH, seq, schema_hash: bundled.schemaHash, realm: 'experience' }),
    updated: (ref) => ({ type: 'session_updated', timestamp: now(), session_id: 's1', status: 'resumed', message_id: ref }),
    request: { type: 'user_message', message: 'hi' },
    answer: (r) => ({ type: 'agent_message', timestamp: now(), message_id: r['message_id'], message: 'hello', agent: 'guide_agent' }),
    invalid: { type: 'user_message', message: '' },
    error: { reply: (ref) => ({ type: 'error_message', timestamp: now(), message_id: ref, error_code: 'AGENT_TIMEOUT', message: 'too slow' }), retryable: true },
    stream: (ref) => [
      { type: 'agent_streaming', timestamp: now(), message_id: ref, message: 'b', is_streaming: true, stream_index: 1, agent: 'guide_agent' },
      { type: 'agent_streaming', timestamp: now(), message_id: ref, message: 'a', is_streaming: true, stream_index: 0, agent: 'guide_agent' },
      { type: 'agent_complete', timestamp: now(), message_id: ref, agent: 'guide_agent' },
    ],
  },
  {
    name: 'whiteboard',
    protocol: whiteboard,
    created: () => ({ op: 'welcome', session: 's1', epoch: EPOCH, schema_sha: whiteboard.schemaHash }),
    updated: (ref) => ({ op: 'resumed', session: 's1', state: 'resumed', ref }),
    request: { op: 'export_board', format: 'svg' },
    answer: (r) => ({ op: 'export_done', ref: r['ref'] }),
    invalid: { op: 'export_board', format: 'gif' },
    error: { reply: (ref) => ({ op: 'failure', ref, code: 'BOARD_FULL', reason: 'the board is full' }), retryable: false },
    stream: (ref) => [
      { op: 'export_chunk', ref, part: 1, data: 'b' },
      { op: 'export_chunk', ref, part: 0, data: 'a' },
      { op: 'export_done', ref },
    ],
  },
  {
    name: 'mini (no roles)',
    protocol: mini,
    created: null,
    request: { kind: 'join', player: 'p1' },
    answer: () => ({ kind: 'chat', text: 'welcome p1' }),
    invalid: { kind: 'join', player: '' },
    error: null,
    stream: null,
  },
];

/** Servers started by {@link serve}; {@link closeServers} stops them. */
const servers: WebSocketServer[] = [];
/** Stops every server {@link serve} started. */
export async function closeServers(): Promise<void> {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
}

/** A server that greets with the adapter's session message and records what it receives, per socket. */
export async function serve(a: Adapter, onMessage: (sock: WsSocket, msg: WireMessage) => void = () => {}): Promise<{ url: string; received: WireMessage[]; sockets: WsSocket[] }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  servers.push(wss);
  await new Promise((r) => wss.once('listening', r));
  const received: WireMessage[] = [];
  const sockets: WsSocket[] = [];
  wss.on('connection', (sock) => {
    sockets.push(sock);
    if (a.created) sock.send(JSON.stringify(a.created(0)));
    sock.on('message', (d) => {
      const msg = JSON.parse(String(d)) as WireMessage;
      const role = a.protocol.roles;
      const id = msg[a.protocol.fields['correlation-id'] ?? ''];
      if (msg[a.protocol.tag] === role['session-resume'] && a.updated) sock.send(JSON.stringify(a.updated(id)));
      if (msg[a.protocol.tag] === role['ping'] && role['pong']) sock.send(JSON.stringify({ [a.protocol.tag]: role['pong'], [a.protocol.fields['correlation-id'] ?? '']: id, ...(a.fill ? { timestamp: now() } : {}) }));
      received.push(msg);
      if (msg[a.protocol.tag] === role['session-resume'] || msg[a.protocol.tag] === role['ping']) return;
      onMessage(sock, msg);
    });
  });
  const port = (wss.address() as { port: number }).port;
  return { url: `ws://127.0.0.1:${port}/ws`, received, sockets };
}

