// CPU milliseconds of each stage of `wsgen generate` in one process (user + system):
// where generation time goes. The schema is a folder, or a synthetic one (synthetic.mjs).
// Usage: node scripts/build.mjs && node bench/ts/generate-stages.mjs <schema-dir | plain:N | rich:N>
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { table } from '../lib.mjs';
import { syntheticSchema } from './synthetic.mjs';

const dist = new URL('../../dist/generator/', import.meta.url);
const imp = (p) => import(new URL(p, dist).href);
const { loadSchema } = await imp('load.js');
const { validateBundle } = await imp('validate.js');
const { checkVersion } = await imp('version.js');
const { hoistInline } = await imp('hoist.js');
const { withRootDefinition } = await imp('root.js');
const { normalize } = await imp('normalize.js');
const { buildIR } = await imp('build-ir.js');
const { checkDefaults } = await imp('default-check.js');
const { emitTsValidators } = await imp('emit/ts-validators.js');
const { emitTs } = await imp('emit/ts.js');
const { emitPython } = await imp('emit/python.js');
const { formatFiles } = await imp('format.js');

const arg = process.argv[2] ?? fileURLToPath(new URL('../../schema', import.meta.url));
const synth = /^(plain|rich):(\d+)$/.exec(arg);
const schema = synth ? syntheticSchema(Number(synth[2]), synth[1]) : arg;
const rows = [];
async function stage(name, fn) {
  const c0 = process.cpuUsage();
  const r = await fn();
  const c = process.cpuUsage(c0);
  rows.push([name, ((c.user + c.system) / 1000).toFixed(0)]);
  return r;
}
const bundle = await stage('load', () => loadSchema(schema));
await stage('validate', () => { validateBundle(bundle); checkVersion(bundle); });
const named = await stage('hoist', () => hoistInline(withRootDefinition(bundle)));
const norm = await stage('normalize', () => normalize(named));
const ir = await stage('IR', () => buildIR(named, norm));
await stage('defaults check', () => checkDefaults(ir));
const ctx = { source: 'schema/websocket-message.schema.json' };
// emitTs emits the validators again: the two lines together show what the rest of the TS target costs.
await stage('  TS validators alone (ajv standalone)', () => emitTsValidators(ir, ctx));
const ts = await stage('emit TS (validators included)', () => emitTs(ir, ctx));
const py = await stage('emit Python', () => emitPython(ir, ctx));
await stage('format', async () => { await formatFiles(ts); await formatFiles(py); });
if (synth) rmSync(schema, { recursive: true, force: true });
console.log(`wsgen generate stages on ${arg} (CPU ms, one process, writing excluded)`);
console.log(table(['stage', 'CPU ms'], rows));
