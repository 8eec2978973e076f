// One side of bench/compare.mjs's TS parse comparison, in its own process: the
// parseMessage that `<root>/dist/generated/ts/index.js` exports (this tree's or the
// baseline's build), timed on this tree's workloads (bench/ts/workloads.mjs), so both
// sides run the same messages through the same harness. Prints {nsPerOp} as JSON.
// Usage: node bench/compare-parse-worker.mjs <root> <workload> <ms>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cpuNsPerOp } from './lib.mjs';
import { WORKLOADS } from './ts/workloads.mjs';

const [root, workload, ms] = process.argv.slice(2);
const texts = WORKLOADS[workload];
if (!texts) throw new Error(`unknown workload ${workload}`);
const { parseMessage } = await import(pathToFileURL(join(root, 'dist/generated/ts/index.js')).href);
// Correctness before timing: both builds must accept every message of the workload.
for (const t of texts) {
  const r = parseMessage(t);
  if (!r.ok) throw new Error(`${root}: parseMessage refuses a ${workload} message: ${JSON.stringify(r.errors)}`);
}
console.log(JSON.stringify(cpuNsPerOp((i) => parseMessage(texts[i % texts.length]).ok, Number(ms))));
