// `wsgen generate` (all targets) against json-schema-to-typescript alone on the
// same schema: the bundled one and synthetic ones of 200 and 1000 message types,
// in two shapes (synthetic.mjs: plain, the envelope narrowed per type; rich, with
// nested unions, defaults, formats, inline objects and checked values).
// Each run is its own process (Node start-up included on both sides); rounds
// alternate the two. Two figures per run: CPU time of the process (user + system,
// all threads: what a loaded, shared machine does not inflate) and wall time.
// --baseline DIR: also runs DIR's bin/wsgen.js (another checkout, built) in the same rounds,
// for a before/after comparison on the same machine state.
// Usage: node bench/ts/generate.mjs [--quick] [--rounds N] [--sizes 24,200,1000] [--shapes plain,rich] [--baseline DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, table } from '../lib.mjs';
import { SHAPES, syntheticSchema } from './synthetic.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CPU_EXIT = fileURLToPath(new URL('./cpu-exit.mjs', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
};
const quick = argv.includes('--quick');
const rounds = Number(opt('--rounds', quick ? 2 : 3));
const sizes = opt('--sizes', '24,200,1000').split(',').map(Number);
const shapes = opt('--shapes', SHAPES.join(',')).split(',');
const baseline = opt('--baseline', undefined);
if (!(rounds >= 1) || sizes.some((n) => !(n >= 1)) || shapes.some((s) => !SHAPES.includes(s))) {
  console.error(`usage: node bench/ts/generate.mjs [--quick] [--rounds N] [--sizes 24,200,1000] [--shapes ${SHAPES.join(',')}] [--baseline DIR]`);
  process.exit(3);
}

/** Runs `node --import cpu-exit.mjs ...args`; returns {wall, cpu} in ms. */
function timed(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', CPU_EXIT, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /wsgen-bench-cpu (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { wall, cpu: Number(m[1]) / 1000 };
}

const cases = [];
for (const n of sizes) {
  if (n === 24) cases.push(['bundled (24 types)', join(ROOT, 'schema')]);
  else for (const shape of shapes) cases.push([`${shape} ${n}`, syntheticSchema(n, shape)]);
}
const rows = [];
for (const [name, schema] of cases) {
  const out = mkdtempSync(join(tmpdir(), 'wsgen-bench-out-'));
  const res = { wsgen: [], j2t: [], base: [] };
  for (let r = 0; r < rounds; r++) {
    res.wsgen.push(timed([join(ROOT, 'bin/wsgen.js'), 'generate', '--schema', schema, '--out', join(out, 'gen'), '--quiet']));
    res.j2t.push(timed([join(ROOT, 'bench/ts/json2ts-only.mjs'), schema, join(out, 'j2t.ts')]));
    if (baseline) res.base.push(timed([join(baseline, 'bin/wsgen.js'), 'generate', '--schema', schema, '--out', join(out, 'base'), '--quiet']));
  }
  rmSync(out, { recursive: true, force: true });
  if (schema.startsWith(tmpdir())) rmSync(schema, { recursive: true, force: true });
  const m = (xs, k) => median(xs.map((x) => x[k]));
  // The median of per-round ratios: both runs of a round saw the machine in about the same state.
  const paired = (k) => median(res.wsgen.map((w, i) => w[k] / res.j2t[i][k]));
  const row = [name, m(res.j2t, 'cpu').toFixed(0), m(res.wsgen, 'cpu').toFixed(0), paired('cpu').toFixed(2) + 'x', m(res.j2t, 'wall').toFixed(0), m(res.wsgen, 'wall').toFixed(0), paired('wall').toFixed(2) + 'x'];
  if (baseline) row.push(m(res.base, 'cpu').toFixed(0), median(res.base.map((b, i) => b.cpu / res.j2t[i].cpu)).toFixed(2) + 'x');
  rows.push(row);
}
console.log(`Generator: wsgen generate (all targets) vs json-schema-to-typescript alone (own process each, ${rounds} rounds, medians; ratio: median of per-round ratios)`);
const head = ['schema', 'json2ts CPU ms', 'wsgen CPU ms', 'CPU ratio', 'json2ts wall ms', 'wsgen wall ms', 'wall ratio'];
if (baseline) console.log(`baseline: ${baseline}`);
console.log(table(baseline ? [...head, 'baseline CPU ms', 'baseline CPU ratio'] : head, rows));
