// Server latency at 1 connection (issue 10's goal: wsgen p50 <= 1.3x raw ws), measured so that the load of
// other processes on the machine cancels out instead of deciding the figure:
// - the three servers (raw ws echo, the floor, wsgen; server-child.mjs) run at once, each warmed up on its own
//   connection, and stay up for the whole measure (no fresh-process JIT state in one round and not another);
// - round trips are interleaved one by one: raw, floor, wsgen, then floor, wsgen, raw, ... (each mode in each
//   position equally often), so a burst of load hits the three alike within a millisecond;
// - many rounds; per round the p50 (and p99) of each mode, and the ratios wsgen / raw, floor / raw,
//   wsgen / floor of that round; the figure is the median of the per-round ratios, with their quartiles;
// - --pin (with `taskset` and 2+ CPUs): the client on CPU 0, the servers on CPU 1. Off by default: on a shared,
//   loaded machine the round trips then wait for CPU 1's run queue (at load 16: p50 3.4 ms in one quick run, 0.08 ms
//   in a full one, against 0.04-0.06 ms unpinned; the ratios came out alike), so the absolute figures measure the
//   scheduler; on a quiet machine it removes migrations between cores.
// Round trip: send one ~340 B user_message, wait for the reply (raw: the echo; floor and wsgen: the
// agent_message), performance.now() around it.
//
// Usage: node scripts/build.mjs && node bench/server/latency.mjs [--quick] [--pin] [--rounds N]
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median } from '../lib.mjs';
import { frame, open, startChild, tokensFor } from './children.mjs';

/** The servers compared, in the order of the first round trip. */
export const LATENCY_MODES = ['raw', 'floor', 'wsgen'];
/** The ratios reported: [numerator, denominator]. */
export const LATENCY_RATIOS = [['wsgen', 'raw'], ['floor', 'raw'], ['wsgen', 'floor']];

/** Pins every thread of `pid` to the CPU list `cpus` (taskset -a -p -c); whether it worked. */
function pin(pid, cpus) {
  return spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}

/** The `p` quantile (0..1) of sorted numbers (nearest rank below). */
const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

/** One round trip on `ws`: ms from sending frame `i` to the first message back. */
function roundTrip(ws, i) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    ws.once('message', () => resolve(performance.now() - t0));
    ws.send(frame(i));
  });
}

/**
 * Measures interleaved 1-connection latency.
 * @param {{rounds: number, perRound: number, warm: number, pinCpus?: boolean}} opts round trips per mode per
 *   round, and warm-up round trips per mode before the first round.
 * @returns {Promise<{pinned: boolean, rounds: Array<Record<string, {p50: number, p99: number}>>}>} per round and
 *   mode, the p50 and p99 in ms.
 */
export async function interleavedLatency({ rounds, perRound, warm, pinCpus = false }) {
  const servers = {};
  for (const m of LATENCY_MODES) servers[m] = await startChild(m);
  let pinned = false;
  if (pinCpus && availableParallelism() >= 2) {
    pinned = pin(process.pid, '0') && LATENCY_MODES.every((m) => pin(servers[m].child.pid, '1'));
  }
  const conns = {};
  for (const m of LATENCY_MODES) conns[m] = await open(servers[m].port, (await tokensFor(servers[m], 1))[0], m);
  let i = 0;
  for (let k = 0; k < warm; k++) for (const m of LATENCY_MODES) await roundTrip(conns[m], i++);
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const samples = Object.fromEntries(LATENCY_MODES.map((m) => [m, []]));
    for (let k = 0; k < perRound; k++) {
      const shift = (r * perRound + k) % LATENCY_MODES.length;
      for (const m of [...LATENCY_MODES.slice(shift), ...LATENCY_MODES.slice(0, shift)]) samples[m].push(await roundTrip(conns[m], i++));
    }
    const round = {};
    for (const m of LATENCY_MODES) {
      const s = samples[m].sort((a, b) => a - b);
      round[m] = { p50: quantile(s, 0.5), p99: quantile(s, 0.99) };
    }
    out.push(round);
  }
  for (const m of LATENCY_MODES) {
    conns[m].terminate();
    servers[m].stop();
  }
  if (pinned) pin(process.pid, `0-${availableParallelism() - 1}`);
  return { pinned, rounds: out };
}

/**
 * The per-round ratios `a / b` of quantile `q` ('p50' | 'p99'): their median and quartiles, and the median of
 * each side's own per-round values (ms).
 */
export function ratioSummary(res, a, b, q) {
  const ratios = res.rounds.map((r) => r[a][q] / r[b][q]).sort((x, y) => x - y);
  return {
    median: median(ratios),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    a: median(res.rounds.map((r) => r[a][q])),
    b: median(res.rounds.map((r) => r[b][q])),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const at = process.argv.indexOf('--rounds');
  const rounds = at > 0 ? Number(process.argv[at + 1]) : quick ? 11 : 41;
  const cfg = { rounds, perRound: quick ? 100 : 200, warm: quick ? 500 : 2000, pinCpus: process.argv.includes('--pin') };
  setTimeout(() => {
    console.error('bench: hard time limit reached, aborting');
    process.exit(2);
  }, Number(process.env['WSGEN_BENCH_LIMIT_S'] ?? 0) * 1000 || 300_000).unref();
  const load = loadavg()[0];
  const t0 = Date.now();
  const res = await interleavedLatency(cfg);
  const f = (x, d = 2) => x.toFixed(d);
  console.log(`bench/server/latency: 1 connection, ${cfg.rounds} rounds x ${cfg.perRound} interleaved round trips per server, ${cfg.warm} warm-up each; ${res.pinned ? 'pinned: client CPU 0, servers CPU 1' : 'not pinned'}; load ${f(load)} -> ${f(loadavg()[0])}; ${f((Date.now() - t0) / 1000, 1)} s`);
  for (const q of ['p50', 'p99']) {
    for (const [a, b] of LATENCY_RATIOS) {
      const s = ratioSummary(res, a, b, q);
      const goal = a === 'wsgen' && b === 'raw' && q === 'p50' ? '  goal <= 1.3x' : '';
      console.log(`${q} ${a} / ${b}: ${f(s.median)}x (per-round quartiles ${f(s.q1)}-${f(s.q3)}); ${a} ${f(s.a, 3)} ms, ${b} ${f(s.b, 3)} ms${goal}`);
    }
  }
  process.exit(0);
}
