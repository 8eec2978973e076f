import type { Protocol } from '../../generated/ts/index.js';
// Integration against the real reference server (runtime/server, `wsgen serve`).
// Runs against the real reference server (dist/runtime/server, built by npm test).
// (needs a build: node scripts/build.mjs). A TCP proxy forces drops mid-stream.
import { ChatService } from '../../runtime/chat/client.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, WebSocketService, type ServerMessage } from '../../runtime/client/index.js';
import { CutProxy } from './helpers/proxy.js';
import { waitFor } from './helpers/wait.js';

const REPO = resolve(import.meta.dirname, '../..');
const SERVE = join(REPO, 'dist/runtime/server/serve.js');

interface Ref {
  proc: ChildProcess;
  port: number;
  token: string;
}

async function startRef(port = 0): Promise<Ref> {
  const proc = spawn(process.execPath, [join(REPO, 'bin/wsgen.js'), 'serve', '--port', String(port)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((ok, fail) => {
    const t = setTimeout(() => fail(new Error(`no banner:\n${out}`)), 15_000);
    const scan = (d: Buffer) => {
      out += d.toString();
      const u = /ws:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      const k = /dev token:\s*(\S+)/.exec(out);
      if (u?.[1] && k?.[1]) {
        clearTimeout(t);
        ok({ proc, port: Number(u[1]), token: k[1] });
      }
    };
    proc.stdout?.on('data', scan);
    proc.stderr?.on('data', scan);
  });
}

async function stopRef(r: Ref): Promise<void> {
  if (r.proc.exitCode !== null || r.proc.signalCode !== null) return;
  const done = new Promise((x) => r.proc.once('exit', x));
  r.proc.kill('SIGKILL');
  await done;
}

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()?.();
});

describe('reference server (runtime/server)', () => {
  it('is built (npm test builds dist/ first)', () => {
    expect(existsSync(SERVE), 'run `node scripts/build.mjs` before this test').toBe(true);
  });

  it('guide and liaison replies stream and assemble', async () => {
    const ref = await startRef();
    cleanup.push(() => stopRef(ref));
    const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${ref.port}` });
    cleanup.push(() => svc.dispose());
    await svc.connectToGuide(ref.token);
    const done = await svc.request('guide', { type: 'user_message', message: 'hello there' }, { timeout: 5000 });
    expect(done.type).toBe('agent_complete');
    expect(svc.getStream('guide', done.message_id as string)?.text).toContain('You said: hello there');
    await svc.connectToLiaison('operations', ref.token);
    const echo = await svc.request('liaison:operations', { type: 'user_message', message: '/echo hi', pillar: 'operations' }, { timeout: 5000 });
    expect(echo).toMatchObject({ type: 'agent_message' });
    expect(svc.getConnectionHealth('guide')).toMatchObject({ status: 'open', sessionId: expect.any(String) });
  });

  it('forced drop mid-stream (TCP cut), then resume: no chunk lost or duplicated', async () => {
    const ref = await startRef();
    cleanup.push(() => stopRef(ref));
    const proxy = await CutProxy.start(ref.port);
    cleanup.push(() => proxy.close());
    const svc = new ChatService({ baseUrl: proxy.url, defaults: { backoff: { minDelayMs: 50, maxDelayMs: 300 } } });
    cleanup.push(() => svc.dispose());
    const seen = new Map<number, number>();
    svc.subscribe('guide', 'agent_streaming', (m) => seen.set(m.stream_index, (seen.get(m.stream_index) ?? 0) + 1));
    let completes = 0;
    svc.subscribe('guide', 'agent_complete', () => completes++);
    await svc.connectToGuide(ref.token);
    const r = svc.sendMessage('guide', { type: 'user_message', message: '/stream 60' });
    await waitFor(() => seen.size >= 5, 5000, 'first chunks');
    proxy.cut();
    await waitFor(() => completes === 1, 10_000, 'agent_complete');
    await new Promise((x) => setTimeout(x, 200));
    expect(svc.getConnectionHealth('guide')).toMatchObject({ reconnectCount: 1, resume: 'resumed' });
    expect([...seen.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(svc.getStream('guide', r.messageId)).toMatchObject({ complete: true, contiguous: 60, dropped: 0 });
  });

  it('server killed and restarted (new token via the provider): queued messages answered exactly once', async () => {
    let ref = await startRef();
    const port = ref.port;
    cleanup.push(() => stopRef(ref));
    const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${port}`, defaults: { backoff: { minDelayMs: 50, maxDelayMs: 300 } } });
    cleanup.push(() => svc.dispose());
    const replies = new Map<string, number>();
    svc.onAny('guide', (m: ServerMessage<Protocol>) => {
      if (m.type === 'agent_message' && m.message_id) replies.set(m.message_id, (replies.get(m.message_id) ?? 0) + 1);
    });
    // Like an app's token endpoint: while the restarted server is coming up, the provider
    // waits for it and then returns its fresh token (an attempt with the old token would
    // get a 401, which is terminal by design).
    let restarted: Promise<Ref> | undefined;
    await svc.connectToGuide(async () => (restarted ? (await restarted).token : ref.token));
    await stopRef(ref);
    await waitFor(() => svc.getConnectionStatus('guide') === 'reconnecting', 3000, 'reconnecting');
    const sent = Array.from({ length: 8 }, (_, i) => svc.sendMessage('guide', { type: 'user_message', message: `/echo queued ${i}` }));
    expect(sent.every((s) => s.status === 'queued')).toBe(true);
    restarted = startRef(port);
    ref = await restarted;
    await waitFor(() => sent.every((s) => replies.get(s.messageId) === 1), 10_000, 'replies');
    await new Promise((x) => setTimeout(x, 300));
    expect(sent.map((s) => replies.get(s.messageId))).toEqual(sent.map(() => 1));
    expect(svc.getConnectionHealth('guide')).toMatchObject({ status: 'open', reconnectCount: 1, queued: 0 });
  });

  it('a bad token gets HTTP 401 and stops the retries', async () => {
    const ref = await startRef();
    cleanup.push(() => stopRef(ref));
    const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${ref.port}` });
    cleanup.push(() => svc.dispose());
    await expect(svc.connectToGuide('not-a-valid-token')).rejects.toBeInstanceOf(AuthError);
    await new Promise((x) => setTimeout(x, 1000));
    expect(svc.getConnectionHealth('guide')).toMatchObject({ status: 'failed', connectAttempts: 1 });
  });
});
