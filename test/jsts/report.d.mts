// Types of report.mjs.
import type { GroupResult, Target } from './harness.mjs';

type Counts = Record<'exact' | 'refused' | 'wrong' | 'crashed' | 'excluded', number>;
/** Group counts of a file or set, per target. */
export type Tally = { groups: number } & Record<Target, Counts>;
/** The machine-readable summary of a run. */
export interface Summary {
  apart: Readonly<Record<string, string>>;
  sets: Record<'main' | 'apart' | 'format', Tally>;
  files: Record<string, Tally & { set: string }>;
  groups: GroupResult[];
}
/** The committed baseline's shape. */
export type Baseline = { groups: Record<string, number> } & Record<Target, Record<string, number>>;

export const BASELINE: string;
export const SETS: Readonly<Record<'main' | 'apart' | 'format', string>>;
export function summarize(run: { groups: GroupResult[] }): Summary;
export function exactCounts(summary: Summary): Record<Target, Record<string, number>>;
export function readBaseline(): Baseline;
export function writeBaseline(summary: Summary): void;
export function regressions(summary: Summary, baseline: Partial<Baseline>): string[];
export function failures(summary: Summary): string[];
export function formatReport(summary: Summary): string;
