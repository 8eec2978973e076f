// `wsgen generate` (all targets) against json-schema-to-typescript alone on the
// same schema: the bundled one and synthetic ones of 200 and 1000 message types.
// Each run is its own process (wall time, Node start-up included on both sides).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, table, timeCommand } from '../lib.mjs';
import { syntheticSchema } from './synthetic.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const quick = process.argv.includes('--quick');
const rounds = quick ? 2 : 3;
const sizes = [['bundled (24 types)', join(ROOT, 'schema')], ['synthetic 200', syntheticSchema(200)], ['synthetic 1000', syntheticSchema(1000)]];
const rows = [];
for (const [name, schema] of sizes) {
  const out = mkdtempSync(join(tmpdir(), 'wsgen-bench-out-'));
  const wsgen = [];
  const j2t = [];
  for (let r = 0; r < rounds; r++) {
    wsgen.push(timeCommand(process.execPath, [join(ROOT, 'bin/wsgen.js'), 'generate', '--schema', schema, '--out', join(out, 'gen'), '--quiet']));
    j2t.push(timeCommand(process.execPath, [join(ROOT, 'bench/ts/json2ts-only.mjs'), schema, join(out, 'j2t.ts')]));
  }
  const w = median(wsgen);
  const j = median(j2t);
  rows.push([name, j.toFixed(0), w.toFixed(0), (w / j).toFixed(2) + 'x']);
}
console.log('Generator: wsgen generate (all targets) vs json-schema-to-typescript alone (median wall ms, own process)');
console.log(table(['schema', 'json2ts ms', 'wsgen ms', 'ratio'], rows));
