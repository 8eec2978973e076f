/** Test helpers for spawned CLI processes: collect their output and wait on it. */
import type { ChildProcess } from 'node:child_process';

/** What a child printed so far, appended as it arrives. */
export interface ChildOutput {
  out: string;
  err: string;
}

/** Collects the child's stdout and stderr into one ChildOutput. */
export function collect(child: ChildProcess): ChildOutput {
  const io: ChildOutput = { out: '', err: '' };
  child.stdout!.on('data', (d) => (io.out += String(d)));
  child.stderr!.on('data', (d) => (io.err += String(d)));
  return io;
}

/** Waits until `test()` holds on the child's output (checked on each chunk and on exit), at most `ms`; fails with the output so far. */
export function until(child: ChildProcess, io: ChildOutput, test: () => boolean, ms = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out; stdout:\n${io.out}\nstderr:\n${io.err}`));
    }, ms);
    const check = () => {
      if (test()) {
        cleanup();
        resolve();
      }
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', check);
      child.stderr!.off('data', check);
      child.off('exit', check);
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', check);
    check();
  });
}
