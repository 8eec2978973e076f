// Python's dump_message writes each number with the bytes of TypeScript's JSON.stringify (generator/shipped/python/
// _json_numbers.py): a whole-valued float is `1`, not `1.0`; -0.0 is `0`; exponents as ECMA-262 Number::toString
// writes them (`1e-7`, `1e+21`). Compared number by number (by JSON path, as written in each text), on every valid
// conformance vector and on messages holding the numbers where the two writers differed.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../generated/ts/index.js';
import { generateBoth } from '../generator/differential.js';
import { ROOT, writeSchema } from '../generator/helpers.js';
import { runPython } from './python.js';
import { loadVectors, vectorText } from './vectors.js';

/** Each number of a JSON text as written there, by its JSON pointer (RFC 6901), in text order. */
function numberLexemes(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let i = 0;
  const ws = () => {
    while (' \t\n\r'.includes(text[i] ?? 'x')) i++;
  };
  const str = (): string => {
    const start = i;
    for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      for (let n = 0; text[i] !== (c === '{' ? '}' : ']'); n++) {
        let key = String(n);
        if (c === '{') {
          key = str();
          ws();
          i++; // :
        }
        value(`${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        ws();
        if (text[i] === ',') i++;
        ws();
      }
      i++;
    } else if (c === '"') str();
    else {
      const m = /^(?:true|false|null|-?[0-9][0-9.eE+-]*)/.exec(text.slice(i))!;
      if (/^-?[0-9]/.test(m[0])) out.push([path, m[0]]);
      i += m[0].length;
    }
  };
  value('');
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

const NUMBERS = [1.0, -0.0, 0.0, 1e-7, 1e-6, 1.5e-10, 0.1, 0.2 + 0.1, 123.456, 5e-324, 2.5e15, 1e15, 9007199254740991.0, -9007199254740991, 4.35, 100];
/** Messages holding the numbers where pydantic and JSON.stringify wrote different texts (open fields and a float field). */
const EXTRA = [
  JSON.stringify({ type: 'agent_message', timestamp: '2024-05-01T10:00:00Z', agent: 'guide_agent', message: 'n', metadata: { n: NUMBERS, nested: { one: 1.0, tiny: 1e-7 } } }),
  '{"type":"progress_update","timestamp":"2024-05-01T10:00:00Z","agent":"guide_agent","progress":1.0,"data":[1.0,-0.0,1E-7,2.50e1,1e+2]}',
  '{"type":"progress_update","timestamp":"2024-05-01T10:00:00Z","agent":"guide_agent","progress":0.0,"metadata":{"s":"1.0 and -0.0 in a string stay"}}',
  '{"type":"progress_update","timestamp":"2024-05-01T10:00:00Z","agent":"guide_agent","progress":-0.0}',
];

describe("Python's dump_message writes numbers with the bytes of TypeScript's JSON.stringify", () => {
  const texts = [...loadVectors().filter((v) => v.valid).map(vectorText), ...EXTRA];
  const ts = texts.map((t) => {
    const r = parseMessage(t);
    return r.ok ? JSON.stringify(r.value) : null;
  });
  const py = runPython('roundtrip.py', texts).map((l) => JSON.parse(l) as string | null);

  it('judges every text valid on both targets', () => {
    expect(texts.filter((_, i) => ts[i] === null || py[i] === null)).toEqual([]);
  });

  it.each(texts.map((t, i) => [t.length > 120 ? `${t.slice(0, 117)}...` : t, i] as const))('%s', (_t, i) => {
    expect(numberLexemes(py[i]!)).toEqual(numberLexemes(ts[i]!));
  });

  it('writes the float field and open values as JSON.stringify does (1, 0, 1e-7, 25, 100; strings untouched)', () => {
    const at = texts.length - 3;
    expect(py[at]).toMatch(/"progress":1[,}]/);
    expect(py[at]).toContain('"data":[1,0,1e-7,25,100]');
    expect(py[at + 1]).toContain('"s":"1.0 and -0.0 in a string stay"');
    expect(py[at + 2]).toMatch(/"progress":0[,}]/);
  });
});

describe('the same on a root that is no tagged union (the root parser, generator/shipped/python/_root_parser.py)', async () => {
  const schema = writeSchema({ 'root.schema.json': JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Samples', type: 'array', items: { type: 'number' } }) });
  const g = await generateBoth(join(schema, 'root.schema.json'));
  const text = JSON.stringify(NUMBERS).replace('[1,', '[1.0,').replace(',0,', ',-0.0,');
  it('writes each number as JSON.stringify of the parsed value', async () => {
    const parse = (await import(pathToFileURL(join(g.dir, 'generated/ts/parse.js')).href)) as { parseMessage(t: string): { ok: boolean; value?: unknown } };
    const ts = JSON.stringify(parse.parseMessage(text).value);
    const script = 'import sys\nfrom wsgen_protocol import dump_message, parse_message\nprint(dump_message(parse_message(sys.stdin.read()).value))\n';
    const py = execFileSync(join(ROOT, '.venv/bin/python'), ['-c', script], { cwd: join(g.dir, 'generated/python'), input: text, encoding: 'utf8' }).trim();
    expect(py).toBe(ts);
  });
});
