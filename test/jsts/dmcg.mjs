// datamodel-code-generator's figures on the same groups as the wsgen harness: each raw group
// schema through datamodel-codegen (test/jsts/dmcg.py, one Python process), each instance
// validated by the generated pydantic models.
import { setOf } from './harness.mjs';
import { startPython } from './python-process.mjs';
import { readGroups, suiteFiles } from './suite.mjs';
import { SETS } from './report.mjs';

/**
 * @typedef {{ file: string, index: number, set: string, status: 'exact' | 'wrong' | 'failed', reason?: string }} DmcgGroup
 */

/**
 * Runs datamodel-code-generator on every group of the suite files that `filter` keeps.
 * @param {string} dir  the suite folder
 * @param {(file: string) => boolean} [filter]
 * @returns {Promise<{ sets: Record<string, { groups: number, exact: number, wrong: number, failed: number }>, groups: DmcgGroup[] }>}
 */
export async function runDmcg(dir, filter = () => true) {
  const { main, format } = suiteFiles(dir);
  const py = startPython('test/jsts/dmcg.py');
  const answers = [];
  try {
    for (const file of [...main, ...format].filter(filter)) {
      for (const group of readGroups(dir, file)) {
        answers.push(
          py.ask({ schema: group.schemaText, texts: group.tests.map((t) => t.text) }).then((a) => {
            const base = { file, index: group.index, set: setOf(file) };
            if (a.failed) return { ...base, status: 'failed', reason: a.failed };
            const i = group.tests.findIndex((t, k) => a.verdicts[k] !== t.valid);
            if (i < 0) return { ...base, status: 'exact' };
            const t = group.tests[i];
            return { ...base, status: 'wrong', reason: `"${t.description}": expected ${t.valid ? 'valid' : 'invalid'}, got ${a.verdicts[i] ? 'valid' : 'invalid'}` };
          }),
        );
      }
    }
    const groups = await Promise.all(answers);
    const sets = {};
    for (const set of Object.keys(SETS)) {
      const of = groups.filter((g) => g.set === set);
      sets[set] = { groups: of.length, exact: 0, wrong: 0, failed: 0 };
      for (const g of of) sets[set][g.status]++;
    }
    return { sets, groups };
  } finally {
    await py.close();
  }
}

/** The dmcg figures as text, one line per set. */
export function formatDmcg(dmcg) {
  const lines = ['datamodel-code-generator (raw group schemas, pydantic v2 models, TypeAdapter(Model).validate_json)'];
  for (const [set, c] of Object.entries(dmcg.sets)) {
    if (c.groups) lines.push(`  ${SETS[set]}: ${c.groups} groups, ${c.exact} exact, ${c.wrong} wrong, ${c.failed} failed to generate`);
  }
  return lines.join('\n');
}
