// Figures of the JSON-Schema-Test-Suite harness: per file and per set, per target, as a
// machine-readable summary, as text tables, and checked against the committed baseline.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APART, TARGETS } from './harness.mjs';
import { ROOT } from './suite.mjs';

/**
 * The committed baseline: per file, its number of groups (the suite is pinned, so it must not
 * change unnoticed) and per target its exact groups, which must never go down.
 */
export const BASELINE = join(ROOT, 'test', 'jsts', 'baseline.json');

const STATUSES = ['exact', 'asserted', 'refused', 'wrong', 'crashed', 'excluded'];

/** Sets in report order, with their titles. */
export const SETS = {
  main: 'top-level draft 2020-12 files (the measure)',
  apart: 'top-level files counted apart',
  format: 'optional/format (formats asserted)',
};

function tally(groups) {
  const out = { groups: groups.length };
  for (const t of TARGETS) {
    out[t] = Object.fromEntries(STATUSES.map((s) => [s, 0]));
    for (const g of groups) out[t][g[t].status]++;
  }
  return out;
}

/**
 * The machine-readable summary of a run: totals per set, counts per file, and every group's
 * outcome (with the refusal code and reason, or the first wrong verdict) and wrapping proof.
 * @param {{ groups: import('./harness.mjs').GroupResult[] }} run
 */
export function summarize(run) {
  const sets = {};
  for (const set of Object.keys(SETS)) sets[set] = tally(run.groups.filter((g) => g.set === set));
  const files = {};
  for (const file of [...new Set(run.groups.map((g) => g.file))]) files[file] = { set: run.groups.find((g) => g.file === file).set, ...tally(run.groups.filter((g) => g.file === file)) };
  return { apart: APART, sets, files, groups: run.groups };
}

/**
 * The exact counts of a summary in the baseline's shape: `{ ts: { file: n }, python: { file: n } }`.
 * @param {ReturnType<typeof summarize>} summary
 */
export function exactCounts(summary) {
  return Object.fromEntries(TARGETS.map((t) => [t, Object.fromEntries(Object.entries(summary.files).map(([f, c]) => [f, c[t].exact]))]));
}

/** Reads the committed baseline. */
export function readBaseline() {
  return JSON.parse(readFileSync(BASELINE, 'utf8'));
}

/** Writes the baseline from a summary (sorted keys, so rewrites diff cleanly). */
export function writeBaseline(summary) {
  const byName = ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0);
  const counts = { groups: Object.fromEntries(Object.entries(summary.files).map(([f, c]) => [f, c.groups])), ...exactCounts(summary) };
  const sorted = Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).sort(byName))]));
  writeFileSync(BASELINE, JSON.stringify(sorted, null, 2) + '\n');
}

/**
 * Where a summary falls below the baseline: one line per file whose number of groups changed, and
 * per file and target whose exact count went down (or whose file is gone). Empty when the run
 * holds the baseline.
 * @param {ReturnType<typeof summarize>} summary
 * @param {{ [target: string]: { [file: string]: number } }} baseline
 * @returns {string[]}
 */
export function regressions(summary, baseline) {
  const now = exactCounts(summary);
  const out = [];
  for (const [file, was] of Object.entries(baseline.groups ?? {})) {
    const is = summary.files[file]?.groups;
    if (is !== was) out.push(`${file}: ${is ?? 'no'} groups, baseline ${was} (the suite changed: rewrite the baseline on purpose)`);
  }
  for (const t of TARGETS) {
    for (const [file, was] of Object.entries(baseline[t] ?? {})) {
      const is = now[t][file];
      if (is === undefined) out.push(`${t} ${file}: not run (baseline ${was} exact)`);
      else if (is < was) out.push(`${t} ${file}: ${is} exact, baseline ${was}`);
    }
  }
  return out;
}

/** Groups with a wrong verdict (or a crash) on some target, as lines. */
export function failures(summary) {
  const out = [];
  for (const g of summary.groups) {
    for (const t of TARGETS) if (g[t].status === 'wrong' || g[t].status === 'crashed') out.push(`${t} ${g.file} #${g.index} (${g.description}): ${g[t].status}: ${g[t].reason}`);
  }
  return out;
}

function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const w = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(all[0]), w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)].join('\n');
}

const HEADER = ['file', 'groups', 'excluded', 'ts exact', 'ts refused', 'ts wrong', 'py exact', 'py refused', 'py wrong'];
const row = (name, c) => [name, c.groups, c.ts.excluded, c.ts.exact, c.ts.refused, c.ts.wrong + c.ts.crashed, c.python.exact, c.python.refused, c.python.wrong + c.python.crashed];

/**
 * The text report: one table per set (a row per file, then the total), each file's first
 * refusal, the groups with a wrong verdict, and the groups whose wrapping is not proven.
 * @param {ReturnType<typeof summarize>} summary
 */
export function formatReport(summary) {
  const parts = [];
  for (const [set, title] of Object.entries(SETS)) {
    const files = Object.entries(summary.files).filter(([, c]) => c.set === set);
    if (files.length === 0) continue;
    parts.push(`${title}\n${table(HEADER, [...files.map(([f, c]) => row(f, c)), row('total', summary.sets[set])])}`);
  }
  const firstRefusal = [];
  for (const file of Object.keys(summary.files)) {
    const first = Object.fromEntries(TARGETS.map((t) => [t, summary.groups.find((x) => x.file === file && x[t].status === 'refused')]));
    const line = (t) => (first[t] ? `#${first[t].index}: ${first[t][t].code} ${first[t][t].reason}` : undefined);
    const [a, b] = TARGETS.map(line);
    if (a !== undefined && a === b) firstRefusal.push(`  ${file} ${a}`);
    else for (const t of TARGETS) if (first[t]) firstRefusal.push(`  ${file} (${t}) ${line(t)}`);
  }
  parts.push(`first refusal per file (both targets unless one is named)\n${firstRefusal.join('\n')}`);
  const asserted = summary.groups.filter((g) => TARGETS.some((t) => g[t].status === 'asserted'));
  parts.push(`groups where wsgen asserts a format the file reads as an annotation (format.json, counted apart): ${asserted.length}${asserted.map((g) => `\n  ${g.file} #${g.index} (${g.description}): ${TARGETS.map((t) => `${t} ${g[t].status}`).join(', ')}`).join('')}`);
  const wrong = failures(summary);
  parts.push(`groups with a wrong verdict: ${wrong.length}${wrong.map((l) => `\n  ${l}`).join('')}`);
  const unproven = summary.groups.filter((g) => g.honesty.status !== 'proven' || g.honesty.note);
  parts.push(
    `wrapping not proven on the wrapped schema itself: ${unproven.length}` +
      unproven.map((g) => `\n  ${g.honesty.status} ${g.file} #${g.index}: ${g.honesty.reason ?? g.honesty.note}`).join(''),
  );
  return parts.join('\n\n');
}
