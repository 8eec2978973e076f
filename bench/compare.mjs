// No regression against a previous commit: runs the benches of this tree and of
// `--baseline <git-ref>` side by side in one run and prints new/old ratios (above 1:
// this tree is slower). The baseline is a detached `git worktree` of the ref in a
// temporary folder (node_modules linked to this tree's; built and generated there with
// its own generator), removed afterwards (compare-tree.mjs). This tree must be built
// (`node scripts/build.mjs`). Parts (--only, default all):
//   parse     TS parseMessage of each build on this tree's workloads (bench/ts/workloads.mjs),
//             both in one process per round, alternating batches, CPU ns/message;
//   generate  `wsgen generate` of each tree on its own bundled schema (an older generator may refuse
//             a newer schema), CPU ms of the process;
//   python    bench/python/bench_parse.py --baseline <baseline>/generated/python --instructions (callgrind
//             counts per message, its own report; --python-timing: timed instead);
//   server    the wsgen chat server of each tree, closed loop, server CPU us/message (compare-server.mjs).
// Each ratio is the median of per-round ratios (both sides of a round saw the machine alike).
// Usage: node bench/compare.mjs --baseline <git-ref> [--quick] [--rounds N] [--only parse,generate,python,server] [--python-timing] [--max-ratio R]
// Exit: 0 done; 1 some ratio above --max-ratio; 2 unknown ref or a failed baseline build; 3 usage.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompareError, prepareTree, resolveCommit, withWorktree } from './compare-tree.mjs';
import { median, runNode, table } from './lib.mjs';
import { WORKLOADS } from './ts/workloads.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const PARTS = ['parse', 'generate', 'python', 'server'];
const USAGE = `usage: node bench/compare.mjs --baseline <git-ref> [--quick] [--rounds N] [--only ${PARTS.join(',')}] [--python-timing] [--max-ratio R]`;

/** The options of the command line; CompareError (exit 3) on a bad one. */
export function parseArgs(argv) {
  const o = { baseline: undefined, quick: false, pythonTiming: false, rounds: undefined, only: PARTS, maxRatio: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new CompareError(`${a} needs a value`, 3, USAGE);
      return v;
    };
    if (a === '--baseline') o.baseline = value();
    else if (a === '--quick') o.quick = true;
    else if (a === '--python-timing') o.pythonTiming = true;
    else if (a === '--rounds') {
      o.rounds = Number(value());
      if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new CompareError(`--rounds ${argv[i]}: a whole number of at least 1`, 3, USAGE);
    } else if (a === '--only') {
      o.only = value().split(',');
      const bad = o.only.filter((p) => !PARTS.includes(p));
      if (bad.length) throw new CompareError(`--only: unknown part ${bad.join(', ')}`, 3, `parts: ${PARTS.join(', ')}`);
    } else if (a === '--max-ratio') {
      o.maxRatio = Number(value());
      if (!(o.maxRatio > 0)) throw new CompareError(`--max-ratio ${argv[i]}: a positive number`, 3, USAGE);
    } else throw new CompareError(`unknown argument ${a}`, 3, USAGE);
  }
  if (o.baseline === undefined) throw new CompareError('--baseline <git-ref> is required', 3, USAGE);
  return o;
}

/** A row of figures: the sides' medians and the median, low and high of the per-round new/old ratios. */
function row(name, unit, news, olds, digits = 0) {
  const ratios = news.map((n, i) => n / olds[i]);
  return { name, ratio: median(ratios), cells: [name, `${median(news).toFixed(digits)} ${unit}`, `${median(olds).toFixed(digits)} ${unit}`, `${median(ratios).toFixed(3)}x`, `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}x`] };
}

/** A row from rounds that each measured both sides and their per-pair ratio ({news, olds, ratio}). */
function pairedRow(name, unit, res) {
  const ratios = res.map((r) => r.ratio);
  return { name, ratio: median(ratios), cells: [name, `${median(res.map((r) => r.news)).toFixed(0)} ${unit}`, `${median(res.map((r) => r.olds)).toFixed(0)} ${unit}`, `${median(ratios).toFixed(3)}x`, `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}x`] };
}

/**
 * Lets the event loop turn: the measurements run child processes synchronously, and a SIGINT or SIGTERM
 * handler (compare-tree.mjs removes the baseline worktree in it) runs only when the loop turns.
 */
