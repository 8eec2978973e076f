// One round of bench/compare.mjs's TS parse comparison, in its own process: the
// parseMessage of each tree (`<root>/dist/generated/ts/index.js`: this tree's build and
// the baseline's) on this tree's workloads (bench/ts/workloads.mjs), both loaded in this
// process and timed in alternating batches, so that every pair of batches saw the machine
// in the same state (a loaded machine moves separate processes' figures by ±50 %).
// Prints {news, olds, ratio}: CPU ns per message of each (median batch) and the median of
// the per-pair ratios new/old.
// Usage: node bench/compare-parse-worker.mjs <new-root> <old-root> <workload> <ms>
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from './lib.mjs';
import { WORKLOADS } from './ts/workloads.mjs';

const [newRoot, oldRoot, workload, ms] = process.argv.slice(2);
const texts = WORKLOADS[workload];
if (!texts) throw new Error(`unknown workload ${workload}`);

/** The parseMessage of the build at `root`, after checking that it accepts every message of the workload. */
async function parser(root) {
  const { parseMessage } = await import(pathToFileURL(join(root, 'dist/generated/ts/index.js')).href);
  for (const t of texts) {
    const r = parseMessage(t);
    if (!r.ok) throw new Error(`${root}: parseMessage refuses a ${workload} message: ${JSON.stringify(r.errors)}`);
  }
  return parseMessage;
}

const sides = [await parser(newRoot), await parser(oldRoot)];
let sink = 0;
/** CPU ns per message of `n` calls of side `k`. */
function batch(k, n) {
  const parse = sides[k];
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sink ^= parse(texts[i % texts.length]).ok ? 1 : 0;
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / n;
}
// Warm-up by CPU time (300 ms each), so that every shape's validator is past its first tiers.
for (const k of [0, 1]) {
  const w = process.cpuUsage();
  do batch(k, 10000);
  while (process.cpuUsage(w).user < 300_000);
}
// Batches of about 10 ms each, alternating (the order flips every pair).
let n = 1000;
while (batch(0, n) * n < 10e6) n *= 2;
const news = [];
const olds = [];
const end = performance.now() + Number(ms);
for (let p = 0; performance.now() < end || p < 5; p++) {
  if (p % 2) {
    olds.push(batch(1, n));
    news.push(batch(0, n));
  } else {
    news.push(batch(0, n));
    olds.push(batch(1, n));
  }
}
console.log(JSON.stringify({ news: median(news), olds: median(olds), ratio: median(news.map((x, i) => x / olds[i])), sink }));
