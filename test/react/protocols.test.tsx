// @vitest-environment jsdom
// One React suite, every protocol: the generic hooks against the bundled protocol,
// the whiteboard (tag op) and mini (no roles), each with its small adapter and the
// scripted server of test/client/helpers/protocols.ts. Under StrictMode throughout.
import { StrictMode, type ReactNode } from 'react';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketClient, WebSocketService, type ProtocolDescriptor, type WebSocketCtor, type WireMessage } from '../../runtime/client/index.js';
import { WebSocketProvider, useConnection, useMessages, useRequest, useStream } from '../../runtime/react/index.js';
import { adapters, closeServers, serve, type Adapter } from '../client/helpers/protocols.js';

let service: WebSocketClient<ProtocolDescriptor, string> | null = null;
afterEach(async () => {
  cleanup();
  service?.dispose();
  service = null;
  await closeServers();
});

/** A provider of a WebSocketService, or with `bare` of a WebSocketClient without plugins. */
function wrapper(a: Adapter, bare = false): (p: { children: ReactNode }) => ReactNode {
  const options = { browserProbes: false, WebSocket: WebSocket as unknown as WebSocketCtor, ...(a.fill ? { fill: a.fill } : {}) };
  service = bare ? new WebSocketClient<ProtocolDescriptor, string>(a.protocol, options) : new WebSocketService<ProtocolDescriptor, string>(a.protocol, options);
  const svc = service;
  return ({ children }) => (
    <StrictMode>
      <WebSocketProvider service={svc}>{children}</WebSocketProvider>
    </StrictMode>
  );
}

describe.each(adapters)('generic hooks, protocol $name', (a) => {
  const tag = a.protocol.tag;
  const answerType = a.answer(a.request)[tag] as string;

  it('useConnection opens one socket under StrictMode and reports open; useMessages collects the answers of one type', async () => {
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.answer(m))));
    const { result } = renderHook(
      () => ({ conn: useConnection('c', srv.url), msgs: useMessages<ProtocolDescriptor, string>('c', answerType) }),
      { wrapper: wrapper(a) },
    );
    await waitFor(() => expect(result.current.conn.status).toBe('open'));
    act(() => void service?.sendMessage('c', a.request as never));
    await waitFor(() => expect(result.current.msgs).toHaveLength(1));
    expect((result.current.msgs[0] as WireMessage)[tag]).toBe(answerType);
    expect(srv.sockets).toHaveLength(1);
  });

  it('useRequest resolves with the reply carrying the request correlation, or times out where the protocol has none', async () => {
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.answer(m))));
    const { result } = renderHook(() => ({ conn: useConnection('c', srv.url), req: useRequest<ProtocolDescriptor, string>('c', 300) }), { wrapper: wrapper(a) });
    await waitFor(() => expect(result.current.conn.status).toBe('open'));
    await act(async () => {
      await result.current.req.request(a.request as never).catch(() => undefined);
    });
    if (a.protocol.fields['correlation-id'] !== undefined) expect((result.current.req.reply as WireMessage | null)?.[tag]).toBe(answerType);
    else expect(result.current.req.error?.name).toBe('RequestTimeoutError');
    expect(result.current.req.pending).toBe(false);
  });

  // Only protocols with the stream roles have streams (mini's capabilities test asserts their absence).
  if (a.stream !== null) it('useStream follows the stream answering a request to its end', async () => {
    const idField = a.protocol.fields['correlation-id'] ?? '';
    const srv = await serve(a, (sock, m) => {
      for (const part of a.stream?.(m[idField] as string) ?? []) sock.send(JSON.stringify(part));
    });
    const w = wrapper(a);
    const conn = renderHook(() => useConnection('c', srv.url), { wrapper: w });
    await waitFor(() => expect(conn.result.current.status).toBe('open'));
    let id = '';
    act(() => {
      id = service?.sendMessage('c', a.request as never).messageId ?? '';
    });
    const { result } = renderHook(() => useStream('c', id), { wrapper: w });
    await waitFor(() => expect(result.current).toMatchObject({ text: 'ab', complete: true }));
  });

  it('the hooks take a WebSocketClient without plugins: useConnection and useMessages work, useRequest reports the missing plugin as its error', async () => {
    const srv = await serve(a, (sock, m) => sock.send(JSON.stringify(a.answer(m))));
    const { result } = renderHook(
      () => ({ conn: useConnection('c', srv.url), msgs: useMessages<ProtocolDescriptor, string>('c', answerType), req: useRequest<ProtocolDescriptor, string>('c', 300) }),
      { wrapper: wrapper(a, true) },
    );
    await waitFor(() => expect(result.current.conn.status).toBe('open'));
    await act(async () => {
      await expect(result.current.req.request(a.request as never)).rejects.toThrow(/requests\(\) plugin/);
    });
    expect(result.current.req).toMatchObject({ pending: false, reply: null });
    expect(result.current.req.error).toMatchObject({ code: 'USAGE_ERROR', thrown: 'TypeError' });
    expect(result.current.req.error?.cause).toBeInstanceOf(TypeError);
    act(() => void service?.sendMessage('c', a.request as never));
    await waitFor(() => expect(result.current.msgs).toHaveLength(1));
    expect(srv.received.filter((m) => m[tag] === a.request[tag])).toHaveLength(1);
  });
});
