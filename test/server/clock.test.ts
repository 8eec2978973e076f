// The frame clock (runtime/server/clock.ts): the frames of one socket read that
// the ws adapter reports as `continued` share the epoch reading of the read's
// first frame and the server's latest monotonic reading, at most
// MAX_SHARED_READING frames to a reading (counting the first); every other
// frame reads both clocks. Each server has its own clock, which handlers see as
// `connection.clock`. The handler-duration histogram (the chat app's, and the
// generic server's) still observes every handled message once, from its frame's
// reading to its end reading.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { protocol as bundled, type Protocol } from '../../generated/ts/index.js';
import { InMemorySessionValidator, tokenProtocols } from '../../runtime/server/auth.js';
import { makeChatServer, chatSessionValidator } from '../../runtime/server/chat/server.js';
import { echoAgent } from '../../runtime/server/chat/reference.js';
import { FrameClock, MAX_SHARED_READING } from '../../runtime/server/clock.js';
import type { AcceptedHandshake, ServerCore } from '../../runtime/server/core.js';
import { makeServer } from '../../runtime/server/core.js';
import { silentLogger } from '../../runtime/server/logger.js';
import type { MessageHandler } from '../../runtime/server/options.js';
import type { Decorate, Message } from '../../runtime/server/roles.js';
import type { TransportSocket } from '../../runtime/server/types.js';
import { createServer, type WsgenServer } from '../../runtime/server/ws.js';
import { connect, sendInOneWrite, ts, withGuideClient } from './helpers.js';

/** Busy-waits until performance.now() moved on (the monotonic clock has sub-millisecond resolution). */
function tick(): void {
  const t = performance.now();
  while (performance.now() === t) {
    /* spin */
  }
}

const userMessage = (id: string): string => JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: id, message: 'hi' });

