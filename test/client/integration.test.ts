// Against a real ws server on 127.0.0.1 (test/client/helpers/test-server.ts).
import { ChatService } from '../../runtime/chat/client.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, RecoveryFailedError, WebSocketService, type WsClientError } from '../../runtime/client/index.js';
import { TestServer } from './helpers/test-server.js';
import { waitFor } from './helpers/wait.js';

const fast = { backoff: { minDelayMs: 50, maxDelayMs: 400 } };
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

async function setup(opts: Parameters<typeof TestServer.start>[0] = {}) {
  let server = await TestServer.start(opts);
  const svc = new ChatService({ baseUrl: server.url, defaults: fast });
  const errors: WsClientError[] = [];
  svc.onError('*', (e) => errors.push(e));
  const ctx = {
    svc,
    errors,
    get server() {
      return server;
    },
    async restart() {
      server = await server.restart();
      return server;
    },
  };
  cleanup.push(() => server.kill().catch(() => {}));
  cleanup.push(() => svc.dispose());
  return ctx;
}

describe('integration: real server on loopback', () => {
  it('reconnects after the server is killed and restarted; queued messages arrive exactly once', async () => {
    const t = await setup();
    const replies: string[] = [];
    t.svc.subscribe('guide', 'agent_message', (m) => replies.push(m.message));
    await t.svc.connectToGuide('alice');
    const first = await t.svc.request('guide', { type: 'user_message', message: 'before' }, { timeout: 2000 });
    expect(first).toMatchObject({ type: 'agent_message', message: 'echo: before' });

    await t.server.kill();
    await waitFor(() => t.svc.getConnectionStatus('guide') === 'reconnecting', 3000, 'reconnecting');
    const sent = Array.from({ length: 10 }, (_, i) => t.svc.sendMessage('guide', { type: 'user_message', message: `offline ${i}` }));
    expect(sent.every((r) => r.status === 'queued')).toBe(true);
    expect(t.svc.getConnectionHealth('guide').queued).toBe(10);
    await new Promise((r) => setTimeout(r, 300)); // a few refused attempts while down
    const restarted = await t.restart();

    await waitFor(() => replies.filter((r) => r.startsWith('echo: offline')).length === 10, 5000, 'offline echoes');
    await new Promise((r) => setTimeout(r, 200)); // anything duplicated would show up now
    const ids = restarted.userMessages().map((m) => m['message_id']);
    expect(ids).toEqual(sent.map((r) => r.messageId)); // in order, each once
    expect(replies.filter((r) => r.startsWith('echo: offline'))).toEqual(sent.map((_, i) => `echo: offline ${i}`));
    const h = t.svc.getConnectionHealth('guide');
    expect(h).toMatchObject({ status: 'open', queued: 0, reconnectCount: 1 });
    expect(h.reconnectAttempts).toBeGreaterThanOrEqual(2);
    expect(h.resume).toBe('resumed'); // same store: the session survived the restart
  });

  it('forced disconnect mid-stream, then resume: no chunk lost or duplicated', async () => {
    const t = await setup();
    const seen = new Map<number, number>();
    t.svc.subscribe('liaison:content', 'agent_streaming', (m) => seen.set(m.stream_index, (seen.get(m.stream_index) ?? 0) + 1));
    let completed = 0;
    t.svc.subscribe('liaison:content', 'agent_complete', () => completed++);
    await t.svc.connectToLiaison('content', 'bob');
    const r = t.svc.sendMessage('liaison:content', { type: 'user_message', message: 'stream:40:8', pillar: 'content' });
    await waitFor(() => seen.size >= 5, 3000, 'first chunks');
    t.server.drop(); // terminate: the client sees 1006 mid-stream
    await waitFor(() => t.svc.getConnectionHealth('liaison:content').reconnectCount === 1, 3000, 'reconnected');
    await waitFor(() => completed === 1, 5000, 'agent_complete');
    await new Promise((res) => setTimeout(res, 100));
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(completed).toBe(1);
    const stream = t.svc.getStream('liaison:content', r.messageId);
    expect(stream).toMatchObject({ complete: true, contiguous: 40, dropped: 0 });
    expect(stream?.text).toBe(Array.from({ length: 40 }, (_, i) => `c${i} `).join(''));
    expect(t.svc.getConnectionHealth('liaison:content')).toMatchObject({ resume: 'resumed', reconnectCount: 1 });
  });

  it('surfaces RECOVERY_FAILED when the replay buffer no longer holds the missed messages', async () => {
    const t = await setup({ replayLimit: 5 });
    await t.svc.connectToGuide('carol');
    await t.server.kill();
    await waitFor(() => t.svc.getConnectionStatus('guide') === 'reconnecting', 3000, 'reconnecting');
    for (let i = 0; i < 20; i++) t.server.emit('carol', '/api/ws/guide', { type: 'system_message', timestamp: new Date().toISOString(), message: `missed ${i}` });
    await t.restart();
    const err = (await waitFor(() => t.errors.find((e) => e instanceof RecoveryFailedError), 5000, 'RECOVERY_FAILED')) as RecoveryFailedError;
    // connectToGuide resolves only after the first resume's session_updated (seq 1), so the 20 missed
    // messages are seq 2..21, and the buffer of 5 still holds 17..21.
    expect(err).toMatchObject({ connectionId: 'guide', firstMissing: 2, lastMissing: 16, reason: 'missing' });
    expect(t.svc.getConnectionHealth('guide').resume).toBe('failed');
  });

  it('an auth failure (HTTP 401) stops the retries', async () => {
    const t = await setup();
    const p = t.svc.connectToGuide('bad');
    await expect(p).rejects.toBeInstanceOf(AuthError);
    await expect(p).rejects.toMatchObject({ httpStatus: 401, code: 'AUTH_FAILED' });
    await new Promise((r) => setTimeout(r, 800));
    expect(t.server.attempts).toBe(1);
    expect(t.svc.getConnectionStatus('guide')).toBe('failed');
  });

  it('heartbeat measures RTT against the server', async () => {
    const t = await setup();
    await t.svc.connectToGuide('dave', { heartbeat: { intervalMs: 50, timeoutMs: 1000 } });
    await waitFor(() => t.svc.getConnectionHealth('guide').rttMs !== null, 2000, 'rtt');
    const h = t.svc.getConnectionHealth('guide');
    expect(h.rttMs).toBeLessThan(500);
    expect(h.bytesIn).toBeGreaterThan(0);
    expect(h.bytesOut).toBeGreaterThan(0);
    expect(h.lastMessageAt).not.toBeNull();
  });
});
