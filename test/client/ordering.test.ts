import type { Protocol } from '../../generated/ts/index.js';
// Item 1 of issue 8: on every (re)connect the order is session_resume, the replay, the
// queue in order, then new sends; "open" is reported only when that is done. Against
// the real server (runtime/server) behind a proxy that can cut the network.
import { ChatService } from '../../runtime/chat/client.js';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketService, type ServerMessage, type StatusEvent } from '../../runtime/client/index.js';
import type { AgentHandler } from '../../runtime/server/chat.js';
import { startServer, type TestServer as RealServer } from '../server/helpers.js';
import { CutProxy } from './helpers/proxy.js';
import { recordingWebSocket, type Written } from './helpers/recording-ws.js';
import { TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

/** A real server whose guide agent records the user messages it gets, in order, and echoes them. */
async function realSetup() {
  const heard: string[] = [];
  const echo: AgentHandler = (req) => {
    const text = req.message.type === 'user_message' ? req.message.message : '';
    heard.push(text);
    return `echo: ${text}`;
  };
  const server: RealServer = await startServer({ agents: { guide_agent: echo } });
  cleanup.push(() => server.close());
  const proxy = await CutProxy.start(server.server.address().port);
  cleanup.push(() => proxy.close());
  const written: Written[] = [];
  const svc = new ChatService({ baseUrl: proxy.url, WebSocket: recordingWebSocket(written), defaults: { backoff: { minDelayMs: 20, maxDelayMs: 100 } } });
  cleanup.push(() => svc.dispose());
  const token = server.issue();
  return { server, proxy, svc, written, heard, token };
}

const sys = (message: string) => ({ type: 'system_message', timestamp: new Date().toISOString(), message }) as ServerMessage<Protocol>;

describe('ordering on every reconnect (real server)', () => {
  it('queue A while down, send B from the open listener: the server gets session_resume, A, B; the offline messages are delivered (5 of 5)', async () => {
    const t = await realSetup();
    const events: string[] = [];
    const statuses: StatusEvent[] = [];
    t.svc.onAny('guide', (m) => events.push(`msg:${m.type}:${'message' in m ? String(m.message) : ''}`));
    await t.svc.connectToGuide(t.token);
    let round = -1;
    t.svc.onStatus('guide', (e) => {
      statuses.push(e);
      events.push(`status:${e.status}`);
      if (e.status === 'open' && round >= 0) t.svc.sendMessage('guide', { type: 'user_message', message: `B${round}` });
    });
    for (round = 0; round < 5; round++) {
      const sessionId = t.svc.getConnectionHealth('guide').sessionId as string;
      t.proxy.down();
      await waitFor(() => t.svc.getConnectionStatus('guide') === 'reconnecting', 3000, 'reconnecting');
      const a = t.svc.sendMessage('guide', { type: 'user_message', message: `A${round}` });
      expect(a.status).toBe('queued');
      for (let i = 0; i < 3; i++) expect(t.server.server.core.sendToSession(sessionId, 'guide', sys(`offline ${round}.${i}`))).toBe(true);
      const from = t.written.length;
      const fromEvent = events.length;
      t.proxy.up();
      await waitFor(() => events.includes(`msg:agent_message:echo: B${round}`), 5000, `echo of B${round}`);
      const firstThree = t.written.slice(from).filter((w) => w.type !== 'ping' && w.type !== 'pong').slice(0, 3);
      expect(firstThree.map((w) => w.type + (w.message ? `:${w.message}` : ''))).toEqual(['session_resume', `user_message:A${round}`, `user_message:B${round}`]);
      const seen = events.slice(fromEvent);
      const offline = [0, 1, 2].map((i) => `msg:system_message:offline ${round}.${i}`);
      for (const o of offline) expect(seen.filter((e) => e === o)).toHaveLength(1);
      // The replay (and the session_updated that ends it) comes before "open".
      const open = seen.indexOf('status:open');
      expect(open).toBeGreaterThan(seen.indexOf(offline[2] as string));
      expect(open).toBeGreaterThan(seen.indexOf('msg:session_updated:'));
      expect(statuses[statuses.length - 1]).toMatchObject({ status: 'open', resume: 'resumed' });
    }
    expect(t.heard).toEqual(['A0', 'B0', 'A1', 'B1', 'A2', 'B2', 'A3', 'B3', 'A4', 'B4']);
    expect(t.svc.getConnectionHealth('guide')).toMatchObject({ resume: 'resumed', queued: 0 });
  });

  it('the same scenario against the scripted test server (its session_updated echoes no message_id): session_resume, A, B (5 of 5)', async () => {
    const server = await TestServer.start();
    cleanup.push(() => server.kill());
    const proxy = await CutProxy.start(server.port);
    cleanup.push(() => proxy.close());
    const svc = new ChatService({ baseUrl: proxy.url, defaults: { backoff: { minDelayMs: 20, maxDelayMs: 100 } } });
    cleanup.push(() => svc.dispose());
    const texts: string[] = [];
    svc.subscribe('guide', 'system_message', (m) => texts.push(m.message));
    await svc.connectToGuide('zoe');
    let round = -1;
    svc.onStatus('guide', (e) => {
      if (e.status === 'open' && round >= 0) svc.sendMessage('guide', { type: 'user_message', message: `B${round}` });
    });
    for (round = 0; round < 5; round++) {
      proxy.down();
      await waitFor(() => svc.getConnectionStatus('guide') === 'reconnecting', 3000, 'reconnecting');
      svc.sendMessage('guide', { type: 'user_message', message: `A${round}` });
      for (let i = 0; i < 3; i++) server.emit('zoe', '/api/ws/guide', { type: 'system_message', timestamp: new Date().toISOString(), message: `offline ${round}.${i}` });
      const from = server.received.length;
      proxy.up();
      await waitFor(() => server.userMessages().some((m) => m['message'] === `B${round}`), 5000, `B${round} at the server`);
      const got = server.received.slice(from).filter((m) => m.type !== 'ping').map((m) => (m.type === 'user_message' ? String(m['message']) : m.type));
      expect(got).toEqual(['session_resume', `A${round}`, `B${round}`]);
      expect(texts.filter((t) => t.startsWith(`offline ${round}.`))).toEqual([0, 1, 2].map((i) => `offline ${round}.${i}`));
      expect(svc.getConnectionHealth('guide')).toMatchObject({ resume: 'resumed', duplicatesDropped: 0, gapsDetected: 0 });
    }
  });
});
