// The JSON-Schema-Test-Suite (draft 2020-12) through both wsgen targets: no group may get a wrong
// verdict, and the exact groups per file and target never go below test/jsts/baseline.json.
// The suite is read from $WSGEN_JSTS_DIR (default ../shared/json-schema-test-suite beside the
// repo); when it is missing this test fails, it never skips. After raising the counts on
// purpose: `npm run conformance:jsts -- --write-baseline`.
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../generator/index.js';
import { type GroupResult, runHarness } from './harness.mjs';
import { type Summary, failures, readBaseline, regressions, summarize } from './report.mjs';

describe('JSON-Schema-Test-Suite draft 2020-12 (test/jsts/harness.mjs)', () => {
  let summary: Summary;
  beforeAll(async () => {
    summary = summarize(await runHarness({ generate }));
  }, 600_000);

  it('gives no group a wrong verdict, and crashes on none, on either target', () => {
    expect(failures(summary)).toEqual([]);
  });

  it('counts a group as asserted (format rejected where the file expects an annotation) only in format.json', () => {
    const asserted = summary.groups.filter((g: GroupResult) => g.ts.status === 'asserted' || g.python.status === 'asserted').map((g) => g.file);
    expect([...new Set(asserted)]).toEqual(asserted.length ? ['format.json'] : []);
  });

  it('keeps every exact count of the baseline, per file and target, over the same groups', () => {
    expect(regressions(summary, readBaseline())).toEqual([]);
  });

  it('measures the 343 groups of the top-level files, with format.json and dynamicRef.json apart, and optional/format', () => {
    expect([summary.sets.main.groups, summary.sets.apart.groups, summary.sets.format.groups]).toEqual([343, 40, 28]);
  });

  it('wraps every group honestly: ajv never gives the wrapped schema another verdict than the raw one', () => {
    const excluded = summary.groups.filter((g: GroupResult) => g.honesty.status === 'excluded').map((g) => `${g.file} #${g.index}: ${g.honesty.reason}`);
    expect(excluded).toEqual([]);
  });
});
