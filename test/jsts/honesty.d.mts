// Types of honesty.mjs.
import type { SuiteGroup } from './suite.mjs';

/** The proof that a group's wrapping is honest (see honesty.mjs). */
export interface Honesty {
  status: 'proven' | 'unproven' | 'excluded';
  reason?: string;
  note?: string;
  remotes: Map<string, { text: string; json: unknown }>;
  ajvDisagrees: number;
}

/** Compares ajv's verdicts on the raw and the wrapped schema of a group. */
export function proveWrapping(dir: string, group: SuiteGroup, assertFormats: boolean): Promise<Honesty>;
