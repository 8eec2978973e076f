// Graceful shutdown: every path settles (no clients, one, many, a client
// leaving before or during the shutdown, close() twice), in this process and in
// a child Node process where an unsettled close() would exit 13; and while the
// server shuts down, new clients get HTTP 503 with Retry-After.
import { execFile } from 'node:child_process';
import { connect as tcpConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tokenProtocols } from '../../runtime/server/auth.js';
import type { FlushedStream } from '../../runtime/server/options.js';
import { connect, httpGet, invalidInbound, startServer, type TestServer } from './helpers.js';

afterEach(() => expect(invalidInbound).toEqual([]));

/** Resolves with p's value, or rejects when p has not settled within `ms`. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    t = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(t));
}

async function serverWithFlush(shutdown: { jitterMs: number; deadlineMs: number }): Promise<{ t: TestServer; flushes: FlushedStream[][] }> {
  const flushes: FlushedStream[][] = [];
  const t = await startServer({ shutdown: { code: 1012, ...shutdown }, heartbeatIntervalMs: 0, onFlush: (s) => void flushes.push(s) });
  return { t, flushes };
}

async function clients(t: TestServer, n: number) {
  const cs = await Promise.all(Array.from({ length: n }, () => connect(t.url('/api/ws/guide'), t.issue())));
  for (const c of cs) await c.nextOfType('session_created');
  return cs;
}

describe('close() settles on every path', () => {
  it('with no clients', async () => {
    const { t, flushes } = await serverWithFlush({ jitterMs: 1000, deadlineMs: 3000 });
    await within(t.close(), 5000, 'close()');
    expect(flushes).toEqual([[]]);
  });

  it('with one client and with many, each closed with 1012', async () => {
    for (const n of [1, 8]) {
      const { t, flushes } = await serverWithFlush({ jitterMs: 300, deadlineMs: 3000 });
      const cs = await clients(t, n);
      await within(t.close(), 8000, `close() with ${n} clients`);
      for (const c of cs) expect((await c.closed).code).toBe(1012);
      expect(flushes).toHaveLength(1);
      expect(flushes[0]).toHaveLength(n);
    }
  });

  it('when the last client disconnects just before close()', async () => {
    const { t, flushes } = await serverWithFlush({ jitterMs: 1000, deadlineMs: 3000 });
    const [c] = await clients(t, 1);
    c!.ws.close();
    await within(t.close(), 8000, 'close()');
    expect(flushes).toHaveLength(1);
  });

  it('when a client leaves during the shutdown, without waiting for its turn in the jitter window', async () => {
    // One client and a long jitter window: its turn could come at any time in 20 s; it leaves at once.
    const { t, flushes } = await serverWithFlush({ jitterMs: 20_000, deadlineMs: 30_000 });
    const [c] = await clients(t, 1);
    const closing = t.close();
    c!.ws.close(1000);
    await within(closing, 5000, 'close() after the client left'); // its turn could have come 20 s later
    expect((await c!.closed).code).toBe(1000);
    expect(flushes).toHaveLength(1);
  });

  it('when close() is called twice (same promise, one flush)', async () => {
    const { t, flushes } = await serverWithFlush({ jitterMs: 100, deadlineMs: 3000 });
    await clients(t, 2);
    const a = t.close();
    const b = t.close();
    expect(b).toBe(a);
    expect(t.server.core.close()).toBe(t.server.core.close());
    await within(Promise.all([a, b]), 8000, 'both close() calls');
    expect(flushes).toHaveLength(1);
  });

  it('in a child Node process where nothing else holds the event loop (an unsettled close() exits 13)', async () => {
    const script = join(import.meta.dirname, 'fixtures/close-race.mjs');
    for (const n of ['0', '1', '3']) {
      const r = await promisify(execFile)(process.execPath, [script, n], { timeout: 15_000 }).catch((e: { code?: number; stdout?: string; stderr?: string }) => e);
      expect({ clients: n, code: 'code' in r ? r.code : 0, out: r.stdout?.trim() }).toEqual({ clients: n, code: 0, out: `{"settled":true,"flushed":${n}}` });
    }
  });
});

/** A client that completes the upgrade and then ignores everything: it never answers the server's close frame. */
function stubbornClient(port: number, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = tcpConnect(port, '127.0.0.1', () => {
      s.write(
        'GET /api/ws/guide HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${tokenProtocols(token).join(', ')}\r\n\r\n`,
      );
    });
    let head = '';
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      s.off('data', onData);
      s.resume(); // read and ignore every frame
      if (head.startsWith('HTTP/1.1 101')) resolve(s);
      else reject(new Error(head));
    };
    s.on('data', onData);
    s.on('error', reject);
  });
}

/** The status and Retry-After of an upgrade attempt, or the connection error code. */
function tryUpgrade(url: string, token: string): Promise<{ status: number; retryAfter?: string | undefined } | { error: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, tokenProtocols(token));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      resolve({ status: 101 });
      ws.close();
    });
    ws.once('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

describe('while shutting down', () => {
  it('the listener stays open: upgrades and /healthz get 503 with Retry-After; once closed, the port refuses', async () => {
    const { t, flushes } = await serverWithFlush({ jitterMs: 0, deadlineMs: 10_000 });
    const port = t.server.address().port;
    const url = t.url('/api/ws/guide');
    // A client that never finishes the closing handshake holds the shutdown open until it is destroyed.
    const stubborn = await stubbornClient(port, t.issue());
    const closing = t.close();
    expect(await tryUpgrade(url, t.issue())).toEqual({ status: 503, retryAfter: '10' });
    const health = await httpGet(t.server, '/healthz');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'closing' });
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      fetch(`http://127.0.0.1:${port}/healthz`).then((r) => resolve(Object.fromEntries(r.headers)), reject);
    });
    expect(headers['retry-after']).toBe('10');
    expect(flushes).toEqual([]); // still shutting down
    stubborn.destroy();
    await within(closing, 5000, 'close() once the stubborn client is gone'); // not the 10 s deadline
    expect(await tryUpgrade(url, t.issue())).toEqual({ error: 'ECONNREFUSED' });
  });

  it('an attached server (an existing HTTP server) also answers 503 during the shutdown, then stops handling upgrades', async () => {
    const { createServer: createHttp } = await import('node:http');
    const http = createHttp();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const attached = await startServer({ server: http, shutdown: { jitterMs: 0, deadlineMs: 10_000 }, heartbeatIntervalMs: 0 });
    const port = (http.address() as { port: number }).port;
    const url = `ws://127.0.0.1:${port}/api/ws/guide`;
    const stubborn = await stubbornClient(port, attached.issue());
    const closing = attached.close();
    expect(await tryUpgrade(url, attached.issue())).toEqual({ status: 503, retryAfter: '10' });
    stubborn.destroy();
    await within(closing, 5000, 'close()');
    expect(http.listenerCount('upgrade')).toBe(0);
    await new Promise<void>((r) => http.close(() => r()));
  });
});
