// Redis store benchmark (issue 12), side by side in one run:
// 1. throughput: messages per server CPU-second with sessions in Redis vs in memory, same server code, same
//    load (closed loop: `window` user_messages in flight per connection; paced: `rate` msg/s offered to both; echo
//    agent: one stored, sequenced reply per message); two server children, rounds alternate (memory, redis, then
//    reversed) so machine noise hits both, after one uncounted warm-up round of each kind; medians of per-round ratios
//    (goal >= 0.70);
// 2. failover: 100 real clients (ChatService, failoverUrls) streaming from node A; A is SIGKILLed mid-stream; every
//    client must resume on node B with 0 lost and 0 duplicated (its seqs are exactly 1..the stream's seq in Redis),
//    all back within the backoff's first window plus one handshake;
// 3. memory: Redis bytes per idle session with an empty replay buffer (MEMORY USAGE of its keys; goal <= 1 KB).
// Beside the throughput, the floor (bench/redis/floor.mjs): the client CPU per message of append_many.lua alone, and
// the ratio it leaves at most against the in-memory node's CPU per message.
// Usage: node scripts/build.mjs && node bench/redis-scale.mjs [--quick] [--baseline <dist dir>]
// --baseline: a third server, the Redis store of another build (a copy of its dist/ inside this repository, so that
// its imports resolve), measured in the same rounds: the before/after of a change side by side.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { ChatService } from '../dist/runtime/chat/client.js';
import { startRedis, startNode, stopProcess } from '../test/redis/harness.mjs';
import { appendManyFloor } from './redis/floor.mjs';

const quick = process.argv.includes('--quick');
const baselineAt = process.argv.indexOf('--baseline');
const baseline = baselineAt > 0 ? process.argv[baselineAt + 1] : undefined;
const CFG = quick
  ? { rounds: 3, seconds: 0.6, warmup: 0.2, conns: 4, window: 32, rate: 5000, clients: 100, idle: 200 }
  : { rounds: 5, seconds: 2, warmup: 0.4, conns: 8, window: 32, rate: 5000, clients: 100, idle: 1000 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
setTimeout(() => {
  console.error('bench: hard time limit reached, aborting');
  process.exit(2);
}, (quick ? 120 : 300) * 1000).unref();

const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
const FRAMES = Array.from({ length: 1024 }, (_, i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m${i}`, message: PAD }));

/** A server child (redis/server-child.mjs) with its IPC ask. */
async function child(mode, redisUrl, dist) {
  const proc = fork(fileURLToPath(new URL('./redis/server-child.mjs', import.meta.url)), [mode, redisUrl, ...(dist ? [dist] : [])], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  proc.on('message', (m) => waiters.shift()?.(m));
  const ask = (msg) => new Promise((r) => { waiters.push(r); if (msg) proc.send(msg); });
  const ready = await ask(null);
  return { mode, proc, port: ready.port, ask };
}

/** Connections pumping a closed loop against one server; `round()` measures one period. */
async function rig(srv) {
  const { tokens } = await srv.ask({ cmd: 'tokens', n: CFG.conns });
  const st = { pumping: false, counting: false, received: 0, i: 0, bad: 0 };
  const conns = await Promise.all(tokens.map((t) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/api/ws/guide`, ['wsgen.v1', `wsgen.token.${t}`]);
    let seq = -1;
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'session_created') return resolve(ws);
      if (m.type !== 'agent_message') return;
      if (seq >= 0 && m.seq !== seq + 1) st.bad++;
      seq = m.seq;
      if (st.counting) st.received++;
      if (st.pumping) ws.send(FRAMES[st.i++ & 1023]);
    });
    ws.once('error', reject);
  })));
  return {
    /** One round: closed loop (`window` in flight per connection) or, with `rate`, paced at rate msg/s (open loop, capped at the window). */
    async round(rate) {
      let pacer;
      if (rate === undefined) {
        st.pumping = true;
        for (const ws of conns) for (let k = 0; k < CFG.window; k++) ws.send(FRAMES[st.i++ & 1023]);
      } else {
        const p0 = performance.now();
        let sent = 0;
        let rr = 0;
        pacer = setInterval(() => {
          const due = Math.floor(((performance.now() - p0) * rate) / 1000);
          for (; sent < due; sent++) conns[rr++ % conns.length].send(FRAMES[st.i++ & 1023]);
        }, 2);
      }
      await sleep(CFG.warmup * 1000);
      const c0 = (await srv.ask({ cmd: 'cpu' })).cpu;
      st.received = 0;
      st.counting = true;
      await sleep(CFG.seconds * 1000);
      st.counting = false;
      const c1 = (await srv.ask({ cmd: 'cpu' })).cpu;
      st.pumping = false;
      clearInterval(pacer);
      await sleep(300); // drain
      const cpu = (c1.user - c0.user + c1.system - c0.system) / 1e6;
      return { perCpuSec: st.received / cpu, n: st.received };
    },
    close: () => conns.forEach((ws) => ws.terminate()),
    get bad() { return st.bad; },
  };
}

