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
// Beside each server's ratio: its append_many calls per message, its event-loop sleeps per message (the voluntary
// context switches of its main thread: each time it waited for I/O or a timer; a wake-up after a sleep costs CPU
// beyond the work it does, more so on a loaded machine), the latency of a message (send to its reply: p50 and p99 of
// the paced rounds, and of one connection sending one message at a time).
// What is counted: each server child's own CPU (process.cpuUsage(): user + system of all its threads: the main
// thread, GC and libuv threads), read at the start and end of the counted period, the same way for every server;
// not redis-server's CPU (a separate process: the floor lines print it for the script alone), not the load
// generator's. Paced rounds offer every server the same load: `rate` msg/s from one 2 ms interval timer, round-robin
// over the connections (bursts of ~rate/500 messages), the servers measured one after the other, in an order that
// alternates between rounds; the ratio's median and its range over the rounds are printed (on a loaded machine,
// more arrives per event-loop turn and the calls batch more: the ratio depends on the load; compare in one run).
// Usage: node scripts/build.mjs && node bench/redis-scale.mjs [--quick] [--baseline <dist dir>] [--linger <ms,ms…>]
//   [--throughput-only] [--rate <msg/s>]
// --linger: one more Redis server per value, with that `lingerMs` (redisSessionStore option), in the same rounds.
// --throughput-only: skip the failover and memory parts (the goal line then judges the throughput only).
// --rate <msg/s>: the paced rate (default 5000, the goal's); another rate is an experiment, not the goal's row.
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
const lingerAt = process.argv.indexOf('--linger');
const throughputOnly = process.argv.includes('--throughput-only');
const rateAt = process.argv.indexOf('--rate');
const lingers = lingerAt > 0 ? process.argv[lingerAt + 1].split(',').map(Number) : [];
const CFG = quick
  ? { rounds: 3, seconds: 0.6, warmup: 0.2, conns: 4, window: 32, rate: 5000, pings: 100, clients: 100, idle: 200 }
  : { rounds: 5, seconds: 2, warmup: 0.4, conns: 8, window: 32, rate: 5000, pings: 200, clients: 100, idle: 1000 };
if (rateAt > 0) CFG.rate = Number(process.argv[rateAt + 1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
setTimeout(() => {
  console.error('bench: hard time limit reached, aborting');
  process.exit(2);
}, ((quick ? 120 : 300) + 60 * lingers.length) * 1000).unref();

const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
const FRAMES = Array.from({ length: 1024 }, (_, i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m${i}`, message: PAD }));

/** A server child (redis/server-child.mjs) with its IPC ask; `store`: redisSessionStore options (JSON-able). */
async function child(mode, redisUrl, dist, store) {
  const args = [mode, redisUrl, dist ?? '-', ...(store ? [JSON.stringify(store)] : [])];
  const proc = fork(fileURLToPath(new URL('./redis/server-child.mjs', import.meta.url)), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  proc.on('message', (m) => waiters.shift()?.(m));
  const ask = (msg) => new Promise((r) => { waiters.push(r); if (msg) proc.send(msg); });
  const ready = await ask(null);
  return { mode, proc, port: ready.port, ask };
}

/**
 * An open connection of `srv` with token `t` (resolves at session_created); `onReply(m)` gets each agent_message;
 * `onClose(code)` a close by the server (a Redis node closes its connections with 1012 after an outage: commands
 * unanswered within the command timeout on an overloaded machine count as one).
 */
function open(srv, t, onReply, onClose) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${srv.port}/api/ws/guide`, ['wsgen.v1', `wsgen.token.${t}`]);
    ws.on('close', (code) => onClose(code));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m.type === 'session_created') resolve(ws);
      else if (m.type === 'agent_message') onReply(m, ws);
    });
    ws.once('error', reject);
  });
}

