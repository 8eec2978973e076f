// The specialized serializer of the hot reply (agent_message) must produce
// exactly JSON.stringify's text, and its byte accounting must match UTF-8.
import { describe, expect, it } from 'vitest';
import type { AgentMessage } from '../../generated/ts/index.js';
import { agentMessageJson } from '../../runtime/server/chat/serialize.js';
import { serializedBytes } from '../../runtime/server/wire.js';
import { LATENCY_BUCKETS, ServerMetrics } from '../../runtime/server/metrics.js';
import { Registry } from '../../runtime/server/registry.js';

const tricky = ['plain text', 'quote " inside', 'back\\slash', 'tab\tnew\nline\u0001', 'é accent', '日本語', 'emoji 😀', 'lone \ud800 surrogate', 'lone \udc00 low', '\u007f del', '', '</script>'];

function msg(text: string, extra: Partial<AgentMessage> = {}): AgentMessage {
  const m: AgentMessage = { type: 'agent_message', message_id: 'm-1', timestamp: '2025-01-01T00:00:00.000Z', session_id: 'sess"1', agent: 'guide_agent', realm: 'experience', message: text };
  Object.assign(m, extra);
  m.seq = 42;
  return m;
}

describe('agentMessageJson', () => {
  it('equals JSON.stringify, and serializedBytes equals the UTF-8 size', () => {
    for (const t of tricky) {
      for (const extra of [{}, { pillar: 'content' as const }, { data: { x: [1, 'é'] } }, { metadata: { a: 1 } }]) {
        const m = msg(t, extra);
        const text = agentMessageJson(m);
        expect(text).toBe(JSON.stringify(m));
        expect(serializedBytes(text)).toBe(Buffer.byteLength(text));
      }
    }
  });
});

describe('agentMessageJson over a run of replies', () => {
  it('keeps JSON.stringify and the UTF-8 size when session ids and realms repeat or change between replies (their literals are kept from the last reply)', () => {
    const sessions = ['s-1', 's-1', 'sé', 'sé', 's"q', 's-1', 'sé'];
    const realms = ['experience', 'réalm', 'réalm', 'experience', 'experience', 'tab\t', 'experience'];
    for (const t of ['plain', 'é']) {
      for (let i = 0; i < sessions.length; i++) {
        const m = msg(t, { session_id: sessions[i]!, realm: realms[(i * 3) % realms.length] as AgentMessage['realm'] });
        const text = agentMessageJson(m);
        expect(text).toBe(JSON.stringify(m));
        expect(serializedBytes(text)).toBe(Buffer.byteLength(text));
      }
    }
  });
});

describe('the fields agentMessageJson quotes without scanning', () => {
  it('never need escaping: every message_id the schema accepts, ISO timestamps, agent and pillar values', async () => {
    const fc = (await import('fast-check')).default;
    const { AGENT_TYPE_VALUES, PILLAR_TYPE_VALUES, parseMessage } = await import('../../generated/ts/index.js');
    const plain = (s: string) => JSON.stringify(s) === `"${s}"`;
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[A-Za-z0-9._:-]{1,128}$/), fc.string({ unit: 'binary', minLength: 1, maxLength: 130 })), (id) => {
        const accepted = parseMessage(JSON.stringify({ type: 'ping', timestamp: '2025-01-01T00:00:00Z', message_id: id })).ok;
        return !accepted || plain(id);
      }),
      { numRuns: 2000, seed: 7 },
    );
    fc.assert(fc.property(fc.date({ noInvalidDate: true }), (d) => plain(d.toISOString())), { numRuns: 500, seed: 7 });
    for (const v of [...AGENT_TYPE_VALUES, ...PILLAR_TYPE_VALUES]) expect(plain(v), v).toBe(true);
  });
});

describe('latency histogram', () => {
  it('exposes cumulative buckets, sum and count per agent and outcome', async () => {
    const m = new ServerMetrics(new Registry());
    m.observeLatency('guide_agent', 'ok', 0.0005);
    m.observeLatency('guide_agent', 'ok', 0.02);
    m.observeLatency('guide_agent', 'ok', 100);
    const text = await m.text();
    expect(LATENCY_BUCKETS[0]).toBe(0.001);
    expect(text).toContain('# TYPE wsgen_handler_duration_seconds histogram');
    expect(text).toContain('wsgen_handler_duration_seconds_bucket{agent="guide_agent",outcome="ok",le="0.001"} 1');
    expect(text).toContain('wsgen_handler_duration_seconds_bucket{agent="guide_agent",outcome="ok",le="0.025"} 2');
    expect(text).toContain('wsgen_handler_duration_seconds_bucket{agent="guide_agent",outcome="ok",le="30"} 2');
    expect(text).toContain('wsgen_handler_duration_seconds_bucket{agent="guide_agent",outcome="ok",le="+Inf"} 3');
    expect(text).toContain('wsgen_handler_duration_seconds_count{agent="guide_agent",outcome="ok"} 3');
    expect(text).toMatch(/wsgen_handler_duration_seconds_sum\{agent="guide_agent",outcome="ok"\} 100\.02/);
  });
});