describe('FrameClock', () => {
  it('a frame that is not continued reads both clocks', () => {
    const clock = new FrameClock();
    const before = Date.now();
    clock.frame(false);
    const a = clock.frameAt;
    expect(clock.now).toBeGreaterThanOrEqual(before);
    tick();
    clock.frame(false);
    expect(clock.frameAt).toBeGreaterThan(a);
  });

  it('a continued frame shares the epoch reading of the first frame and the latest monotonic reading', () => {
    const clock = new FrameClock();
    clock.frame(false);
    const first = { now: clock.now, at: clock.frameAt };
    tick();
    clock.frame(true);
    expect({ now: clock.now, at: clock.frameAt }).toEqual(first); // nothing read the clock in between: the first frame's readings
    tick();
    const end = clock.read(); // a handler's end reading (the chat app's histogram)
    clock.frame(true);
    expect(clock.frameAt).toBe(end);
    expect(clock.now).toBe(first.now);
  });

  it(`exactly ${MAX_SHARED_READING} frames share a reading, counting the first; the next one reads both clocks again`, () => {
    const perf = vi.spyOn(performance, 'now');
    const date = vi.spyOn(Date, 'now');
    try {
      for (const handlerReads of [false, true]) {
        const clock = new FrameClock();
        const readers: number[] = [];
        for (let i = 1; i <= 3 * MAX_SHARED_READING + 1; i++) {
          const [p, d] = [perf.mock.calls.length, date.mock.calls.length];
          clock.frame(i > 1); // one read of many frames: all but the first continued
          if (perf.mock.calls.length > p) readers.push(i);
          expect(date.mock.calls.length - d, `frame ${i}`).toBe(perf.mock.calls.length - p); // both clocks, or neither
          if (handlerReads) clock.read(); // a handler's end reading does not count as the frame's own
        }
        expect(readers, handlerReads ? 'with handler reads' : 'without').toEqual([1, MAX_SHARED_READING + 1, 2 * MAX_SHARED_READING + 1, 3 * MAX_SHARED_READING + 1]);
      }
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('the first frame a clock handles reads it, even when reported as continued', () => {
    tick();
    const before = performance.now();
    const clock = new FrameClock();
    clock.frame(true);
    expect(clock.frameAt).toBeGreaterThanOrEqual(before);
    expect(clock.now).toBeGreaterThan(0);
  });

  it("two clocks keep their own readings: one's read never serves the other's continued frame", () => {
    const a = new FrameClock();
    const b = new FrameClock();
    b.frame(false);
    const mine = b.frameAt;
    a.frame(false);
    tick();
    a.read();
    b.frame(true);
    expect(b.frameAt).toBe(mine);
  });
});

/** An in-memory socket that keeps every frame's text. */
class Capture implements TransportSocket {
  readonly frames: string[] = [];
  bufferedAmount = 0;
  send(text: string): void {
    this.frames.push(text);
  }
  close(): void {}
  terminate(): void {}
  ping(): void {}
}

/** The fields the bundled protocol's server messages need that a generic server does not write (the chat app's decorate does). */
const decorate: Decorate = (m, scope) => {
  m['timestamp'] = new Date().toISOString();
  if (m['type'] === 'session_created' && scope !== undefined) Object.assign(m, { realm: scope.session.realm, agent: 'guide_agent' });
};

/** A frame sender of one connection: `continued` as the ws adapter reports it. */
type Send = (frame: string, continued: boolean) => void;

/**
 * A generic core of the bundled protocol on /guide with one user_message handler, and a connection to it (no
 * sockets); `open` opens another. The core's own handler timing is off unless `timed` (its end reading would be the
 * latest reading a continued frame takes: these tests watch what the handlers themselves read).
 */
async function coreWith(handler: MessageHandler<{ message_id?: string }>, timed = false): Promise<{ core: ServerCore<Protocol>; send: Send; open(): Promise<Send> }> {
  const validator = new InMemorySessionValidator({ defaultRealm: 'experience' });
  const core = makeServer({ protocol: bundled, validator, logger: silentLogger, heartbeatIntervalMs: 0, rateLimit: false, shutdown: { jitterMs: 0, deadlineMs: 50 }, decorate, endpoints: { guide: { path: '/guide' } }, handlers: { user_message: handler }, handlerMetrics: timed });
  const open = async (): Promise<Send> => {
    const hs = await core.handshake({ url: '/guide', protocols: tokenProtocols(validator.issue().token) });
    if (!hs.ok) throw new Error(`handshake refused: ${JSON.stringify(hs)}`);
    const handle = core.open(new Capture(), hs);
    return (frame, continued) => handle.onMessage(frame, false, continued);
  };
  return { core, send: await open(), open };
}

describe('each server has its own clock', () => {
  it("a reading another server's handler took (two servers in one process) never serves this server's continued frame", async () => {
    // Server A's handler reads its clock (as the chat app's does at its end); server B's handler reads none. B's
    // second frame continues its first (a transport that handles B's frames in one run, A's handler called in between).
    const seenB: number[] = [];
    const a = await coreWith((_m, c) => void c.clock.read());
    const b = await coreWith((_m, c) => {
      seenB.push(c.clock.frameAt);
      tick();
      a.send(userMessage('a1'), false);
    });
    try {
      b.send(userMessage('b1'), false);
      b.send(userMessage('b2'), true);
      expect(seenB).toHaveLength(2);
      expect(seenB[1]).toBe(seenB[0]); // B's own latest reading, not A's later one
    } finally {
      await Promise.all([a.core.close({ quiet: true }), b.core.close({ quiet: true })]);
    }
  });

  it('every connection of a server sees the same clock; another server has another', async () => {
    const clocks: unknown[] = [];
    const a = await coreWith((_m, c) => void clocks.push(c.clock));
    const b = await coreWith((_m, c) => void clocks.push(c.clock));
    try {
      a.send(userMessage('a1'), false);
      (await a.open())(userMessage('a2'), false);
      b.send(userMessage('b1'), false);
      expect(clocks).toHaveLength(3);
      expect(clocks[1]).toBe(clocks[0]);
      expect(clocks[2]).not.toBe(clocks[0]);
    } finally {
      await Promise.all([a.core.close({ quiet: true }), b.core.close({ quiet: true })]);
    }
  });
});

describe('the handler signature', () => {
  it('is (msg, connection, now): the monotonic reading is connection.clock.frameAt, not a 4th argument (type-checked)', () => {
    const timed: MessageHandler<Message> = (_m, c, now) => void (c.clock.frameAt + c.clock.read() + now);
    // @ts-expect-error a handler gets no 4th argument: the frame's monotonic reading is connection.clock.frameAt
    const fourArgs: MessageHandler<Message> = (_m, _c, _now, _at: number) => {};
    expect([timed.length, fourArgs.length]).toEqual([3, 4]);
  });
});

describe('the ws adapter reports the frames of one read as continued', () => {
  let server: WsgenServer<Protocol> | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A generic server whose user_message handler records each frame's monotonic reading (`connection.clock.frameAt`); neither it nor the core (no handler timing) reads the clock after it. */
  async function recordingServer(coalesceWrites: boolean) {
    const validator = new InMemorySessionValidator({ defaultRealm: 'experience' });
    const seen: { id: string; at: number }[] = [];
    const s = await createServer({
      protocol: bundled,
      validator,
      host: '127.0.0.1',
      heartbeatIntervalMs: 0,
      rateLimit: false,
      handlerMetrics: false,
      coalesceWrites,
      endpoints: { guide: { path: '/guide' } },
      decorate,
      handlers: {
        user_message: (m, c) => {
          seen.push({ id: m.message_id!, at: c.clock.frameAt });
          c.reply({ type: 'system_message', timestamp: new Date().toISOString(), message_id: m.message_id, message: 'ok' });
        },
      },
    });
    server = s;
    const c = await connect(s.url('/guide'), validator.issue().token);
    await c.nextOfType('session_created');
    return {
      seen,
      /** Sends the frames in one write of the client (one read of the server) and waits for their replies. */
      async sendInOneWrite(ids: string[]): Promise<void> {
        sendInOneWrite(c.ws, ids.map(userMessage));
        for (const id of ids) expect((await c.nextOfType('system_message')).message_id).toBe(id);
      },
      close: () => c.close(),
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
    await s.close();
  });

  it('coalesceWrites: false reports no frame as continued: each reads the clock', async () => {
    const s = await recordingServer(false);
    await s.sendInOneWrite(['a1', 'a2', 'a3']);
    const [a1, a2, a3] = s.seen.map((x) => x.at);
    expect(a2).toBeGreaterThan(a1!);
    expect(a3).toBeGreaterThan(a2!);
    await s.close();
  });
});

describe('the chat app times every handled message once', () => {
  it('pipelined frames (one read, sharing readings) are each observed in the handler-duration histogram', async () => {
    await withGuideClient({ rateLimit: false, maxInFlight: 1000 }, async (c, t) => {
      const n = 40;
      sendInOneWrite(
        c.ws,
        Array.from({ length: n }, (_, i) => JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: `h${i}`, message: `m${i}` })),
      );
      for (let i = 0; i < n; i++) expect((await c.nextOfType('agent_message')).message_id).toBe(`h${i}`);
      const text = await t.server.core.metrics.text();
      expect(text).toContain(`wsgen_handler_duration_seconds_count{agent="guide_agent",outcome="ok"} ${n}`);
      expect(text).toContain(`wsgen_handler_duration_seconds_bucket{agent="guide_agent",outcome="ok",le="+Inf"} ${n}`);
      const sum = Number(/wsgen_handler_duration_seconds_sum\{agent="guide_agent",outcome="ok"\} (\S+)/.exec(text)?.[1]);
      expect(sum).toBeGreaterThan(0);
      expect(sum).toBeLessThan(n * 30);
    });
  });

  it("a duration runs from the frame's reading (its arrival) to the end reading, which the next continued frame starts from", async () => {
    // A monotonic clock that moves 1 ms per reading: a frame's duration is the readings taken from its arrival to its
    // end, so n frames of one read observe n ms in all (the first frame's reading, then one end reading per frame).
    const validator = chatSessionValidator();
    const { core } = makeChatServer({ validator, logger: silentLogger, agents: { guide_agent: echoAgent }, heartbeatIntervalMs: 0, rateLimit: false, maxInFlight: 1000, shutdown: { jitterMs: 0, deadlineMs: 50 } });
    const hs = await core.handshake({ url: '/api/ws/guide', protocols: tokenProtocols(validator.issue().token) });
    const handle = core.open(new Capture(), hs as AcceptedHandshake);
    let ms = 1_000;
    const perf = vi.spyOn(performance, 'now').mockImplementation(() => ++ms);
    try {
      const n = MAX_SHARED_READING;
      for (let i = 0; i < n; i++) handle.onMessage(JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: `d${i}`, message: 'x' }), false, i > 0);
      expect(perf).toHaveBeenCalledTimes(n + 1);
    } finally {
      vi.restoreAllMocks();
    }
    const text = await core.metrics.text();
    expect(text).toContain(`wsgen_handler_duration_seconds_count{agent="guide_agent",outcome="ok"} ${MAX_SHARED_READING}`);
    expect(Number(/wsgen_handler_duration_seconds_sum\{agent="guide_agent",outcome="ok"\} (\S+)/.exec(text)?.[1])).toBeCloseTo(MAX_SHARED_READING / 1000, 9);
    await core.close({ quiet: true });
  });

  it('the generic server times a synchronous handler the same way: one end reading per frame, which the next continued frame starts from', async () => {
    // As the chat app above: n frames of one read take n + 1 readings (the first frame's, then one end reading per
    // handler, from the core: the handler reads none) and observe n ms in all, by message type.
    const { core, send } = await coreWith(() => undefined, true);
    let ms = 1_000;
    const perf = vi.spyOn(performance, 'now').mockImplementation(() => ++ms);
    try {
      const n = MAX_SHARED_READING;
      for (let i = 0; i < n; i++) send(userMessage(`g${i}`), i > 0);
      expect(perf).toHaveBeenCalledTimes(n + 1);
    } finally {
      vi.restoreAllMocks();
    }
    const text = await core.metrics.text();
    expect(text).toContain(`wsgen_handler_duration_seconds_count{agent="user_message",outcome="ok"} ${MAX_SHARED_READING}`);
    expect(Number(/wsgen_handler_duration_seconds_sum\{agent="user_message",outcome="ok"\} (\S+)/.exec(text)?.[1])).toBeCloseTo(MAX_SHARED_READING / 1000, 9);
    await core.close({ quiet: true });
  });
});
