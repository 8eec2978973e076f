// One suite, every protocol: the generic client against the bundled protocol, the
// whiteboard (tag `op`, other role names and field names) and mini (no roles: the
// reduced capabilities). Each protocol has a small adapter; the server is a real
// `ws` server on 127.0.0.1 scripted by the adapter.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { protocol as bundled } from '../../generated/ts/index.js';
import { protocol as whiteboard } from '../protocols/whiteboard/ts/index.js';
import { protocol as mini } from '../protocols/mini/ts/index.js';
import { InvalidMessageError, WebSocketService, type ProtocolDescriptor, type StreamEvent, type WireMessage } from '../../runtime/client/index.js';
import { waitFor } from './helpers/wait.js';

interface Adapter {
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
  /** Stream chunk and end messages answering `ref` (null: no streams capability). */
  stream: ((ref: string) => WireMessage[]) | null;
}

const now = (): string => new Date().toISOString();
const EPOCH = 'AAAAAAAAAAAAAAAA';
const adapters: Adapter[] = [
  {
    name: 'bundled',
    protocol: bundled,
    fill: { timestamp: now },
    created: (seq) => ({ type: 'session_created', timestamp: now(), session_id: 's1', epoch: EPOCH, seq, schema_hash: bundled.schemaHash, realm: 'experience' }),
    updated: (ref) => ({ type: 'session_updated', timestamp: now(), session_id: 's1', status: 'resumed', message_id: ref }),
    request: { type: 'user_message', message: 'hi' },
    answer: (r) => ({ type: 'agent_message', timestamp: now(), message_id: r['message_id'], message: 'hello', agent: 'guide_agent' }),
    invalid: { type: 'user_message', message: '' },
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
    stream: null,
  },
];

const servers: WebSocketServer[] = [];
const services: Array<WebSocketService<ProtocolDescriptor, string>> = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.dispose();
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    await new Promise((r) => s.close(r));
  }
});

/** A server that greets with the adapter's session message and records what it receives, per socket. */
async function serve(a: Adapter, onMessage: (sock: WsSocket, msg: WireMessage) => void = () => {}): Promise<{ url: string; received: WireMessage[]; sockets: WsSocket[] }> {
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

function service(a: Adapter): WebSocketService<ProtocolDescriptor, string> {
  const s = new WebSocketService<ProtocolDescriptor, string>(a.protocol, { browserProbes: false, random: () => 0.99, ...(a.fill ? { fill: a.fill } : {}), defaults: { backoff: { minDelayMs: 10, maxDelayMs: 20 } } });
  services.push(s);
  return s;
}

describe.each(adapters)('generic client, protocol $name', (a) => {
  const tag = a.protocol.tag;
  const idField = a.protocol.fields['correlation-id'];

  it('sends a validated message, fills the correlation id, and delivers the typed reply', async () => {
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.answer(m))));
    const svc = service(a);
    await svc.connect('c', srv.url);
    const answerType = a.answer(a.request)[tag] as string;
    const seen: WireMessage[] = [];
    svc.subscribe('c', answerType as never, (m: WireMessage) => seen.push(m));
    const r = svc.sendMessage('c', a.request as never);
    expect(r.status).toBe('sent');
    await waitFor(() => seen.length === 1, 5000, 'the answer');
    const sent = srv.received.filter((m) => m[tag] === a.request[tag]);
    expect(sent).toHaveLength(1);
    if (idField !== undefined) expect(sent[0]?.[idField]).toBe(r.messageId);
    else expect(Object.keys(sent[0] ?? {}).sort()).toEqual(Object.keys(a.request).sort());
  });

  it('refuses an invalid message with InvalidMessageError and sends nothing', async () => {
    const srv = await serve(a);
    const svc = service(a);
    await svc.connect('c', srv.url);
    expect(() => svc.sendMessage('c', a.invalid as never)).toThrow(InvalidMessageError);
    const server = Object.entries(a.protocol.messages).find(([, m]) => m.direction === 'server');
    if (server) expect(() => svc.sendMessage('c', { [tag]: server[0] } as never)).toThrow(/may not send/);
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.received.filter((m) => m[tag] !== a.protocol.roles['session-resume'] && m[tag] !== a.protocol.roles['ping'])).toEqual([]);
  });

  it('reconnects after an abnormal close and flushes the queue in order', async () => {
    const srv = await serve(a);
    const svc = service(a);
    await svc.connect('c', srv.url, { backoff: { minDelayMs: 200, maxDelayMs: 200 } });
    srv.sockets[0]?.terminate();
    await waitFor(() => svc.getConnectionStatus('c') === 'reconnecting', 5000, 'the drop');
    const r1 = svc.sendMessage('c', a.request as never);
    const r2 = svc.sendMessage('c', a.request as never);
    expect([r1.status, r2.status]).toEqual(['queued', 'queued']);
    await waitFor(() => svc.getConnectionStatus('c') === 'open' && srv.sockets.length === 2, 5000, 'the reconnect');
    const apps = (): WireMessage[] => srv.received.filter((m) => m[tag] === a.request[tag]);
    await waitFor(() => apps().length === 2, 5000, 'the flush');
    if (idField !== undefined) expect(apps().map((m) => m[idField])).toEqual([r1.messageId, r2.messageId]);
    expect(svc.getConnectionHealth('c').reconnectCount).toBe(1);
  });

  it('has exactly the capabilities its roles give: resume message, heartbeat ping', async () => {
    const srv = await serve(a);
    const svc = service(a);
    await svc.connect('c', srv.url, { heartbeat: { intervalMs: 30, timeoutMs: 1000 }, resume: true });
    const resume = a.protocol.roles['session-resume'];
    const ping = a.protocol.roles['ping'];
    if (resume !== undefined) {
      await waitFor(() => srv.received.some((m) => m[tag] === resume), 2000, 'the resume message');
      expect(svc.getConnectionHealth('c')).toMatchObject({ sessionId: 's1', epoch: EPOCH });
    }
    if (ping !== undefined) await waitFor(() => srv.received.some((m) => m[tag] === ping), 2000, 'a heartbeat ping');
    else {
      await new Promise((r) => setTimeout(r, 150));
      expect(srv.received).toEqual([]);
      expect(svc.getConnectionHealth('c')).toMatchObject({ sessionId: null, epoch: null, status: 'open' });
    }
  });

  it.runIf(a.stream !== null)('assembles a stream by correlation id and index, and its end answers the request', async () => {
    const srv = await serve(a, (sock, m) => {
      if (m[tag] !== a.request[tag] || idField === undefined) return;
      for (const part of a.stream?.(m[idField] as string) ?? []) sock.send(JSON.stringify(part));
    });
    const svc = service(a);
    await svc.connect('c', srv.url);
    const events: StreamEvent[] = [];
    svc.onStream('c', (e) => events.push(e));
    const reply = (await svc.request('c', a.request as never, { timeout: 5000 })) as WireMessage;
    expect(reply[tag]).toBe(a.protocol.roles['stream-end']);
    expect(events.map((e) => e.kind)).toEqual(['chunk', 'chunk', 'complete']);
    expect(events[2]?.state).toMatchObject({ text: 'ab', complete: true });
  });
});
