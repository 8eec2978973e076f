// append_many.lua (docs/redis-layout.md "Scripts"): several streams' appends in one call (a stream's texts joined by
// line feeds in one argument). Each stream ends exactly as
// append.lua leaves it with the same messages (entries, fields t/n/d, meta seq/bytes, trim, expiry); a stream whose
// epoch or seq is wrong gets its own EPOCH/SEQ reply and nothing appended, without stopping the others. The Node
// store keeps one call in flight: what every stream sends meanwhile goes in the next call, together.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisSessionStore, streamKeys } from '../../runtime/server/redis/index.js';
import { connect, startServer, ts } from '../server/helpers.js';
import { monitorRedis } from './fixture.js';
import { startRedis, type RedisServer } from './harness.mjs';

const script = (name: string) => readFileSync(new URL(`../../runtime/redis/${name}.lua`, import.meta.url), 'utf8');
const APPEND = script('append');
const MANY = script('append_many');
const OPEN = script('open');
const NOW = 1_700_000_000_000;
/** maxMessages, maxBytes, ageMs, ttlMs */
const LIMITS = [3, 10_000, 60_000, 120_000] as const;

let redis: RedisServer;
let r: Redis;
beforeAll(async () => {
  redis = await startRedis();
  r = new Redis(redis.url);
});
afterAll(async () => {
  r.disconnect();
  await redis.dispose();
});

const keys = (sid: string) => [`t:{${sid}}:g:meta`, `t:{${sid}}:g:log`];
/** A stream opened at epoch `e1`. */
async function open(sid: string): Promise<string[]> {
  const k = keys(sid);
  await r.eval(OPEN, 2, ...k, 'e1', 'n/1', LIMITS[3]);
  return k;
}
/** Everything append.lua / append_many.lua leave: meta fields, log entries, TTLs present. */
async function state(k: string[]) {
  const meta = await r.hmget(k[0]!, 'epoch', 'seq', 'bytes');
  const log = await r.xrange(k[1]!, '-', '+');
  const ttls = [await r.pttl(k[0]!), await r.pttl(k[1]!)].map((t) => t > 0 && t <= LIMITS[3]);
  return { meta, log, ttls };
}

