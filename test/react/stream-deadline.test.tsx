// @vitest-environment jsdom
// useStream and useRequest surface the client's bounded waits: a stream whose handler stops before its end (to the
// client, the same as a handler that died with its server node) ends with `error` (REQUEST_TIMEOUT), never an
// eternal `complete: false`; a request nothing ends sets `error` and clears `pending`. Against the real server.
import { type ReactNode } from 'react';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { protocol } from '../../generated/ts/index.js';
import { heartbeat, requests, resume, streams, WebSocketClient } from '../../runtime/client/index.js';
import { WebSocketProvider, useConnection, useRequest, useStream } from '../../runtime/react/index.js';
import type { AgentHandler } from '../../runtime/server/chat.js';
import { startServer } from '../server/helpers.js';

const after: Array<() => unknown> = [];
afterEach(async () => {
  cleanup();
  while (after.length) await after.pop()?.();
});

/** A guide agent that streams two chunks, then neither streams nor ends until the request is cancelled. */
const stalling: AgentHandler = (req) =>
  (async function* () {
    yield 'c0 ';
    yield 'c1 ';
    await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
  })();

async function setup() {
  const server = await startServer({ agents: { guide_agent: stalling } });
  after.push(() => server.close());
  const fill = { timestamp: () => new Date().toISOString() };
  const svc = new WebSocketClient(protocol, { baseUrl: 'ws://127.0.0.1:1', browserProbes: false, fill, capabilities: [heartbeat(), resume(), streams({ idleTimeoutMs: 300 }), requests()] });
  after.push(() => svc.dispose());
  const wrapper = ({ children }: { children: ReactNode }) => <WebSocketProvider service={svc}>{children}</WebSocketProvider>;
  return { server, svc, wrapper, token: server.issue() };
}

describe('useStream / useRequest deadlines (real server)', () => {
  it('useStream of a stream that stops mid-way gets error REQUEST_TIMEOUT; useRequest gets the request timeout, pending false', async () => {
    const t = await setup();
    const { result } = renderHook(
      () => {
        const c = useConnection('guide', t.server.url('/api/ws/guide'), { token: t.token });
        const r = useRequest<typeof protocol, 'timestamp'>('guide', 600);
        return { c, r, s: useStream('guide', 'req-1') };
      },
      { wrapper: t.wrapper },
    );
    await waitFor(() => expect(result.current.c.status).toBe('open'));
    let p: Promise<unknown> = Promise.resolve();
    act(() => {
      p = result.current.r.request({ type: 'user_message', message: 'hello', message_id: 'req-1' }).catch(() => undefined);
    });
    expect(result.current.r.pending).toBe(true);
    await waitFor(() => expect(result.current.s?.error?.code).toBe('REQUEST_TIMEOUT'), { timeout: 5000 });
    expect(result.current.s).toMatchObject({ complete: false, chunks: ['c0 ', 'c1 '], text: 'c0 c1 ' });
    expect(result.current.s?.error?.phase).toBe('stream-idle');
    await act(() => p);
    await waitFor(() => expect(result.current.r.pending).toBe(false), { timeout: 5000 });
    expect(result.current.r.error?.code).toBe('REQUEST_TIMEOUT'); // typed: WsClientError, no cast
  });
});
