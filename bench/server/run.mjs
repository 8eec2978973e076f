// Server benchmark: the wsgen server (a ~340 B user_message validated, routed
// to the echo agent, answered with a sequenced, buffered agent_message) vs a raw
// `ws` echo server, each in its own child process (server-child.mjs), on
// 127.0.0.1. A third server is wsgen with coalesceWrites: false; a fourth, the
// floor, is raw `ws` plus only what any server must do for this exchange
// (decode, parse and validate the frame, build, serialize and send a numbered
// reply, with wsgen's write coalescing): wsgen / floor is the runtime's own
// overhead, floor / raw what validating and answering costs at all. A fifth,
// floor-replay (closed-loop rounds only), is the floor plus a replay buffer with
// wsgen's bounds: the part of the gap any server offering resume pays.
//
// The wsgen server's configuration (server-child.mjs): createChatServer with the
// defaults (replay 256 messages / 256 KiB / 60 s, heartbeat, metrics, maxPayload,
// write coalescing on) except: the echo agent on the guide endpoint; rateLimit
// { capacity: 1e9, refillPerSecond: 1e9 } (the bucket is still taken on every
// frame, it just never runs dry); maxConnectionsPerUser and maxInFlight 1e6; and
// validateOutbound: false, the production default (outbound validation is on by
// default only outside NODE_ENV/WSGEN_ENV=production; bench/compare-server.mjs
// runs with NODE_ENV=production too). wsgen-plain: the same with
// coalesceWrites: false. Every inbound frame is parsed and validated in full.
//
// Throughput: the servers run side by side; rounds rotate between them (each
// mode takes each place in the order in turn) so that noise from other
// processes on the machine hits all alike. The rounds are many and short (10 of
// 0.25 + 0.7 s), after one uncounted round per server that runs the code through
// the JIT: on a loaded machine a server's share of the CPU, and with it how many
// frames one read brings (which sets the CPU per message), drifts within
// seconds, and short rounds put the servers compared in a round closer in time;
// the median of per-round ratios ("paired") then discards the rounds the drift
// hit anyway. None of this favours a mode: each gets the same rounds, places and durations. Two kinds of round:
//   closed loop: `window` messages in flight on every connection (saturates
//     the server; the client sends prebuilt frames, so it is not the bottleneck);
//   paced: the same offered load for every server (pacedRate msg/s, open loop
//     capped at the window), to compare CPU per message at equal load.
// Each round has a warm-up and a measured period, then drains (bounded). The
// figures are medians over the rounds (and "paired": the median of per-round
// ratios): messages per server CPU-second (process.cpuUsage of the server,
// user + system, over IPC), per wall-clock second, and CPU us per message. The
// client checks a sample of the wsgen replies (every 64th: generated validator,
// type agent_message, consecutive seq per connection), so a broken server
// cannot post a good figure.
// Latency: round-trip of one message at a time. 1 connection: latency.mjs (the
// three servers up at once, round trips interleaved one by one, 41 rounds, the
// median of the per-round ratios with their quartiles). 50 connections: after a
// warm-up of 20 round trips per connection, in rounds that alternate the
// servers; medians of the rounds' p50 and p99.
// Memory: RSS (after GC) per idle connection, raw and wsgen alternately, median,
// after 200 warm-up connections that stay open (one-off costs go to the baseline):
// the average over the measured connections ((after - before) / n), the marginal cost
// from n/2 to n (cancels one-off costs: JIT code, heap growth steps), and the
// V8 heap used per connection (exact retained bytes, no page granularity).
//
// Usage: node scripts/build.mjs && node bench/server/run.mjs [--quick] [--no-memory]   (WSGEN_BENCH_LIMIT_S=<s>: the hard time limit)
import { spawnSync } from 'node:child_process';
import { validateMessage } from '../../dist/generated/ts/index.js';
import { frame, open, startChild, tokensFor } from './children.mjs';
import { LATENCY_RATIOS, interleavedLatency, ratioSummary } from './latency.mjs';

const quick = process.argv.includes('--quick');
const CFG = quick
  ? { rounds: 3, tpSeconds: 0.6, pacedSeconds: 0.4, warmup: 0.2, tpConns: 4, window: 32, pacedRate: 30000, lat1: 100, lat1Rounds: 11, lat1Warm: 500, lat50: 20, latRounds: 2, memConns: 1000, memRounds: 1 }
  : { rounds: 10, tpSeconds: 0.7, pacedSeconds: 0.4, warmup: 0.25, tpConns: 8, window: 32, pacedRate: 30000, lat1: 200, lat1Rounds: 41, lat1Warm: 2000, lat50: 40, latRounds: 4, memConns: 5000, memRounds: 3 };
