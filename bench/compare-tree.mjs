// The baseline tree of bench/compare.mjs: a detached `git worktree` of another
// commit in a temporary folder, built and generated there, removed afterwards.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An error of the command line (exit 3) or of its input (exit 2), with a hint. */
export class CompareError extends Error {
  /**
   * @param {string} message what is wrong
   * @param {2 | 3} exitCode 3: usage; 2: bad input (an unknown ref, a failed build)
   * @param {string} hint what to do about it
   */
  constructor(message, exitCode, hint) {
    super(message);
    this.name = 'CompareError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

const git = (root, args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The full commit id `ref` names in the repository at `root`; CompareError (exit 2) when it names no commit. */
export function resolveCommit(root, ref) {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new CompareError(`--baseline ${ref}: no such commit in ${root}`, 2, 'give a commit id, branch or tag that `git log --oneline` lists');
  }
}

/** The paths of the worktrees `git worktree list` knows in the repository at `root`. */
export function worktreePaths(root) {
  return git(root, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => realpathSync.native(l.slice('worktree '.length)));
}

/**
 * Runs `fn(dir)` with a detached worktree of `commit` at `dir` (a new temporary folder whose
 * node_modules links to `root`'s), then removes the worktree and its folder, whether `fn`
 * returned or threw. Resolves to what `fn` resolved to.
 */
export async function withWorktree(root, commit, fn) {
  const dir = realpathSync.native(mkdtempSync(join(tmpdir(), 'wsgen-baseline-')));
  const remove = () => {
    try {
      git(root, ['worktree', 'remove', '--force', dir]);
    } catch {
      // Not registered (add failed) or already gone: the folder is removed below either way.
    }
    rmSync(dir, { recursive: true, force: true });
    git(root, ['worktree', 'prune']);
  };
  const onSignal = (signal) => {
    remove();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    git(root, ['worktree', 'add', '--detach', dir, commit]);
    symlinkSync(realpathSync.native(join(root, 'node_modules')), join(dir, 'node_modules'));
    return await fn(dir);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    remove();
  }
}

/**
 * Builds the tree at `dir` as `npm ci` would (scripts/build.mjs), regenerates its bundled
 * outputs with its own generator, and builds again when that changed generated/ (dist holds
 * a copy of generated/ts). CompareError (exit 2) when a step fails.
 */
export function prepareTree(dir) {
  const run = (args) => {
    try {
      execFileSync(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      throw new CompareError(`baseline tree ${dir}: node ${args.join(' ')} failed:\n${err.stderr ?? err.message}`, 2, 'pick a commit whose build passes');
    }
  };
  run(['scripts/build.mjs']);
  run(['bin/wsgen.js', 'generate', '--quiet']);
  if (git(dir, ['status', '--porcelain', '--', 'generated']) !== '') run(['scripts/build.mjs']);
  if (!existsSync(join(dir, 'dist/generated/ts/index.js'))) throw new CompareError(`baseline tree ${dir}: no dist/generated/ts/index.js after the build`, 2, 'pick a commit that builds the generated TypeScript into dist/');
}
