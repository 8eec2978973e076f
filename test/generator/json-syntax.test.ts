// Text that is not JSON (RFC 8259) gets one issue shape on both targets (schema/PROTOCOL.md): the place where it
// stops being JSON by line and column, and the character found there. generator/shipped/ts/json-syntax.js and
// generator/shipped/python/_json_syntax.py are tested here as modules: the TS verdict equals JSON.parse's, and
// Python says the same words, line and column for every refused text of a seeded corpus (hand-picked faults and
// single-character mutations of a valid message).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntaxErrorOffset, syntaxIssue } from '../../generator/shipped/ts/json-syntax.js';
import { ROOT } from './helpers.js';

const SEED = '{"type":"ping","timestamp":"2024-01-01T00:00:00Z","data":{"a":[1,2.5e3,-0,true,false,null,"x\\u00e9\\n\\"😀"]}}';
const INSERTS = ['', '}', ']', '{', '[', ',', '"', ':', 'x', '0', ' ', '\\', '-', '.', 'e', '+', 'E', '😀', '\n', '\u0001', 't', 'n'];

/** Hand-picked faults, then every insertion and replacement of one of INSERTS at a seeded-random place of SEED. */
function corpus(): string[] {
  const out = ['', ' \n', '{', '[1,]', '{"a" 1}', '"\\u12g4"', '01', '-', '1.', '1e+', 'tru', 'nul', 'NaN', '[1]]', '"a\tb"', '\ufeff{}', '{"é😀":tru}', '[' .repeat(20_000)];
  let r = 7;
  const rnd = () => (r = (r * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let k = 0; k < 3000; k++) {
    const p = Math.floor(rnd() * SEED.length);
    const op = INSERTS[Math.floor(rnd() * INSERTS.length)]!;
    out.push(rnd() < 0.5 ? SEED.slice(0, p) + op + SEED.slice(p + 1) : SEED.slice(0, p) + op + SEED.slice(p));
  }
  return out;
}

/** JSON.parse's verdict. */
function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('where a text stops being JSON', () => {
  const texts = corpus();

  it('the TS scanner refuses exactly what JSON.parse refuses', () => {
    const wrong = texts.filter((t) => parses(t) !== (syntaxErrorOffset(t) === -1));
    expect(wrong).toEqual([]);
    expect(texts.filter((t) => !parses(t)).length).toBeGreaterThan(1000);
  });

  it.each([
    ['{"type":', 'the text ends early at line 1, column 9', 1, 9],
    ['{"type":"ping",}', 'unexpected "}" at line 1, column 16', 1, 16],
    ['nope', 'unexpected "o" at line 1, column 2', 1, 2],
    ['', 'the text ends early at line 1, column 1', 1, 1],
    ['{"a":"\u0001"}', 'unexpected U+0001 at line 1, column 7', 1, 7],
    ['{"😀":\n  [1,\n   x]}', 'unexpected "x" at line 3, column 4', 3, 4],
    ['"😀😀" x', 'unexpected "x" at line 1, column 6', 1, 6],
  ])('%j: %s', (text, words, line, column) => {
    expect(syntaxIssue(text)).toEqual({ message: `must be valid JSON: ${words}`, params: { line, column } });
  });

  it('Python says the same words, line and column for every refused text', () => {
    const refused = texts.filter((t) => !parses(t));
    const script = [
      'import importlib.util, json, sys',
      `spec = importlib.util.spec_from_file_location("_json_syntax", ${JSON.stringify(join(ROOT, 'generator/shipped/python/_json_syntax.py'))})`,
      'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)',
      'for line in sys.stdin:',
      '    message, params = m.syntax_issue(json.loads(line))',
      '    print(json.dumps({"message": message, "params": params}))',
    ].join('\n');
    const out = execFileSync(join(ROOT, '.venv/bin/python'), ['-c', script], { input: refused.map((t) => JSON.stringify(t)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28 });
    const python = out.trim().split('\n').map((l) => JSON.parse(l) as unknown);
    const differ = refused.map((t, i) => [t, syntaxIssue(t), python[i]] as const).filter(([, ts, py]) => JSON.stringify(ts) !== JSON.stringify(py));
    expect(differ).toEqual([]);
    expect(python).toHaveLength(refused.length);
  }, 60_000);
});