describe('append_many.lua', () => {
  it('leaves each stream as append.lua does with the same messages, trim included (non-ASCII sizes in bytes)', async () => {
    const texts = ['{"seq":1,"m":"é"}', '{"seq":2,"m":"ü€"}', '{"seq":3}', '{"seq":4,"m":"𝄞"}', '{"seq":5}'];
    const one = await open('one');
    for (const [i, t] of texts.entries()) await r.eval(APPEND, 2, ...one, 'e1', i + 1, t, Buffer.byteLength(t), NOW, ...LIMITS);
    const a = await open('a');
    const b = await open('b');
    const reply = await r.eval(MANY, 4, ...a, ...b, NOW, ...LIMITS, 'e1', 1, texts.slice(0, 2).join('\n'), 'e1', 1, texts.join('\n'));
    expect(reply).toEqual(['OK', 'OK']);
    const rest = await r.eval(MANY, 2, ...a, NOW, ...LIMITS, 'e1', 3, texts.slice(2).join('\n'));
    expect(rest).toEqual(['OK']);
    const want = await state(one);
    expect(want.log.map(([id]) => id)).toEqual(['3-0', '4-0', '5-0']); // trimmed to maxMessages
    expect(want.ttls).toEqual([true, true]);
    expect(await state(a)).toEqual(want);
    expect(await state(b)).toEqual(want);
  });

  it('a stream with a wrong seq or epoch gets its own error reply and nothing appended; the others are appended', async () => {
    const ok = await open('ok1');
    const behind = await open('behind');
    const other = await open('other');
    await r.eval(APPEND, 2, ...behind, 'e1', 1, '{"seq":1}', 9, NOW, ...LIMITS);
    const gone = keys('gone');
    const reply = await r.eval(MANY, 8, ...behind, ...ok, ...other, ...gone, NOW, ...LIMITS, 'e1', 1, 'x', 'e1', 1, '{"seq":1}\n{"seq":2}', 'e2', 1, 'y', 'e1', 1, 'z');
    expect(reply).toEqual(['SEQ 1', 'OK', 'EPOCH e1', 'EPOCH missing']);
    expect((await state(behind)).meta).toEqual(['e1', '1', '9']);
    expect(await r.xlen(behind[1]!)).toBe(1);
    expect((await state(ok)).meta).toEqual(['e1', '2', '18']);
    expect(await r.exists(other[1]!, gone[0]!, gone[1]!)).toBe(0);
  });

  it('the Node store joins the texts of a turn with line feeds: a message whose strings hold line feeds stays one entry', async () => {
    const t = await startServer({ sessionStore: redisSessionStore({ url: redis.url }) });
    try {
      const { token, session } = t.validator.issue();
      const c = await connect(t.url('/api/ws/guide'), token);
      await c.nextOfType('session_created');
      const texts = ['line 1\nline 2', '\n', 'é\r\n€'];
      for (const message of texts) t.server.core.sendToSession(session.sessionId, 'guide', { type: 'system_message', timestamp: ts(), message });
      await c.next((m) => m.type === 'system_message' && m.message === texts[2]);
      const entries = await r.xrange(streamKeys('wsgen:', session.sessionId, 'guide').log, '-', '+');
      const got = entries.map(([id, f]) => [id, (JSON.parse(f[5]!) as { message: string }).message, Number(f[3]) === Buffer.byteLength(f[5]!)]);
      expect(got).toEqual(texts.map((m, i) => [`${i + 1}-0`, m, true]));
      await c.close();
    } finally {
      await t.close();
    }
  });

  it('the Node store keeps one append_many call in flight: the streams that send meanwhile go together in the next call', async () => {
    const sha = createHash('sha1').update(MANY).digest('hex');
    const { monitor, disconnect } = await monitorRedis(redis.url);
    const calls: string[][] = []; // the keys of each append_many call, in the order Redis runs them
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() === 'evalsha' && args[1] === sha) calls.push(args.slice(3, 3 + Number(args[2])));
    });
    const t = await startServer({ sessionStore: redisSessionStore({ url: redis.url }) });
    const turn = () => new Promise((res) => setImmediate(res));
    try {
      const clients = [];
      for (let i = 0; i < 2; i++) {
        const { token, session } = t.validator.issue();
        const c = await connect(t.url('/api/ws/guide'), token);
        await c.nextOfType('session_created');
        clients.push({ c, sid: session.sessionId, log: streamKeys('wsgen:', session.sessionId, 'guide').log });
      }
      const [a, b] = clients as [(typeof clients)[0], (typeof clients)[0]];
      const send = (x: typeof a, message: string) => t.server.core.sendToSession(x.sid, 'guide', { type: 'system_message', timestamp: ts(), message });
      await r.call('CLIENT', 'PAUSE', '10000', 'WRITE'); // scripts wait (until UNPAUSE): the first call stays in flight
      send(a, 'a1');
      const blocked = async () => Number(/blocked_clients:(\d+)/.exec(await r.info('clients'))?.[1]);
      for (let k = 0; k < 500 && (await blocked()) !== 1; k++) await new Promise((res) => setTimeout(res, 10)); // Redis holds a1's call
      send(b, 'b1');
      for (let k = 0; k < 3; k++) await turn();
      send(a, 'a2');
      for (let k = 0; k < 3; k++) await turn();
      await r.call('CLIENT', 'UNPAUSE');
      await a.c.next((m) => m.type === 'system_message' && m.message === 'a2');
      await b.c.next((m) => m.type === 'system_message' && m.message === 'b1');
      expect(calls.map((keys) => keys.filter((k) => k.endsWith(':log')))).toEqual([[a.log], [b.log, a.log]]);
      for (const x of clients) await x.c.close();
    } finally {
      await t.close();
      disconnect();
    }
  });
});
