// Capability plugins (runtime/client/README.md "Capability plugins"): a WebSocketClient
// has exactly the capabilities of the plugins it is given, on every protocol (bundled,
// whiteboard, mini). Absence is judged against a control client on its own server that
// has the plugin: once the control has pinged twice, the client without it would have too.
import { afterEach, describe, expect, it } from 'vitest';
import {
  heartbeat,
  requests,
  resume,
  streams,
  WebSocketClient,
  WebSocketService,
  type Capability,
  type ProtocolDescriptor,
  type StatusEvent,
  type StreamEvent,
  type WireMessage,
} from '../../runtime/client/index.js';
import { waitFor } from './helpers/wait.js';
import { adapters, closeServers, serve, type Adapter } from './helpers/protocols.js';

type Client = WebSocketClient<ProtocolDescriptor, string>;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.dispose();
  await closeServers();
});

function client(a: Adapter, capabilities?: Capability[]): Client {
  const options = { browserProbes: false, ...(a.fill ? { fill: a.fill } : {}), ...(capabilities ? { capabilities } : {}), defaults: { heartbeat: { intervalMs: 20, timeoutMs: 5000 } } };
  const c = new WebSocketClient<ProtocolDescriptor, string>(a.protocol, options);
  clients.push(c);
  return c;
}

describe.each(adapters)('capability plugins, protocol $name', (a) => {
  const tag = a.protocol.tag;
  const roles = a.protocol.roles;
  const idField = a.protocol.fields['correlation-id'];
  const ofType = (list: WireMessage[], type: string | undefined): WireMessage[] => list.filter((m) => type !== undefined && m[tag] === type);

  /** Waits until a heartbeat client on its own server has pinged twice (nothing to wait for in a protocol without the ping role). */
  async function controlTime(): Promise<void> {
    if (roles['ping'] === undefined) return;
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.answer(m))));
    const control = client(a, [heartbeat()]);
    await control.connect('control', srv.url);
    await waitFor(() => ofType(srv.received, roles['ping']).length >= 2, 5000, 'two control pings');
  }

  it('without plugins: open once the socket is, no resume, no ping, the session message delivered as any other; request() throws', async () => {
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.answer(m))));
    const c = client(a);
    const statuses: string[] = [];
    const seen: WireMessage[] = [];
    c.onStatus('c', (e: StatusEvent) => statuses.push(e.status));
    c.onAny('c', (m) => seen.push(m as WireMessage));
    await c.connect('c', srv.url);
    expect(statuses).toEqual(['connecting', 'open']);
    await controlTime();
    expect(ofType(srv.received, roles['ping'])).toEqual([]);
    expect(ofType(srv.received, roles['session-resume'])).toEqual([]);
    if (roles['session-created'] !== undefined) {
      await waitFor(() => seen.some((m) => m[tag] === roles['session-created']), 5000, 'the session message');
      expect(c.getConnectionHealth('c')).toMatchObject({ sessionId: null, resume: 'none', invalidFrames: 0 });
    }
    expect(() => c.request('c', a.request as never)).toThrow(/requests\(\) plugin/);
    expect(ofType(srv.received, a.request[tag] as string)).toEqual([]);
    expect(c.sendMessage('c', a.request as never).status).toBe('sent');
    await waitFor(() => ofType(srv.received, a.request[tag] as string).length === 1, 5000, 'the send');
  });

  it('with heartbeat() alone: pings (where the protocol has the roles), never resumes', async () => {
    const srv = await serve(a);
    const c = client(a, [heartbeat()]);
    await c.connect('c', srv.url);
    if (roles['ping'] !== undefined) await waitFor(() => ofType(srv.received, roles['ping']).length >= 2, 5000, 'two pings');
    else await controlTime();
    expect(ofType(srv.received, roles['session-resume'])).toEqual([]);
    expect(c.getConnectionHealth('c').resume).toBe('none');
  });

  it('with resume() alone: waits for the session, resumes, never pings', async () => {
    const srv = await serve(a);
    const c = client(a, [resume()]);
    const statuses: string[] = [];
    c.onStatus('c', (e: StatusEvent) => statuses.push(e.status));
    await c.connect('c', srv.url);
    await controlTime();
    expect(ofType(srv.received, roles['ping'])).toEqual([]);
    if (roles['session-created'] === undefined) {
      expect(statuses).toEqual(['connecting', 'open']);
      expect(srv.received).toEqual([]);
    } else {
      expect(statuses).toEqual(['connecting', 'authenticating', 'resuming', 'open']);
      expect(ofType(srv.received, roles['session-resume'])).toHaveLength(1);
      expect(c.getConnectionHealth('c')).toMatchObject({ sessionId: 's1' });
    }
  });

  if (a.stream !== null && idField !== undefined) {
    const streamingServer = () =>
      serve(a, (sock, m) => {
        if (m[tag] === a.request[tag]) for (const part of a.stream?.(m[idField] as string) ?? []) sock.send(JSON.stringify(part));
      });

    it('with requests() but not streams(): the stream end answers the request, no stream is assembled', async () => {
      const c = client(a, [requests()]);
      await c.connect('c', (await streamingServer()).url);
      const events: StreamEvent[] = [];
      c.onStream('c', (e) => events.push(e));
      const reply = (await c.request('c', a.request as never, { timeout: 5000 })) as WireMessage;
      expect(reply[tag]).toBe(roles['stream-end']);
      expect(events).toEqual([]);
      expect(c.getStream('c', reply[idField] as string)).toBeUndefined();
    });

    it('with streams() alone: the stream is assembled', async () => {
      const c = client(a, [streams()]);
      await c.connect('c', (await streamingServer()).url);
      const events: StreamEvent[] = [];
      c.onStream('c', (e) => events.push(e));
      const r = c.sendMessage('c', a.request as never);
      await waitFor(() => events.length === 3, 5000, 'the stream');
      expect(c.getStream('c', r.messageId)).toMatchObject({ text: 'ab', complete: true });
    });
  }
});

describe('WebSocketService', () => {
  it('has every plugin unless options.capabilities says otherwise', async () => {
    const a = adapters[0]!;
    const srv = await serve(a);
    const full = new WebSocketService<ProtocolDescriptor, string>(a.protocol, { browserProbes: false, fill: a.fill ?? {}, defaults: { heartbeat: { intervalMs: 20, timeoutMs: 5000 } } });
    const bare = new WebSocketService<ProtocolDescriptor, string>(a.protocol, { browserProbes: false, fill: a.fill ?? {}, capabilities: [] });
    clients.push(full, bare);
    await full.connect('full', srv.url);
    await bare.connect('bare', srv.url);
    await waitFor(() => ofTag(srv.received, 'ping').length >= 1, 5000, 'a ping');
    expect(ofTag(srv.received, 'session_resume')).toHaveLength(1);
    expect(full.getConnectionHealth('full').sessionId).toBe('s1');
    expect(bare.getConnectionHealth('bare').sessionId).toBeNull();
    expect(() => bare.request('bare', a.request as never)).toThrow(TypeError);
  });
});

function ofTag(list: WireMessage[], type: string): WireMessage[] {
  return list.filter((m) => m['type'] === type);
}