describe('write coalescing (ws adapter)', () => {
  it.each([true, false])('pipelined messages get every reply, in order, with consecutive seq (coalesceWrites %s)', async (coalesceWrites) => {
    const { startServer, connect, ts } = await import('./helpers.js');
    const { echoAgent } = await import('../../runtime/server/chat/reference.js');
    const t = await startServer({ agents: { guide_agent: echoAgent }, rateLimit: false, maxInFlight: 1000, coalesceWrites });
    try {
      const c = await connect(t.url('/api/ws/guide'), t.issue());
      await c.nextOfType('session_created');
      const n = 200;
      for (let i = 0; i < n; i++) c.ws.send(JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: `p${i}`, message: `hello ${i} é "q"` }));
      for (let i = 0; i < n; i++) {
        const m = await c.nextOfType('agent_message');
        expect(m.message_id).toBe(`p${i}`);
        expect(m.message).toBe(`hello ${i} é "q"`);
        expect(m.seq).toBe(i + 1);
      }
    } finally {
      await t.close();
    }
  });
});

describe('write coalescing holds back only replies that more frames of the same read follow', () => {
  /** A server whose echo agent records, for each frame, whether the TCP socket was corked while it was handled. */
  async function corkRecordingServer(coalesceWrites: boolean) {
    const { startServer } = await import('./helpers.js');
    const corked: number[] = [];
    let serverSocket: { writableCorked: number } | undefined;
    const t = await startServer({ agents: { guide_agent: (req) => (corked.push(serverSocket?.writableCorked ?? -1), req.message.message ?? '') }, rateLimit: false, maxInFlight: 1000, coalesceWrites });
    t.server.httpServer.on('connection', (s) => (serverSocket = s));
    return { t, corked };
  }
  const frameOf = (i: number, ts: () => string) => JSON.stringify({ type: 'user_message', timestamp: ts(), message_id: `c${i}`, message: `m${i}` });

  it('a frame alone in its read is answered at once (no cork); the replies to frames of one read are held back until the next tick', async () => {
    const { connect, sendInOneWrite, ts } = await import('./helpers.js');
    const { t, corked } = await corkRecordingServer(true);
    try {
      const c = await connect(t.url('/api/ws/guide'), t.issue());
      await c.nextOfType('session_created');
      c.ws.send(frameOf(0, ts));
      expect((await c.nextOfType('agent_message')).message_id).toBe('c0');
      expect(corked).toEqual([0]); // alone: nothing held back
      // Three frames in one write of the client arrive in one read of the server.
      sendInOneWrite(c.ws, [1, 2, 3].map((i) => frameOf(i, ts)));
      for (let i = 1; i <= 3; i++) expect((await c.nextOfType('agent_message')).message_id).toBe(`c${i}`);
      expect(corked.slice(1)).toEqual([1, 1, 1]); // corked by the first frame of the read, until the next tick
    } finally {
      await t.close();
    }
  });

  it('coalesceWrites: false never corks', async () => {
    const { connect, sendInOneWrite, ts } = await import('./helpers.js');
    const { t, corked } = await corkRecordingServer(false);
    try {
      const c = await connect(t.url('/api/ws/guide'), t.issue());
      await c.nextOfType('session_created');
      sendInOneWrite(c.ws, [0, 1, 2].map((i) => frameOf(i, ts)));
      for (let i = 0; i < 3; i++) expect((await c.nextOfType('agent_message')).message_id).toBe(`c${i}`);
      expect(corked).toEqual([0, 0, 0]);
    } finally {
      await t.close();
    }
  });
});

describe('write coalescing relies on ws internals', () => {
  it('the pinned ws keeps the net.Socket where the adapter corks it, and the unread rest of a read where it looks (an upgrade that moves them would silently change coalescing)', async () => {
    const { WebSocketServer, WebSocket } = await import('ws');
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    const port = (wss.address() as { port: number }).port;
    type Internals = { _socket?: { cork?: unknown; uncork?: unknown }; _receiver?: { _bufferedBytes?: unknown } };
    const seen = new Promise<Internals>((r) => wss.once('connection', (ws) => r(ws as unknown as Internals)));
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const opened = new Promise<void>((r) => client.once('open', () => r()));
    const server = await seen;
    await opened;
    const socket = server._socket;
    expect(typeof socket?.cork).toBe('function');
    expect(typeof socket?.uncork).toBe('function');
    // What is left of a read once a frame was taken from it (0 after the last frame): the adapter corks only above 0.
    const left = new Promise<unknown[]>((r) => {
      const seenLeft: unknown[] = [];
      (server as unknown as { on(e: 'message', f: () => void): void }).on('message', () => seenLeft.push(server._receiver?._bufferedBytes) === 2 && r(seenLeft));
    });
    (await import('./helpers.js')).sendInOneWrite(client, ['one', 'two']);
    const [afterFirst, afterSecond] = await left;
    expect(afterFirst).toBe(9); // the second frame: 2 header bytes, 4 mask bytes, 3 payload bytes
    expect(afterSecond).toBe(0);
    client.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });
});

describe('timestamp() is exactly toISOString', () => {
  it('for every millisecond around second, minute, day, year and leap-day boundaries, in any order, and outside years 0000–9999', async () => {
    const { timestamp } = await import('../../runtime/server/wire.js');
    const anchors = [0, 951_782_400_000, 1_704_067_200_000, 1_709_164_800_000, 4_102_444_800_000, 253_402_300_799_000, -62_167_219_200_000, -1];
    const times: number[] = [];
    for (const a of anchors) for (let d = -1500; d <= 1500; d += 7) times.push(a + d);
    times.push(253_402_300_800_000, 8.64e15, -8.64e15, 1_700_000_000_000.5, Date.now());
    for (const order of [times, [...times].reverse()]) for (const ms of order) expect(timestamp(ms)).toBe(new Date(ms).toISOString());
  });
});
