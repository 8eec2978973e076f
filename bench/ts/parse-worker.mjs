// One benchmark candidate in its own process: times `candidate` over a workload
// (CPU time per operation, median of the samples) and prints {nsPerOp} as JSON. Usage: node parse-worker.mjs <candidate> <workload> <ms>
import { WORKLOADS } from './workloads.mjs';

const [candidate, workload, msArg] = process.argv.slice(2);
const texts = WORKLOADS[workload];
if (!texts) throw new Error(`unknown workload ${workload}`);

let fn;
if (candidate === 'JSON.parse') fn = (t) => JSON.parse(t);
else if (candidate === 'parseMessage') {
  const { parseMessage } = await import('../../dist/generated/ts/index.js');
  fn = (t) => {
    const r = parseMessage(t);
    if (!r.ok) throw new Error('invalid: ' + JSON.stringify(r.errors));
    return r;
  };
} else if (candidate === 'ajv+ajv-formats') {
  // The reference point of the lessons doc: the same flat schemas compiled by ajv at runtime with ajv-formats' date-time.
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const addFormats = (await import('ajv-formats')).default;
  const { schemaToIR } = await import('../../dist/generator/index.js');
  const { objectSchema } = await import('../../dist/generator/emit/ts-validators.js');
  const { objectByName } = await import('../../dist/generator/ir.js');
  const ir = schemaToIR(new URL('../../schema', import.meta.url).pathname);
  const ajv = new Ajv2020({ strict: false });
  addFormats.default ? addFormats.default(ajv) : addFormats(ajv);
  const byTag = new Map(ir.union.variants.map((v) => [v.tag, ajv.compile(objectSchema(ir, objectByName(ir, v.object)))]));
  fn = (t) => {
    const d = JSON.parse(t);
    if (!byTag.get(d.type)(d)) throw new Error('invalid');
    return d;
  };
} else if (candidate === 'floor') {
  // The least any exact validator of this schema must do on a valid message: parse,
  // look up the tag, walk the keys (closed objects), and read every character of the
  // RFC 3339 timestamp and of the message_id (its pattern, by the fastest means measured:
  // a regex beat a character loop). Every other field is left unchecked: a lower bound.
  const { isDateTime } = await import('../../dist/generated/ts/runtime.js');
  const { MessageType } = await import('../../dist/generated/ts/enums.js');
  const tags = new Set(Object.values(MessageType));
  const messageId = /^[A-Za-z0-9._:-]{1,128}$/;
  fn = (t) => {
    const d = JSON.parse(t);
    if (!tags.has(d.type)) throw new Error('invalid');
    let keys = 0;
    for (const k in d) keys++;
    if (d.timestamp !== undefined && !isDateTime(d.timestamp)) throw new Error('invalid');
    if (d.message_id !== undefined && !messageId.test(d.message_id)) throw new Error('invalid');
    return keys;
  };
} else throw new Error(`unknown candidate ${candidate}`);

// Correctness before timing.
for (const t of texts) fn(t);

const budget = Number(msArg);
let sink = 0;
const run = (n) => {
  for (let i = 0; i < n; i++) sink ^= fn(texts[i % texts.length]) ? 1 : 0;
};
// Warm-up by CPU time, not by a count: a workload of many shapes calls each type's validator only once per round,
// and a count that warms one shape (20,000 calls) left the 21 validators of the mixed workload in their first tiers,
// which then made the measured period (their own tier-up) 2-3x slower than the steady state a server runs in.
const warm0 = process.cpuUsage();
do run(10000);
while (process.cpuUsage(warm0).user < 300_000);
let n = 1000;
let ns;
const end = performance.now() + budget;
const samples = [];
// CPU time of this process (user + system), not wall time: on a machine shared with other processes, wall time
// counts the time the process waits for a core, which the candidates do not all get alike.
while (performance.now() < end) {
  const c0 = process.cpuUsage();
  run(n);
  const c = process.cpuUsage(c0);
  ns = (c.user + c.system) * 1000;
  samples.push(ns / n);
  if (ns < 20e6) n *= 2;
}
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ nsPerOp: samples[samples.length >> 1], sink }));
