// TS parse + validate against JSON.parse alone and against the floor (bench/ts/floor.mjs: a
// hand-written exact parser of the protocol, checked against the conformance vectors before
// timing). One process per workload; inside it the candidates alternate in many short rounds
// (parse-worker.mjs), and every ratio is the median of the per-round ratios, with the
// interquartile range (q1–q3) of those ratios beside it: a spread that does not reach past the
// goal decides it. CPU time of the process, not wall time.
// Usage: node bench/ts/parse.mjs [--quick] [--rounds N] [--baseline <dist dir of another build>]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { readFileSync, readdirSync } from 'node:fs';
import { runNode, table } from '../lib.mjs';
import { floorParse } from './floor.mjs';
import { WORKLOADS } from './workloads.mjs';

const worker = fileURLToPath(new URL('./parse-worker.mjs', import.meta.url));
const argv = process.argv.slice(2);
const option = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const quick = argv.includes('--quick');
const rounds = Number(option('--rounds') ?? (quick ? 15 : 61));
const ms = quick ? 10 : 20;
const baseline = option('--baseline') && resolve(option('--baseline'));

/** Quantile q of sorted numbers (linear between neighbours). */
function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}
/** "median (q1–q3)" of the per-round ratios a[i] / b[i]. */
function ratio(a, b) {
  const r = a.map((x, i) => x / b[i]).sort((x, y) => x - y);
  return `${quantile(r, 0.5).toFixed(3)}x (${quantile(r, 0.25).toFixed(3)}–${quantile(r, 0.75).toFixed(3)})`;
}
const med = (xs) => quantile([...xs].sort((x, y) => x - y), 0.5);

// The floor is only a floor if it is exact: its verdict must be every conformance vector's (here, in this process:
// the timed processes see the workload's messages only). test/conformance/bench-floor.test.ts checks more variants.
const dir = new URL('../../test/conformance/vectors/', import.meta.url);
const apart = [];
let vectors = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  for (const v of JSON.parse(readFileSync(new URL(file, dir), 'utf8'))) {
    vectors++;
    if (floorParse(v.raw ?? JSON.stringify(v.message)) !== v.valid) apart.push(`${file}: ${v.name}`);
  }
}
if (apart.length) throw new Error(`the floor is not exact: ${apart.length} of ${vectors} vectors apart:\n${apart.join('\n')}`);

const rows = [];
for (const w of Object.keys(WORKLOADS)) {
  const out = runNode(worker, [w, String(rounds), String(ms), ...(baseline ? [baseline] : [])]);
  const r = out.rounds;
  const row = [w, med(r['JSON.parse']).toFixed(0), med(r.floor).toFixed(0), med(r.parseMessage).toFixed(0),
    ratio(r.parseMessage, r['JSON.parse']), ratio(r.floor, r['JSON.parse']), ratio(r.parseMessage, r.floor)];
  if (baseline) row.push(ratio(r.parseMessage, r['parseMessage (baseline)']));
  rows.push(row);
}
console.log(`TypeScript: parse + validate, CPU ns per message; ratios: median of ${rounds} per-round ratios (q1–q3); load ${loadavg()[0].toFixed(1)}`);
const header = ['workload', 'JSON.parse ns', 'floor ns', 'parseMessage ns', 'parseMessage / JSON.parse', 'floor / JSON.parse', 'parseMessage / floor'];
if (baseline) header.push(`parseMessage / baseline (${baseline})`);
console.log(table(header, rows));
console.log(`floor: bench/ts/floor.mjs, a hand-written exact parser of the protocol (the verdict of all ${vectors} conformance vectors, checked first);`);
console.log('it parses, refuses lone surrogates, visits every key once and checks its value, checks the required fields and the open fields\' depth and numbers, and returns a boolean.');
// Where parseMessage's time goes beside the floor's: each part timed alone.
console.log('');
spawnSync(process.execPath, [fileURLToPath(new URL('./parse-parts.mjs', import.meta.url)), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
