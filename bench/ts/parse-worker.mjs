// One workload of the TS parse benchmark in one process: JSON.parse, the floor (bench/ts/floor.mjs,
// a hand-written exact parser of the protocol) and parseMessage (and parseMessage of a baseline
// build, with --baseline) run in many short rounds, alternating in a rotating order, so that each
// round's ratios compare candidates that ran within milliseconds of one another on the same core.
// Prints {rounds: {candidate: [CPU ns per message, ...]}} as JSON on its last line.
// Usage: node parse-worker.mjs <workload> <rounds> <ms per candidate per round> [baseline dist dir]
import { pathToFileURL } from 'node:url';
import { floorParse } from './floor.mjs';
import { WORKLOADS } from './workloads.mjs';

const [workload, roundsArg, msArg, baseline] = process.argv.slice(2);
const texts = WORKLOADS[workload];
if (!texts) throw new Error(`unknown workload ${workload}`);

const { parseMessage } = await import('../../dist/generated/ts/index.js');
/** @type {Record<string, (t: string) => unknown>} */
const candidates = {
  'JSON.parse': (t) => JSON.parse(t),
  floor: (t) => {
    if (!floorParse(t)) throw new Error('floor refused a workload message');
    return true;
  },
  parseMessage: (t) => {
    const r = parseMessage(t);
    if (!r.ok) throw new Error('invalid: ' + JSON.stringify(r.errors));
    return r;
  },
};
if (baseline) {
  const base = await import(pathToFileURL(`${baseline}/generated/ts/index.js`).href);
  candidates['parseMessage (baseline)'] = (t) => {
    const r = base.parseMessage(t);
    if (!r.ok) throw new Error('invalid: ' + JSON.stringify(r.errors));
    return r;
  };
}

// Each candidate sees the workload's messages only (parse.mjs checks the floor against the conformance vectors in
// its own process): a candidate that had also run the vectors would carry their shapes in its inline caches.
for (const t of texts) for (const f of Object.values(candidates)) f(t);

let sink = 0;
const run = (fn, n) => {
  for (let i = 0; i < n; i++) sink ^= fn(texts[i % texts.length]) ? 1 : 0;
};
const cpuNs = (c) => (c.user + c.system) * 1000;
// Warm-up by CPU time (300 ms each): a workload of many shapes calls each type's validator only once per
// round of texts, and a count that warms one shape leaves the others in their first tiers.
const names = Object.keys(candidates);
const perRound = {};
for (const k of names) {
  const c0 = process.cpuUsage();
  let n = 0;
  while (cpuNs(process.cpuUsage(c0)) < 300e6) {
    run(candidates[k], 1000);
    n += 1000;
  }
  // Calls per round: about `ms` of CPU at the warm speed.
  perRound[k] = Math.max(texts.length, Math.round((n * Number(msArg)) / 300));
}
const rounds = Object.fromEntries(names.map((k) => [k, []]));
for (let r = 0; r < Number(roundsArg); r++) {
  for (let j = 0; j < names.length; j++) {
    const k = names[(r + j) % names.length];
    const c0 = process.cpuUsage();
    run(candidates[k], perRound[k]);
    rounds[k].push(cpuNs(process.cpuUsage(c0)) / perRound[k]);
  }
}
console.log(JSON.stringify({ rounds, sink }));
