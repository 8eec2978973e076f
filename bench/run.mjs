// `npm run bench`: every benchmark of wsgen, one after the other (never two at
// once: each measures ratios side by side in one run). Pass --quick for a short
// run. Needs `node scripts/build.mjs` (npm ci runs it) and the Python venv.
// With `--baseline <git-ref>` it runs bench/compare.mjs instead: the runtime benches of
// this tree and of that commit side by side in one run, printed as new/old ratios
// (`npm run bench -- --baseline <ref> [--quick] [--only ...] [--max-ratio R]`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (process.argv.includes('--baseline')) {
  const r = spawnSync(process.execPath, [`${root}bench/compare.mjs`, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 4);
}
const quick = process.argv.includes('--quick') ? ['--quick'] : [];
const python = `${root}.venv/bin/python`;
const suites = [
  ['TypeScript parse + validate', process.execPath, ['bench/ts/parse.mjs', ...quick]],
  ['Generator', process.execPath, ['bench/ts/generate.mjs', ...quick]],
  ['Python parse_message', python, ['bench/python/bench_parse.py', ...(quick.length ? ['--rounds', '2'] : [])]],
  ['Server runtime', process.execPath, ['bench/server/run.mjs', ...quick]],
  ['Client runtime', process.execPath, ['bench/client/run.mjs', ...quick]],
  ['Bundle sizes (Vite build)', process.execPath, ['bench/bundle/run.mjs']],
  ['Client runtime by module', process.execPath, ['bench/bundle/client-modules.mjs']],
];
let failed = 0;
for (const [name, cmd, args] of suites) {
  console.log(`\n=== ${name}: ${[cmd === python ? '.venv/bin/python' : 'node', ...args].join(' ')}`);
  if (!existsSync(`${root}${args[0]}`) || !existsSync(cmd)) {
    console.log('skipped: not available (run npm ci and bash scripts/setup-python.sh)');
    failed++;
    continue;
  }
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
