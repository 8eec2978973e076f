// The frame clock (runtime/server/clock.ts): the frames of one socket read that
// the ws adapter reports as `continued` share the epoch reading of the read's
// first frame and the latest monotonic reading, at most MAX_SHARED_READING
// frames to a reading; every other frame reads both clocks. The chat app's
// handler-duration histogram still observes every handled message once.
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { protocol as bundled, type Protocol } from '../../generated/ts/index.js';
import { InMemorySessionValidator, tokenProtocols } from '../../runtime/server/auth.js';
import { FrameClock, latestReading, MAX_SHARED_READING, readClock } from '../../runtime/server/clock.js';
import { createServer, type WsgenServer } from '../../runtime/server/ws.js';

/** Busy-waits until performance.now() moved on (the monotonic clock has sub-millisecond resolution). */
function tick(): void {
  const t = performance.now();
  while (performance.now() === t) {
    /* spin */
  }
}

describe('FrameClock', () => {
  it('a frame that is not continued reads both clocks', () => {
    const clock = new FrameClock();
    const before = Date.now();
    const a = { ...clock.frame(false) };
    expect(a.now).toBeGreaterThanOrEqual(before);
    expect(a.at).toBe(latestReading());
    tick();
    const b = { ...clock.frame(false) };
    expect(b.at).toBeGreaterThan(a.at);
    expect(b.at).toBe(latestReading());
  });

  it('a continued frame shares the epoch reading of the first frame and the latest monotonic reading', () => {
    const clock = new FrameClock();
    const first = { ...clock.frame(false) };
    tick();
    const same = { ...clock.frame(true) };
    expect(same).toEqual(first); // nothing read the clock in between: the first frame's readings
    tick();
    const end = readClock(); // a handler's end reading (the chat app's histogram)
    const next = { ...clock.frame(true) };
    expect(next.at).toBe(end);
    expect(next.now).toBe(first.now);
  });

  it(`at most ${MAX_SHARED_READING} frames share a reading; the next one reads the clock again`, () => {
    const clock = new FrameClock();
    const first = clock.frame(false).at;
    for (let i = 1; i < MAX_SHARED_READING; i++) {
      tick();
      expect(clock.frame(true).at).toBe(first);
    }
    tick();
    expect(clock.frame(true).at).toBeGreaterThan(first);
  });

  it('the first frame a clock handles reads it, even when reported as continued', () => {
    tick();
    const before = performance.now();
    const t = new FrameClock().frame(true);
    expect(t.at).toBeGreaterThanOrEqual(before);
    expect(t.now).toBeGreaterThan(0);
  });
});

describe('the ws adapter reports the frames of one read as continued', () => {
  let server: WsgenServer<Protocol> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A generic server whose user_message handler records each frame's monotonic reading and reads no clock itself. */
  async function recordingServer(coalesceWrites: boolean) {
    const validator = new InMemorySessionValidator({ defaultRealm: 'experience' });
    const seen: { id: string; at: number }[] = [];
    const s = await createServer({
      protocol: bundled,
      validator,
      heartbeatIntervalMs: 0,
      rateLimit: false,
      coalesceWrites,
      endpoints: { guide: { path: '/guide' } },
      decorate: (m, scope) => {
        m['timestamp'] = new Date().toISOString();
        if (m['type'] === 'session_created' && scope !== undefined) Object.assign(m, { realm: scope.session.realm, agent: 'guide_agent' });
      },
      handlers: {
        user_message: (m, c, _now, at) => {
          seen.push({ id: m.message_id!, at });
          c.reply({ type: 'system_message', timestamp: new Date().toISOString(), message_id: m.message_id, message: 'ok' });
        },
      },
    });
    server = s;
    const ws = new WebSocket(s.url('/guide'), tokenProtocols(validator.issue().token));
    const replies: string[] = [];
    let wake: (() => void) | undefined;
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { type: string; message_id?: string };
      if (m.type === 'system_message') replies.push(m.message_id!);
      wake?.();
    });
    await new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j)));
    const frame = (id: string) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: id, message: 'hi' });
    const sock = (ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    return {
      seen,
      /** Sends the frames in one write of the client (one read of the server) and waits for their replies. */
      async sendInOneWrite(ids: string[]): Promise<void> {
        sock.cork();
        for (const id of ids) ws.send(frame(id));
        sock.uncork();
        while (!ids.every((id) => replies.includes(id))) await new Promise<void>((r) => (wake = r));
      },
      close: () => ws.close(),
    };
  }

  it('frames of one read share the first one’s reading; a frame in a later read reads the clock again', async () => {
    const s = await recordingServer(true);
    await s.sendInOneWrite(['a1', 'a2', 'a3']);
    await s.sendInOneWrite(['b1']);
    expect(s.seen.map((x) => x.id)).toEqual(['a1', 'a2', 'a3', 'b1']);
    const [a1, a2, a3, b1] = s.seen.map((x) => x.at);
    expect(a2).toBe(a1);
    expect(a3).toBe(a1);
    expect(b1).toBeGreaterThan(a1!);
    s.close();
  });

  it('coalesceWrites: false reports no frame as continued: each reads the clock', async () => {
    const s = await recordingServer(false);
    await s.sendInOneWrite(['a1', 'a2', 'a3']);
    const [a1, a2, a3] = s.seen.map((x) => x.at);
    expect(a2).toBeGreaterThan(a1!);
    expect(a3).toBeGreaterThan(a2!);
    s.close();
  });
});

describe('the chat app times every handled message once', () => {
  it('pipelined frames (one read, sharing readings) are each observed in the handler-duration histogram', async () => {
    const { startServer, connect, ts } = await import('./helpers.js');
    const { echoAgent } = await import('../../runtime/server/chat/reference.js');
    const t = await startServer({ agents: { guide_agent: echoAgent }, rateLimit: false, maxInFlight: 1000 });
    try {
      const c = await connect(t.url('/api/ws/guide'), t.issue());
      await c.nextOfType('session_created');
      const n = 40;
      const sock = (c.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
      sock.cork();
      for (let i = 0; i < n; i++) c.ws.send(JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: `h${i}`, message: `m${i}` }));
      sock.uncork();
      for (let i = 0; i < n; i++) expect((await c.nextOfType('agent_message')).message_id).toBe(`h${i}`);
      const text = await t.server.core.metrics.text();
      expect(text).toContain(`wsgen_handler_duration_seconds_count{agent="guide_agent",outcome="ok"} ${n}`);
      expect(text).toContain(`wsgen_handler_duration_seconds_bucket{agent="guide_agent",outcome="ok",le="+Inf"} ${n}`);
      const sum = Number(/wsgen_handler_duration_seconds_sum\{agent="guide_agent",outcome="ok"\} (\S+)/.exec(text)?.[1]);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(n * 30);
    } finally {
      await t.close();
    }
  });
});
