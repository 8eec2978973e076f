// @vitest-environment jsdom
// Item 7 of issue 8: hooks must not depend on the identity of inline functions or option
// objects. Every hook and the provider get values re-created on every render (an inline
// token provider, inline options); renders stay bounded and the server is contacted once.
import { ChatService } from '../../runtime/chat/client.js';
import { StrictMode, useState, type ReactNode } from 'react';
import { act, cleanup, render, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WsSocket from 'ws';
import { WebSocketService, type WebSocketCtor } from '../../runtime/client/index.js';
import { WebSocketProvider, useConnectionsHealth, useWebSocketService } from '../../runtime/react/index.js';
import { useGuideChat, useLiaisonChat, ChatProvider } from '../../runtime/chat/react.js';
import { TestServer } from '../client/helpers/test-server.js';

let server: TestServer;
let service: ChatService;

beforeEach(async () => {
  server = await TestServer.start();
  service = new ChatService({ baseUrl: server.url, defaults: { backoff: { minDelayMs: 20, maxDelayMs: 200 } } });
});
afterEach(async () => {
  cleanup();
  service.dispose();
  await server.kill();
});

const strict = ({ children }: { children: ReactNode }) => (
  <StrictMode>
    <WebSocketProvider service={service}>{children}</WebSocketProvider>
  </StrictMode>
);

/** Waits for the echo of one message: the connection works end to end. */
async function roundTrip(result: { current: { sendMessage: (t: string) => unknown; messages: { text: string }[] } }, text: string) {
  act(() => void result.current.sendMessage(text));
  await waitFor(() => expect(result.current.messages.map((m) => m.text)).toContain(`echo: ${text}`));
}

// A connect goes through connecting, authenticating, resuming and open, each with a health refresh,
// and StrictMode renders twice: measured 8-22 renders per test. A loop is unbounded.
const MAX_RENDERS = 40;

/** Counts a render; a render loop fails fast instead of hanging the test. */
function counted(counter: { n: number }): void {
  if (++counter.n > 400) throw new Error('render loop: more than 400 renders');
}

describe('inline functions and option objects', () => {
  it('useGuideChat(() => token, inline options) connects once with a bounded number of renders', async () => {
    const renders = { n: 0 };
    const { result, rerender } = renderHook(
      () => {
        counted(renders);
        return useGuideChat(() => 'alice', { connection: { heartbeat: { intervalMs: 30_000, timeoutMs: 5_000 } }, healthIntervalMs: 60_000, maxMessages: 100 });
      },
      { wrapper: strict },
    );
    await waitFor(() => expect(result.current.status).toBe('open'));
    await roundTrip(result, 'hi');
    for (let i = 0; i < 5; i++) rerender();
    expect(renders.n).toBeLessThan(MAX_RENDERS + 10);
    expect(server.attempts).toBe(1);
    expect(server.connections.size).toBe(1);
  });

  it('useLiaisonChat(pillar, async () => token, inline options) connects once with a bounded number of renders', async () => {
    const renders = { n: 0 };
    const { result } = renderHook(
      () => {
        counted(renders);
        return useLiaisonChat('content', async () => 'bob', { connection: { backoff: { minDelayMs: 20 } }, healthIntervalMs: 60_000 });
      },
      { wrapper: strict },
    );
    await waitFor(() => expect(result.current.status).toBe('open'));
    await roundTrip(result, 'about content');
    expect(renders.n).toBeLessThan(MAX_RENDERS);
    expect(server.attempts).toBe(1);
  });

  it('useConnectionsHealth beside an inline-token chat stays bounded', async () => {
    const renders = { n: 0 };
    const { result } = renderHook(
      () => {
        counted(renders);
        return { chat: useGuideChat(() => 'carol', { healthIntervalMs: 60_000 }), all: useConnectionsHealth(60_000) };
      },
      { wrapper: strict },
    );
    await waitFor(() => expect(result.current.all.map((h) => h.status)).toEqual(['open']));
    expect(renders.n).toBeLessThan(MAX_RENDERS + 10);
    expect(server.attempts).toBe(1);
  });

  it('a provider given inline options on every render keeps one service and one socket', async () => {
    const seen = new Set<WebSocketService>();
    const renders = { n: 0 };
    function Chat() {
      counted(renders);
      seen.add(useWebSocketService());
      const c = useGuideChat(() => 'dave', { healthIntervalMs: 60_000 });
      return <p>{c.status}</p>;
    }
    let bump: () => void = () => {};
    function App() {
      const [n, setN] = useState(0);
      bump = () => setN(n + 1);
      return (
        <ChatProvider options={{ baseUrl: server.url, defaults: { backoff: { minDelayMs: 20 } } }}>
          <Chat />
          <i>{n}</i>
        </ChatProvider>
      );
    }
    const { container } = render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
    await waitFor(() => expect(container.querySelector('p')?.textContent).toBe('open'));
    for (let i = 0; i < 5; i++) act(() => bump());
    expect(seen.size).toBe(1);
    expect(renders.n).toBeLessThan(MAX_RENDERS + 10);
    expect(server.attempts).toBe(1);
  });
});

describe('token changes', () => {
  for (const kind of ['string', 'function'] as const) {
    it(`a new ${kind} token keeps the socket and is used on the next reconnect`, async () => {
      const tokenOf = (t: string) => (kind === 'string' ? t : () => t);
      const { result, rerender } = renderHook(({ token }: { token: string }) => useGuideChat(tokenOf(token)), { wrapper: strict, initialProps: { token: 'erin' } });
      await waitFor(() => expect(result.current.status).toBe('open'));
      rerender({ token: 'erin2' });
      await roundTrip(result, 'same socket');
      expect(server.attempts).toBe(1);
      server.drop(); // the next connect must carry the new token
      await waitFor(() => expect(server.store.has('erin2')).toBe(true));
      await waitFor(() => expect(result.current.status).toBe('open'));
    });
  }

  it('a new string token reopens a connection that failed on the old one (auth)', async () => {
    // The `ws` socket sees the HTTP 401 (a browser socket would only see 1006 and keep retrying).
    service.dispose();
    service = new ChatService({ baseUrl: server.url, WebSocket: WsSocket as unknown as WebSocketCtor, defaults: { backoff: { minDelayMs: 20, maxDelayMs: 200 } } });
    const { result, rerender } = renderHook(({ token }: { token: string }) => useGuideChat(token), { wrapper: strict, initialProps: { token: 'bad' } });
    await waitFor(() => expect(result.current.status).toBe('failed'));
    expect(result.current.error?.code).toBe('AUTH_FAILED');
    rerender({ token: 'frank' });
    await waitFor(() => expect(result.current.status).toBe('open'));
  });
});
