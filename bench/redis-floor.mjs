// The per-command CPU floor of the Redis store (issue 12 throughput goal): client (ioredis) and redis-server CPU per
// call of append.lua (one message per call), beside a plain XADD and a PUBLISH, 64 calls in flight; then per message
// of append_many.lua as the Node store sends it (every stream of an event-loop turn in one call: 8 streams x 8
// messages here, one call in flight: bench/redis/floor.mjs) beside a PUBLISH of the same bytes in one argument (the cost
// of shipping the texts at all).
// Redis CPU is read from /proc (Linux).
// Usage: node bench/redis-floor.mjs (from the repository root).
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { startRedis } from '../test/redis/harness.mjs';
import { appendManyFloor, cpuOf } from './redis/floor.mjs';
const redis = await startRedis();
const r = new Redis(redis.url, { enableAutoPipelining: true, enableOfflineQueue: false });
await new Promise((res) => r.once('ready', res));
const sha = await r.script('LOAD', readFileSync('runtime/redis/append.lua', 'utf8'));
const pid = Number((await r.info('server')).match(/process_id:(\d+)/)[1]);
const text = JSON.stringify({ type: 'agent_complete', timestamp: new Date().toISOString(), agent: 'guide_agent', session_id: 's', realm: 'experience', is_streaming: false, message_id: 'x', stream_index: 1, message: 'echo hello world', seq: 1 });
async function run(label, n, streams, fn) {
  const seqs = new Array(streams).fill(0);
  for (let s = 0; s < streams; s++) await r.hset(`w:{s${s}}:g:meta`, 'epoch', 'e', 'seq', 0, 'bytes', 0);
  const c0 = process.cpuUsage(); const r0 = cpuOf(pid); const t0 = Date.now();
  for (let i = 0; i < n; i += streams) await Promise.all(seqs.map((_, s) => fn(s, ++seqs[s])));
  const c = process.cpuUsage(c0); const rs = cpuOf(pid) - r0;
  console.log(`${label}: ${n} calls, client CPU ${((c.user + c.system) / n).toFixed(1)} us/call, redis-server CPU ${(rs * 1e6 / n).toFixed(1)} us/call, wall ${((Date.now() - t0) * 1000 / n).toFixed(1)} us/call`);
}
const N = 40000;
await run('warm-up (PUBLISH)', 10000, 64, () => r.publish('x', text));
await run('EVALSHA append (1 msg/call, 64 streams in flight)', N, 64, (s, q) => r.evalsha(sha, 2, `w:{s${s}}:g:meta`, `w:{s${s}}:g:log`, 'e', q, text, Buffer.byteLength(text), Date.now(), 1000, 1 << 20, 600000, 600000));
await run('PUBLISH (floor of any command)', N, 64, (s) => r.publish('x', text));
await run('XADD only (no Lua)', N, 64, (s, q) => r.xadd(`w:{s${s}}:g:log2`, `${q}-0`, 't', Date.now(), 'n', 100, 'd', text));
const S = 8, M = 8;
const many = await appendManyFloor(redis.url, { streams: S, messages: M, calls: 1000 });
console.log(`EVALSHA append_many (${S} streams x ${M} messages per call, one in flight): ${many.perCall * 1000} messages, client CPU ${many.clientUs.toFixed(2)} us/message, redis-server CPU ${many.redisUs.toFixed(2)} us/message`);
const joined = new Array(S * M).fill(text).join('');
const c0 = process.cpuUsage(); const r0 = cpuOf(pid);
for (let i = 0; i < 1000; i++) await r.publish('x', joined);
const c = process.cpuUsage(c0); const n = 1000 * S * M;
console.log(`PUBLISH of the same texts, joined (${S * M} per call): ${n} messages, client CPU ${((c.user + c.system) / n).toFixed(2)} us/message, redis-server CPU ${(((cpuOf(pid) - r0) * 1e6) / n).toFixed(2)} us/message`);
r.disconnect(); await redis.dispose();
