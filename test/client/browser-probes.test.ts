// @vitest-environment jsdom
// In browsers, `online` and `visibilitychange` trigger an immediate probe: a
// ping on an open connection, a reconnect right away on one waiting in backoff.
import { ChatService } from '../../runtime/chat/client.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketService } from '../../runtime/client/index.js';
import { FakeCtor, FakeSocket, flush } from './helpers/fake-socket.js';

function setVisibility(state: 'visible' | 'hidden'): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

const pings = (s: FakeSocket) => s.sentMessages().filter((m) => m['type'] === 'ping').length;

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('browser probes', () => {
  it('pings an open connection at once when the browser comes back online', async () => {
    const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor });
    svc.open('guide', 'ws://test/g', { token: 't', heartbeat: { intervalMs: 30_000, timeoutMs: 5_000 } });
    await flush();
    const s = FakeSocket.last();
    s.accept();
    expect(pings(s)).toBe(0);
    window.dispatchEvent(new Event('online'));
    expect(pings(s)).toBe(1);
    svc.disconnectAll();
  });

  it('pings when the tab becomes visible, not when it is hidden', async () => {
    const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor });
    svc.open('guide', 'ws://test/g', { token: 't', heartbeat: { intervalMs: 30_000, timeoutMs: 5_000 } });
    await flush();
    const s = FakeSocket.last();
    s.accept();
    setVisibility('hidden');
    expect(pings(s)).toBe(0);
    setVisibility('visible');
    expect(pings(s)).toBe(1);
    svc.disconnectAll();
  });

  it('reconnects at once, skipping the backoff wait, on online', async () => {
    const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor });
    svc.open('guide', 'ws://test/g', { token: 't', backoff: { minDelayMs: 60_000, maxDelayMs: 60_000 } });
    await flush();
    FakeSocket.last().accept();
    FakeSocket.last().serverClose(1012, 'restart');
    await flush();
    const before = FakeSocket.instances.length;
    window.dispatchEvent(new Event('online'));
    await flush();
    expect(FakeSocket.instances.length).toBe(before + 1);
    svc.disconnectAll();
  });

  it('removes its listeners on dispose', async () => {
    const removeWindow = vi.spyOn(window, 'removeEventListener');
    const removeDocument = vi.spyOn(document, 'removeEventListener');
    const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor });
    svc.open('guide', 'ws://test/g', { token: 't' });
    svc.dispose();
    expect(removeWindow).toHaveBeenCalledWith('online', expect.any(Function));
    expect(removeDocument).toHaveBeenCalledWith('visibilitychange', expect.any(Function));
  });

  it('a service holds browser listeners only while it has connections (creating one has no side effect)', () => {
    const add = vi.spyOn(window, 'addEventListener');
    const remove = vi.spyOn(window, 'removeEventListener');
    add.mockClear(); // an earlier test's spy may still be installed
    remove.mockClear();
    const online = () => add.mock.calls.filter((c) => c[0] === 'online').length - remove.mock.calls.filter((c) => c[0] === 'online').length;
    const svc = new ChatService({ baseUrl: 'ws://test', WebSocket: FakeCtor });
    expect(online()).toBe(0);
    svc.open('guide', 'ws://test/g', { token: 't' });
    svc.open('liaison:content', 'ws://test/l', { token: 't' });
    expect(online()).toBe(1);
    svc.disconnect('guide');
    expect(online()).toBe(1);
    svc.disconnect('liaison:content'); // the last one
    expect(online()).toBe(0);
    svc.open('guide', 'ws://test/g', { token: 't' });
    expect(online()).toBe(1);
    svc.dispose();
    expect(online()).toBe(0);
    add.mockRestore();
    remove.mockRestore();
  });
});
