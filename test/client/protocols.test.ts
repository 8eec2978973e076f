// One suite, every protocol: the generic client against the bundled protocol, the
// whiteboard (tag `op`, other role names and field names) and mini (no roles: the
// reduced capabilities). Each protocol has a small adapter; the server is a real
// `ws` server on 127.0.0.1 scripted by the adapter.
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidMessageError, ServerError, WebSocketService, type ProtocolDescriptor, type StreamEvent, type WireMessage } from '../../runtime/client/index.js';
import { waitFor } from './helpers/wait.js';
import { adapters, closeServers, EPOCH, serve, type Adapter } from './helpers/protocols.js';

const services: Array<WebSocketService<ProtocolDescriptor, string>> = [];
afterEach(async () => {
  for (const s of services.splice(0)) s.dispose();
  await closeServers();
});

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

  // Only protocols with the stream roles have streams (mini's capabilities test asserts their absence).
  if (a.stream !== null) it('assembles a stream by correlation id and index, and its end answers the request', async () => {
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

  // Only protocols with the error role answer with error replies.
  if (a.error !== null) it('rejects a request answered by the error role with ServerError, retryable from the error code table', async () => {
    const idField = a.protocol.fields['correlation-id'] ?? '';
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.error?.reply(m[idField]))));
    const svc = service(a);
    await svc.connect('c', srv.url);
    const err = await svc.request('c', a.request as never, { timeout: 5000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServerError);
    const code = a.error?.reply('x')[a.protocol.fields['error-code'] ?? ''];
    expect(err).toMatchObject({ errorCode: code, retryable: a.error?.retryable });
  });
});
