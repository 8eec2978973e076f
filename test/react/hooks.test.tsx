// @vitest-environment jsdom
import { ChatService } from '../../runtime/chat/client.js';
import { StrictMode, type ReactNode } from 'react';
import { act, cleanup, render, renderHook, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketService } from '../../runtime/client/index.js';
import { WebSocketProvider, useWebSocketService } from '../../runtime/react/index.js';
import { useGuideChat, useLiaisonChat, ChatProvider } from '../../runtime/chat/react.js';
import { TestServer } from '../client/helpers/test-server.js';
import type { PillarType } from '../../generated/ts/index.js';

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

describe('useGuideChat', () => {
  it('opens one socket under StrictMode, exchanges messages, survives re-renders', async () => {
    const { result, rerender } = renderHook(() => useGuideChat('alice'), { wrapper: strict });
    await waitFor(() => expect(result.current.status).toBe('open'));
    for (let i = 0; i < 5; i++) rerender();
    expect(server.attempts).toBe(1);
    expect(server.connections.size).toBe(1);
    let r: ReturnType<typeof result.current.sendMessage> = null;
    act(() => {
      r = result.current.sendMessage('hello');
    });
    expect(r).toMatchObject({ status: 'sent' });
    await waitFor(() => expect(result.current.messages.map((m) => [m.role, m.text])).toEqual([['user', 'hello'], ['agent', 'echo: hello']]));
    expect(result.current.messages[1]?.messageId).toBe(result.current.messages[0]?.messageId);
    expect(result.current.health).toMatchObject({ id: 'guide', status: 'open' });
    expect(server.attempts).toBe(1);
  });

  it('exposes the partial streaming text, then the final reply', async () => {
    const { result } = renderHook(() => useGuideChat('bob'), { wrapper: strict });
    await waitFor(() => expect(result.current.status).toBe('open'));
    const partials = new Set<string>();
    act(() => void result.current.sendMessage('stream:6:30'));
    await waitFor(() => {
      if (result.current.streamingText) partials.add(result.current.streamingText);
      expect(result.current.messages.some((m) => m.role === 'agent')).toBe(true);
    });
    expect(result.current.messages.find((m) => m.role === 'agent')?.text).toBe('c0 c1 c2 c3 c4 c5 ');
    expect(result.current.streamingText).toBe('');
    expect(partials.size).toBeGreaterThan(0);
    for (const p of partials) expect('c0 c1 c2 c3 c4 c5 '.startsWith(p)).toBe(true);
  });

  it('queues while disconnected and marks the message sent after the reconnect', async () => {
    const { result } = renderHook(() => useGuideChat('carol'), { wrapper: strict });
    await waitFor(() => expect(result.current.status).toBe('open'));
    await act(async () => {
      await server.kill();
    });
    await waitFor(() => expect(result.current.status).not.toBe('open'));
    act(() => void result.current.sendMessage('while offline'));
    expect(result.current.messages[0]).toMatchObject({ delivery: 'queued' });
    await act(async () => {
      server = await server.restart();
    });
    await waitFor(() => expect(result.current.messages.map((m) => m.text)).toContain('echo: while offline'), { timeout: 5000 });
    expect(result.current.messages[0]).toMatchObject({ delivery: 'sent' });
    expect(server.userMessages().length).toBe(1);
  });

  it('reports an invalid message through error and sends nothing', async () => {
    const { result } = renderHook(() => useGuideChat('dan'), { wrapper: strict });
    await waitFor(() => expect(result.current.status).toBe('open'));
    act(() => void result.current.sendMessage(''));
    expect(result.current.error?.code).toBe('INVALID_MESSAGE');
    expect(result.current.messages).toEqual([]);
  });

  it('cleans up on unmount (after the StrictMode grace) and closes the socket', async () => {
    const { result, unmount } = renderHook(() => useGuideChat('erin'), { wrapper: strict });
    await waitFor(() => expect(result.current.status).toBe('open'));
    unmount();
    await waitFor(() => expect(service.connectionIds()).toEqual([]));
    await waitFor(() => expect(server.connections.size).toBe(0));
  });
});

describe('useLiaisonChat', () => {
  it('switches connections with the pillar and shares one service', async () => {
    const { result, rerender } = renderHook(({ pillar }: { pillar: PillarType }) => ({ chat: useLiaisonChat(pillar, 'fay'), svc: useWebSocketService() }), {
      wrapper: strict,
      initialProps: { pillar: 'content' as PillarType },
    });
    expect(result.current.svc).toBe(service);
    await waitFor(() => expect(result.current.chat.status).toBe('open'));
    act(() => void result.current.chat.sendMessage('about content'));
    await waitFor(() => expect(result.current.chat.messages.map((m) => m.text)).toContain('echo: about content'));
    expect(server.userMessages()[0]).toMatchObject({ agent: 'content_liaison', pillar: 'content' });
    rerender({ pillar: 'insights' });
    expect(result.current.chat.connectionId).toBe('liaison:insights');
    expect(result.current.chat.messages).toEqual([]);
    await waitFor(() => expect(result.current.chat.status).toBe('open'));
    await waitFor(() => expect(service.connectionIds()).toEqual(['liaison:insights']));
    expect(server.attempts).toBe(2);
  });

  it('two components using the same chat share one socket', async () => {
    function Both() {
      const a = useGuideChat('gus');
      const b = useGuideChat('gus');
      return (
        <p>
          {a.status}/{b.status}
        </p>
      );
    }
    const { container } = render(<Both />, { wrapper: strict });
    await waitFor(() => expect(container.textContent).toBe('open/open'));
    expect(server.attempts).toBe(1);
  });
});

describe('WebSocketProvider', () => {
  it('creates and disposes its own service, StrictMode-safe', async () => {
    let seen: ChatService | null = null;
    function Probe() {
      seen = useWebSocketService();
      const c = useGuideChat('hal');
      return <p>{c.status}</p>;
    }
    const { container, unmount } = render(
      <StrictMode>
        <ChatProvider options={{ baseUrl: server.url }}>
          <Probe />
        </ChatProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(container.textContent).toBe('open'));
    expect(server.attempts).toBe(1);
    unmount();
    await waitFor(() => expect((seen as ChatService | null)?.connectionIds()).toEqual([]));
  });

  it('throws a helpful error without a provider', () => {
    expect(() => renderHook(() => useWebSocketService())).toThrow(/no <WebSocketProvider>/);
  });
});
