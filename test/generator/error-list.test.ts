// ErrorList's never-returning API: `failed()` narrows a list to one that holds an error, whose `throwAll()` returns
// `never`, so a caller that throws the collected errors needs no fallback `throw new Error('unreachable')` (the
// type checker knows no code runs after it). Checked by `tsc -p tsconfig.json` (this file is in its include) and at
// run time.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ErrorList, type FailedErrorList, GeneratorErrorCode as E, MAX_REPORTED_ERRORS, WsgenError } from '../../generator/errors.js';

const ROOT = join(import.meta.dirname, '../..');
const err = (i: number) => new WsgenError(E.UNSUPPORTED, `error ${i}`, { file: 'm.json', pointer: `/$defs/T${i}` }, 'a hint');

/** The .ts/.js/.py files under `dir` (no node_modules). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === 'node_modules' || n === '__pycache__') return [];
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|js|py)$/.test(n) ? [p] : [];
  });
}

describe('ErrorList: failed() narrows, throwAll() never returns', () => {
  it('throws the first error found with the others as its more, capped at MAX_REPORTED_ERRORS', () => {
    const list = new ErrorList();
    expect(list.failed()).toBe(false);
    for (let i = 0; i < MAX_REPORTED_ERRORS + 5; i++) list.add(err(i));
    if (!list.failed()) throw new Error('the list holds errors');
    let thrown: unknown;
    try {
      list.throwAll();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(WsgenError);
    expect((thrown as WsgenError).message).toBe('error 0');
    expect((thrown as WsgenError).more.map((e) => e.message)).toEqual(Array.from({ length: MAX_REPORTED_ERRORS - 1 }, (_, i) => `error ${i + 1}`));
  });

  it('has throwAll typed never, callable only on a list narrowed by failed()', () => {
    expectTypeOf<ReturnType<FailedErrorList['throwAll']>>().toBeNever();
    const list = new ErrorList();
    // @ts-expect-error throwAll needs a list known to hold an error
    expect(() => list.throwAll()).toThrow();
    list.add(err(1));
    const f = (l: ErrorList): number => {
      if (l.failed()) l.throwAll();
      return l.found.length; // reached only when no error was found: the checker accepts no return after throwAll
    };
    expect(() => f(list)).toThrow('error 1');
    expect(f(new ErrorList())).toBe(0);
  });

  it("leaves no fallback throw new Error('unreachable') in generator/ or runtime/", () => {
    const hits = [...sources(join(ROOT, 'generator')), ...sources(join(ROOT, 'runtime'))].filter((p) => /throw new Error\(['"`]unreachable/.test(readFileSync(p, 'utf8')));
    expect(hits).toEqual([]);
  });
});
