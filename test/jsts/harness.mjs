// The JSON-Schema-Test-Suite harness: every group of the draft 2020-12 files through wsgen's two
// targets, each test instance judged by the generated TS parseMessage and Python parse_message.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { proveWrapping } from './honesty.mjs';
import { startPython } from './python-process.mjs';
import { REMOTE_BASE, readGroups, requireSuite, suiteFiles } from './suite.mjs';
import { messageText, remoteFileText, wrapText } from './wrap.mjs';

/** The wsgen targets, in report order. */
export const TARGETS = ['ts', 'python'];

/**
 * Files counted apart from the main measure, with the reason. format.json expects the 2020-12
 * default, format as an annotation; wsgen asserts formats (optional/format is the measure there).
 * dynamicRef.json: the issue lets `$dynamicRef` stay refused.
 */
export const APART = {
  'format.json': 'wsgen asserts formats; this file expects format as an annotation only (the 2020-12 default)',
  'dynamicRef.json': '$dynamicRef may stay refused (issue 9, item 10)',
};

/**
 * The set a file's groups are counted in: `main` (the measure), `apart` (see {@link APART}) or `format`.
 * @param {string} file
 */
export function setOf(file) {
  if (file.startsWith('optional/format/')) return 'format';
  return file in APART ? 'apart' : 'main';
}

/**
 * How a generation failure reads: a refusal (a WsgenError, or the first of several) or a crash.
 * @returns {{ status: 'refused' | 'crashed', code: string, reason: string }}
 */
function failureOf(err) {
  const first = typeof err?.code === 'string' ? err : Array.isArray(err?.errors) && typeof err.errors[0]?.code === 'string' ? err.errors[0] : undefined;
  if (first && /^WSGEN_/.test(first.code)) {
    const at = first.location ? ` at ${first.location.pointer || '/'}` : '';
    return { status: 'refused', code: first.code, reason: `${first.message}${at}` };
  }
  return { status: 'crashed', code: 'INTERNAL', reason: String(err?.stack ?? err).split('\n').slice(0, 2).join(' ') };
}

/**
 * The outcome on one target from its verdicts: `exact` when each equals the suite's, else `wrong`
 * naming the first test that differs. In format.json (see {@link APART}) a group whose only
 * differences are strings the suite calls valid and wsgen rejects is `asserted`: wsgen asserts
 * the format there (its grammar is measured on optional/format), the file expects an annotation.
 */
function judged(group, verdicts, file) {
  const i = group.tests.findIndex((t, k) => verdicts[k] !== t.valid);
  if (i < 0) return { status: 'exact' };
  const asserted = (t, k) => verdicts[k] === t.valid || (t.valid && !verdicts[k] && t.text.trimStart().startsWith('"'));
  if (file === 'format.json' && group.tests.every(asserted)) return { status: 'asserted', reason: `"${group.tests[i].description}": the format is asserted` };
  const t = group.tests[i];
  return { status: 'wrong', reason: `"${t.description}": expected ${t.valid ? 'valid' : 'invalid'}, got ${verdicts[i] ? 'valid' : 'invalid'}` };
}

/** Writes the wsgen input of a group (root file plus the remotes it reaches) below `folder`. */
function writeInput(folder, group, remotes) {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'protocol.schema.json'), wrapText(group));
  for (const [url, remote] of remotes) {
    // At the URL's path below the root file, which is served at REMOTE_BASE (wrap.mjs).
    const p = join(folder, ...url.slice(REMOTE_BASE.length).split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, remoteFileText(url, remote));
  }
}

/** Writes generated files (paths relative to `out`). */
function writeFiles(out, files) {
  for (const [name, text] of files) {
    const p = join(out, ...name.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

/**
 * @typedef {object} GroupResult
 * @property {string} file
 * @property {number} index
 * @property {string} description
 * @property {'main' | 'apart' | 'format'} set
 * @property {number} tests
 * @property {import('./honesty.mjs').Honesty & { remotes?: never, remoteUrls: string[] }} honesty
 * @property {{ status: 'exact' | 'asserted' | 'refused' | 'wrong' | 'crashed' | 'excluded', code?: string, reason?: string }} ts
 * @property {{ status: 'exact' | 'asserted' | 'refused' | 'wrong' | 'crashed' | 'excluded', code?: string, reason?: string }} python
 */

/**
 * Runs the harness.
 * @param {object} opts
 * @param {(o: { schema: string, out: string, targets: string[] }) => Promise<{ files: Map<string, string> }>} opts.generate
 *   wsgen's generate (from the sources or from dist/)
 * @param {(file: string) => boolean} [opts.filter]  which suite files to run (default all)
 * @param {(r: GroupResult) => void} [opts.onGroup]  progress
 * @param {boolean} [opts.keep]  keep the temporary folder (its path is in the result)
 * @returns {Promise<{ suite: string, work: string, groups: GroupResult[] }>}
 */
export async function runHarness({ generate, filter = () => true, onGroup = () => {}, keep = false }) {
  const dir = requireSuite();
  const { main, format } = suiteFiles(dir);
  const work = mkdtempSync(join(tmpdir(), 'wsgen-jsts-'));
  const judge = startPython('test/jsts/judge.py');
  const groups = [];
  let reported = Promise.resolve(); // groups are reported in order, each once its Python verdicts are in
  try {
    for (const file of [...main, ...format].filter(filter)) {
      for (const group of readGroups(dir, file)) {
        const set = setOf(file);
        const h = await proveWrapping(dir, group, set === 'format');
        const { remotes, ...honesty } = h;
        const result = { file, index: group.index, description: group.description, set, tests: group.tests.length, honesty: { ...honesty, remoteUrls: [...remotes.keys()] } };
        groups.push(result);
        if (h.status === 'excluded') {
          for (const t of TARGETS) result[t] = { status: 'excluded', reason: h.reason };
          reported = reported.then(() => onGroup(result));
          continue;
        }
        const base = join(work, `${groups.length - 1}`);
        writeInput(join(base, 'schema'), group, remotes);
        const texts = group.tests.map((t) => messageText(t.text));
        let python;
        for (const target of TARGETS) {
          const out = join(base, 'gen');
          try {
            writeFiles(out, (await generate({ schema: join(base, 'schema'), out, targets: [target] })).files);
          } catch (err) {
            result[target] = failureOf(err);
            continue;
          }
          if (target === 'ts') result.ts = await judgeTs(group, join(out, 'ts', 'parse.js'), texts, file);
          else python = judge.ask({ dir: join(out, 'python'), texts }).then((a) => (result.python = a.error ? { status: 'wrong', reason: a.error } : judged(group, a.verdicts, file)));
        }
        reported = Promise.all([reported, python]).then(() => onGroup(result));
      }
    }
    await reported;
  } finally {
    reported.catch(() => {}); // when the loop itself threw, that error is the one to report
    await judge.close();
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
  return { suite: dir, work, groups };
}

/** Judges a group's messages with the generated TS parseMessage. */
async function judgeTs(group, parseJs, texts, file) {
  let parse;
  try {
    parse = await import(pathToFileURL(parseJs).href);
  } catch (err) {
    return { status: 'wrong', reason: `import failed: ${String(err?.message ?? err).split('\n')[0]}` };
  }
  const verdicts = [];
  for (const text of texts) {
    try {
      verdicts.push(parse.parseMessage(text).ok === true);
    } catch (err) {
      return { status: 'wrong', reason: `parseMessage threw ${String(err?.message ?? err).split('\n')[0]}` };
    }
  }
  return judged(group, verdicts, file);
}
