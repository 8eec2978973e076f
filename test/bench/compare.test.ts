/**
 * bench/compare.mjs (`npm run bench -- --baseline <ref>`): its command-line errors (exit 3 for
 * usage, 2 for a ref that names no commit, each with a hint) and its baseline worktree, which is
 * removed with its folder whether the comparison ends or fails. No timing is asserted here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM module of the benchmarks, without type declarations
import { resolveCommit, withWorktree, worktreePaths } from '../../bench/compare-tree.mjs';
import { ROOT } from '../generator/helpers.js';

const compare = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bench/compare.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('bench/compare.mjs', () => {
  it.each([
    [[], '--baseline <git-ref> is required'],
    [['--baseline'], '--baseline needs a value'],
    [['--baseline', 'HEAD', '--only', 'parse,speed'], 'unknown part speed'],
    [['--baseline', 'HEAD', '--rounds', '0'], 'a whole number of at least 1'],
    [['--baseline', 'HEAD', '--max-ratio', 'x'], 'a positive number'],
    [['--baseline', 'HEAD', '--fast'], 'unknown argument --fast'],
  ])('%j is a usage error (exit 3) with a hint', (args, words) => {
    const r = compare(...args);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(words);
    expect(r.stderr).toMatch(/\nhint: /);
  });

  it('a ref that names no commit is exit 2, and leaves no worktree behind', () => {
    const before = worktreePaths(ROOT);
    const r = compare('--baseline', 'no-such-ref-of-wsgen');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--baseline no-such-ref-of-wsgen: no such commit');
    // Other worktrees of the repository may come and go meanwhile: only a baseline one would be this run's.
    expect(worktreePaths(ROOT).filter((p: string) => !before.includes(p) && p.includes('wsgen-baseline-'))).toEqual([]);
  });

  it('withWorktree checks the commit out beside node_modules, and removes it after a return or a throw', async () => {
    const commit = resolveCommit(ROOT, 'HEAD');
    let seen = '';
    const value = await withWorktree(ROOT, commit, async (dir: string) => {
      seen = dir;
      expect(worktreePaths(ROOT)).toContain(dir);
      expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(spawnSync('git', ['-C', ROOT, 'show', `${commit}:package.json`], { encoding: 'utf8' }).stdout);
      expect(lstatSync(join(dir, 'node_modules')).isSymbolicLink()).toBe(true);
      expect(realpathSync(join(dir, 'node_modules'))).toBe(realpathSync(join(ROOT, 'node_modules')));
      return 42;
    });
    expect(value).toBe(42);
    expect(existsSync(seen)).toBe(false);
    expect(worktreePaths(ROOT)).not.toContain(seen);

    await expect(withWorktree(ROOT, commit, async (dir: string) => {
      seen = dir;
      throw new Error('the comparison failed');
    })).rejects.toThrow('the comparison failed');
    expect(existsSync(seen)).toBe(false);
    expect(worktreePaths(ROOT)).not.toContain(seen);
  }, 60_000);
});