/**
 * Connections pumping against one server; `round()` measures one period: messages per server CPU-s, append calls
 * per message, and the latency of each message (send to its reply, ms; the replies of one connection come in order).
 * `ping()`: one more connection, one message at a time (send, wait for the reply), `CFG.pings` times: its latencies.
 */
async function rig(srv) {
  const { tokens } = await srv.ask({ cmd: 'tokens', n: CFG.conns + 1 });
  const st = { pumping: false, counting: false, received: 0, i: 0, bad: 0, lat: [], closed: [] };
  const onClose = (code) => { if (!st.done) st.closed.push(code); };
  const send = (ws) => {
    ws.sentAt.push(performance.now());
    ws.send(FRAMES[st.i++ & 1023]);
  };
  const conns = await Promise.all(tokens.slice(1).map((t) => {
    let seq = -1;
    const sentAt = [];
    return open(srv, t, (m, ws) => {
      if (seq >= 0 && m.seq !== seq + 1) st.bad++;
      seq = m.seq;
      const at = sentAt.shift();
      if (st.counting) {
        st.received++;
        st.lat.push(performance.now() - at);
      }
      if (st.pumping) send(ws);
    }, onClose).then((ws) => Object.assign(ws, { sentAt }));
  }));
  let pong;
  const pinger = await open(srv, tokens[0], () => pong?.(), onClose);
  return {
    /** One round: closed loop (`window` in flight per connection) or, with `rate`, paced at rate msg/s (open loop). */
    async round(rate) {
      let pacer;
      if (rate === undefined) {
        st.pumping = true;
        for (const ws of conns) for (let k = 0; k < CFG.window; k++) send(ws);
      } else {
        const p0 = performance.now();
        let sent = 0;
        let rr = 0;
        pacer = setInterval(() => {
          const due = Math.floor(((performance.now() - p0) * rate) / 1000);
          for (; sent < due; sent++) send(conns[rr++ % conns.length]);
        }, 2);
      }
      await sleep(CFG.warmup * 1000);
      const c0 = await srv.ask({ cmd: 'cpu' });
      st.received = 0;
      st.lat = [];
      st.counting = true;
      await sleep(CFG.seconds * 1000);
      st.counting = false;
      const c1 = await srv.ask({ cmd: 'cpu' });
      st.pumping = false;
      clearInterval(pacer);
      await sleep(300); // drain
      const cpu = (c1.cpu.user - c0.cpu.user + c1.cpu.system - c0.cpu.system) / 1e6;
      return { perCpuSec: st.received / cpu, n: st.received, callsPerMsg: (c1.calls - c0.calls) / st.received, sleepsPerMsg: (c1.sleeps - c0.sleeps) / st.received, lat: st.lat };
    },
    /** One message at a time on one connection, `CFG.pings` times: the latencies (ms). */
    async ping() {
      const lat = [];
      for (let k = 0; k < CFG.pings; k++) {
        const t0 = performance.now();
        await new Promise((r) => { pong = r; pinger.send(FRAMES[k & 1023]); });
        lat.push(performance.now() - t0);
      }
      return lat;
    },
    close: () => {
      st.done = true;
      [...conns, pinger].forEach((ws) => ws.terminate());
    },
    get bad() { return st.bad; },
    get closed() { return st.closed; },
  };
}

/** The `q` quantile of `xs` (sorted in place). */
const quantile = (xs, q) => (xs.length === 0 ? NaN : xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]);

/**
 * The servers measured side by side: memory, redis (the default options: the goal's row), the --baseline build, and
 * one redis server per --linger value.
 */
function serverSpecs() {
  const specs = [{ label: 'memory', mode: 'memory' }, { label: 'redis', mode: 'redis' }];
  if (baseline) specs.push({ label: 'baseline build', mode: 'redis', dist: baseline });
  for (const ms of lingers) specs.push({ label: `redis lingerMs ${ms}`, mode: 'redis', store: { lingerMs: ms } });
  return specs;
}