const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Rounds of `measure(root)` alternating this tree and the baseline (the order flips each round). */
async function alternate(rounds, base, measure) {
  const news = [];
  const olds = [];
  for (let r = 0; r < rounds; r++) {
    for (const side of r % 2 ? ['old', 'new'] : ['new', 'old']) {
      (side === 'new' ? news : olds).push(measure(side === 'new' ? ROOT : base));
      await tick();
    }
  }
  return [news, olds];
}

/** CPU ms of `node --import cpu-exit.mjs args...` run in `cwd`. */
function cpuMs(args, cwd) {
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'bench/ts/cpu-exit.mjs'), ...args], { cwd, encoding: 'utf8' });
  const m = /wsgen-bench-cpu (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`node ${args.join(' ')} in ${cwd} failed (${r.status}):\n${r.stderr}`);
  return Number(m[1]) / 1000;
}

async function main(o) {
  if (!existsSync(join(ROOT, 'dist/generated/ts/index.js'))) throw new CompareError('this tree is not built (no dist/generated/ts/index.js)', 2, 'run node scripts/build.mjs first');
  const commit = resolveCommit(ROOT, o.baseline);
  const rounds = o.rounds ?? (o.quick ? 3 : 7);
  const rows = [];
  await withWorktree(ROOT, commit, async (base) => {
    console.log(`baseline ${o.baseline} = ${commit.slice(0, 12)} in ${base}: building and generating there...`);
    prepareTree(base);
    await tick();
    if (o.only.includes('parse')) {
      const ms = o.quick ? 400 : 1000;
      for (const w of Object.keys(WORKLOADS)) {
        // Both builds in one process per round, timed in alternating batches (compare-parse-worker.mjs).
        const res = [];
        for (let r = 0; r < rounds; r++) {
          res.push(runNode(join(ROOT, 'bench/compare-parse-worker.mjs'), [ROOT, base, w, String(ms)]));
          await tick();
        }
        rows.push(pairedRow(`TS parseMessage, ${w}`, 'ns', res));
      }
    }
    if (o.only.includes('generate')) {
      const out = mkdtempSync(join(tmpdir(), 'wsgen-compare-gen-'));
      try {
        const [news, olds] = await alternate(rounds, base, (root) => cpuMs([join(root, 'bin/wsgen.js'), 'generate', '--schema', join(root, 'schema'), '--out', out, '--quiet'], out));
        rows.push(row("wsgen generate, each tree's bundled schema (CPU)", 'ms', news, olds));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    }
    if (o.only.includes('server')) {
      const { compareServers } = await import('./compare-server.mjs');
      const [news, olds] = await compareServers([ROOT, base], { rounds, warm: o.quick ? 0.2 : 0.4, seconds: o.quick ? 0.6 : 2 });
      rows.push(row('server CPU per message (closed loop)', 'us', news, olds, 2));
    }
    console.log(`\nthis tree vs ${o.baseline} (${commit.slice(0, 12)}): ${rounds} rounds alternating the sides; new/old above 1 = this tree is slower`);
    if (rows.length) console.log(table(['measure', 'this tree', 'baseline', 'new/old (median)', 'per round'], rows.map((r) => r.cells)));
    if (o.only.includes('python')) {
      console.log(`\n=== Python parse_message against ${o.baseline}: bench/python/bench_parse.py --baseline ${base}/generated/python ${o.pythonTiming ? '(timed)' : '--instructions (callgrind counts: a loaded machine does not move them)'}; parse/baseline = new/old`);
      const mode = o.pythonTiming ? (o.quick ? ['--rounds', '2'] : []) : ['--instructions', '--number', o.quick ? '1000' : '3000'];
      const r = spawnSync(join(ROOT, '.venv/bin/python'), ['bench/python/bench_parse.py', '--baseline', join(base, 'generated/python'), ...mode], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`bench_parse.py --baseline failed (${r.status ?? r.signal})`);
    }
  });
  const over = o.maxRatio === undefined ? [] : rows.filter((r) => r.ratio > o.maxRatio);
  for (const r of over) console.log(`over --max-ratio ${o.maxRatio}: ${r.name} ${r.ratio.toFixed(3)}x`);
  return over.length ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = await main(parseArgs(process.argv.slice(2)));
  } catch (err) {
    if (!(err instanceof CompareError)) throw err;
    console.error(`bench/compare: ${err.message}\nhint: ${err.hint}`);
    process.exitCode = err.exitCode;
  }
}
