// Server benchmark: wsgen server (validated user_message -> echo agent ->
// validated agent_message) vs a raw `ws` echo server, each in its own child
// process. Throughput is counted per server CPU-second (process.cpuUsage of the
// server, over IPC); memory is RSS per idle connection; latency is round-trip.
// Usage: node scripts/build.mjs && node bench/server/run.mjs [--quick]
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const quick = process.argv.includes('--quick');
const CFG = quick
  ? { tpSeconds: 1.5, tpConns: 4, window: 32, lat1: 400, lat50: 20, memConns: 1000, warmup: 0.5 }
  : { tpSeconds: 5, tpConns: 8, window: 32, lat1: 2000, lat50: 60, memConns: 5000, warmup: 1 };
const childPath = fileURLToPath(new URL('./server-child.mjs', import.meta.url));
const started = Date.now();
const HARD_LIMIT_MS = quick ? 30_000 : 90_000;
setTimeout(() => {
  console.error('bench: hard time limit reached, aborting');
  process.exit(2);
}, HARD_LIMIT_MS).unref();

const PAD = 'lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut';
const frame = (i) => JSON.stringify({ type: 'user_message', timestamp: new Date().toISOString(), message_id: `m${i}`, message: PAD, metadata: { client: 'bench', n: i } });
console.log(`bench/server: user_message of ${Buffer.byteLength(frame(123456))} B${quick ? ' (quick)' : ''}`);

function startChild(mode) {
  const child = fork(childPath, [mode], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiters = [];
  child.on('message', (m) => waiters.shift()?.(m));
  const ask = (msg) => new Promise((r) => { waiters.push(r); if (msg) child.send(msg); });
  return ask(null).then((ready) => ({ child, port: ready.port, ask, stop: () => { child.send({ cmd: 'exit' }); } }));
}

async function tokensFor(srv, n) {
  return (await srv.ask({ cmd: 'tokens', n })).tokens;
}

function open(port, token, mode) {
  return new Promise((resolve, reject) => {
    const ws = mode === 'raw' ? new WebSocket(`ws://127.0.0.1:${port}/`) : new WebSocket(`ws://127.0.0.1:${port}/api/ws/guide`, ['wsgen.v1', `wsgen.token.${token}`]);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const cpuSec = (a, b) => (b.user - a.user + b.system - a.system) / 1e6;

async function throughput(mode) {
  const srv = await startChild(mode);
  const tokens = await tokensFor(srv, CFG.tpConns);
  const conns = await Promise.all(tokens.map((t) => open(srv.port, t, mode)));
  let counting = false;
  let received = 0;
  let stop = false;
  let i = 0;
  for (const ws of conns) {
    let first = mode !== 'raw';
    ws.on('message', () => {
      if (first) return void (first = false); // session_created
      if (counting) received++;
      if (!stop) ws.send(frame(i++));
    });
    for (let k = 0; k < CFG.window; k++) ws.send(frame(i++));
  }
  await new Promise((r) => setTimeout(r, CFG.warmup * 1000));
  const c0 = (await srv.ask({ cmd: 'cpu' })).cpu;
  const t0 = performance.now();
  counting = true;
  await new Promise((r) => setTimeout(r, CFG.tpSeconds * 1000));
  counting = false;
  const c1 = (await srv.ask({ cmd: 'cpu' })).cpu;
  const wall = (performance.now() - t0) / 1000;
  stop = true;
  for (const ws of conns) ws.terminate();
  srv.stop();
  const cpu = cpuSec(c0, c1);
  return { perCpuSec: received / cpu, perWallSec: received / wall, cpu, received };
}

async function latency(mode, nConns, perConn) {
  const srv = await startChild(mode);
  const tokens = await tokensFor(srv, nConns);
  const conns = await Promise.all(tokens.map((t) => open(srv.port, t, mode)));
  if (mode !== 'raw') await new Promise((r) => setTimeout(r, 50)); // let session_created arrive
  const samples = [];
  await Promise.all(
    conns.map(async (ws, ci) => {
      for (let k = 0; k < perConn + 20; k++) {
        const t0 = performance.now();
        await new Promise((r) => {
          ws.once('message', r);
          ws.send(frame(ci * 1e6 + k));
        });
        if (k >= 20) samples.push(performance.now() - t0);
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

async function memory(mode, n) {
  const srv = await startChild(mode);
  const tokens = await tokensFor(srv, n);
  const before = (await srv.ask({ cmd: 'rss' })).rss;
  const conns = [];
  for (let k = 0; k < n; k += 200) conns.push(...(await Promise.all(tokens.slice(k, k + 200).map((t) => open(srv.port, t, mode)))));
  await new Promise((r) => setTimeout(r, 300));
  const after = (await srv.ask({ cmd: 'rss' })).rss;
  for (const ws of conns) ws.terminate();
  srv.stop();
  return { perConn: (after - before) / n, before, after };
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows = [];

const tpRaw = await throughput('raw');
const tpWs = await throughput('wsgen');
rows.push(['throughput (msg / server CPU-s)', fmt(tpRaw.perCpuSec), fmt(tpWs.perCpuSec), `${fmt(tpWs.perCpuSec / tpRaw.perCpuSec, 2)}x (goal >= 0.85x)`]);
rows.push(['throughput (msg / wall-s)', fmt(tpRaw.perWallSec), fmt(tpWs.perWallSec), `${fmt(tpWs.perWallSec / tpRaw.perWallSec, 2)}x`]);

for (const n of [1, 50]) {
  const per = n === 1 ? CFG.lat1 : CFG.lat50;
  const lr = await latency('raw', n, per);
  const lw = await latency('wsgen', n, per);
  rows.push([`latency p50 ms (${n} conn)`, fmt(lr.p50, 3), fmt(lw.p50, 3), `${fmt(lw.p50 / lr.p50, 2)}x`]);
  rows.push([`latency p99 ms (${n} conn)`, fmt(lr.p99, 3), fmt(lw.p99, 3), `${fmt(lw.p99 / lr.p99, 2)}x`]);
}

let memN = CFG.memConns;
const limit = fdLimit();
if (limit < memN + 256) {
  const lowered = Math.max(100, limit - 256);
  console.log(`note: ulimit -n is ${limit}; lowering the idle-connection count from ${memN} to ${lowered}`);
  memN = lowered;
}
const mr = await memory('raw', memN);
const mw = await memory('wsgen', memN);
rows.push([`RSS per idle conn (${memN} conns)`, `${fmt(mr.perConn / 1024, 2)} KB`, `${fmt(mw.perConn / 1024, 2)} KB`, `+${fmt((mw.perConn - mr.perConn) / 1024, 2)} KB (goal <= +1 KB)`]);

const w = [34, 16, 16, 30];
const line = (cells) => cells.map((c, i) => String(c).padEnd(w[i])).join(' ');
console.log(line(['metric', 'raw ws', 'wsgen', 'wsgen / raw']));
console.log(line(w.map((n) => '-'.repeat(n - 1))));
for (const r of rows) console.log(line(r));
console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s; throughput: ${CFG.tpConns} conns x window ${CFG.window}, ${CFG.tpSeconds} s; server CPU ${fmt(tpRaw.cpu, 2)} s raw, ${fmt(tpWs.cpu, 2)} s wsgen)`);
process.exit(0);
