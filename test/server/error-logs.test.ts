/**
 * runtime/server/README.md and runtime/python/README.md: every error line the servers log has a stable `code` and
 * a `hint`. This reads every `log('error', …)` call of both runtimes' sources (the level is always written as a
 * literal) and checks that its fields name both; a call whose fields are not written in place fails too.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../generator/helpers.js';

function sources(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

/** The text of each `.log(<quote>error<quote>, …)` call in `text`, up to its balanced closing parenthesis. */
function errorCalls(text: string): string[] {
  const calls: string[] = [];
  for (const m of text.matchAll(/\.log\(\s*(['"])error\1\s*,/g)) {
    let depth = 0;
    let i = m.index! + '.log'.length;
    for (; i < text.length; i++) {
      if (text[i] === '(' || text[i] === '{' || text[i] === '[') depth++;
      else if (text[i] === ')' || text[i] === '}' || text[i] === ']') depth--;
      if (depth === 0) break;
    }
    calls.push(text.slice(m.index!, i + 1));
  }
  return calls;
}

describe('error log lines', () => {
  const files = [...sources(join(ROOT, 'runtime/server'), '.ts'), ...sources(join(ROOT, 'runtime/python/src/wsgen_runtime'), '.py')];

  it('are found in both runtimes (the scan reads what it should)', () => {
    const found = files.flatMap((f) => errorCalls(readFileSync(f, 'utf8')));
    expect(found.some((c) => c.includes("'invalid_outbound'"))).toBe(true);
    expect(found.some((c) => c.includes('"validator_failed"'))).toBe(true);
  });

  it('every error line has a code and a hint', () => {
    const missing = files.flatMap((f) => errorCalls(readFileSync(f, 'utf8')).filter((c) => !/["']?\bcode["']?\s*:/.test(c) || !/["']?\bhint["']?\s*:/.test(c)).map((c) => `${relative(ROOT, f)}: ${c}`));
    expect(missing).toEqual([]);
  });
});