async function throughput(redisUrl) {
  const servers = [await child('memory', redisUrl), await child('redis', redisUrl)];
  if (baseline) servers.push(await child('redis', redisUrl, baseline));
  const rigs = await Promise.all(servers.map(rig));
  const res = {};
  for (const kind of ['closed', 'paced']) res[kind] = { memory: [], redis: [], ratio: [], baseline: [], baselineRatio: [] };
  // A first round of each kind is not counted: the JIT warm-up (V8 optimizes a function once it is hot; a Redis node's
  // per-call functions get hot later than its per-message ones) is a start-up cost, not the steady state measured.
  for (const rate of [undefined, CFG.rate]) for (const x of rigs) await x.round(rate);
  for (let r = 0; r < CFG.rounds; r++) {
    const order = servers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const [kind, rate] of [['closed', undefined], ['paced', CFG.rate]]) {
      const got = [];
      for (const k of order) got[k] = await rigs[k].round(rate);
      res[kind].memory.push(got[0].perCpuSec);
      res[kind].redis.push(got[1].perCpuSec);
      res[kind].ratio.push(got[1].perCpuSec / got[0].perCpuSec);
      if (baseline) {
        res[kind].baseline.push(got[2].perCpuSec);
        res[kind].baselineRatio.push(got[2].perCpuSec / got[0].perCpuSec);
      }
    }
  }
  const bad = rigs.reduce((n, x) => n + x.bad, 0);
  rigs.forEach((x) => x.close());
  servers.forEach((s) => s.proc.kill('SIGKILL'));
  const med = (x) => ({ memory: median(x.memory), redis: median(x.redis), ratio: median(x.ratio), ...(baseline ? { baseline: median(x.baseline), baselineRatio: median(x.baselineRatio) } : {}) });
  return { closed: med(res.closed), paced: med(res.paced), bad };
}

async function failover(redis) {
  const tokens = Array.from({ length: CFG.clients }, (_, i) => ({ token: `bench-tok-${i}`, sessionId: `bench-sess-${i}` }));
  const extra = { chunkDelayMs: 20, validateOutbound: false, maxConnectionsPerUser: 1e6 };
  const a = await startNode(redis.url, 'bench-a', tokens, extra);
  const b = await startNode(redis.url, 'bench-b', tokens, extra);
  const backoff = { minDelayMs: 500, maxDelayMs: 5_000 };
  const clients = await Promise.all(tokens.map(async (t) => {
    const svc = new ChatService({ baseUrl: `ws://127.0.0.1:${a.port}`, browserProbes: false, defaults: { backoff, stableAfterMs: 200, heartbeat: { intervalMs: 60_000, timeoutMs: 60_000 } } });
    const seqs = [];
    svc.onAny('guide', (m) => { if (typeof m.seq === 'number' && m.type !== 'session_created') seqs.push(m.seq); });
    await svc.connect('guide', `ws://127.0.0.1:${a.port}/api/ws/guide`, { token: t.token, failoverUrls: [`ws://127.0.0.1:${b.port}/api/ws/guide`] });
    return { svc, seqs, sessionId: t.sessionId };
  }));
  for (const c of clients) c.svc.send('guide', 'user_message', { message: '/stream 500', message_id: 'long' });
  for (let k = 0; k < 500 && clients.some((c) => c.seqs.length < 10); k++) await sleep(10);
  await stopProcess(a.proc);
  const t0 = Date.now();
  const back = () => clients.every((c) => c.svc.getConnectionStatus('guide') === 'open' && c.svc.getConnectionHealth('guide').reconnectCount >= 1);
  for (let k = 0; k < 3000 && !back(); k++) await sleep(5);
  const allBackMs = Date.now() - t0;
  await sleep(300);
  const r = new Redis(redis.url);
  let lost = 0, duplicated = 0, wrong = 0, notBack = 0;
  for (const c of clients) {
    const top = Number(await r.hget(`wsgen:{${c.sessionId}}:guide:meta`, 'seq'));
    const h = c.svc.getConnectionHealth('guide');
    const unique = new Set(c.seqs);
    lost += top - unique.size;
    duplicated += c.seqs.length - unique.size + h.duplicatesDropped;
    if (c.seqs.some((s, i) => s !== i + 1) || h.gapsDetected > 0 || h.resume !== 'resumed') wrong++;
    if (h.status !== 'open') notBack++;
    c.svc.dispose();
  }
  r.disconnect();
  await stopProcess(b.proc);
  return { clients: clients.length, lost, duplicated, wrong, notBack, allBackMs, boundMs: backoff.minDelayMs + 1000 };
}

