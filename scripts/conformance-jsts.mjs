// `npm run conformance:jsts`: the official JSON-Schema-Test-Suite (draft 2020-12) through wsgen's
// TS and Python targets (test/jsts/harness.mjs), printed per file and in total.
//
//   --json <file>        also write the machine-readable summary there
//   --write-baseline     rewrite test/jsts/baseline.json from this run
//   --dmcg               also run datamodel-code-generator on every raw group schema (~10 s)
//   --write-doc          with --dmcg: rewrite the suite section of docs/parity-oracle.md
//   --only <substring>   only the suite files whose path contains it
//   --keep               keep the temporary folder of generated code
//
// The suite is read from $WSGEN_JSTS_DIR (default ../shared/json-schema-test-suite). Uses the
// built generator (dist/): the npm script builds first. Exit 1 when a group gets a wrong verdict
// or a count falls below the baseline, 2 when the suite or the Python venv is missing.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generate } from '../dist/generator/index.js';
import { formatDmcg, runDmcg } from '../test/jsts/dmcg.mjs';
import { formatSection, writeSection } from '../test/jsts/doc.mjs';
import { runHarness } from '../test/jsts/harness.mjs';
import { failures, formatReport, readBaseline, regressions, summarize, writeBaseline } from '../test/jsts/report.mjs';

const { values: args } = parseArgs({
  options: {
    json: { type: 'string' },
    'write-baseline': { type: 'boolean' },
    dmcg: { type: 'boolean' },
    'write-doc': { type: 'boolean' },
    only: { type: 'string' },
    keep: { type: 'boolean' },
  },
});

if ((args['write-doc'] || args['write-baseline']) && args.only) {
  console.error('--write-doc and --write-baseline need a full run (drop --only)');
  process.exit(3);
}
if (args['write-doc'] && !args.dmcg) {
  console.error('--write-doc needs --dmcg');
  process.exit(3);
}
const filter = args.only ? (f) => f.includes(args.only) : undefined;
const t0 = performance.now();
let run;
try {
  const progress = process.stderr.isTTY ? (g) => process.stderr.write(`\r${g.file} #${g.index}`.padEnd(60)) : undefined;
  run = await runHarness({ generate, filter, keep: args.keep, onGroup: progress });
} catch (err) {
  process.stderr.write(`\n${err.message}\n`);
  process.exit(2);
}
if (process.stderr.isTTY) process.stderr.write('\r'.padEnd(61) + '\r');
const seconds = (performance.now() - t0) / 1000;
const summary = summarize(run);
console.log(`JSON-Schema-Test-Suite at ${run.suite}\n`);
console.log(formatReport(summary));
console.log(`\nwsgen: ${run.groups.length} groups in ${seconds.toFixed(1)} s${args.keep ? ` (generated code kept in ${run.work})` : ''}`);

if (args.dmcg) {
  const t1 = performance.now();
  summary.dmcg = await runDmcg(run.suite, filter);
  const dmcgSeconds = (performance.now() - t1) / 1000;
  console.log(`\n${formatDmcg(summary.dmcg)}\ndatamodel-code-generator: ${dmcgSeconds.toFixed(1)} s`);
  if (args['write-doc']) {
    writeSection(formatSection(summary, { suite: run.suite, wsgenSeconds: seconds, dmcgSeconds }));
    console.log('wrote the suite section of docs/parity-oracle.md');
  }
}
if (args.json) writeFileSync(args.json, JSON.stringify(summary, null, 2) + '\n');

let status = failures(summary).length > 0 ? 1 : 0;
if (args['write-baseline']) {
  writeBaseline(summary);
  console.log('\nwrote test/jsts/baseline.json');
} else if (!args.only) {
  const down = regressions(summary, readBaseline());
  if (down.length) {
    console.log(`\nbelow the baseline (test/jsts/baseline.json):\n  ${down.join('\n  ')}`);
    status = 1;
  }
}
process.exitCode = status;
