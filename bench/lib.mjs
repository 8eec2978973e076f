// Shared helpers of the benchmarks: run a candidate in its own process,
// alternate candidates round by round, and report medians and ratios.
import { execFileSync, spawnSync } from 'node:child_process';

/** Median of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `node script ...args` and parses the last stdout line as JSON. */
export function runNode(script, args = [], opts = {}) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.status !== 0) throw new Error(`${script} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Wall-clock milliseconds of one command. */
export function timeCommand(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  execFileSync(cmd, args, { stdio: 'pipe', ...opts });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** Formats a table of rows (arrays of cells) with a header. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(w[i])).join('  ');
  return [line(all[0]), w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}
