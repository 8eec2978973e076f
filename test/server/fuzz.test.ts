// A bounded fuzz test: 10,000+ mutated frames against a running server. It
// never crashes; every invalid frame gets an INVALID_MESSAGE reply (or, for
// binary and oversize frames, the documented close); memory stays bounded.
import { describe, expect, it } from 'vitest';
import { parseMessage, type WebSocketMessage } from '../../generated/ts/index.js';
import { echoAgent } from '../../runtime/server/chat/reference.js';
import { connect, invalidInbound, startServer, type TestClient } from './helpers.js';

function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAMES = 10_000;
const CONNECTIONS = 4;

describe('fuzz', () => {
  it(`survives ${FRAMES} mutated frames with an error reply for each bad one`, { timeout: 120_000 }, async () => {
    const t = await startServer({ agents: { guide_agent: echoAgent }, rateLimit: false, maxPayload: 64 * 1024 });
    const rand = rng(42);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const heapBefore = process.memoryUsage().heapUsed;
    const stats = { frames: 0, invalid: 0, valid: 0, closes: 0, errorsSeen: 0 };

    const values = (): unknown =>
      pick<() => unknown>([
        () => null,
        () => true,
        () => -1,
        () => 1e308,
        () => 3.5,
        () => '',
        () => 'x'.repeat(Math.floor(rand() * 40_000)),
        () => [1, 'a', null],
        () => ({ nested: { deeper: [1] } }),
        () => '2024-02-30T25:61:00Z',
        () => '\u0000\ud83d\ude00',
        () => pick(['user_message', 'ping', 'agent_message', 'session_resume', 'teleport']),
      ])();

    const deep = (n: number): unknown => {
      let v: unknown = 0;
      for (let i = 0; i < n; i++) v = rand() < 0.5 ? [v] : { k: v };
      return v;
    };

    async function run(client: TestClient, token: string, sessionId: string, count: number, url: string): Promise<void> {
      let c = client;
      const seeds = (): Record<string, unknown>[] => [
        { type: 'user_message', timestamp: new Date().toISOString(), message: 'hello fuzz', message_id: 'm1' },
        { type: 'user_message', timestamp: new Date().toISOString(), message: 'with data', data: { a: [1, 2, { b: 'c' }] }, metadata: { k: 1 } },
        { type: 'ping', timestamp: new Date().toISOString(), message_id: 'p' },
        { type: 'pong', timestamp: new Date().toISOString(), message_id: 'p' },
        { type: 'session_resume', timestamp: new Date().toISOString(), session_id: sessionId, last_seq: 0, epoch: 'e1' },
        { type: 'file_selected', timestamp: new Date().toISOString(), file_uuid: '123e4567-e89b-12d3-a456-426614174000', file_name: 'a.csv' },
        { type: 'agent_message', timestamp: new Date().toISOString(), message: 'x', agent: 'guide_agent' },
      ];
      for (let i = 0; i < count; i++) {
        const seed = pick(seeds());
        let frame: string;
        let special: 'binary' | 'oversize' | undefined;
        const r = rand();
        if (r < 0.002) special = 'binary';
        else if (r < 0.004) special = 'oversize';
        const text = JSON.stringify(seed);
        const pos = Math.floor(rand() * text.length);
        switch (Math.floor(rand() * 9)) {
          case 0:
            frame = text.slice(0, pos) + String.fromCharCode(Math.floor(rand() * 128)) + text.slice(pos + 1);
            break;
          case 1:
            frame = text.slice(0, pos) + text.slice(pos + 1);
            break;
          case 2:
            frame = text.slice(0, pos) + pick(['{', '}', '[', ']', '"', ',', ':', '0', 'a', '\\', ' ', 'null']) + text.slice(pos);
            break;
          case 3:
            frame = text.slice(0, pos);
            break;
          case 4: {
            const o = { ...seed };
            const keys = Object.keys(o);
            delete o[pick(keys)];
            frame = JSON.stringify(o);
            break;
          }
          case 5: {
            const o = { ...seed };
            o[pick([...Object.keys(o), 'extra', 'seq', 'realm', 'schema_hash', 'session_token', 'stream_index', 'last_seq'])] = values();
            frame = JSON.stringify(o);
            break;
          }
          case 6:
            frame = JSON.stringify({ ...seed, data: deep(150 + Math.floor(rand() * 100)) });
            break;
          case 7:
            frame = JSON.stringify(values());
            break;
          default:
            frame = text; // valid (or server-only) seeds
        }
        stats.frames++;
        if (special === 'binary') {
          c.ws.send(Buffer.from(frame), { binary: true });
          expect((await c.closed).code).toBe(1003);
          stats.closes++;
          c = await connect(url, token);
          continue;
        }
        if (special === 'oversize') {
          c.ws.send(frame + ' '.repeat(65 * 1024));
          expect((await c.closed).code).toBe(1009);
          stats.closes++;
          c = await connect(url, token);
          continue;
        }
        const expectInvalid = !parseMessage(frame).ok;
        if (expectInvalid) stats.invalid++;
        else stats.valid++;
        const marker = `mk${i}`;
        const from = c.messages.length;
        c.ws.send(frame);
        c.ws.send(JSON.stringify({ type: 'ping', timestamp: new Date().toISOString(), message_id: marker }));
        await c.next((m) => m.type === 'pong' && m.message_id === marker, 5000);
        const replies = c.messages.slice(from);
        const invalidReplies = replies.filter((m) => m.type === 'error_message' && m.error_code === 'INVALID_MESSAGE');
        if (expectInvalid) expect(invalidReplies.length, `frame ${frame.slice(0, 200)}`).toBe(1);
        else expect(invalidReplies.length, `frame ${frame.slice(0, 200)}`).toBe(0);
        stats.errorsSeen += replies.filter((m: WebSocketMessage) => m.type === 'error_message').length;
        if (c.messages.length > 2000) c.messages.splice(0, c.messages.length), (c as unknown as { cursor: number }).cursor = 0;
      }
      await c.close();
    }

    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const { token, session } = t.validator.issue();
        const url = t.url('/api/ws/guide');
        await run(await connect(url, token), token, session.sessionId, FRAMES / CONNECTIONS, url);
      }),
    );

    expect(stats.frames).toBe(FRAMES);
    expect(stats.invalid).toBeGreaterThan(FRAMES / 2);
    expect(stats.valid).toBeGreaterThan(100);
    expect(stats.closes).toBeGreaterThan(0);
    expect(invalidInbound).toEqual([]);
    // Still serving.
    const check = await connect(t.url('/api/ws/guide'), t.issue());
    check.say('after fuzz');
    expect(await check.nextOfType('agent_message')).toMatchObject({ message: 'after fuzz' });
    await check.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(t.server.core.registry.size).toBe(0);
    for (const s of t.server.core.sessions.streams()) expect(s.buffered.bytes).toBeLessThanOrEqual(256 * 1024);
    const grown = process.memoryUsage().heapUsed - heapBefore;
    expect(grown).toBeLessThan(150 * 1024 * 1024);
    await t.close();
  });
});