async function throughput(redisUrl) {
  const specs = serverSpecs();
  const servers = [];
  for (const x of specs) servers.push(await child(x.mode, redisUrl, x.dist, x.store));
  const rigs = await Promise.all(servers.map(rig));
  const per = () => specs.map(() => ({ perCpuSec: [], ratio: [], callsPerMsg: [], sleepsPerMsg: [], lat: [] }));
  const res = { closed: per(), paced: per(), ping: specs.map(() => []) };
  // A first round of each kind is not counted: the JIT warm-up (V8 optimizes a function once it is hot; a Redis node's
  // per-call functions get hot later than its per-message ones) is a start-up cost, not the steady state measured.
  for (const rate of [undefined, CFG.rate]) for (const x of rigs) await x.round(rate);
  for (let r = 0; r < CFG.rounds; r++) {
    const order = servers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const [kind, rate] of [['closed', undefined], ['paced', CFG.rate]]) {
      const got = [];
      for (const k of order) got[k] = await rigs[k].round(rate);
      got.forEach((g, k) => {
        const x = res[kind][k];
        x.perCpuSec.push(g.perCpuSec);
        x.ratio.push(g.perCpuSec / got[0].perCpuSec);
        x.callsPerMsg.push(g.callsPerMsg);
        x.sleepsPerMsg.push(g.sleepsPerMsg);
        for (const v of g.lat) x.lat.push(v); // a quiet machine's round has more samples than a spread's call-stack bound
      });
    }
    for (const k of order) for (const v of await rigs[k].ping()) res.ping[k].push(v);
  }
  const bad = rigs.reduce((n, x) => n + x.bad, 0);
  const closed = rigs.map((x) => [...x.closed]);
  rigs.forEach((x) => x.close());
  servers.forEach((s) => s.proc.kill('SIGKILL'));
  const med = (x) => ({ perCpuSec: median(x.perCpuSec), ratio: median(x.ratio), ratioMin: Math.min(...x.ratio), ratioMax: Math.max(...x.ratio), callsPerMsg: median(x.callsPerMsg), sleepsPerMsg: median(x.sleepsPerMsg), p50: quantile(x.lat, 0.5), p99: quantile(x.lat, 0.99) });
  const rows = specs.map((x, k) => ({ label: x.label, closedBy: closed[k], closed: med(res.closed[k]), paced: med(res.paced[k]), ping: { p50: quantile(res.ping[k], 0.5), p99: quantile(res.ping[k], 0.99) } }));
  return { rows, bad };
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
  const [mem0, redis0] = tp.rows;
  for (const [kind, key] of [['closed loop', 'closed'], [`paced ${CFG.rate} msg/s`, 'paced']]) {
    const spread = (x) => `${x[key].ratio.toFixed(2)} (rounds ${x[key].ratioMin.toFixed(2)}-${x[key].ratioMax.toFixed(2)})`;
    const others = tp.rows.slice(2).map((x) => `; ${x.label}: ${x[key].perCpuSec.toFixed(0)}, ratio ${spread(x)}`).join('');
    console.log(`throughput (${kind}), msgs per server CPU-s: memory ${mem0[key].perCpuSec.toFixed(0)}, redis ${redis0[key].perCpuSec.toFixed(0)}, ratio ${spread(redis0)} (goal >= 0.70)${others}`);
  }
  const ms = (x) => `p50 ${x.p50.toFixed(2)} / p99 ${x.p99.toFixed(2)} ms`;
  for (const x of tp.rows) {
    const calls = (x.label === 'memory' ? '' : `; append calls per message: closed ${x.closed.callsPerMsg.toFixed(3)}, paced ${x.paced.callsPerMsg.toFixed(3)}`) + `; event-loop sleeps per message: closed ${x.closed.sleepsPerMsg.toFixed(3)}, paced ${x.paced.sleepsPerMsg.toFixed(3)}`;
    const lost = x.closedBy.length ? `; ${x.closedBy.length} CONNECTIONS CLOSED BY THE SERVER (codes ${[...new Set(x.closedBy)].join(', ')}): its figures are void` : '';
    console.log(`  ${x.label}: latency (send to reply) paced ${ms(x.paced)}, one connection one message at a time ${ms(x.ping)}${calls}${lost}`);
  }
  if (tp.bad) console.log(`${tp.bad} SEQ ERRORS`);
  // The floor beside it: what the client library alone costs per message for the least Redis work the guarantees need
  // (every message appended by a script that checks epoch and seq and trims, before delivery), against the whole cost
  // of a message in memory; memory / (memory + floor) bounds the ratio a Redis node can reach on this machine now.
  const floor = await appendManyFloor(redis.url, { streams: CFG.conns, messages: 16, calls: quick ? 200 : 500 });
  const memUs = 1e6 / mem0.closed.perCpuSec;
  console.log(`floor: append_many.lua via ioredis (${CFG.conns} streams x 16 messages per call, one in flight): client CPU ${floor.clientUs.toFixed(2)} us/message (redis-server ${floor.redisUs.toFixed(2)} us, on the same cores); a message in memory (closed loop) ${memUs.toFixed(2)} us of server CPU: ratio bound ${(memUs / (memUs + floor.clientUs)).toFixed(2)}`);
  // Paced, a call carries what arrived during the previous one (or the linger): its fixed cost per call is what counts.
  const one = await appendManyFloor(redis.url, { streams: 1, messages: 1, calls: quick ? 1000 : 3000, prefix: 'floor1:' });
  const pacedUs = 1e6 / mem0.paced.perCpuSec;
  const bound = (callsPerMsg) => (pacedUs / (pacedUs + callsPerMsg * one.clientUs)).toFixed(2);
  const perRow = tp.rows.slice(1).map((x) => `${x.label} ${x.paced.callsPerMsg.toFixed(3)} calls/message: ${bound(x.paced.callsPerMsg)}`).join(', ');
  console.log(`floor, paced: one append_many.lua call of one message costs the client ${one.clientUs.toFixed(2)} us of CPU (redis-server ${one.redisUs.toFixed(2)} us); a paced message in memory ${pacedUs.toFixed(2)} us: ratio bound at one call per message ${bound(1)}; at the calls per message measured: ${perRow}`);
  const tpOk = redis0.closed.ratio >= 0.7 && redis0.paced.ratio >= 0.7 && !tp.bad;
  if (throughputOnly) {
    console.log(tpOk ? 'throughput goals met (failover and memory not run)' : 'SOME GOAL MISSED');
    process.exitCode = tpOk ? 0 : 1;
  } else await rest(tpOk);
} finally {
  await redis.dispose();
}

/** The failover and memory parts, then the verdict on every goal. */
async function rest(tpOk) {
  const fo = await failover(redis);
  console.log(`failover, ${fo.clients} clients, node SIGKILLed mid-stream: lost ${fo.lost}, duplicated ${fo.duplicated}, wrong resumes ${fo.wrong}, not back ${fo.notBack}; all back in ${fo.allBackMs} ms (bound: first backoff window + 1 s = ${fo.boundMs} ms)`);
  const mem = await memory(redis);
  console.log(`memory per idle session (${mem.sessions}, empty replay buffer): ${mem.perSession.toFixed(0)} B (meta ${mem.meta.toFixed(0)}, log ${mem.log.toFixed(0)}, presence ${mem.presence.toFixed(0)}); a stream emptied by the age bound: ${mem.emptied} B (log entries ${mem.emptiedLen}) (goal <= 1024 B)`);
  const ok = tpOk && fo.lost === 0 && fo.duplicated === 0 && fo.wrong === 0 && fo.notBack === 0 && fo.allBackMs <= fo.boundMs && mem.perSession <= 1024 && mem.emptied <= 1024;
  console.log(ok ? 'all goals met' : 'SOME GOAL MISSED');
  process.exitCode = ok ? 0 : 1;
}