/** Connections opened before the memory baseline is read (and kept open). */
const MEM_WARM = 200;
const started = Date.now();
// WSGEN_BENCH_LIMIT_S raises the bound on a loaded machine (the rounds themselves do not change).
const HARD_LIMIT_MS = Number(process.env['WSGEN_BENCH_LIMIT_S'] ?? 0) * 1000 || (quick ? 40_000 : 240_000);
const phase = {};
const mark = (name, t0) => (phase[name] = ((Date.now() - t0) / 1000).toFixed(1));
setTimeout(() => {
  console.error('bench: hard time limit reached, aborting');
  process.exit(2);
}, HARD_LIMIT_MS).unref();

console.log(`bench/server: user_message of ${Buffer.byteLength(frame(0))} B${quick ? ' (quick)' : ''}`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let seqErrors = 0;
let checked = 0;

/** A throughput rig: a server child plus its connections, pumped on demand. */
async function rig(mode) {
  const srv = await startChild(mode);
  const tokens = await tokensFor(srv, CFG.tpConns);
  const conns = await Promise.all(tokens.map((t) => open(srv.port, t, mode)));
  const st = { pumping: false, counting: false, received: 0, outstanding: 0, i: 0 };
  for (const ws of conns) {
    let replies = 0;
    const baseSeq = ws.created?.seq ?? 0;
    ws.on('message', (data) => {
      st.outstanding--;
      if (st.counting) st.received++;
      replies++;
      if (mode !== 'raw' && (replies & 63) === 1) {
        const m = JSON.parse(data.toString());
        const v = validateMessage(m);
        checked++;
        if (!v.ok || m.type !== 'agent_message' || m.seq !== baseSeq + replies) {
          if (seqErrors++ < 3) console.error('bench: bad reply', v.ok ? '' : JSON.stringify(v.errors), data.toString().slice(0, 200));
        }
      }
      if (st.pumping) {
        st.outstanding++;
        ws.send(frame(st.i++));
      }
    });
  }
  return {
    mode,
    /** One round: closed loop (window in flight per connection) or, with `rate`, paced at rate msg/s (open loop, capped at the window). */
    async round(rate) {
      st.received = 0;
      let pacer;
      if (rate === undefined) {
        st.pumping = true;
        for (const ws of conns) for (let k = 0; k < CFG.window; k++) {
          st.outstanding++;
          ws.send(frame(st.i++));
        }
      } else {
        const p0 = performance.now();
        const cap = CFG.window * conns.length;
        let sent = 0;
        let rr = 0;
        pacer = setInterval(() => {
          const due = Math.floor(((performance.now() - p0) * rate) / 1000);
          for (; sent < due && st.outstanding < cap; sent++) {
            st.outstanding++;
            conns[rr++ % conns.length].send(frame(st.i++));
          }
          sent = Math.max(sent, due - cap); // when capped, do not build a backlog
        }, 1);
      }
      await sleep(CFG.warmup * 1000);
      const c0 = (await srv.ask({ cmd: 'cpu' })).cpu;
      const t0 = performance.now();
      st.counting = true;
      await sleep((rate === undefined ? CFG.tpSeconds : CFG.pacedSeconds) * 1000);
      st.counting = false;
      const c1 = (await srv.ask({ cmd: 'cpu' })).cpu;
      const wall = (performance.now() - t0) / 1000;
      st.pumping = false;
      if (pacer) clearInterval(pacer);
      const d0 = Date.now();
      for (let k = 0; k < 200 && st.outstanding > 0; k++) await sleep(10); // drain (bounded)
      if (process.env.BENCH_DEBUG) console.log(mode, rate, "drain ms", Date.now() - d0, "left", st.outstanding);
      const user = (c1.user - c0.user) / 1e6;
      const sys = (c1.system - c0.system) / 1e6;
      const n = st.received;
      return { perCpuSec: n / (user + sys), perWallSec: n / wall, usUser: (user * 1e6) / n, usSys: (sys * 1e6) / n, busy: (user + sys) / wall, n };
    },
    close() {
      for (const ws of conns) ws.terminate();
      srv.stop();
    },
  };
}

const MODES = ['raw', 'floor', 'floor-replay', 'wsgen', 'wsgen-plain'];
/** Modes measured in closed-loop rounds only (a floor variant: what it costs per message, not at equal load). */
const CLOSED_ONLY = new Set(['floor-replay']);

async function throughput() {
  const rigs = {};
  for (const m of MODES) rigs[m] = await rig(m);
  const res = {};
  for (const m of MODES) res[m] = { closed: [], paced: [] };
  // One uncounted closed-loop round per server first: a server's first round runs its code before the JIT compiled it.
  for (const m of MODES) await rigs[m].round();
  for (let r = 0; r < CFG.rounds; r++) {
    // Rotating order: in round r, mode k runs (k - r) mod n-th, so each mode takes every place equally often.
    const order = MODES.map((_, k) => MODES[(k + r) % MODES.length]);
    for (const m of order) res[m].closed.push(await rigs[m].round());
    for (const m of order) if (!CLOSED_ONLY.has(m)) res[m].paced.push(await rigs[m].round(CFG.pacedRate));
  }
  for (const m of MODES) rigs[m].close();
  return res;
}

async function latency(mode, nConns, perConn, warm = 20) {
  const srv = await startChild(mode);
  const tokens = await tokensFor(srv, nConns);
  const conns = await Promise.all(tokens.map((t) => open(srv.port, t, mode)));
  const samples = [];
  await Promise.all(
    conns.map(async (ws, ci) => {
      for (let k = 0; k < perConn + warm; k++) {
        const t0 = performance.now();
        await new Promise((r) => {
          ws.once('message', r);
          ws.send(frame(ci * 1e6 + k));
        });
        if (k >= warm) samples.push(performance.now() - t0);
      }
    }),
  );
  for (const ws of conns) ws.terminate();
  srv.stop();
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  return { p50: q(0.5), p99: q(0.99), n: samples.length };
}

function fdLimit() {
  const r = spawnSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' });
  const n = Number(r.stdout.trim());
  return Number.isFinite(n) ? n : Infinity;
}

/** RSS per idle connection: average over n ((after - before) / n) and marginal (from n/2 to n, which cancels one-off costs such as JIT code and heap growth). */
async function memory(mode, n) {
  const srv = await startChild(mode);
  const tokens = await tokensFor(srv, n + MEM_WARM);
  // Warm-up connections stay open through the measurement: what the first
  // connections cost once (JIT code, heap growth, lazily built tables) lands in
  // the baseline instead of being spread over the measured ones.
  const warm = await Promise.all(tokens.slice(n).map((t) => open(srv.port, t, mode)));
  await sleep(150);
  const b = await srv.ask({ cmd: 'rss' });
  const before = b.rss;
  const conns = [...warm];
  let mid;
  for (let k = 0; k < n; k += 200) {
    conns.push(...(await Promise.all(tokens.slice(k, Math.min(n, k + 200)).map((t) => open(srv.port, t, mode)))));
    if (mid === undefined && conns.length - warm.length >= n / 2) {
      await sleep(150);
      mid = { rss: (await srv.ask({ cmd: 'rss' })).rss, at: conns.length - warm.length };
    }
  }
  await sleep(300);
  const a = await srv.ask({ cmd: 'rss' });
  const after = a.rss;
  for (const ws of conns) ws.terminate();
  srv.stop();
  await sleep(100);
  return { avg: (after - before) / n, marginal: (after - mid.rss) / (n - mid.at), heap: (a.heap - b.heap) / n };
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows = [];

let t0 = Date.now();
const tp = await throughput();
mark('throughput', t0);
t0 = Date.now();
const med = (mode, kind, k) => median(tp[mode][kind].map((r) => r[k]));
const pair = (mode, kind, k) => median(tp.raw[kind].map((r, i) => tp[mode][kind][i][k] / r[k]));
const usPerMsg = (mode, kind) => `${fmt(med(mode, kind, 'usUser'), 2)}+${fmt(med(mode, kind, 'usSys'), 2)}`;
const usMore = (mode, kind) => med(mode, kind, 'usUser') + med(mode, kind, 'usSys') - med('raw', kind, 'usUser') - med('raw', kind, 'usSys');
const pairOver = (a, b, kind, k) => median(tp[b][kind].map((r, i) => tp[a][kind][i][k] / r[k]));
for (const [mode, note] of [['wsgen', ''], ['floor', ', floor'], ['floor-replay', ', floor + replay buffer'], ['wsgen-plain', ', no write coalescing']]) {
  if (CLOSED_ONLY.has(mode)) {
    // What of the gap to raw a resumable server cannot avoid (the floor plus the replay buffer), beside what wsgen adds over it.
    rows.push([`msg / server CPU-s [${note.slice(2)}]`, fmt(med('raw', 'closed', 'perCpuSec')), fmt(med(mode, 'closed', 'perCpuSec')), `${fmt(med(mode, 'closed', 'perCpuSec') / med('raw', 'closed', 'perCpuSec'), 2)}x (paired ${fmt(pair(mode, 'closed', 'perCpuSec'), 2)}x)`]);
    rows.push([`msg / server CPU-s, wsgen / [${note.slice(2)}]`, fmt(med(mode, 'closed', 'perCpuSec')), fmt(med('wsgen', 'closed', 'perCpuSec')), `${fmt(med('wsgen', 'closed', 'perCpuSec') / med(mode, 'closed', 'perCpuSec'), 2)}x (paired ${fmt(pairOver('wsgen', mode, 'closed', 'perCpuSec'), 2)}x)`]);
    rows.push([`server CPU us/msg user+sys [${note.slice(2)}]`, usPerMsg('raw', 'closed'), usPerMsg(mode, 'closed'), `+${fmt(usMore(mode, 'closed'), 2)} us`]);
    continue;
  }
  const tag = note ? ` [${note.slice(2)}]` : '';
  rows.push([`msg / server CPU-s${tag}`, fmt(med('raw', 'closed', 'perCpuSec')), fmt(med(mode, 'closed', 'perCpuSec')), `${fmt(med(mode, 'closed', 'perCpuSec') / med('raw', 'closed', 'perCpuSec'), 2)}x (paired ${fmt(pair(mode, 'closed', 'perCpuSec'), 2)}x)${mode === 'wsgen' ? ' goal >= 0.90x' : ''}`]);
  if (mode === 'wsgen') rows.push(['msg / server CPU-s, wsgen / floor', fmt(med('floor', 'closed', 'perCpuSec')), fmt(med(mode, 'closed', 'perCpuSec')), `${fmt(med(mode, 'closed', 'perCpuSec') / med('floor', 'closed', 'perCpuSec'), 2)}x of the floor (paired ${fmt(pairOver(mode, 'floor', 'closed', 'perCpuSec'), 2)}x)`]);
  rows.push([`msg / wall-s${tag}`, fmt(med('raw', 'closed', 'perWallSec')), fmt(med(mode, 'closed', 'perWallSec')), `${fmt(med(mode, 'closed', 'perWallSec') / med('raw', 'closed', 'perWallSec'), 2)}x (paired ${fmt(pair(mode, 'closed', 'perWallSec'), 2)}x)`]);
  rows.push([`server CPU us/msg user+sys${tag}`, usPerMsg('raw', 'closed'), usPerMsg(mode, 'closed'), `+${fmt(usMore(mode, 'closed'), 2)} us; busy ${fmt(med('raw', 'closed', 'busy'), 2)} / ${fmt(med(mode, 'closed', 'busy'), 2)}`]);
  rows.push([`paced ${fmt(CFG.pacedRate / 1000)}k/s: msg / CPU-s${tag}`, fmt(med('raw', 'paced', 'perCpuSec')), fmt(med(mode, 'paced', 'perCpuSec')), `${fmt(med(mode, 'paced', 'perCpuSec') / med('raw', 'paced', 'perCpuSec'), 2)}x (paired ${fmt(pair(mode, 'paced', 'perCpuSec'), 2)}x)`]);
  rows.push([`paced: CPU us/msg user+sys${tag}`, usPerMsg('raw', 'paced'), usPerMsg(mode, 'paced'), `+${fmt(usMore(mode, 'paced'), 2)} us`]);
}

// The bound of any validating server: the raw echo's CPU per message plus only JSON.parse of the frame (and plus
// JSON.stringify of a reply built from it), both measured in a server process; no server that reads the message
// can do better than raw / (raw + that), whatever it validates.
{
  const srv = await startChild('raw');
  const cost = await srv.ask({ cmd: 'parsecost' });
  srv.stop();
  const rawUs = med('raw', 'closed', 'usUser') + med('raw', 'closed', 'usSys');
  rows.push(['bound: raw / (raw + JSON.parse of the frame)', `${fmt(rawUs, 2)} us`, `+${fmt(cost.parseUs, 2)} us`, `${fmt(rawUs / (rawUs + cost.parseUs), 2)}x at most`]);
  rows.push(['bound: raw / (raw + JSON.parse + JSON.stringify reply)', `${fmt(rawUs, 2)} us`, `+${fmt(cost.parseReplyUs, 2)} us`, `${fmt(rawUs / (rawUs + cost.parseReplyUs), 2)}x at most`]);
}

// 1 connection: interleaved round trips on three servers that stay up, many rounds, median of per-round ratios
// (latency.mjs). 50 connections: rounds alternating the servers, each a fresh child.
const one = await interleavedLatency({ rounds: CFG.lat1Rounds, perRound: CFG.lat1, warm: CFG.lat1Warm });
for (const q of ['p50', 'p99']) {
  for (const [a, b] of LATENCY_RATIOS) {
    const s = ratioSummary(one, a, b, q);
    const goal = a === 'wsgen' && b === 'raw' && q === 'p50' ? ' goal <= 1.3x' : '';
    rows.push([`latency ${q} ms (1 conn)${a === 'wsgen' && b === 'raw' ? '' : ` [${a} / ${b}]`}`, fmt(s.b, 3), fmt(s.a, 3), `${fmt(s.median, 2)}x (per-round ${fmt(s.q1, 2)}-${fmt(s.q3, 2)})${goal}`]);
  }
}
{
  const n = 50;
  // Rounds alternate the servers (raw, wsgen, then wsgen, raw, ...): one pass each
  // measured minutes apart moved the p50 of the same server by 4x on this machine.
  const lat = { raw: [], floor: [], wsgen: [] };
  for (let r = 0; r < CFG.latRounds; r++) {
    for (const m of r % 2 === 0 ? ['raw', 'floor', 'wsgen'] : ['wsgen', 'floor', 'raw']) lat[m].push(await latency(m, n, CFG.lat50));
  }
  for (const q of ['p50', 'p99']) {
    const lr = median(lat.raw.map((x) => x[q]));
    for (const m of ['wsgen', 'floor']) {
      const lw = median(lat[m].map((x) => x[q]));
      rows.push([`latency ${q} ms (${n} conn)${m === 'floor' ? ' [floor]' : ''}`, fmt(lr, 3), fmt(lw, 3), `${fmt(lw / lr, 2)}x (paired ${fmt(median(lat.raw.map((x, i) => lat[m][i][q] / x[q])), 2)}x)`]);
    }
  }
}

mark('latency', t0);
t0 = Date.now();
const skipMemory = process.argv.includes('--no-memory');
let memN = CFG.memConns;
const limit = fdLimit();
if (limit < memN + MEM_WARM + 256) {
  const lowered = Math.max(100, limit - MEM_WARM - 256);
  console.log(`note: ulimit -n is ${limit}; lowering the idle-connection count from ${memN} to ${lowered}`);
  memN = lowered;
}
const mem = { raw: [], wsgen: [] };
for (let r = 0; r < (skipMemory ? 0 : CFG.memRounds); r++) {
  for (const m of r % 2 === 0 ? ['raw', 'wsgen'] : ['wsgen', 'raw']) mem[m].push(await memory(m, memN));
}
mark('memory', t0);
const kb = (x) => `${fmt(x / 1024, 2)} KB`;
for (const k of skipMemory ? [] : ['avg', 'marginal', 'heap']) {
  const mr = median(mem.raw.map((x) => x[k]));
  const mw = median(mem.wsgen.map((x) => x[k]));
  const label = { avg: `RSS per idle conn (${memN} conns)`, marginal: `RSS per idle conn, marginal (${memN / 2}..${memN})`, heap: `JS heap used per idle conn (${memN} conns)` }[k];
  rows.push([label, kb(mr), kb(mw), `${mw >= mr ? '+' : ''}${kb(mw - mr)}${k === 'avg' ? ' (goal <= +1 KB)' : ''}`]);
}

const w = [50, 14, 14, 50];
const line = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join(' ');
console.log(line(['metric', 'raw ws', 'wsgen', 'wsgen / raw']));
console.log(line(w.map((n) => '-'.repeat(n - 1))));
for (const r of rows) console.log(line(r));
console.log(
  `(${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(phase).map(([k, v]) => `${k} ${v} s`).join(', ')}; throughput: ${CFG.rounds} rotating rounds of ${CFG.warmup}+${CFG.tpSeconds} s closed loop and ${CFG.warmup}+${CFG.pacedSeconds} s paced, ${CFG.tpConns} conns x window ${CFG.window}, medians; ` +
    `per-round closed-loop msg/CPU-s ${MODES.map((m) => `${m} ${tp[m].closed.map((r) => fmt(r.perCpuSec / 1000)).join('/')}k`).join(', ')}; ${checked} replies checked; memory: ${CFG.memRounds} round(s), avg KB raw ${mem.raw.map((x) => fmt(x.avg / 1024, 2)).join(' ')}, wsgen ${mem.wsgen.map((x) => fmt(x.avg / 1024, 2)).join(' ')})`,
);
if (seqErrors > 0 || checked === 0) {
  console.error(`bench: ${seqErrors} invalid or out-of-sequence replies among ${checked} checked`);
  process.exit(1);
}
process.exit(0);
