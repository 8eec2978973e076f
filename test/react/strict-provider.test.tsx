// @vitest-environment jsdom
// Item 8 of issue 8: StrictMode runs the provider's state initializer twice. No service the
// provider makes may outlive it: after unmount, every window `online` and document
// `visibilitychange` listener added is removed again, and no socket stays open.
import { StrictMode } from 'react';
import { cleanup, render, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketProvider } from '../../runtime/react/index.js';
import { useGuideChat, ChatProvider } from '../../runtime/chat/react.js';
import { TestServer } from '../client/helpers/test-server.js';

let server: TestServer;
beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await server.kill();
});

type Entry = { target: string; type: string; fn: unknown };

/** Records add/removeEventListener of `online` and `visibilitychange` on window and document. */
function watchListeners() {
  const added: Entry[] = [];
  const removed: Entry[] = [];
  for (const [name, target] of [
    ['window', window],
    ['document', document],
  ] as const) {
    const add = target.addEventListener.bind(target);
    const remove = target.removeEventListener.bind(target);
    vi.spyOn(target, 'addEventListener').mockImplementation((type: string, fn: EventListenerOrEventListenerObject | null, o?: boolean | AddEventListenerOptions) => {
      if (type === 'online' || type === 'visibilitychange') added.push({ target: name, type, fn });
      add(type, fn as EventListenerOrEventListenerObject, o);
    });
    vi.spyOn(target, 'removeEventListener').mockImplementation((type: string, fn: EventListenerOrEventListenerObject | null, o?: boolean | EventListenerOptions) => {
      if (type === 'online' || type === 'visibilitychange') removed.push({ target: name, type, fn });
      remove(type, fn as EventListenerOrEventListenerObject, o);
    });
  }
  /** Listeners added and not removed. */
  const leaked = () => added.filter((a) => !removed.some((r) => r.target === a.target && r.type === a.type && r.fn === a.fn));
  return { added, removed, leaked };
}

function Chat({ token }: { token: string }) {
  const c = useGuideChat(token);
  return <p>{c.status}</p>;
}

describe('WebSocketProvider under StrictMode', () => {
  it('after unmount no browser listener remains and no socket stays open', async () => {
    const w = watchListeners();
    const { container, unmount } = render(
      <StrictMode>
        <ChatProvider options={{ baseUrl: server.url }}>
          <Chat token="alice" />
        </ChatProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(container.textContent).toBe('open'));
    expect(w.added.map((a) => `${a.target}:${a.type}`).sort()).toEqual(['document:visibilitychange', 'window:online']); // one service listens
    expect(server.connections.size).toBe(1);
    unmount();
    await waitFor(() => expect(w.leaked()).toEqual([]));
    await waitFor(() => expect(server.connections.size).toBe(0));
  });

  it('a provider whose service is never used adds no listener; mount, unmount and mount again leave none behind', async () => {
    const w = watchListeners();
    const idle = render(
      <StrictMode>
        <ChatProvider options={{ baseUrl: server.url }}>
          <span>idle</span>
        </ChatProvider>
      </StrictMode>,
    );
    expect(w.added).toEqual([]);
    idle.unmount();
    for (const token of ['bob', 'carol']) {
      const { container, unmount } = render(
        <StrictMode>
          <ChatProvider options={{ baseUrl: server.url }}>
            <Chat token={token} />
          </ChatProvider>
        </StrictMode>,
      );
      await waitFor(() => expect(container.textContent).toBe('open'));
      unmount();
    }
    await waitFor(() => expect(w.leaked()).toEqual([]));
    await waitFor(() => expect(server.connections.size).toBe(0));
    expect(w.added.length).toBe(4); // two providers, each attached once
  });
});
