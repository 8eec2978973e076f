// Types of harness.mjs (the harness is plain ESM so that scripts/conformance-jsts.mjs runs it under node).
import type { Honesty } from './honesty.mjs';

/** A wsgen target. */
export type Target = 'ts' | 'python';
/** The wsgen targets, in report order. */
export const TARGETS: readonly Target[];
/** Files counted apart from the main measure, with the reason. */
export const APART: Readonly<Record<string, string>>;
/** The set a suite file's groups are counted in. */
export function setOf(file: string): 'main' | 'apart' | 'format';

/** The outcome of one group on one target. */
export interface TargetOutcome {
  status: 'exact' | 'asserted' | 'refused' | 'wrong' | 'crashed' | 'excluded';
  /** A WSGEN_* code, for a refusal. */
  code?: string;
  /** The refusal's message and pointer, the first wrong verdict, or why the group is excluded. */
  reason?: string;
}

/** The outcome of one suite group. */
export interface GroupResult {
  file: string;
  index: number;
  description: string;
  set: 'main' | 'apart' | 'format';
  tests: number;
  honesty: Omit<Honesty, 'remotes'> & { remoteUrls: string[] };
  ts: TargetOutcome;
  python: TargetOutcome;
}

/** wsgen's generate, as the harness calls it. */
export type GenerateFn = (o: { schema: string; out: string; targets: Target[] }) => Promise<{ files: Map<string, string> }>;

/** Runs every suite group (that `filter` keeps) through both targets. */
export function runHarness(opts: {
  generate: GenerateFn;
  filter?: (file: string) => boolean;
  onGroup?: (r: GroupResult) => void;
  keep?: boolean;
}): Promise<{ suite: string; work: string; groups: GroupResult[] }>;
