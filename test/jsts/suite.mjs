// Reading the official JSON-Schema-Test-Suite (draft 2020-12) for the jsts harness.
// The suite is never copied into the project: it is read where it lies, at
// WSGEN_JSTS_DIR (default ../shared/json-schema-test-suite from the repo root).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The draft whose tests are read, as named in the suite's tests/ folder. */
export const DRAFT = 'draft2020-12';

/**
 * The suite's folder: $WSGEN_JSTS_DIR, or ../shared/json-schema-test-suite beside the repo.
 * @returns {string} an absolute path (that may not exist; see {@link requireSuite})
 */
export function suiteDir() {
  return resolve(ROOT, process.env.WSGEN_JSTS_DIR || '../shared/json-schema-test-suite');
}

/**
 * The suite's folder, or an Error naming where it was looked for. Never a silent skip: the
 * conformance figures are a CI gate.
 * @returns {string}
 */
export function requireSuite() {
  const dir = suiteDir();
  if (!existsSync(join(dir, 'tests', DRAFT))) {
    throw new Error(`JSON-Schema-Test-Suite not found at ${dir} (no tests/${DRAFT}); set WSGEN_JSTS_DIR to the suite's folder`);
  }
  return dir;
}

/**
 * @typedef {object} SuiteTest
 * @property {string} description
 * @property {boolean} valid   the suite's expected verdict
 * @property {unknown} data    the instance, as JSON.parse reads it
 * @property {string} text     the instance exactly as written in the suite file (keeps `1.0`, big integers…)
 */

/**
 * @typedef {object} SuiteGroup
 * @property {string} file          path below tests/draft2020-12, e.g. `type.json`, `optional/format/email.json`
 * @property {number} index         the group's index in its file
 * @property {string} description
 * @property {unknown} schema       the group's schema, parsed
 * @property {string} schemaText    the group's schema exactly as written
 * @property {SuiteTest[]} tests
 */

/**
 * Parses JSON text and keeps the source span [start, end) of every value, so that
 * numbers are handed on exactly as written (JSON.parse turns `1.0` into `1`).
 * Only accepts what JSON.parse accepts (the suite is well-formed JSON).
 * @param {string} text
 * @returns {{ value: unknown, start: number, end: number, members?: Map<string, any>, items?: any[] }}
 */
export function parseWithSpans(text) {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const node = () => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members = new Map();
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const key = node();
          ws();
          if (text[i++] !== ':') throw new SyntaxError(`expected ':' at ${i - 1}`);
          members.set(key.value, node());
          ws();
          const sep = text[i++];
          if (sep === '}') break;
          if (sep !== ',') throw new SyntaxError(`expected ',' or '}' at ${i - 1}`);
        }
      }
      return { value: JSON.parse(text.slice(start, i)), start, end: i, members };
    }
    if (c === '[') {
      i++;
      const items = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          items.push(node());
          ws();
          const sep = text[i++];
          if (sep === ']') break;
          if (sep !== ',') throw new SyntaxError(`expected ',' or ']' at ${i - 1}`);
        }
      }
      return { value: JSON.parse(text.slice(start, i)), start, end: i, items };
    }
    const m = c === '"' ? /"(?:[^"\\]|\\.)*"/y : /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    m.lastIndex = i;
    const hit = m.exec(text);
    if (!hit) throw new SyntaxError(`unexpected ${JSON.stringify(c)} at ${i}`);
    i += hit[0].length;
    return { value: JSON.parse(hit[0]), start, end: i };
  };
  const root = node();
  ws();
  if (i !== text.length) throw new SyntaxError(`trailing text at ${i}`);
  return root;
}

/**
 * The groups of one suite file.
 * @param {string} dir   the suite folder
 * @param {string} file  path below tests/draft2020-12
 * @returns {SuiteGroup[]}
 */
export function readGroups(dir, file) {
  const text = readFileSync(join(dir, 'tests', DRAFT, file), 'utf8');
  const root = parseWithSpans(text);
  const src = (n) => text.slice(n.start, n.end);
  return root.items.map((g, index) => ({
    file,
    index,
    description: g.value.description,
    schema: g.value.schema,
    schemaText: src(g.members.get('schema')),
    tests: g.members.get('tests').items.map((t) => ({
      description: t.value.description,
      valid: t.value.valid,
      data: t.value.data,
      text: src(t.members.get('data')),
    })),
  }));
}

/**
 * The files the harness measures, sorted: the top-level draft 2020-12 files (the `main`
 * set) and `optional/format/*.json` (the `format` set, where formats are assertions).
 * @param {string} dir
 * @returns {{ main: string[], format: string[] }}
 */
export function suiteFiles(dir) {
  const base = join(dir, 'tests', DRAFT);
  const json = (sub) => readdirSync(join(base, sub), { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => (sub ? `${sub}/${e.name}` : e.name)).sort();
  return { main: json(''), format: json('optional/format') };
}

/** Base of the suite's remotes: `$ref`s to it are served from remotes/ (refRemote.json). */
export const REMOTE_BASE = 'http://localhost:1234/';

/**
 * The remote document at `url` (under {@link REMOTE_BASE}), or undefined.
 * @param {string} dir
 * @param {string} url  without fragment
 * @returns {{ text: string, json: unknown } | undefined}
 */
export function readRemote(dir, url) {
  if (!url.startsWith(REMOTE_BASE)) return undefined;
  const p = join(dir, 'remotes', ...url.slice(REMOTE_BASE.length).split('/'));
  if (!p.startsWith(join(dir, 'remotes')) || !existsSync(p)) return undefined;
  const text = readFileSync(p, 'utf8');
  return { text, json: JSON.parse(text) };
}
