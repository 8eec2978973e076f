// parse + validate (generated standalone validators) against JSON.parse alone.
// Each candidate runs in its own process; rounds alternate the candidates.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, runNode, table } from '../lib.mjs';
import { WORKLOADS } from './workloads.mjs';

const worker = fileURLToPath(new URL('./parse-worker.mjs', import.meta.url));
const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 5;
const ms = quick ? 400 : 1000;
const candidates = ['JSON.parse', 'parseMessage', 'floor', 'ajv+ajv-formats'];
const rows = [];
for (const w of Object.keys(WORKLOADS)) {
  const res = Object.fromEntries(candidates.map((c) => [c, []]));
  for (let r = 0; r < rounds; r++) for (const c of candidates) res[c].push(runNode(worker, [c, w, String(ms)]).nsPerOp);
  const base = median(res['JSON.parse']);
  rows.push([w, base.toFixed(0), median(res.parseMessage).toFixed(0), (median(res.parseMessage) / base).toFixed(2) + 'x', (median(res.floor) / base).toFixed(2) + 'x', (median(res['ajv+ajv-formats']) / base).toFixed(2) + 'x']);
}
console.log("TypeScript: parse + validate vs JSON.parse alone (median CPU ns/op, own process per candidate)");
console.log(table(['workload', 'JSON.parse ns', 'parseMessage ns', 'parseMessage ratio', 'floor ratio', 'ajv+ajv-formats ratio'], rows));
console.log('floor: parse, tag lookup, key walk, timestamp and message_id checks only; no exact validator of this schema can be cheaper.');
// Why parseMessage stays above the floor: what an exact validator does that the floor skips, each part timed alone.
console.log('');
spawnSync(process.execPath, [fileURLToPath(new URL('./parse-parts.mjs', import.meta.url)), ...(quick ? ['--quick'] : [])], { stdio: 'inherit' });
