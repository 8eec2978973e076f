// The JSON-Schema-Test-Suite section of docs/parity-oracle.md: wsgen's and datamodel-code-generator's
// figures from one run of `npm run conformance:jsts -- --dmcg --write-doc`. The section starts at
// MARKER and runs to the end of the file; test/python/oracle_report.py, which writes the part
// above it, keeps it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APART } from './harness.mjs';
import { SETS } from './report.mjs';
import { ROOT } from './suite.mjs';

/** Where the section starts. */
export const MARKER = '<!-- jsts: written by `npm run conformance:jsts -- --dmcg --write-doc`; do not edit below -->';

/** The document the section lives in. */
export const DOC = join(ROOT, 'docs', 'parity-oracle.md');

/** The suite's commit, as its README names it (the suite folder is a copy, not a clone). */
function suiteCommit(dir) {
  const readme = join(dir, 'README.md');
  const m = existsSync(readme) ? /commit ([0-9a-f]{40})/.exec(readFileSync(readme, 'utf8')) : null;
  return m ? m[1] : 'unknown';
}

const cells = (c) => `${c.exact} / ${c.refused} / ${c.wrong + c.crashed}`;

/**
 * The section's Markdown.
 * @param {import('./report.mjs').Summary & { dmcg: Awaited<ReturnType<typeof import('./dmcg.mjs').runDmcg>> }} summary
 * @param {{ suite: string, wsgenSeconds: number, dmcgSeconds: number }} run
 */
export function formatSection(summary, run) {
  const dm = summary.dmcg;
  const lines = [
    MARKER,
    '',
    '## JSON-Schema-Test-Suite: wsgen and datamodel-code-generator side by side',
    '',
    `The official [JSON-Schema-Test-Suite](https://github.com/json-schema-org/JSON-Schema-Test-Suite) (draft 2020-12, commit \`${suiteCommit(run.suite)}\`),`,
    'read from `../shared/json-schema-test-suite` (or `$WSGEN_JSTS_DIR`). Reproduce with:',
    '',
    '```',
    'npm run conformance:jsts -- --dmcg --write-doc',
    '```',
    '',
    'A group (one schema and its tests) is **exact** on a target when every test gets the suite\'s verdict, **refused** when',
    '`wsgen generate` rejects the schema (with a code, pointer and hint), **wrong** when it generates and some verdict differs.',
    'wsgen: each group\'s schema is the type of the field `value` of the one message type of a root union (test/jsts/wrap.mjs),',
    'each instance is the message `{"type":"case","value":<instance as written>}`, judged by the generated TS `parseMessage`',
    'and Python `parse_message`. On every group, ajv (2020-12) gives the wrapped and the raw schema the same verdict on every',
    'test (test/jsts/honesty.mjs; the CI test test/jsts/conformance.test.ts holds it), except where ajv itself fails: those',
    'groups are listed at the end. datamodel-code-generator 0.89.0 reads each raw group schema (the options above, root',
    'class `Model`), and `TypeAdapter(Model).validate_json` judges each instance text; it fetches nothing, so a group that',
    'needs a remote document or the metaschema fails to generate.',
    '',
    '| set | groups | wsgen TS exact / refused / wrong | wsgen Python exact / refused / wrong | datamodel-code-generator exact / wrong / failed |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [set, title] of Object.entries(SETS)) {
    const c = summary.sets[set];
    const d = dm.sets[set];
    lines.push(`| ${title} | ${c.groups} | ${cells(c.ts)} | ${cells(c.python)} | ${d.exact} / ${d.wrong} / ${d.failed} |`);
  }
  lines.push('', 'Counted apart:', ...Object.entries(APART).map(([f, why]) => `- \`${f}\`: ${why}.`), '');
  lines.push('Per file (top-level files):', '', '| file | groups | wsgen TS exact | wsgen Python exact | dmcg exact | dmcg wrong | dmcg failed |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [file, c] of Object.entries(summary.files)) {
    if (c.set === 'format') continue;
    const d = dm.groups.filter((g) => g.file === file);
    const n = (s) => d.filter((g) => g.status === s).length;
    lines.push(`| ${file} | ${c.groups} | ${c.ts.exact} | ${c.python.exact} | ${n('exact')} | ${n('wrong')} | ${n('failed')} |`);
  }
  const unproven = summary.groups.filter((g) => g.honesty.status !== 'proven' || g.honesty.note);
  lines.push('', 'Groups whose wrapping ajv could not check on the wrapped schema itself (they stay in the measure):', '');
  for (const g of unproven) lines.push(`- \`${g.file}\` #${g.index}: ${g.honesty.reason ?? g.honesty.note}`);
  lines.push('', `Time on the reference machine (2 cores): wsgen ${run.wsgenSeconds.toFixed(0)} s for ${summary.groups.length} groups, both targets; datamodel-code-generator ${run.dmcgSeconds.toFixed(0)} s.`, '');
  return lines.join('\n');
}

/** Replaces the section in docs/parity-oracle.md (or appends it). */
export function writeSection(text) {
  const doc = readFileSync(DOC, 'utf8');
  const at = doc.indexOf(MARKER);
  const head = at < 0 ? doc.replace(/\n*$/, '\n\n') : doc.slice(0, at);
  writeFileSync(DOC, head + text);
}