async function memory(redis) {
  const tokens = Array.from({ length: CFG.idle }, (_, i) => ({ token: `idle-tok-${i}`, sessionId: `idle-sess-${i}` }));
  const node = await startNode(redis.url, 'bench-idle', tokens, { validateOutbound: false, maxConnectionsPerUser: 1e6 });
  const socks = await Promise.all(tokens.map((t) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${node.port}/api/ws/guide`, ['wsgen.v1', `wsgen.token.${t.token}`]);
    ws.once('message', () => resolve(ws)); // session_created; no resume, so the replay buffer stays empty
    ws.once('error', reject);
  })));
  const r = new Redis(redis.url);
  await sleep(300);
  let meta = 0, log = 0, presence = 0;
  for (const t of tokens) {
    meta += Number(await r.memory('USAGE', `wsgen:{${t.sessionId}}:guide:meta`, 'SAMPLES', '0'));
    log += Number((await r.memory('USAGE', `wsgen:{${t.sessionId}}:guide:log`, 'SAMPLES', '0')) ?? 0);
    presence += Number(await r.memory('USAGE', `wsgen:presence:user:${t.sessionId}`, 'SAMPLES', '0'));
  }
  // A stream whose log was used, then emptied by the age bound: the log key stays, with no entry.
  const script = (n) => readFileSync(new URL(`../runtime/redis/${n}.lua`, import.meta.url), 'utf8');
  const k = ['wsgen:{emptied}:guide:meta', 'wsgen:{emptied}:guide:log'];
  await r.eval(script('open'), 2, ...k, 'e1', '', 120000);
  await r.eval(script('append'), 2, ...k, 'e1', 1, '{"seq":1}', 9, Date.now(), 256, 262144, 60000, 120000);
  await r.eval(script('replay'), 2, ...k, 1, Date.now() + 120000, 60000);
  const emptied = Number(await r.memory('USAGE', k[0], 'SAMPLES', '0')) + Number(await r.memory('USAGE', k[1], 'SAMPLES', '0'));
  const emptiedLen = await r.xlen(k[1]);
  socks.forEach((ws) => ws.terminate());
  r.disconnect();
  await stopProcess(node.proc);
  const n = tokens.length;
  return { sessions: n, meta: meta / n, log: log / n, presence: presence / n, perSession: (meta + log + presence) / n, emptied, emptiedLen };
}

const redis = await startRedis();
try {
  console.log(`bench/redis-scale${quick ? ' (quick)' : ''}: redis-server 127.0.0.1:${redis.port}`);
  const tp = await throughput(redis.url);
  for (const [kind, x] of [['closed loop', tp.closed], [`paced ${CFG.rate} msg/s`, tp.paced]]) {
    const before = baseline ? `; baseline build: redis ${x.baseline.toFixed(0)}, ratio ${x.baselineRatio.toFixed(2)}` : '';
    console.log(`throughput (${kind}), msgs per server CPU-s: memory ${x.memory.toFixed(0)}, redis ${x.redis.toFixed(0)}, ratio ${x.ratio.toFixed(2)} (goal >= 0.70)${before}`);
  }
  if (tp.bad) console.log(`${tp.bad} SEQ ERRORS`);
  // The floor beside it: what the client library alone costs per message for the least Redis work the guarantees need
  // (every message appended by a script that checks epoch and seq and trims, before delivery), against the whole cost
  // of a message in memory; memory / (memory + floor) bounds the ratio a Redis node can reach on this machine now.
  const floor = await appendManyFloor(redis.url, { streams: CFG.conns, messages: 16, calls: quick ? 200 : 500 });
  const memUs = 1e6 / tp.closed.memory;
  console.log(`floor: append_many.lua via ioredis (${CFG.conns} streams x 16 messages per call, one in flight): client CPU ${floor.clientUs.toFixed(2)} us/message (redis-server ${floor.redisUs.toFixed(2)} us, on the same cores); a message in memory (closed loop) ${memUs.toFixed(2)} us of server CPU: ratio bound ${(memUs / (memUs + floor.clientUs)).toFixed(2)}`);
  const fo = await failover(redis);
  console.log(`failover, ${fo.clients} clients, node SIGKILLed mid-stream: lost ${fo.lost}, duplicated ${fo.duplicated}, wrong resumes ${fo.wrong}, not back ${fo.notBack}; all back in ${fo.allBackMs} ms (bound: first backoff window + 1 s = ${fo.boundMs} ms)`);
  const mem = await memory(redis);
  console.log(`memory per idle session (${mem.sessions}, empty replay buffer): ${mem.perSession.toFixed(0)} B (meta ${mem.meta.toFixed(0)}, log ${mem.log.toFixed(0)}, presence ${mem.presence.toFixed(0)}); a stream emptied by the age bound: ${mem.emptied} B (log entries ${mem.emptiedLen}) (goal <= 1024 B)`);
  const ok = tp.closed.ratio >= 0.7 && tp.paced.ratio >= 0.7 && !tp.bad && fo.lost === 0 && fo.duplicated === 0 && fo.wrong === 0 && fo.notBack === 0 && fo.allBackMs <= fo.boundMs && mem.perSession <= 1024 && mem.emptied <= 1024;
  console.log(ok ? 'all goals met' : 'SOME GOAL MISSED');
  process.exitCode = ok ? 0 : 1;
} finally {
  await redis.dispose();
}
