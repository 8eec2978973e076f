// Every client-side stream has a bounded wait: a stream whose handler stops mid-way (to the client, the same as a
// handler that died with its node: the stream end never comes) ends with RequestTimeoutError (REQUEST_TIMEOUT,
// phase 'stream-idle') after streams({ idleTimeoutMs }), and request() over it rejects at its own timeout.
// Against the real server (runtime/server) with a guide agent that streams two chunks and then goes silent.
import { afterEach, describe, expect, it } from 'vitest';
import { protocol } from '../../generated/ts/index.js';
import { heartbeat, requests, resume, streams, RequestTimeoutError, WebSocketClient, type StreamEvent, type WsClientError } from '../../runtime/client/index.js';
import type { AgentHandler } from '../../runtime/server/chat.js';
import { startServer } from '../server/helpers.js';
import { waitFor } from './helpers/wait.js';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

/** A guide agent that streams `n` chunks, then neither streams nor ends until the request is cancelled. */
const stalling =
  (n: number): AgentHandler =>
  (req) =>
    (async function* () {
      for (let i = 0; i < n; i++) yield `c${i} `;
      await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
    })();

async function setup(idleTimeoutMs: number) {
  const server = await startServer({ agents: { guide_agent: stalling(2) } });
  cleanup.push(() => server.close());
  const fill = { timestamp: () => new Date().toISOString() };
  const svc = new WebSocketClient(protocol, { baseUrl: 'ws://127.0.0.1:1', browserProbes: false, fill, capabilities: [heartbeat(), resume(), streams({ idleTimeoutMs }), requests()] });
  cleanup.push(() => svc.dispose());
  await svc.connect('guide', server.url('/api/ws/guide'), { token: server.issue() });
  return svc;
}

describe('stream deadlines (real server)', () => {
  it('a stream that stops before its end ends with REQUEST_TIMEOUT after the idle limit: a timeout stream event and an error event', async () => {
    const svc = await setup(300);
    const events: StreamEvent[] = [];
    const errors: WsClientError[] = [];
    svc.onStream('guide', (e) => events.push(e));
    svc.onError('guide', (e) => errors.push(e));
    const sent = svc.send('guide', 'user_message', { message: 'hello' });
    await waitFor(() => events.some((e) => e.kind === 'timeout'), 5000, 'the timeout event');
    expect(events.map((e) => e.kind)).toEqual(['chunk', 'chunk', 'timeout']);
    const state = svc.getStream('guide', sent.messageId);
    expect(state).toMatchObject({ text: 'c0 c1 ', chunks: ['c0 ', 'c1 '], complete: false });
    expect(state?.error).toBeInstanceOf(RequestTimeoutError);
    expect(state?.error).toMatchObject({ code: 'REQUEST_TIMEOUT', phase: 'stream-idle', timeoutMs: 300, messageId: sent.messageId, connectionId: 'guide' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(state?.error);
  });

  it('request() over a stream that never ends rejects with REQUEST_TIMEOUT at its own timeout', async () => {
    const svc = await setup(0); // idle limit off: request()'s own timeout bounds it
    const t0 = Date.now();
    const err = await svc.request('guide', { type: 'user_message', message: 'hello' }, { timeout: 400 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ code: 'REQUEST_TIMEOUT', phase: 'reply', timeoutMs: 400 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
  });

  it('chunks that keep coming never time out, and the stream completes', async () => {
    const server = await startServer();
    cleanup.push(() => server.close());
    const svc = new WebSocketClient(protocol, { baseUrl: 'ws://127.0.0.1:1', browserProbes: false, fill: { timestamp: () => new Date().toISOString() }, capabilities: [resume(), streams({ idleTimeoutMs: 200 }), requests()] });
    cleanup.push(() => svc.dispose());
    await svc.connect('guide', server.url('/api/ws/guide'), { token: server.issue() });
    const errors: WsClientError[] = [];
    svc.onError('guide', (e) => errors.push(e));
    const end = await svc.request('guide', { type: 'user_message', message: '/stream 20' }, { timeout: 5000 });
    expect(end.type).toBe('agent_complete');
    const state = svc.getStream('guide', String(end.message_id));
    expect(state).toMatchObject({ complete: true, contiguous: 20 });
    await new Promise((r) => setTimeout(r, 300)); // past the idle limit: a complete stream's timer is gone
    expect(state?.error).toBeUndefined();
    expect(svc.getStream('guide', String(end.message_id))?.error).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
